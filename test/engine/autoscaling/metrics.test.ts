import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import type { AutoScalingState } from '../../../src/engine/services/autoscaling/index.ts';
import { alice, engine, errorOf, group, ok, template } from './helpers.ts';

type Stats = { Datapoints: { Timestamp: string; Maximum: number; Unit: string }[] };

/** The per-minute Maximum of an AWS/AutoScaling metric, keyed by minute (HH:MM). */
function series(e: Engine, metric: string, from: string, to: string, name = 'web'): Record<string, number> {
  const out = ok(e.callSync<Stats>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/AutoScaling', MetricName: metric, Dimensions: [{ Name: 'AutoScalingGroupName', Value: name }],
    StartTime: from, EndTime: to, Period: 60, Statistics: ['Maximum'],
  }, { identity: alice }));
  const r: Record<string, number> = {};
  for (const d of [...out.Datapoints].sort((a, b) => a.Timestamp.localeCompare(b.Timestamp))) {
    expect(d.Unit).toBe('None');
    r[d.Timestamp.slice(11, 16)] = d.Maximum;
  }
  return r;
}

const enable = (e: Engine, extra: Record<string, unknown> = {}) =>
  e.callSync('autoscaling', 'EnableMetricsCollection', { AutoScalingGroupName: 'web', Granularity: '1Minute', ...extra }, { identity: alice });

