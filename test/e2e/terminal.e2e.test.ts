/**
 * The AWS CLI terminal end to end (PRODUCT.md P2), at a phone's width: after the colleague's
 * message in the tutorial, the learner lists the running instances and looks up who terminated
 * one with `aws cloudtrail lookup-events`, finds junho, and sees the CLI's error for an unknown
 * operation. Keyboard only: Enter runs, ↑ recalls.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appReady, launch, playUntilColleagueSpeaks, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

async function type(page: Page, line: string): Promise<string> {
  const before = await page.locator('#term-output .term-entry').count();
  await page.fill('#term-input', line);
  await page.press('#term-input', 'Enter');
  const entry = page.locator('#term-output .term-entry').nth(before);
  await entry.locator('.term-out').first().waitFor();
  return (await entry.textContent()) ?? '';
}

test('Terminal: describe-instances and lookup-events find junho; unknown operations answer like the CLI', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await playUntilColleagueSpeaks(page);

  await page.click('#console-tab-terminal');
  expect(await page.textContent('#console-tab-terminal')).toBe('Terminal');
  const log = page.locator('#term-output');
  expect(await log.getAttribute('role')).toBe('log');
  expect(await log.getAttribute('aria-live')).toBe('polite');
  await page.focus('#term-input');

  const instances = await type(page, 'aws ec2 describe-instances --filters Name=instance-state-name,Values=running');
  const json = instances.slice(instances.indexOf('{'));
  const out = JSON.parse(json) as { Reservations: { Instances: { InstanceId: string; State: { Name: string } }[] }[] };
  const states = out.Reservations.flatMap((r) => r.Instances.map((i) => i.State.Name));
  expect(states.length).toBeGreaterThan(0);
  expect(new Set(states)).toEqual(new Set(['running']));
  expect(json).toContain('\n  "Reservations"'); // pretty-printed, two spaces

  const lookup = await type(page, 'aws cloudtrail lookup-events \\\n  --lookup-attributes AttributeKey=EventName,AttributeValue=TerminateInstances');
  expect(lookup).toContain('"EventName": "TerminateInstances"');
  expect(lookup).toContain('junho');

  const volumes = await type(page, 'aws ec2 describe-volumes --filters Name=status,Values=in-use');
  expect(volumes).toContain('"Volumes"');
  expect(volumes).toMatch(/"VolumeId": "vol-[0-9a-f]+"/);
  expect(volumes).toContain('"Device": "/dev/xvda"');
  const bad = await type(page, 'aws ec2 describe-snapshots');
  expect(bad).toContain("Invalid choice 'describe-snapshots'");
  expect(bad).toContain('describe-instances');
  const api = await type(page, 'aws ec2 stop-instances --instance-ids i-0000000000000dead');
  expect(api).toMatch(/An error occurred \(InvalidInstanceID\.(NotFound|Malformed)\) when calling the StopInstances operation: /);
  const unknown = await type(page, 'aws ec2 describe-instances --foo bar');
  expect(unknown).toContain('Unknown options: --foo, bar');

  // ↑ recalls the previous command.
  await page.press('#term-input', 'ArrowUp');
  expect(await page.inputValue('#term-input')).toBe('aws ec2 describe-instances --foo bar');

  // A phone's width: nothing in the terminal runs off the screen.
  const overflow = await page.evaluate(() => {
    const el = document.querySelector('#terminal')!;
    return el.scrollWidth - el.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(1);
  expect(errors).toEqual([]);
  await ctx.close();
});
