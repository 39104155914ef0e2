/**
 * Issue #4 end to end: "Bring the process back" played as a learner would, through the console
 * only — the Metrics tab to look at web-1, the Terminal for Run Command, Parameter Store and the
 * alarm, the quiz overlay for the checkpoints — until the debrief.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { answerCheckpoint as answer, appReady, cli, launch, runSimUntil, watchErrors } from './browser.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const view = (page: Page) => page.evaluate(() => window.__opsroom?.view as { stateId: string; finished: boolean; score: number; objectives: { id: string; done: boolean }[] } | null);



const waitSim = (page: Page, until: string) => runSimUntil(page, 60, until);

test('Bring the process back: restart nginx, install the agent, alarm on procstat, fire drill', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(inject('baseUrl'));
  await appReady(page);
  await page.click('[data-start="bring-the-process-back"]');
  await page.waitForSelector('#begin', { state: 'visible' });
  await page.click('#begin');
  await page.click('#speed-0');

  // Look at web-1's metrics in the Metrics tab (the console fetches them with GetMetricData).
  await page.click('#console-tab-metrics');
  await page.waitForSelector('#mx-metric option[value="StatusCheckFailed"]', { state: 'attached' });
  await page.selectOption('#mx-metric', 'StatusCheckFailed');
  await expect.poll(async () => (await view(page))?.objectives.find((o) => o.id === 'look-metrics')?.done).toBe(true);
  await answer(page, 'outside-view');

  // Find web-1's id, then restart nginx with Run Command.
  const described = await cli(page, 'aws ec2 describe-instances --filters Name=tag:Name,Values=web-1');
  const id = /"InstanceId": "(i-[0-9a-f]+)"/.exec(described)?.[1];
  expect(id).toMatch(/^i-/);
  await cli(page, `aws ssm send-command --document-name AWS-RunShellScript --targets Key=tag:Name,Values=web-1 --parameters 'commands=["sudo systemctl restart nginx","systemctl is-active nginx"]'`);
  await waitSim(page, `window.__opsroom?.view?.objectives?.find((o) => o.id === 'restart-nginx')?.done === true`);
  await answer(page, 'ec2-actions-only');

  // The agent with a procstat metric, configured from Parameter Store.
  const config = JSON.stringify({ agent: { metrics_collection_interval: 60 }, metrics: { namespace: 'CWAgent', append_dimensions: { InstanceId: '${aws:InstanceId}' }, metrics_collected: { procstat: [{ exe: 'nginx', measurement: ['pid_count'] }], mem: { measurement: ['mem_used_percent'] } } } });
  await cli(page, `aws ssm put-parameter --name AmazonCloudWatch-linux --type String --value '${config}'`);
  await cli(page, `aws ssm send-command --document-name AWS-ConfigureAWSPackage --instance-ids ${id} --parameters action=Install,name=AmazonCloudWatchAgent`);
  await page.click('#speed-60'); await page.waitForTimeout(1500); await page.click('#speed-0');
  await cli(page, `aws ssm send-command --document-name AmazonCloudWatch-ManageAgent --instance-ids ${id} --parameters action=configure,mode=ec2,optionalConfigurationSource=ssm,optionalConfigurationLocation=AmazonCloudWatch-linux,optionalRestart=yes`);
  await waitSim(page, `window.__opsroom?.view?.objectives?.find((o) => o.id === 'agent-procstat')?.done === true`);

  await cli(page, `aws cloudwatch put-metric-alarm --alarm-name web-1-nginx-down --namespace CWAgent --metric-name procstat_lookup_pid_count --dimensions Name=exe,Value=nginx Name=pid_finder,Value=native Name=InstanceId,Value=${id} --statistic Minimum --period 60 --evaluation-periods 2 --datapoints-to-alarm 2 --threshold 1 --comparison-operator LessThanThreshold --treat-missing-data breaching`);
  await expect.poll(async () => (await view(page))?.objectives.find((o) => o.id === 'pid-alarm')?.done).toBe(true);
  for (const option of ['agent', 'cwagent-dims', 'minimum', 'initial']) await answer(page, option);

  // Fire drill: stop nginx, watch the alarm fire; start it, watch it clear.
  await cli(page, `aws ssm send-command --document-name AWS-RunShellScript --instance-ids ${id} --parameters 'commands=["sudo systemctl stop nginx"]'`);
  await waitSim(page, `window.__opsroom?.view?.stateId === 'recover'`);
  await cli(page, `aws ssm send-command --document-name AWS-RunShellScript --instance-ids ${id} --parameters 'commands=["sudo systemctl start nginx","systemctl is-active nginx"]'`);
  await waitSim(page, `document.querySelector('#quiz-opt-event-ssm') !== null`);
  await answer(page, 'event-ssm');
  // The drill ends when the alarm is back to OK, which takes a couple of simulated minutes.
  await waitSim(page, `window.__opsroom?.view?.finished === true`);
  const end = await view(page);
  expect(end?.stateId).toBe('debrief');
  expect(end?.objectives.every((o) => o.done)).toBe(true);
  expect(errors).toEqual([]);
  await ctx.close();
}, 120_000);
