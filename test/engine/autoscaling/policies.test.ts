import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import { applyAdjustment, findStep, groupActivities, readSteps } from '../../../src/engine/services/autoscaling/index.ts';
import { alice, engine, errorOf, group, inService, ok, template, view } from './helpers.ts';

/** Emits what the cloudwatch service emits when an alarm changes state. */
function alarmTo(e: Engine, alarmName: string, actions: string[], value: number, threshold: number, newState = 'ALARM'): void {
  ok(e.callSync('testemitter', 'SimEmit', {
    Type: 'cloudwatch/alarm-state-changed',
    Payload: {
      alarmName, alarmArn: `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${alarmName}`, alarmType: 'MetricAlarm',
      oldState: 'OK', newState, reason: 'Threshold Crossed', actionsEnabled: true, actions,
      reasonData: JSON.stringify({ version: '1.0', threshold, recentDatapoints: [value], evaluatedDatapoints: [{ timestamp: '2026-03-01T09:00:00.000+0000', sampleCount: 1, value }] }),
    },
  }));
}

const repeat = (e: Engine, alarmName: string, actions: string[]) =>
  ok(e.callSync('testemitter', 'SimEmit', { Type: 'cloudwatch/alarm-action-repeat', Payload: { alarmName, state: 'ALARM', actions } }));

const policy = (e: Engine, p: Record<string, unknown>) =>
  ok(e.callSync<{ PolicyARN: string; Alarms: { AlarmName: string; AlarmARN: string }[] }>('autoscaling', 'PutScalingPolicy', { AutoScalingGroupName: 'web', ...p }, { identity: alice }));

describe('adjustment arithmetic (spec §7.4)', () => {
  it.each([
    // current, type, adjustment, min magnitude, result
    [10, 'ChangeInCapacity', 2, undefined, 12],
    [10, 'ChangeInCapacity', -3, undefined, 7],
    [10, 'ExactCapacity', 4, undefined, 4],
    [10, 'PercentChangeInCapacity', 127, undefined, 22], // 12.7 → 12
    [10, 'PercentChangeInCapacity', 10, undefined, 11], // 1 → 1
    [2, 'PercentChangeInCapacity', 10, undefined, 3], // 0.2 → 1
    [2, 'PercentChangeInCapacity', -10, undefined, 1], // −0.2 → −1
    [15, 'PercentChangeInCapacity', -45, undefined, 9], // −6.75 → −6
    [11, 'PercentChangeInCapacity', 30, undefined, 14], // 3.3 → 3
    [14, 'PercentChangeInCapacity', -10, undefined, 13], // −1.4 → −1
    [13, 'PercentChangeInCapacity', -30, undefined, 10], // −3.9 → −3
    [4, 'PercentChangeInCapacity', 25, 2, 6], // 25 % of 4 = 1, minimum 2
  ] as const)('%i %s %i (min %s) → %i', (cur, type, adj, min, want) => {
    expect(applyAdjustment(cur, type, adj, min)).toBe(want);
  });

  it('step bounds: above the threshold lower-inclusive/upper-exclusive, below it the other way round', () => {
    const out = [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 0 }, { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 }, { MetricIntervalLowerBound: 20, ScalingAdjustment: 30 }];
    const inn = [{ MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: 0 }, { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: -10, ScalingAdjustment: -10 }, { MetricIntervalUpperBound: -20, ScalingAdjustment: -30 }];
    expect(findStep(out, 10)!.ScalingAdjustment).toBe(10);
    expect(findStep(out, 19.99)!.ScalingAdjustment).toBe(10);
    expect(findStep(out, 20)!.ScalingAdjustment).toBe(30);
    expect(findStep(inn, -9.99)!.ScalingAdjustment).toBe(0);
    expect(findStep(inn, -10)!.ScalingAdjustment).toBe(-10);
    expect(findStep(inn, -19.99)!.ScalingAdjustment).toBe(-10);
    expect(findStep(inn, -20)!.ScalingAdjustment).toBe(-30);
    expect(findStep(inn, -25)!.ScalingAdjustment).toBe(-30);
  });

  it('refuses overlapping, gapped and doubly-open step adjustments', () => {
    expect(readSteps([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 5, ScalingAdjustment: 2 }])).toMatchObject({ error: { code: 'ValidationError' } });
    expect(readSteps([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 15, ScalingAdjustment: 2 }])).toMatchObject({ error: { message: 'Step adjustments can not have gaps between them.' } });
    expect(readSteps([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 }])).toMatchObject({ error: { code: 'ValidationError' } });
    expect(readSteps([{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 10, ScalingAdjustment: 2 }])).toHaveProperty('steps');
  });
});

