/**
 * Alarms over AWS/EC2 metrics skip minutes whose outcome their day's decisions (computed ahead)
 * already fix. These tests change what those decisions depend on in the middle of such a stretch
 * (the instance's signal, its monitoring, the alarm's state) and check that the alarm follows the
 * data minute by minute: each minute's expected state is computed here by hand from the datapoints
 * GetMetricData returns (spec §1.3–§1.4: every minute, the newest 3 five-minute Averages, 2 of 3).
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.ts';

const MIN = 60_000;

function setup(): { e: Engine; id: string } {
  const e = createEngine({ seed: 77, startTime: '2026-03-01T00:00:00Z' });
  const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', {
    ImageId: 'ami-0hold', MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', Monitoring: { Enabled: true },
  });
  if (!r.ok) throw new Error(r.error.message);
  const id = r.output.Instances[0]!.InstanceId;
  // a steady signal well below the threshold: long stretches where nothing can change
  expect(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 20, Wave: 2, Noise: 1 }).ok).toBe(true);
  expect(e.callSync('cloudwatch', 'PutMetricAlarm', {
    AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
    Statistic: 'Average', Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold',
  }).ok).toBe(true);
  return { e, id };
}

const state = (e: Engine) => {
  const r = e.callSync<{ MetricAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['cpu'] });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.MetricAlarms[0]!.StateValue;
};

/** The state the newest three 5-minute Averages before `now` decide (2 of 3 above 50), read through GetMetricData. */
function expected(e: Engine, id: string, now: number): string {
  const r = e.callSync<{ MetricDataResults: { Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
    StartTime: now - 15 * MIN, EndTime: now,
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 300, Stat: 'Average' } }],
  });
  if (!r.ok) throw new Error(r.error.message);
  const v = r.output.MetricDataResults[0]!.Values;
  expect(v).toHaveLength(3);
  return v.filter((x) => x > 50).length >= 2 ? 'ALARM' : 'OK';
}

/**
 * Advances minute by minute for `minutes`, checking each minute's state against the data. The
 * alarm window at tick t covers [t − 15 min, t), GetMetricData's too when StartTime is t − 15 min
 * (periods then line up with the alarm's sliding windows).
 */
function followMinutes(e: Engine, id: string, minutes: number): string[] {
  const seen: string[] = [];
  for (let k = 0; k < minutes; k++) {
    e.advanceSync(MIN);
    const now = e.nowMs();
    expect(state(e), new Date(now).toISOString()).toBe(expected(e, id, now));
    seen.push(state(e));
  }
  return seen;
}

describe('alarm minutes skipped ahead stay exact', () => {
  it('a signal change in the middle of a quiet stretch is seen at the first minute its data decides', () => {
    const { e, id } = setup();
    e.advanceSync(3 * 3600_000); // quiet: OK, with the day's decisions computed ahead
    expect(state(e)).toBe('OK');
    const now = e.nowMs();
    // an incident from 20 minutes ahead for 25 minutes, then calm again
    expect(e.callSync('cloudwatch', 'SimSetSignal', {
      InstanceId: id, Incidents: [{ From: now + 20 * MIN, To: now + 45 * MIN, Level: 95 }],
    }).ok).toBe(true);
    const seen = followMinutes(e, id, 75);
    expect(seen).toContain('ALARM');
    expect(seen.at(-1)).toBe('OK');
  });

  it('SetAlarmState in a quiet stretch holds only until the next evaluation', () => {
    const { e, id } = setup();
    e.advanceSync(2 * 3600_000 + 7 * MIN);
    expect(state(e)).toBe('OK');
    expect(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'cpu', StateValue: 'ALARM', StateReason: 'drill' }).ok).toBe(true);
    expect(state(e)).toBe('ALARM');
    e.advanceSync(MIN);
    expect(state(e)).toBe('OK');
    followMinutes(e, id, 10);
  });

  it('stopping the instance mid-stretch leaves the decisions ahead unused (missing data)', () => {
    const { e, id } = setup();
    e.advanceSync(3600_000);
    expect(e.callSync('ec2', 'StopInstances', { InstanceIds: [id] }).ok).toBe(true);
    e.advanceSync(30 * MIN);
    // no datapoints for the last periods: missing data, not the OK computed ahead
    const r = e.callSync<{ MetricAlarms: { StateValue: string; StateReason: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['cpu'] });
    expect(r.ok && r.output.MetricAlarms[0]!.StateValue).toBe('INSUFFICIENT_DATA');
  });

  it('Auto Scaling actions repeat every minute of a skipped stretch, and after SetAlarmState only once the data decides again', () => {
    const e = createEngine({ seed: 78, startTime: '2026-03-01T00:00:00Z' });
    const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', {
      ImageId: 'ami-0hold', MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', Monitoring: { Enabled: true },
    });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.output.Instances[0]!.InstanceId;
    expect(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 80, Wave: 2, Noise: 1 }).ok).toBe(true);
    const policy = 'arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:p:autoScalingGroupName/web:policyName/out';
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
      Statistic: 'Average', Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 50, ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [policy],
    }).ok).toBe(true);
    e.advanceSync(2 * 3600_000);
    expect(state(e)).toBe('ALARM');
    const repeats: number[] = [];
    e.subscribe((ev) => { if (ev.type === 'cloudwatch/alarm-action-repeat') repeats.push(ev.time); });
    const from = e.nowMs();
    e.advanceSync(30 * MIN);
    // one repeat at each of the 30 ticks
    expect(repeats).toEqual(Array.from({ length: 30 }, (_, k) => from + (k + 1) * MIN));
    repeats.length = 0;
    e.advanceSync(30_000);
    expect(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'cpu', StateValue: 'OK', StateReason: 'drill' }).ok).toBe(true);
    const tick = e.nowMs() + 30_000;
    e.advanceSync(10 * MIN);
    expect(state(e)).toBe('ALARM');
    // the tick after SetAlarmState changes OK back to ALARM (no repeat then: the alarm just changed state); every later tick repeats
    expect(repeats).toEqual(Array.from({ length: 9 }, (_, k) => tick + (k + 1) * MIN));
  });
});
