import { describe, expect, it } from 'vitest';
import type { Engine, Identity } from '../../../src/engine/index.ts';
import { listInstances } from '../../../src/engine/services/ec2/index.ts';
import { processRunning, type SsmState } from '../../../src/engine/services/ssm/index.ts';
import { ACCT, engine, latestRecord, lookup } from '../cloudtrail/helpers.ts';

const ops: Identity = { type: 'IAMUser', userName: 'ops' };
const stateOf = (e: Engine, id: string) => listInstances(e.read('ec2')).find((i) => i.instanceId === id)?.state;

async function running(e: Engine): Promise<string> {
  const r = await e.call<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances',
    { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', Monitoring: { Enabled: true } }, { identity: ops });
  if (!r.ok) throw new Error(r.error.message);
  const id = r.output.Instances[0]!.InstanceId;
  await e.advance(60_000);
  expect(stateOf(e, id)).toBe('running');
  return id;
}

/** An alarm on the instance's CPU above 80 % for 2 of 2 minutes, with the given action. */
function cpuAlarm(e: Engine, id: string, action: string, extra: Record<string, unknown> = {}) {
  return e.callSync('cloudwatch', 'PutMetricAlarm', {
    AlarmName: `cpu-high-${id}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average',
    Dimensions: [{ Name: 'InstanceId', Value: id }], Period: 60, EvaluationPeriods: 2, Threshold: 80,
    ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [`arn:aws:automate:us-east-1:ec2:${action}`], ...extra,
  }, { identity: ops });
}

const hot = (e: Engine, id: string) => e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 97, Wave: 0, Noise: 1 });

const history = (e: Engine, name: string) => {
  const r = e.callSync<{ AlarmHistoryItems: { HistoryItemType: string; HistorySummary: string; HistoryData: string }[] }>(
    'cloudwatch', 'DescribeAlarmHistory', { AlarmName: name, HistoryItemType: 'Action' });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.AlarmHistoryItems;
};

describe('PutMetricAlarm: EC2 actions need a per-instance metric (spec §1.5)', () => {
  it.each([
    [{ Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }] }, 'arn:aws:automate:us-east-1:ec2:stop', 'ok'],
    [{ Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] }, 'arn:aws:automate:us-east-1:ec2:terminate', 'ValidationError'],
    [{ Namespace: 'App', MetricName: 'QueueDepth', Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }] }, 'arn:aws:automate:us-east-1:ec2:reboot', 'ok'],
    [{ MetricName: 'StatusCheckFailed_System', Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }] }, 'arn:aws:automate:us-east-1:ec2:recover', 'ok'],
    [{ MetricName: 'StatusCheckFailed_Instance', Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }] }, 'arn:aws:automate:us-east-1:ec2:recover', 'ValidationError'],
    [{ Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }] }, 'arn:aws:automate:us-east-1:ec2:hibernate', 'InvalidParameterValue'],
  ])('%j with %s → %s', (patch, action, code) => {
    const e = engine();
    const r = e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'a', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60,
      EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [action], ...patch,
    });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
});

describe('EC2 alarm actions on the clock', () => {
  it('stop: the alarm stops the instance as AWSServiceRoleForCloudWatchEvents, recorded by CloudTrail and in the alarm history', async () => {
    const e = engine();
    const id = await running(e);
    expect(cpuAlarm(e, id, 'stop').ok).toBe(true);
    hot(e, id);
    await e.advance(60_000);
    expect(stateOf(e, id)).toBe('running'); // one breaching minute of two
    await e.advance(2 * 60_000);
    expect(['stopping', 'stopped']).toContain(stateOf(e, id));
    const rec = latestRecord(e, 'StopInstances');
    expect(rec.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCT}:assumed-role/AWSServiceRoleForCloudWatchEvents/cpu-high-${id}`,
      sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${ACCT}:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents` } },
      invokedBy: 'events.amazonaws.com',
    });
    expect(rec.sourceIPAddress).toBe('events.amazonaws.com');
    expect(rec.requestParameters).toMatchObject({ instancesSet: { items: [{ instanceId: id }] } });
    const h = history(e, `cpu-high-${id}`);
    expect(h).toHaveLength(1);
    expect(h[0]!.HistorySummary).toBe('Successfully executed action arn:aws:automate:us-east-1:ec2:stop');
    expect(JSON.parse(h[0]!.HistoryData)).toMatchObject({ actionState: 'Succeeded', instanceId: id });
  });

  it('terminate acts once per transition, not every minute while in ALARM', async () => {
    const e = engine();
    const id = await running(e);
    cpuAlarm(e, id, 'terminate');
    hot(e, id);
    await e.advance(10 * 60_000);
    expect(stateOf(e, id)).toBe('terminated');
    const calls = lookup(e, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'TerminateInstances' }] }).Events;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.Username).toBe(`cpu-high-${id}`);
  });

  it('no action while actions are disabled', async () => {
    const e = engine();
    const id = await running(e);
    cpuAlarm(e, id, 'stop', { ActionsEnabled: false });
    hot(e, id);
    await e.advance(5 * 60_000);
    expect(stateOf(e, id)).toBe('running');
    expect(lookup(e, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopInstances' }] }).Events).toHaveLength(0);
  });

  it('a failed action (no such instance) is an Action history item with the EC2 error', () => {
    const e = engine();
    e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'ghost', Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'InstanceId', Value: 'i-0000000000000dead' }],
      AlarmActions: ['arn:aws:automate:us-east-1:ec2:reboot'],
    });
    e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'test' });
    const h = history(e, 'ghost');
    expect(h[0]!.HistorySummary).toBe('Failed to execute action arn:aws:automate:us-east-1:ec2:reboot');
    expect(JSON.parse(h[0]!.HistoryData).error).toContain('InvalidInstanceID.NotFound');
  });

  it('recover on a healthy instance changes nothing and makes no EC2 call', async () => {
    const e = engine();
    const id = await running(e);
    e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'sys', Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed_System', Statistic: 'Maximum', Period: 60,
      EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'InstanceId', Value: id }],
      AlarmActions: ['arn:aws:automate:us-east-1:ec2:recover'],
    });
    e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'sys', StateValue: 'ALARM', StateReason: 'test' });
    expect(stateOf(e, id)).toBe('running');
    const h = history(e, 'sys');
    expect(JSON.parse(h[0]!.HistoryData)).toMatchObject({ actionState: 'Succeeded' });
    expect(lookup(e, { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: id }] }).Events.map((x) => x.EventName)).toEqual(['RunInstances']);
  });
});

describe('RebootInstances', () => {
  it('keeps the instance running with the same runningSince, and brings killed enabled processes back', async () => {
    const e = engine();
    const id = await running(e);
    const before = e.read<{ instances: Record<string, { runningSince: number | null; stateVersion: number }> }>('ec2').instances[id]!;
    const since = before.runningSince, version = before.stateVersion;
    expect((await e.call('ssm', 'SimStartProcess', { InstanceId: id, Name: 'nginx', Pids: 3 })).ok).toBe(true);
    expect((await e.call('ssm', 'SimStartProcess', { InstanceId: id, Name: 'oneshot', Enabled: false })).ok).toBe(true);
    await e.call('ssm', 'SimKillProcess', { InstanceId: id, Name: 'nginx' });
    await e.call('ssm', 'SimKillProcess', { InstanceId: id, Name: 'oneshot' });
    expect(processRunning(e.read<SsmState>('ssm'), id, 'nginx')).toBe(false);
    const events: string[] = [];
    e.subscribe((ev) => { if (ev.type.startsWith('ec2/')) events.push(ev.type); });
    const r = await e.call('ec2', 'RebootInstances', { InstanceIds: [id] }, { identity: ops });
    expect(r.ok).toBe(true);
    expect(events).toEqual(['ec2/instance-rebooted']); // no state change
    const after = e.read<{ instances: Record<string, { runningSince: number | null; stateVersion: number }> }>('ec2').instances[id]!;
    expect(after.runningSince).toBe(since);
    expect(after.stateVersion).toBe(version);
    expect(stateOf(e, id)).toBe('running');
    expect(processRunning(e.read<SsmState>('ssm'), id, 'nginx')).toBe(true);
    expect(processRunning(e.read<SsmState>('ssm'), id, 'oneshot')).toBe(false); // not enabled
    expect(latestRecord(e, 'RebootInstances')).toMatchObject({ requestParameters: { instancesSet: { items: [{ instanceId: id }] } }, responseElements: { _return: true } });
  });

  it('answers EC2 errors for unknown or malformed ids, and ignores stopped instances', async () => {
    const e = engine();
    const id = await running(e);
    expect(e.callSync('ec2', 'RebootInstances', { InstanceIds: ['i-0000000000000dead'] }).ok ? '' : 'InvalidInstanceID.NotFound').toBe('InvalidInstanceID.NotFound');
    const bad = e.callSync('ec2', 'RebootInstances', { InstanceIds: ['web-1'] });
    expect(bad.ok ? '' : bad.error.code).toBe('InvalidInstanceID.Malformed');
    const none = e.callSync('ec2', 'RebootInstances', {});
    expect(none.ok ? '' : none.error.code).toBe('MissingParameter');
    e.callSync('ec2', 'StopInstances', { InstanceIds: [id] });
    await e.advance(120_000);
    const seen: string[] = [];
    e.subscribe((ev) => seen.push(ev.type));
    expect(e.callSync('ec2', 'RebootInstances', { InstanceIds: [id] }).ok).toBe(true);
    expect(seen).not.toContain('ec2/instance-rebooted');
    expect(stateOf(e, id)).toBe('stopped');
  });
});