describe('simple scaling with cooldown', () => {
  it('acts once per alarm, then waits for the activity and the cooldown before acting on repeats', () => {
    const e = engine(true);
    template(e);
    group(e, { min: 1, max: 5, desired: 1 });
    e.advanceSync(60_000);
    const { PolicyARN: arn } = policy(e, { PolicyName: 'scale-out', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 1, Cooldown: 120 });
    expect(arn).toMatch(/^arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/web:policyName\/scale-out$/);
    alarmTo(e, 'cpu-high', [arn], 90, 70);
    expect(view(e).desiredCapacity).toBe(2);
    repeat(e, 'cpu-high', [arn]); // launch still in progress
    expect(view(e).desiredCapacity).toBe(2);
    e.advanceSync(60_000); // instance in service → cooldown of 120 s starts
    expect(inService(e)).toHaveLength(2);
    repeat(e, 'cpu-high', [arn]);
    expect(view(e).desiredCapacity).toBe(2);
    e.advanceSync(130_000);
    repeat(e, 'cpu-high', [arn]);
    expect(view(e).desiredCapacity).toBe(3);
    const causes = groupActivities(e.read('autoscaling'), 'web').map((a) => a.Cause);
    expect(causes.some((c) => c.startsWith('At 2026-03-01T09:01:00Z a monitor alarm cpu-high in state ALARM triggered policy scale-out changing the desired capacity from 1 to 2.'))).toBe(true);
  });

  it('ExecutePolicy honours the cooldown only when asked, and stays within MaxSize', () => {
    const e = engine();
    template(e);
    group(e, { min: 1, max: 3, desired: 1 });
    e.advanceSync(60_000);
    policy(e, { PolicyName: 'add2', PolicyType: 'SimpleScaling', AdjustmentType: 'ChangeInCapacity', ScalingAdjustment: 2 });
    ok(e.callSync('autoscaling', 'ExecutePolicy', { AutoScalingGroupName: 'web', PolicyName: 'add2', HonorCooldown: true }, { identity: alice }));
    expect(view(e).desiredCapacity).toBe(3);
    expect(errorOf(e.callSync('autoscaling', 'ExecutePolicy', { AutoScalingGroupName: 'web', PolicyName: 'add2', HonorCooldown: true }, { identity: alice })).code).toBe('ScalingActivityInProgress');
    ok(e.callSync('autoscaling', 'ExecutePolicy', { AutoScalingGroupName: 'web', PolicyName: 'add2' }, { identity: alice }));
    expect(view(e).desiredCapacity).toBe(3); // clamped to MaxSize
    expect(errorOf(e.callSync('autoscaling', 'ExecutePolicy', { AutoScalingGroupName: 'web', PolicyName: 'nope' }, { identity: alice })).code).toBe('ValidationError');
  });
});

describe('step scaling: AWS\'s documented example (threshold 50, desired 10)', () => {
  it('10 → 11 → 14 → 13 → 10, with warm-up between', () => {
    const e = engine(true);
    template(e);
    group(e, { min: 1, max: 20, desired: 10, extra: { DefaultInstanceWarmup: 120 } });
    e.advanceSync(10 * 60_000);
    const out = policy(e, {
      PolicyName: 'step-out', PolicyType: 'StepScaling', AdjustmentType: 'PercentChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 0 }, { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 }, { MetricIntervalLowerBound: 20, ScalingAdjustment: 30 }],
    }).PolicyARN;
    const inn = policy(e, {
      PolicyName: 'step-in', PolicyType: 'StepScaling', AdjustmentType: 'PercentChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: 0 }, { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: -10, ScalingAdjustment: -10 }, { MetricIntervalUpperBound: -20, ScalingAdjustment: -30 }],
    }).PolicyARN;
    const settle = () => e.advanceSync(5 * 60_000);
    alarmTo(e, 'high', [out], 55, 50); // 40–60: no change
    expect(view(e).desiredCapacity).toBe(10);
    alarmTo(e, 'high', [out], 65, 50);
    expect(view(e).desiredCapacity).toBe(11);
    alarmTo(e, 'high', [out], 65, 50); // same step while warming up: no stacking
    expect(view(e).desiredCapacity).toBe(11);
    settle();
    alarmTo(e, 'high', [out], 75, 50);
    expect(view(e).desiredCapacity).toBe(14);
    settle();
    alarmTo(e, 'low', [inn], 35, 50);
    expect(view(e).desiredCapacity).toBe(13);
    settle();
    alarmTo(e, 'low', [inn], 25, 50);
    expect(view(e).desiredCapacity).toBe(10);
    settle();
    expect(inService(e)).toHaveLength(10);
  });

  it('scale-in waits while scale-out instances warm up', () => {
    const e = engine(true);
    template(e);
    group(e, { min: 1, max: 20, desired: 4, extra: { DefaultInstanceWarmup: 300 } });
    e.advanceSync(10 * 60_000);
    const both = policy(e, {
      PolicyName: 'step', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }, { MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }],
    }).PolicyARN;
    alarmTo(e, 'x', [both], 80, 50);
    expect(view(e).desiredCapacity).toBe(6);
    e.advanceSync(60_000);
    alarmTo(e, 'x', [both], 20, 50, 'OK');
    expect(view(e).desiredCapacity).toBe(6); // blocked: two instances still warming up
    e.advanceSync(300_000);
    alarmTo(e, 'x', [both], 20, 50, 'OK');
    expect(view(e).desiredCapacity).toBe(5);
  });
});

