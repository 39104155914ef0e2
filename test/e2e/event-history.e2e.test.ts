/** Issue #3 end to end: the Event history panel finds who terminated the instance. */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { appReady, launch, lookUpTerminations, playUntilColleagueSpeaks, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('Event history: filter by Event name = TerminateInstances and read the user name', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await playUntilColleagueSpeaks(page);

  // The panel opens with the console's default filter, Read-only = false, newest first.
  await page.click('#eh-open');
  await page.waitForSelector('#eh-table tbody tr');
  expect(await page.inputValue('#eh-attr')).toBe('ReadOnly');
  const firstNames = await page.locator('#eh-table tbody tr td:nth-child(3)').allTextContents();
  expect(firstNames[0]).toBe('TerminateInstances');
  expect(firstNames).toContain('RunInstances');
  expect(firstNames).not.toContain('LookupEvents');
  const attrs = await page.locator('#eh-attr option').allTextContents();
  expect(attrs).toEqual(['Read-only', 'Event name', 'User name', 'Resource type', 'Resource name', 'Event source', 'Event ID', 'AWS access key']);
  await page.click('#eh-open'); // close again; lookUpTerminations opens it

  await lookUpTerminations(page);
  const rows = page.locator('#eh-table tbody tr');
  expect(await rows.count()).toBe(1);
  const cells = await rows.first().locator('td').allTextContents();
  expect(cells[1]).toBe('junho');
  expect(cells[2]).toBe('TerminateInstances');
  expect(cells[3]).toMatch(/^i-[0-9a-f]+/);
  expect(await page.isDisabled('#eh-next')).toBe(true);

  // The full record, shown as text.
  await rows.first().locator('button').click();
  const json = JSON.parse((await page.textContent('#eh-json')) ?? '{}') as Record<string, unknown>;
  expect(json.eventName).toBe('TerminateInstances');
  expect((json.userIdentity as { userName?: string }).userName).toBe('junho');

  // Look up by User name: junho made exactly that change.
  await page.selectOption('#eh-attr', 'Username');
  await page.fill('#eh-value', 'junho');
  await page.selectOption('#eh-range', '1h');
  await page.click('#eh-lookup');
  await expect.poll(() => page.locator('#eh-table tbody tr td:nth-child(3)').allTextContents()).toEqual(['TerminateInstances']);
  expect(errors).toEqual([]);
  await ctx.close();
}, 60_000);
