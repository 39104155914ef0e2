/** AWS/EC2 aggregates of detailed-monitoring instances: by InstanceType, by ImageId, and across all. */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.ts';

const MIN = 60_000;
const T0 = '2026-03-01T00:00:00Z';
const fresh = () => createEngine({ seed: 8, startTime: T0 });

function launch(e: Engine, type: string, image: string, detailed: boolean): string {
  const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: image, MinCount: 1, MaxCount: 1, InstanceType: type, Monitoring: { Enabled: detailed } });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Instances[0]!.InstanceId;
}

type Dp = { Timestamp: string; SampleCount: number; Sum: number; Minimum: number; Maximum: number; Average: number; ExtendedStatistics?: Record<string, number> };
type Dim = { Name: string; Value?: string };

function stats(e: Engine, metric: string, dims: Dim[], from: string, to: string, period = 60): Dp[] {
  const r = e.callSync<{ Datapoints: Dp[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/EC2', MetricName: metric, Dimensions: dims, StartTime: from, EndTime: to, Period: period,
    Statistics: ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'],
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Datapoints;
}
const byStamp = (dps: Dp[]) => new Map(dps.map((d) => [d.Timestamp, d]));
const inst = (id: string): Dim[] => [{ Name: 'InstanceId', Value: id }];

/** d1, d2: detailed t3.micro (ami-0aaa); b1: basic t3.micro (ami-0aaa); d3: detailed m5.large (ami-0bbb). */
function fleet() {
  const e = fresh();
  const d1 = launch(e, 't3.micro', 'ami-0aaa', true);
  const d2 = launch(e, 't3.micro', 'ami-0aaa', true);
  const b1 = launch(e, 't3.micro', 'ami-0aaa', false);
  const d3 = launch(e, 'm5.large', 'ami-0bbb', true);
  return { e, d1, d2, b1, d3 };
}

describe('AWS/EC2 aggregates (detailed monitoring only)', () => {
  it('InstanceType: each minute is the average of its detailed members (the basic one left out)', () => {
    const { e, d1, d2 } = fleet();
    e.advanceSync(30 * MIN);
    const from = '2026-03-01T00:05:00Z', to = '2026-03-01T00:25:00Z';
    const agg = stats(e, 'CPUUtilization', [{ Name: 'InstanceType', Value: 't3.micro' }], from, to);
    const a = byStamp(stats(e, 'CPUUtilization', inst(d1), from, to)), b = byStamp(stats(e, 'CPUUtilization', inst(d2), from, to));
    expect(agg).toHaveLength(20);
    for (const g of agg) {
      const x = a.get(g.Timestamp)!, y = b.get(g.Timestamp)!;
      expect(g.SampleCount).toBe(2);
      expect(g.Average).toBeCloseTo((x.Average + y.Average) / 2, 9);
      expect(g.Minimum).toBe(Math.min(x.Minimum, y.Minimum));
      expect(g.Maximum).toBe(Math.max(x.Maximum, y.Maximum));
    }
    // over 5-minute periods too (Average over all ten samples)
    const five = stats(e, 'CPUUtilization', [{ Name: 'InstanceType', Value: 't3.micro' }], from, to, 300);
    const a5 = stats(e, 'CPUUtilization', inst(d1), from, to, 300), b5 = stats(e, 'CPUUtilization', inst(d2), from, to, 300);
    five.forEach((g, i) => {
      expect(g.SampleCount).toBe(10);
      expect(g.Sum).toBeCloseTo(a5[i]!.Sum + b5[i]!.Sum, 6);
    });
  });

  it('ImageId and no dimension: the members of each, for every metric', () => {
    const { e, d3 } = fleet();
    e.advanceSync(20 * MIN);
    const from = T0, to = '2026-03-01T00:15:00Z';
    const own = stats(e, 'NetworkIn', inst(d3), from, to);
    const image = stats(e, 'NetworkIn', [{ Name: 'ImageId', Value: 'ami-0bbb' }], from, to);
    expect(image).toEqual(own); // one member: its own datapoints
    const all = stats(e, 'CPUUtilization', [], from, to);
    expect(all.every((d) => d.SampleCount === 3)).toBe(true);
    const status = stats(e, 'StatusCheckFailed_System', [{ Name: 'InstanceType', Value: 'm5.large' }], from, to);
    expect(status.every((d) => d.SampleCount === 1 && d.Maximum === 0)).toBe(true);
    const packets = stats(e, 'NetworkPacketsIn', [{ Name: 'InstanceType', Value: 't3.micro' }], from, to);
    expect(packets.map((d) => d.SampleCount)).toEqual([10, 10, 10]); // two members' 5-minute sets
  });

  it('ListMetrics lists what exists; an account without detailed monitoring has no aggregates', () => {
    const { e } = fleet();
    e.advanceSync(10 * MIN);
    const list = (dims?: Dim[]) => {
      const r = e.callSync<{ Metrics: { MetricName: string; Dimensions: Dim[] }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2', ...(dims ? { Dimensions: dims } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      return r.output.Metrics;
    };
    const byType = list([{ Name: 'InstanceType' }]);
    const names = (v: string) => byType.filter((m) => m.Dimensions[0]!.Value === v).map((m) => m.MetricName).sort();
    const eight = ['CPUUtilization', 'NetworkIn', 'NetworkOut', 'NetworkPacketsIn', 'NetworkPacketsOut', 'StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System'];
    expect(names('t3.micro')).toEqual(eight);
    expect(names('m5.large')).toEqual(eight);
    expect(list([{ Name: 'ImageId', Value: 'ami-0bbb' }])).toHaveLength(8);
    expect(list().filter((m) => m.Dimensions.length === 0).map((m) => m.MetricName).sort()).toEqual(eight);

    const basicOnly = fresh();
    launch(basicOnly, 't3.micro', 'ami-0aaa', false);
    basicOnly.advanceSync(20 * MIN);
    const r = basicOnly.callSync<{ Metrics: { Dimensions: Dim[] }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2' });
    expect(r.ok && r.output.Metrics.every((m) => m.Dimensions.length === 1 && m.Dimensions[0]!.Name === 'InstanceId')).toBe(true);
    expect(stats(basicOnly, 'CPUUtilization', [], T0, '2026-03-01T00:20:00Z')).toEqual([]);
  });

  it('members join at MonitorInstances and leave at UnmonitorInstances, from the switch minute', () => {
    const { e, b1, d2 } = fleet();
    e.advanceSync(10 * MIN + 20_000); // 00:10:20
    e.callSync('ec2', 'MonitorInstances', { InstanceIds: [b1] });
    e.advanceSync(10 * MIN); // 00:20:20
    e.callSync('ec2', 'UnmonitorInstances', { InstanceIds: [d2] });
    e.advanceSync(10 * MIN); // 00:30:20
    const dps = stats(e, 'CPUUtilization', [{ Name: 'InstanceType', Value: 't3.micro' }], '2026-03-01T00:05:00Z', '2026-03-01T00:30:00Z');
    const n = Object.fromEntries(dps.map((d) => [d.Timestamp.slice(11, 16), d.SampleCount]));
    expect([n['00:08'], n['00:09'], n['00:10'], n['00:11'], n['00:19'], n['00:20'], n['00:21'], n['00:29']]).toEqual([2, 2, 3, 3, 3, 2, 2, 2]);
  });

  it('alarms and GetMetricData read aggregates; percentiles use every member’s value', () => {
    const { e, d1, d2 } = fleet();
    for (const id of [d1, d2]) e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 90, Wave: 0, Noise: 2 });
    const dims = [{ Name: 'InstanceType', Value: 't3.micro' }];
    const alarm = (name: string, threshold: number) => expect(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: name, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dims,
      Statistic: 'Average', Period: 60, EvaluationPeriods: 3, Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold',
    }).ok).toBe(true);
    alarm('type-hot', 85);
    alarm('type-very-hot', 95);
    e.advanceSync(15 * MIN);
    const r = e.callSync<{ MetricAlarms: { AlarmName: string; StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', {});
    expect(r.ok && Object.fromEntries(r.output.MetricAlarms.map((a) => [a.AlarmName, a.StateValue]))).toEqual({ 'type-hot': 'ALARM', 'type-very-hot': 'OK' });

    const from = '2026-03-01T00:05:00Z', to = '2026-03-01T00:10:00Z';
    const gms = stats(e, 'CPUUtilization', dims, from, to);
    const gmd = e.callSync<{ MetricDataResults: { Timestamps: string[]; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: from, EndTime: to, ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'avg', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dims }, Period: 60, Stat: 'Average' } },
        { Id: 'top', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dims }, Period: 60, Stat: 'p100' } },
      ],
    });
    if (!gmd.ok) throw new Error(gmd.error.message);
    expect(gmd.output.MetricDataResults[0]!.Values).toEqual(gms.map((d) => d.Average));
    expect(gmd.output.MetricDataResults[1]!.Values).toEqual(gms.map((d) => d.Maximum));
  });
});