describe('target tracking', () => {
  it('creates and owns two CloudWatch alarms as AutoScaling, and scales out proportionally', () => {
    const e = engine(true);
    template(e);
    group(e, { min: 1, max: 10, desired: 2 });
    e.advanceSync(10 * 60_000);
    const r = policy(e, {
      PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
    });
    expect(r.Alarms.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-web-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-web-AlarmLow-[0-9a-f-]{36}$/),
    ]);
    const alarms = ok(e.callSync<{ MetricAlarms: Record<string, unknown>[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: r.Alarms.map((a) => a.AlarmName) }, { identity: alice })).MetricAlarms;
    const high = alarms.find((a) => String(a.AlarmName).includes('AlarmHigh'))!;
    const low = alarms.find((a) => String(a.AlarmName).includes('AlarmLow'))!;
    expect(high).toMatchObject({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Threshold: 50, EvaluationPeriods: 3, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [r.PolicyARN] });
    expect(high.Dimensions).toEqual([{ Name: 'AutoScalingGroupName', Value: 'web' }]);
    expect(low).toMatchObject({ Threshold: 45, EvaluationPeriods: 15, ComparisonOperator: 'LessThanThreshold' });
    const trail = ok(e.callSync<{ Events: { Username?: string }[] }>('cloudtrail', 'LookupEvents',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutMetricAlarm' }] }, { identity: alice })).Events;
    expect(trail.map((t) => t.Username)).toEqual(['AutoScaling', 'AutoScaling']);

    alarmTo(e, high.AlarmName as string, [r.PolicyARN], 80, 50);
    expect(view(e).desiredCapacity).toBe(4); // ceil(2 × 80 / 50)
    alarmTo(e, low.AlarmName as string, [r.PolicyARN], 10, 45);
    expect(view(e).desiredCapacity).toBe(4); // no scale-in while the new instances warm up

    ok(e.callSync('autoscaling', 'DeletePolicy', { AutoScalingGroupName: 'web', PolicyName: 'cpu50' }, { identity: alice }));
    expect(ok(e.callSync<{ MetricAlarms: unknown[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: r.Alarms.map((a) => a.AlarmName) }, { identity: alice })).MetricAlarms).toHaveLength(0);
  });
});

describe('alarm-driven scaling through the cloudwatch service', () => {
  it('a real alarm on a custom metric triggers a step policy', () => {
    const e = engine();
    template(e);
    group(e, { min: 1, max: 6, desired: 2 });
    e.advanceSync(5 * 60_000);
    const arn = policy(e, {
      PolicyName: 'out', PolicyType: 'StepScaling', AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 1 }, { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 }],
    }).PolicyARN;
    ok(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'queue-deep', Namespace: 'Shop', MetricName: 'Backlog', Statistic: 'Average', Period: 60, EvaluationPeriods: 1,
      Threshold: 50, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [arn],
    }, { identity: alice }));
    for (let m = 0; m < 3; m++) {
      ok(e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'Shop', MetricData: [{ MetricName: 'Backlog', Value: 60, Timestamp: e.nowMs() }] }, { identity: alice }));
      e.advanceSync(60_000);
    }
    expect(view(e).desiredCapacity).toBe(3); // 60 is 10 past the threshold: +1, not stacked while warming up
    const acts = groupActivities(e.read('autoscaling'), 'web');
    expect(acts.some((a) => a.Cause.includes('a monitor alarm queue-deep in state ALARM triggered policy out changing the desired capacity from 2 to 3.'))).toBe(true);
  });
});
