/**
 * Issue #2 end to end: open the built app in Korean, switch to English, play the tutorial to its
 * end through the UI, then reload offline and find the progress kept.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { appReady, launch, lookUpTerminations, playUntilColleagueSpeaks, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('play the tutorial in the browser, then reload offline and find it finished', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'ko-KR' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);

  // Korean first (from the browser language).
  expect(await page.getAttribute('html', 'lang')).toBe('ko');
  await expect.poll(() => page.textContent('#title-card')).toContain('시나리오');
  expect(await page.textContent('[data-scenario="tutorial-who-terminated"] h3')).toContain('누가 web-2를 종료했나');

  // The service worker takes control after one reload (no clientsClaim: updates are never forced).
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await appReady(page);

  // Switch to English: every visible text changes at once.
  await page.click('#lang-en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  const title = await page.textContent('#title-card');
  expect(title).toContain('Scenarios');
  expect(title).toContain('Who terminated web-2?');
  expect(title).not.toContain('시나리오');

  // Play: time passes until the colleague's message, then Event history, then the checkpoint.
  await playUntilColleagueSpeaks(page);
  expect(await page.textContent('#messages')).toContain('junho');
  await lookUpTerminations(page);
  const row = page.locator('#eh-table tbody tr', { hasText: 'TerminateInstances' }).first();
  expect(await row.locator('td').nth(1).textContent()).toBe('junho');
  await row.locator('button').click();
  expect(await page.textContent('#eh-json')).toContain('"userName": "junho"');

  await page.waitForSelector('#quiz', { state: 'visible' });
  expect(await page.textContent('#quiz legend')).toContain('Who terminated web-2?');
  // Read the question in Korean, then answer wrongly once and rightly after.
  await page.click('#quiz-lang');
  expect(await page.textContent('#quiz legend')).toContain('누가 web-2를 종료했습니까?');
  // The question folds away so the console stays usable, and comes back with the choice intact.
  await page.click('#quiz-fold');
  expect(await page.isVisible('#quiz legend')).toBe(false);
  await page.click('#quiz-fold');
  expect(await page.isVisible('#quiz legend')).toBe(true);
  await page.check('#quiz-opt-minji');
  await page.click('#quiz-submit');
  await page.waitForSelector('#quiz-feedback.bad');
  await page.check('#quiz-opt-junho');
  await page.click('#quiz-submit');
  await page.waitForSelector('#quiz-continue');
  await page.click('#quiz-continue');

  await page.waitForSelector('#debrief', { state: 'visible' });
  expect(await page.textContent('#debrief-score')).toContain('90');
  await page.waitForFunction(() => window.__opsroom?.lastSave?.status === 'finished');

  // Offline reload: the game boots from the service worker cache with the progress kept.
  await ctx.setOffline(true);
  await page.reload();
  await appReady(page);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  // A finished run is not resumed; the title shows it as done, with its score.
  expect(await page.evaluate(() => window.__opsroom?.scene)).toBe('title');
  await page.waitForSelector('[data-scenario="tutorial-who-terminated"] [data-progress="finished"]');
  expect(await page.textContent('[data-scenario="tutorial-who-terminated"] .progress')).toContain('Finished · score 90');
  expect(errors).toEqual([]);
  await ctx.close();
}, 60_000);

test('an unfinished run resumes after a reload, paused where it was', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await playUntilColleagueSpeaks(page);
  const now = await page.getAttribute('#sim-clock', 'data-now');
  await page.waitForFunction((t) => window.__opsroom?.lastSave?.status === 'playing' && window.__opsroom.lastSave.simTime === t, now);
  await page.reload();
  await appReady(page);
  expect(await page.evaluate(() => window.__opsroom?.scene)).toBe('console');
  expect(await page.getAttribute('#sim-clock', 'data-now')).toBe(now);
  expect(await page.evaluate(() => window.__opsroom?.speed)).toBe(0);
  expect(await page.textContent('#messages')).toContain('junho');
  expect(await page.textContent('#instances')).toContain('종료');
  expect(errors).toEqual([]);
  await ctx.close();
}, 60_000);
