import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The build id recorded in every save: the engine is deterministic only within one build.
const BUILD = `${pkg.version}`;

export default defineConfig({
  base: './',
  publicDir: 'assets',
  define: { __OPSROOM_BUILD__: JSON.stringify(BUILD) },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'phaser', test: /node_modules[\\/]phaser/ }] } } },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  plugins: [
    VitePWA({
      strategies: 'generateSW',
      // An update is offered (title screen, between scenarios), never forced in the middle of a run:
      // no skipWaiting, no clientsClaim; the waiting worker takes over when the learner accepts.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['pwa-192.png', 'pwa-512.png'],
      manifest: {
        name: 'Opsroom',
        short_name: 'Opsroom',
        description: 'Learn AWS monitoring and billing in a simulated account / 시뮬레이션 계정에서 배우는 AWS 모니터링과 결제',
        lang: 'ko',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#101820',
        theme_color: '#101820',
        icons: [
          { src: 'pwa-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,json,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
});
