/**
 * Service worker registration. The worker precaches the whole game, so it plays offline after
 * the first visit. A new version is only offered (`onNeedRefresh`); it takes over when the
 * learner accepts on the title screen, never in the middle of a run.
 */
import { registerSW } from 'virtual:pwa-register';

export interface Pwa {
  /** Activates the waiting version and reloads; call only between scenarios. */
  apply(): Promise<void>;
}

export function registerPwa(opts: { onUpdateAvailable(): void; onOfflineReady?(): void }): Pwa {
  if (!('serviceWorker' in navigator)) return { apply: async () => {} };
  const updateSW = registerSW({
    immediate: true,
    onNeedRefresh: () => opts.onUpdateAvailable(),
    onOfflineReady: () => opts.onOfflineReady?.(),
    onRegisterError: (e: unknown) => console.warn('service worker registration failed', e),
  });
  return { apply: () => updateSW(true) };
}