describe('AWS/AutoScaling group metrics', () => {
  it('publishes per-minute group metrics that follow a scale-out', () => {
    const e = engine();
    template(e);
    group(e, { min: 1, max: 4, desired: 2 });
    ok(enable(e));
    e.advanceToSync('2026-03-01T09:05:00Z');
    ok(e.callSync('autoscaling', 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 4 }, { identity: alice }));
    e.advanceToSync('2026-03-01T09:10:00Z');
    const from = '2026-03-01T09:00:00Z', to = '2026-03-01T09:10:00Z';
    const before = { '09:00': 2, '09:01': 2, '09:02': 2, '09:03': 2, '09:04': 2 };
    const after = { '09:05': 4, '09:06': 4, '09:07': 4, '09:08': 4, '09:09': 4 };
    // each minute's datapoint carries the values at the end of that minute
    expect(series(e, 'GroupDesiredCapacity', from, to)).toEqual({ ...before, ...after });
    expect(series(e, 'GroupInServiceInstances', from, to)).toEqual({ ...before, ...after });
    expect(series(e, 'GroupTotalInstances', from, to)).toEqual({ ...before, ...after });
    expect(series(e, 'GroupTotalCapacity', from, to)).toEqual({ ...before, ...after });
    expect(Object.values(series(e, 'GroupMinSize', from, to))).toEqual(Array(10).fill(1));
    expect(Object.values(series(e, 'GroupMaxSize', from, to))).toEqual(Array(10).fill(4));
    expect(Object.values(series(e, 'GroupPendingInstances', from, to))).toEqual(Array(10).fill(0));
    expect(Object.values(series(e, 'GroupStandbyInstances', from, to))).toEqual(Array(10).fill(0));
    // a scale-in: the terminating instances show up in the minute they are on their way out
    ok(e.callSync('autoscaling', 'UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', MaxSize: 2 }, { identity: alice }));
    e.advanceToSync('2026-03-01T09:15:00Z');
    const later = series(e, 'GroupMaxSize', '2026-03-01T09:10:00Z', '2026-03-01T09:15:00Z');
    expect(Object.values(later)).toEqual(Array(5).fill(2));
    expect(series(e, 'GroupDesiredCapacity', '2026-03-01T09:10:00Z', '2026-03-01T09:15:00Z')['09:10']).toBe(2);
  });

  it('shows EnabledMetrics in DescribeAutoScalingGroups and publishes only the chosen metrics', () => {
    const e = engine();
    template(e);
    group(e);
    type Groups = { AutoScalingGroups: { EnabledMetrics: { Metric: string; Granularity: string }[] }[] };
    const described = () => ok(e.callSync<Groups>('autoscaling', 'DescribeAutoScalingGroups', { AutoScalingGroupNames: ['web'] }, { identity: alice })).AutoScalingGroups[0]!.EnabledMetrics;
    expect(described()).toEqual([]);
    ok(enable(e, { Metrics: ['GroupTotalInstances', 'GroupDesiredCapacity'] }));
    expect(described()).toEqual([{ Metric: 'GroupDesiredCapacity', Granularity: '1Minute' }, { Metric: 'GroupTotalInstances', Granularity: '1Minute' }]);
    e.advanceToSync('2026-03-01T09:03:00Z');
    const listed = ok(e.callSync<{ Metrics: { MetricName: string }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/AutoScaling' }, { identity: alice })).Metrics;
    expect(listed.map((m) => m.MetricName).sort()).toEqual(['GroupDesiredCapacity', 'GroupTotalInstances']);
    // omitting Metrics enables all of them
    ok(enable(e));
    expect(described().map((m) => m.Metric)).toContain('GroupInServiceInstances');
    expect(described()).toHaveLength(20);
    ok(e.callSync('autoscaling', 'DisableMetricsCollection', { AutoScalingGroupName: 'web', Metrics: ['GroupMinSize'] }, { identity: alice }));
    expect(described().map((m) => m.Metric)).not.toContain('GroupMinSize');
    expect(described()).toHaveLength(19);
  });

  it('stops publishing after DisableMetricsCollection, and the timer stops', () => {
    const e = engine();
    template(e);
    group(e);
    ok(enable(e));
    e.advanceToSync('2026-03-01T09:05:00Z');
    ok(e.callSync('autoscaling', 'DisableMetricsCollection', { AutoScalingGroupName: 'web' }, { identity: alice }));
    e.advanceToSync('2026-03-01T09:20:00Z');
    const got = series(e, 'GroupDesiredCapacity', '2026-03-01T09:00:00Z', '2026-03-01T09:20:00Z');
    expect(Object.keys(got)).toEqual(['09:00', '09:01', '09:02', '09:03', '09:04']);
    expect(e.read<AutoScalingState>('autoscaling').metricsTimer).toBe(false);
    // enabling again resumes from the next minute
    ok(enable(e, { Metrics: ['GroupDesiredCapacity'] }));
    e.advanceToSync('2026-03-01T09:22:00Z');
    expect(Object.keys(series(e, 'GroupDesiredCapacity', '2026-03-01T09:19:00Z', '2026-03-01T09:22:00Z'))).toEqual(['09:20', '09:21']);
  });

  it('publishes nothing and schedules nothing for groups without metrics collection', () => {
    const e = engine();
    template(e);
    group(e);
    e.advanceToSync('2026-03-01T09:10:00Z');
    expect(e.read<AutoScalingState>('autoscaling').metricsTimer).toBeUndefined();
    const listed = ok(e.callSync<{ Metrics: unknown[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/AutoScaling' }, { identity: alice })).Metrics;
    expect(listed).toEqual([]);
  });

  it('answers with AWS validation errors', () => {
    const e = engine();
    template(e);
    group(e);
    expect(errorOf(e.callSync('autoscaling', 'EnableMetricsCollection', { AutoScalingGroupName: 'web' }, { identity: alice }))).toEqual({
      code: 'ValidationError', message: "1 validation error detected: Value null at 'granularity' failed to satisfy constraint: Member must not be null",
    });
    expect(errorOf(e.callSync('autoscaling', 'EnableMetricsCollection', { Granularity: '1Minute' }, { identity: alice }))).toMatchObject({
      code: 'ValidationError', message: expect.stringMatching(/autoScalingGroupName/i),
    });
    expect(errorOf(enable(e, { Granularity: '5Minute' }))).toEqual({ code: 'ValidationError', message: 'Invalid granularity: 5Minute. Valid value is 1Minute.' });
    const bad = errorOf(enable(e, { Metrics: ['GroupDesiredCapacity', 'CPUUtilization'] }));
    expect(bad.code).toBe('ValidationError');
    expect(bad.message).toMatch(/^Invalid metrics: \[CPUUtilization\]\./);
    expect(errorOf(e.callSync('autoscaling', 'EnableMetricsCollection', { AutoScalingGroupName: 'nope', Granularity: '1Minute' }, { identity: alice })))
      .toEqual({ code: 'ValidationError', message: 'AutoScalingGroup name not found - AutoScalingGroup nope not found' });
    expect(errorOf(e.callSync('autoscaling', 'DisableMetricsCollection', { AutoScalingGroupName: 'nope' }, { identity: alice })).code).toBe('ValidationError');
    // failed calls change nothing
    expect(e.read<AutoScalingState>('autoscaling').groups.web!.enabledMetrics).toBeUndefined();
    expect(e.read<AutoScalingState>('autoscaling').metricsTimer).toBeUndefined();
  });
});
