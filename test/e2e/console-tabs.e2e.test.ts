/**
 * Issue #4 end to end: the engine runs in a Web Worker; the Alarms tab creates an alarm through
 * the form (PutMetricAlarm as the learner), shows its state light and its history with the
 * StateReason; EC2 Resource Health recolours when a threshold changes.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { appReady, launch, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

test('Alarms: create one, see its light and why; Resource Health: change a threshold', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  expect(await page.evaluate(() => window.__opsroom?.engineMode)).toBe('worker');
  await page.click('[data-start="tutorial-who-terminated"]');
  await page.click('#begin');
  await page.click('#speed-0');

  // Tabs: a tablist reachable with the keyboard.
  expect(await page.getAttribute('#console-tab-overview', 'aria-selected')).toBe('true');
  await page.focus('#console-tab-overview');
  await page.keyboard.press('ArrowRight');
  expect(await page.getAttribute('#console-tab-metrics', 'aria-selected')).toBe('true');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('console-tab-metrics');

  // Alarms tab: no alarm yet; create one on web-1's CPU through the form.
  await page.click('#console-tab-alarms');
  await page.waitForSelector('#alarms-empty');
  await page.click('#al-create-open');
  await page.fill('#al-name', 'web-1-cpu-high');
  const web1 = await page.locator('#instances tr', { hasText: 'web-1' }).getAttribute('data-instance');
  expect(web1).toMatch(/^i-/);
  await page.fill('#al-dim-value', web1!);
  await page.selectOption('#al-period', '300'); // basic monitoring: 5-minute data
  await page.fill('#al-threshold', '99');
  await page.click('#al-create');
  await page.waitForSelector('#al-create-status:has-text("web-1-cpu-high")');
  const row = page.locator('#alarms-table tr[data-alarm="web-1-cpu-high"]');
  await row.waitFor();
  expect(await row.locator('.alarm-state').getAttribute('data-state')).toBe('INSUFFICIENT_DATA');
  expect(await row.locator('.alarm-state').textContent()).toContain('Insufficient data');

  // Time passes: the alarm is evaluated and leaves INSUFFICIENT_DATA, with AWS's reason.
  await page.click('#speed-3600');
  await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).not.toBe('INSUFFICIENT_DATA');
  await page.click('#speed-0');
  await row.locator('button').click();
  const history = page.locator('#alarm-history-web-1-cpu-high');
  await expect.poll(() => history.isVisible()).toBe(true);
  expect(await history.textContent()).toMatch(/Threshold Crossed: \d+ (out of the last \d+ )?datapoints?/);
  expect(await history.textContent()).toContain('Alarm updated from INSUFFICIENT_DATA to OK');

  // SetAlarmState: the light turns red, the history says why in the learner's words.
  await page.click('#al-set-open');
  await page.selectOption('#al-set-name', 'web-1-cpu-high');
  await page.selectOption('#al-set-state', 'ALARM');
  await page.fill('#al-set-reason', 'testing the pager');
  await page.click('#al-set');
  await expect.poll(() => row.getAttribute('data-state')).toBe('ALARM');
  expect(await row.locator('.alarm-state').textContent()).toContain('In alarm');
  await expect.poll(() => history.locator('td.reason').first().textContent()).toBe('testing the pager');

  // EC2 Resource Health: web-1's CPU is coloured by the default bands; lowering the bands recolours it.
  await page.click('#console-tab-health');
  const cell = page.locator(`#rh-map .rh-cell[data-instance="${web1}"]`);
  await cell.waitFor();
  const value = Number.parseFloat((await cell.locator('.rh-value').textContent()) ?? '');
  expect(value).toBeGreaterThan(0);
  expect(await cell.getAttribute('data-band')).toBe(value < 10 ? 'low' : value < 50 ? 'mid' : 'high');
  await page.fill('#rh-mid', String(Math.max(1, Math.floor(value) - 1) + 0.5));
  await page.fill('#rh-low', '0.5');
  await page.dispatchEvent('#rh-low', 'change');
  await page.dispatchEvent('#rh-mid', 'change');
  await expect.poll(() => cell.getAttribute('data-band')).toBe('high');
  expect(await page.textContent('#rh-legend')).toContain('0.5');
  // Group by Availability Zone: one group heading per zone.
  await page.selectOption('#rh-group', 'az');
  expect(await page.locator('#rh-map .rh-group h3').allTextContents()).toEqual(['ap-northeast-2a']);

  expect(errors).toEqual([]);
  await ctx.close();
}, 60_000);
