/**
 * Issue #3 end to end: in the flagship "Who deleted it?", find the culprit through the UI.
 * Every answer is read off the Event history panel (rows and record JSON), not known in advance:
 * the test picks the option that matches what the console shows, so a wrong record or a broken
 * panel makes it fail.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appReady, launch, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

async function lookUp(page: Page, attr: string, value: string): Promise<void> {
  await page.selectOption('#eh-attr', attr);
  await page.fill('#eh-value', value);
  await page.selectOption('#eh-range', '7d');
  await page.click('#eh-lookup');
  await page.waitForSelector('#eh-table tbody tr');
}

/** Chooses the quiz option whose label satisfies `pick`, submits, and expects it to be correct. */
async function answer(page: Page, pick: (label: string) => boolean): Promise<void> {
  await page.waitForSelector('#quiz legend', { state: 'visible' });
  const labels = page.locator('#quiz .options label');
  const texts = await labels.allTextContents();
  const i = texts.findIndex(pick);
  expect(i, `no option matches among ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(0);
  await labels.nth(i).click();
  await page.click('#quiz-submit');
  await page.waitForSelector('#quiz-continue', { timeout: 5000 }).catch(async (e: unknown) => {
    await page.screenshot({ path: '/tmp/look/e2e-fail.png' });
    throw new Error(`${String(e)}\nfeedback: ${await page.textContent('#quiz-feedback')}\nlegend: ${await page.textContent('#quiz legend')}\noptions: ${JSON.stringify(texts)} picked ${i}`);
  });
  expect(await page.getAttribute('#quiz-feedback', 'class')).toContain('ok');
  await page.click('#quiz-continue');
}

test('Who deleted it? — name who, when and from where using Event history', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await page.click('[data-start="who-deleted-it"]');
  await page.waitForSelector('#begin', { state: 'visible' });
  await page.click('#begin');
  await page.click('#speed-0');
  await page.waitForFunction(() => window.__opsroom?.speed === 0);

  // A checkpoint may be open already: fold it so the console stays usable.
  if (await page.isVisible('#quiz-fold')) await page.click('#quiz-fold');
  await page.click('#eh-open');
  await page.waitForSelector('#event-history', { state: 'visible' });

  // Who deleted the bucket: two DeleteBucket calls, only one on team-reports-2026 and without an error.
  await lookUp(page, 'EventName', 'DeleteBucket');
  const row = page.locator('#eh-table tbody tr', { hasText: 'team-reports-2026' });
  expect(await row.count()).toBe(1);
  const user = (await row.locator('td').nth(1).textContent())!.trim();
  await row.locator('button').click();
  const record = JSON.parse((await page.textContent('#eh-json')) ?? '{}') as Record<string, any>;
  expect(record.errorCode).toBeUndefined();
  expect(record.userIdentity.type).toBe('AssumedRole');
  expect(record.userIdentity.arn).toContain(`/${user}`);
  const when = String(record.eventTime).slice(0, 16).replace('T', ' '); // "YYYY-MM-DD HH:MM"
  const from = String(record.sourceIPAddress);

  // Who took the instance: the service-linked role's session name.
  await lookUp(page, 'EventName', 'TerminateInstances');
  const names = await page.locator('#eh-table tbody tr td:nth-child(2)').allTextContents();
  const service = names.find((n) => n === 'AutoScaling');
  expect(service).toBe('AutoScaling');

  if (await page.isVisible('#quiz-fold')) await page.click('#quiz-fold');
  await answer(page, (l) => l.startsWith(user));
  await answer(page, (l) => l.startsWith(`${when} UTC`));
  await answer(page, (l) => l.trim() === from);
  await answer(page, (l) => l.startsWith('Auto Scaling'));
  await expect.poll(() => page.evaluate(() => (window.__opsroom?.view as { stateId?: string } | null)?.stateId)).toBe('concepts');
  expect(errors).toEqual([]);
  await ctx.close();
}, 90_000);
