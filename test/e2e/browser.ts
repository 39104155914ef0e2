/** Launching Debian's Chromium for the e2e tests (flags from STACK.md) and small page helpers. */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Waits until the app booted (Phaser ready, first screen shown). */
export async function appReady(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__opsroom?.ready === true && window.__opsroom.scene !== null);
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

/** From the title: starts the tutorial, leaves the briefing, runs 3600x until the colleague speaks, pauses. */
export async function playUntilColleagueSpeaks(page: Page): Promise<void> {
  await page.click('[data-start="tutorial-who-terminated"]');
  await page.waitForSelector('#begin', { state: 'visible' });
  await page.click('#begin');
  await page.click('#speed-3600');
  await page.waitForSelector('#messages .message[data-from]', { timeout: 20_000 });
  await page.click('#speed-0');
  await page.waitForFunction(() => window.__opsroom?.speed === 0);
  // The engine runs in a worker: wait until the clock shown is the run's clock after the last advance.
  await page.waitForFunction(() => document.querySelector('#sim-clock')?.getAttribute('data-now') === (window.__opsroom?.view as { now?: string } | null)?.now);
}

/** Opens Event history and looks up by Event name = TerminateInstances. */
export async function lookUpTerminations(page: Page): Promise<void> {
  await page.click('#eh-open');
  await page.waitForSelector('#event-history', { state: 'visible' });
  await page.selectOption('#eh-attr', 'EventName');
  await page.fill('#eh-value', 'TerminateInstances');
  await page.click('#eh-lookup');
  await page.waitForSelector('#eh-table tbody tr');
}

/** Runs one AWS CLI line in the Terminal tab; returns the entry's text and fails on an API error. */
export async function cli(page: Page, line: string): Promise<string> {
  await page.click('#console-tab-terminal');
  const before = await page.locator('#term-output .term-entry').count();
  await page.fill('#term-input', line);
  await page.press('#term-input', 'Enter');
  const entry = page.locator('#term-output .term-entry').nth(before);
  await entry.locator('.term-out').first().waitFor();
  const text = (await entry.textContent()) ?? '';
  if (text.includes('An error occurred')) throw new Error(`${line}\n${text}`);
  return text;
}

/** Answers the open checkpoint with the given options (unfolding the card if needed) and expects it to be correct. */
export async function answerCheckpoint(page: Page, ...options: string[]): Promise<void> {
  await page.waitForSelector(`#quiz-opt-${options[0]}`, { state: 'attached', timeout: 30_000 });
  if (!(await page.isVisible(`#quiz-opt-${options[0]}`))) await page.click('#quiz-fold');
  for (const o of options) await page.check(`#quiz-opt-${o}`);
  await page.click('#quiz-submit');
  await page.waitForSelector('#quiz-continue');
  await page.click('#quiz-continue');
}

/** Lets simulated time pass at `speed` until `until` (a page expression) holds, then pauses unless the run finished. */
export async function runSimUntil(page: Page, speed: 60 | 3600, until: string): Promise<void> {
  await page.click(`#speed-${speed}`);
  await page.waitForFunction(until, undefined, { timeout: 45_000 });
  const finished = await page.evaluate(() => (window.__opsroom?.view as { finished?: boolean } | null)?.finished === true);
  if (!finished) await page.click('#speed-0'); // the debrief has no clock to pause
}
