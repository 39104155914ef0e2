/**
 * Builds the app and serves it in-process for the e2e project (no background process to manage).
 * Set E2E_SKIP_BUILD=1 to reuse an existing dist/.
 */
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.env.E2E_SKIP_BUILD !== '1') await build({ logLevel: 'warn' });
  server = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  project.provide('baseUrl', server.resolvedUrls!.local[0]!);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string }
}
