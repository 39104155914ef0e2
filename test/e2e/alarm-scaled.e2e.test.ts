/**
 * Issue #4 end to end: "The alarm that scaled" played through the console — the Auto Scaling tab
 * (activities), the Alarms tab (history and "why"), the Terminal to re-save both alarms with
 * M of N and missing-data settings — then the sale scales the group out and back in.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { answerCheckpoint as answer, appReady, cli, launch, runSimUntil as runUntil, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

type View = { stateId: string; finished: boolean; score: number; objectives: { id: string; done: boolean }[] };
const view = (page: Page) => page.evaluate(() => window.__opsroom?.view as View | null);
const done = async (page: Page, id: string) => (await view(page))?.objectives.find((o) => o.id === id)?.done;




test('The alarm that scaled: read why it flaps, tune M of N, watch the sale scale out and in', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await page.click('[data-start="the-alarm-that-scaled"]');
  await page.waitForSelector('#begin', { state: 'visible' });
  await page.click('#begin');
  await runUntil(page, 60, `document.querySelector('#quiz-opt-one-of-one') !== null`);

  // The group's activities and the alarm's history, read in their tabs.
  await page.click('#console-tab-asg');
  await page.waitForSelector('[data-group="shop-web"]');
  await expect.poll(() => done(page, 'read-activities')).toBe(true);
  await page.click('#console-tab-alarms');
  await page.click('[data-alarm="shop-web-cpu-high"] button');
  expect(await page.textContent('#alarms-table')).toContain('Threshold Crossed');
  await expect.poll(() => done(page, 'read-history')).toBe(true);
  await answer(page, 'one-of-one');

  // Re-save both alarms from the terminal, wired to the group's policies.
  const policies = await cli(page, 'aws autoscaling describe-policies --auto-scaling-group-name shop-web');
  const arn = (name: string) => new RegExp(`"(arn:aws:autoscaling:[^"]*policyName/${name})"`).exec(policies)?.[1];
  expect(arn('scale-out')).toBeTruthy();
  await cli(page, `aws cloudwatch put-metric-alarm --alarm-name shop-web-cpu-high --namespace AWS/EC2 --metric-name CPUUtilization --dimensions Name=AutoScalingGroupName,Value=shop-web --statistic Average --period 60 --evaluation-periods 5 --datapoints-to-alarm 3 --threshold 70 --comparison-operator GreaterThanThreshold --treat-missing-data notBreaching --alarm-actions ${arn('scale-out')}`);
  await cli(page, `aws cloudwatch put-metric-alarm --alarm-name shop-web-cpu-low --namespace AWS/EC2 --metric-name CPUUtilization --dimensions Name=AutoScalingGroupName,Value=shop-web --statistic Average --period 60 --evaluation-periods 10 --datapoints-to-alarm 10 --threshold 30 --comparison-operator LessThanThreshold --alarm-actions ${arn('scale-in')}`);
  await expect.poll(() => done(page, 'tune-high')).toBe(true);
  await expect.poll(() => done(page, 'tune-low')).toBe(true);
  await answer(page, 'alarm');
  await answer(page, 'missing', 'notBreaching');
  await answer(page, 'insufficient');

  // The sale: the group scales out, then back in afterwards.
  await runUntil(page, 3600, `document.querySelector('#quiz-opt-owns-alarms') !== null`);
  expect(await done(page, 'scaled-out')).toBe(true);
  await answer(page, 'owns-alarms');
  await runUntil(page, 3600, `window.__opsroom?.view?.finished === true`);
  const end = await view(page);
  expect(end?.stateId).toBe('debrief');
  expect(end?.objectives.every((o) => o.done)).toBe(true);
  expect(errors).toEqual([]);
  await ctx.close();
}, 150_000);
