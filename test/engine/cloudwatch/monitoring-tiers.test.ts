/**
 * AWS/EC2 metrics across a monitoring tier change (MonitorInstances / UnmonitorInstances mid-run),
 * and the metrics added with it: StatusCheckFailed_Instance/_System and NetworkPacketsIn/Out.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.ts';
import { instanceKey, netInAt, netOutAt, packetsInAt, packetsOutAt } from '../../../src/engine/services/cloudwatch/cloudwatch.signals.ts';

const MIN = 60_000;
const T0 = '2026-03-01T00:00:00Z';
const SEED = 31;
const fresh = () => createEngine({ seed: SEED, startTime: T0 });
const hhmm = (iso: string) => iso.slice(11, 16);

function launch(e: Engine, detailed: boolean): string {
  const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', Monitoring: { Enabled: detailed } });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Instances[0]!.InstanceId;
}

type Dp = { Timestamp: string; SampleCount: number; Sum: number; Minimum: number; Maximum: number; Average: number };

function stats(e: Engine, id: string, metric: string, from: string, to: string, period = 60): Dp[] {
  const r = e.callSync<{ Datapoints: Dp[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: id }], StartTime: from, EndTime: to, Period: period,
    Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'],
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Datapoints;
}

describe('monitoring tier changes mid-run', () => {
  it('MonitorInstances: 5-minute sets up to the call, 1-minute datapoints from the minute published at the next tick', () => {
    const e = fresh();
    const id = launch(e, false);
    e.advanceSync(32 * MIN + 30_000); // 00:32:30
    expect(e.callSync('ec2', 'MonitorInstances', { InstanceIds: [id] }).ok).toBe(true);
    e.advanceSync(28 * MIN); // 01:00:30
    const dps = stats(e, id, 'CPUUtilization', T0, '2026-03-01T01:00:00Z');
    const at = Object.fromEntries(dps.map((d) => [hhmm(d.Timestamp), d.SampleCount]));
    // basic: one set per 5 minutes stamped at its start, of five 1-minute samples
    for (const w of ['00:00', '00:05', '00:10', '00:15', '00:20', '00:25']) expect(at[w]).toBe(5);
    for (const m of ['00:01', '00:02', '00:26', '00:31']) expect(at[m]).toBeUndefined();
    // the window of the call: the basic samples of 00:30 and 00:31 (published at 00:35)...
    expect(at['00:30']).toBe(2);
    // ...then detailed: the minute 00:32 (published at the first tick after the call, 00:33) and every minute on
    const after = dps.filter((d) => d.Timestamp >= '2026-03-01T00:32').map((d) => hhmm(d.Timestamp));
    expect(after).toEqual(Array.from({ length: 28 }, (_, i) => `00:${String(32 + i).padStart(2, '0')}`));
    expect(dps.filter((d) => d.Timestamp >= '2026-03-01T00:32').every((d) => d.SampleCount === 1)).toBe(true);
  });

  it('the same minute values in both tiers: a 5-minute set equals the 1-minute datapoints it replaces', () => {
    const e = fresh(), f = fresh();
    const a = launch(e, false), b = launch(f, true);
    expect(a).toBe(b); // same seed, same id, same signal
    e.advanceSync(2 * 3600_000);
    f.advanceSync(2 * 3600_000);
    const basic = stats(e, a, 'CPUUtilization', T0, '2026-03-01T02:00:00Z', 300);
    const detailed = stats(f, b, 'CPUUtilization', T0, '2026-03-01T02:00:00Z', 300);
    expect(basic.length).toBe(24);
    basic.forEach((x, i) => {
      expect(x.SampleCount).toBe(detailed[i]!.SampleCount);
      expect(x.Sum).toBeCloseTo(detailed[i]!.Sum, 9);
      expect(x.Maximum).toBe(detailed[i]!.Maximum);
    });
  });

  it('UnmonitorInstances: 1-minute datapoints up to the call, then 5-minute sets (the switch window shares its stamp)', () => {
    const e = fresh();
    const id = launch(e, true);
    e.advanceSync(62 * MIN + 10_000); // 01:02:10
    expect(e.callSync('ec2', 'UnmonitorInstances', { InstanceIds: [id] }).ok).toBe(true);
    e.advanceSync(30 * MIN); // 01:32:10
    const dps = stats(e, id, 'CPUUtilization', '2026-03-01T00:50:00Z', '2026-03-01T01:30:00Z');
    const at = Object.fromEntries(dps.map((d) => [hhmm(d.Timestamp), d.SampleCount]));
    for (let m = 50; m < 60; m++) expect(at[`00:${m}`]).toBe(1);
    expect(at['01:00']).toBe(4); // its own 1-minute datapoint + the basic samples of 01:02–01:04
    expect(at['01:01']).toBe(1);
    for (const m of ['01:02', '01:03', '01:04', '01:06', '01:11']) expect(at[m]).toBeUndefined();
    for (const w of ['01:05', '01:10', '01:15', '01:20', '01:25']) expect(at[w]).toBe(5);
    // the set published at 01:05 is the tier the alarm path sees too
    const gmd = e.callSync<{ MetricDataResults: { Timestamps: string[]; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: '2026-03-01T01:05:00Z', EndTime: '2026-03-01T01:30:00Z', ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'n', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 60, Stat: 'SampleCount' } }],
    });
    expect(gmd.ok && gmd.output.MetricDataResults[0]!.Values).toEqual([5, 5, 5, 5, 5]);
  });

  it('an alarm on a 1-minute period gets data again once detailed monitoring starts', () => {
    const e = fresh();
    const id = launch(e, false);
    e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 90, Wave: 0, Noise: 0 });
    e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'hot', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
      Statistic: 'Average', Period: 60, EvaluationPeriods: 3, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold',
    });
    e.advanceSync(60 * MIN);
    const state = () => e.callSync<{ MetricAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['hot'] });
    const s0 = state();
    expect(s0.ok && s0.output.MetricAlarms[0]!.StateValue).not.toBe('ALARM'); // one datapoint per 5 minutes: 1 of 3
    e.callSync('ec2', 'MonitorInstances', { InstanceIds: [id] });
    e.advanceSync(5 * MIN);
    const s1 = state();
    expect(s1.ok && s1.output.MetricAlarms[0]!.StateValue).toBe('ALARM');
  });
});

describe('StatusCheckFailed_Instance/_System and NetworkPacketsIn/Out', () => {
  it('status checks: 0 every minute in both tiers; packets: 5-minute sets in both tiers', () => {
    const e = fresh();
    const b = launch(e, false), d = launch(e, true);
    e.advanceSync(30 * MIN);
    for (const id of [b, d]) {
      for (const m of ['StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System']) {
        const dps = stats(e, id, m, T0, '2026-03-01T00:30:00Z');
        expect(dps).toHaveLength(30);
        expect(dps.every((x) => x.SampleCount === 1 && x.Maximum === 0)).toBe(true);
      }
      for (const m of ['NetworkPacketsIn', 'NetworkPacketsOut']) {
        const dps = stats(e, id, m, T0, '2026-03-01T00:30:00Z');
        expect(dps.map((x) => hhmm(x.Timestamp))).toEqual(['00:00', '00:05', '00:10', '00:15', '00:20', '00:25']);
        expect(dps.every((x) => x.SampleCount === 5 && x.Minimum > 0 && x.Minimum <= x.Maximum)).toBe(true);
      }
    }
  });

  it('packets are the minute’s bytes over a 500–1,500-byte packet, minute by minute', () => {
    const e = fresh();
    const id = launch(e, true);
    e.advanceSync(20 * MIN);
    const key = instanceKey(SEED, id);
    for (const [bytesName, pkName, pk] of [['NetworkIn', 'NetworkPacketsIn', packetsInAt], ['NetworkOut', 'NetworkPacketsOut', packetsOutAt]] as const) {
      const bytes = stats(e, id, bytesName, T0, '2026-03-01T00:20:00Z');
      const packets = stats(e, id, pkName, T0, '2026-03-01T00:20:00Z');
      expect(packets).toHaveLength(4);
      for (const set of packets) {
        const w = Date.parse(set.Timestamp);
        const mins = bytes.filter((x) => Date.parse(x.Timestamp) >= w && Date.parse(x.Timestamp) < w + 5 * MIN);
        expect(mins).toHaveLength(5);
        const expected = mins.map((x) => pk(x.Sum, key, Date.parse(x.Timestamp)));
        expect(set.Sum).toBe(expected.reduce((s, v) => s + v, 0));
        expect(set.Maximum).toBe(Math.max(...expected));
        const bytesSum = mins.reduce((s, x) => s + x.Sum, 0);
        expect(bytesSum / set.Sum).toBeGreaterThan(490);
        expect(bytesSum / set.Sum).toBeLessThan(1510);
      }
    }
    // NetworkOut follows NetworkIn (the signals the packets come from)
    const t = Date.parse('2026-03-01T00:07:00Z');
    const inAt = stats(e, id, 'NetworkIn', '2026-03-01T00:07:00Z', '2026-03-01T00:08:00Z')[0]!.Sum;
    expect(stats(e, id, 'NetworkOut', '2026-03-01T00:07:00Z', '2026-03-01T00:08:00Z')[0]!.Sum).toBe(netOutAt(inAt, key, t));
    expect(netInAt(0, key, t)).toBeGreaterThan(0);
  });

  it('ListMetrics lists the eight per-instance metrics, packets only once their first set is out', () => {
    const e = fresh();
    const id = launch(e, true);
    const names = () => {
      const r = e.callSync<{ Metrics: { MetricName: string }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2', Dimensions: [{ Name: 'InstanceId', Value: id }] });
      return r.ok ? r.output.Metrics.map((m) => m.MetricName).sort() : [];
    };
    e.advanceSync(2 * MIN);
    expect(names()).toEqual(['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System']);
    e.advanceSync(4 * MIN);
    expect(names()).toEqual([
      'CPUUtilization', 'NetworkIn', 'NetworkOut', 'NetworkPacketsIn', 'NetworkPacketsOut',
      'StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System',
    ]);
  });
});
