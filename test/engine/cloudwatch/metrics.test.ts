import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine } from '../../../src/engine/index.ts';
import { metricSeries, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';

const T0 = '2026-03-01T00:00:00Z';
const fresh = () => createEngine({ seed: 11, startTime: T0 });
const put = (e: Engine, p: Record<string, unknown>) => e.callSync('cloudwatch', 'PutMetricData', p);
const gms = (e: Engine, p: Record<string, unknown>) => e.callSync<{ Datapoints: Record<string, unknown>[] }>('cloudwatch', 'GetMetricStatistics', p);

describe('PutMetricData validation (spec §2.1)', () => {
  it.each([
    [{ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] }, 'InvalidParameterValue'],
    [{ MetricData: [{ MetricName: 'x', Value: 1 }] }, 'MissingParameter'],
    [{ Namespace: 'App', MetricData: [] }, 'ValidationException'],
    [{ Namespace: 'App', MetricData: Array.from({ length: 1001 }, () => ({ MetricName: 'x', Value: 1 })) }, 'ValidationException'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 'NaN' }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 2 ** 361 }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Values: [1] }] }, 'InvalidParameterCombination'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, StorageResolution: 30 }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Unit: 'Parsecs' }] }, 'ValidationException'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Timestamp: '2026-02-14T23:59:00Z' }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Timestamp: '2026-03-01T02:01:00Z' }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', Values: [1, 2], Counts: [1] }] }, 'InvalidParameterValue'],
    [{ Namespace: 'App', MetricData: [{ MetricName: 'x', StatisticValues: { SampleCount: 2, Sum: 3, Minimum: 2, Maximum: 1 } }] }, 'InvalidParameterValue'],
  ])('rejects %j with %s and changes nothing', (params, code) => {
    const e = fresh();
    const before = e.stateHash();
    const r = put(e, params);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
    expect(JSON.stringify(e.read<CloudWatchState>('cloudwatch').metrics)).toBe('{}');
    void before;
  });

  it('accepts timestamps from 2 weeks back to 2 hours ahead', () => {
    const e = fresh();
    expect(put(e, { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Timestamp: '2026-02-15T00:00:00Z' }] }).ok).toBe(true);
    expect(put(e, { Namespace: 'App', MetricData: [{ MetricName: 'x', Value: 1, Timestamp: '2026-03-01T02:00:00Z' }] }).ok).toBe(true);
  });
});

describe('GetMetricStatistics', () => {
  const setup = () => {
    const e = fresh();
    e.advanceSync(10 * 60_000);
    const data = [
      { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Values: [10, 20, 30], Counts: [1, 2, 1], Timestamp: '2026-03-01T00:01:10Z', Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], Value: 40, Timestamp: '2026-03-01T00:02:00Z', Unit: 'Milliseconds' },
      { MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], StatisticValues: { SampleCount: 4, Sum: 400, Minimum: 50, Maximum: 150 }, Timestamp: '2026-03-01T00:06:00Z', Unit: 'Milliseconds' },
    ];
    expect(put(e, { Namespace: 'App', MetricData: data }).ok).toBe(true);
    return e;
  };
  const q = { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Api', Value: 'a' }], StartTime: '2026-03-01T00:00:00Z', EndTime: '2026-03-01T00:10:00Z' };

  it('computes the five statistics per period, stamped at the period start', () => {
    const r = gms(setup(), { ...q, Period: 300, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] });
    expect(r.ok && r.output.Datapoints).toEqual([
      { Timestamp: '2026-03-01T00:00:00.000Z', SampleCount: 5, Sum: 120, Average: 24, Minimum: 10, Maximum: 40, Unit: 'Milliseconds' },
      { Timestamp: '2026-03-01T00:05:00.000Z', SampleCount: 4, Sum: 400, Average: 100, Minimum: 50, Maximum: 150, Unit: 'Milliseconds' },
    ]);
  });

  it('percentiles need raw values: a statistic set with Min < Max has none', () => {
    const r = gms(setup(), { ...q, Period: 300, ExtendedStatistics: ['p50', 'p99'] });
    expect(r.ok && r.output.Datapoints).toEqual([
      { Timestamp: '2026-03-01T00:00:00.000Z', ExtendedStatistics: { p50: 20, p99: 40 }, Unit: 'Milliseconds' },
    ]);
  });

  it('filters by unit', () => {
    const r = gms(setup(), { ...q, Period: 300, Statistics: ['Sum'], Unit: 'Seconds' });
    expect(r.ok && r.output.Datapoints).toEqual([]);
  });

  it('enforces periods, time order, the 1,440-datapoint limit and Statistics xor ExtendedStatistics', () => {
    const e = setup();
    const code = (p: Record<string, unknown>) => { const r = gms(e, p); return r.ok ? 'ok' : r.error.code; };
    expect(code({ ...q, Period: 45, Statistics: ['Sum'] })).toBe('InvalidParameterValue');
    expect(code({ ...q, Period: 60, Statistics: ['Sum'], StartTime: q.EndTime, EndTime: q.StartTime })).toBe('InvalidParameterValue');
    expect(code({ ...q, Period: 60, Statistics: ['Sum'], ExtendedStatistics: ['p90'] })).toBe('InvalidParameterCombination');
    const big = gms(e, { ...q, Period: 60, Statistics: ['Sum'], StartTime: '2026-02-27T00:00:00Z', EndTime: '2026-02-28T00:01:00Z' });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.error.message).toBe('You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
  });
});

describe('AWS/EC2 metrics from running instances', () => {
  const launch = (e: Engine, detailed: boolean) => {
    const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, Monitoring: { Enabled: detailed } });
    if (!r.ok) throw new Error(r.error.message);
    return r.output.Instances[0]!.InstanceId;
  };
  const cpu = (e: Engine, id: string) => metricSeries(e.read<CloudWatchState>('cloudwatch'), {
    namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: id }],
    start: e.startTime, end: e.nowMs(), period: 60, stat: 'SampleCount',
  });

  it('detailed monitoring publishes every minute, basic one 5-sample set every 5 minutes', () => {
    const e = fresh();
    const d = launch(e, true), b = launch(e, false);
    e.advanceSync(3600_000);
    const sd = cpu(e, d), sb = cpu(e, b);
    expect(sd.values.length).toBeGreaterThanOrEqual(58);
    expect(sd.values.every((v) => v === 1)).toBe(true);
    expect(sb.timestamps.every((t) => t % 300_000 === 0)).toBe(true);
    expect(sb.values.slice(1).every((v) => v === 5)).toBe(true);
    const avg = metricSeries(e.read<CloudWatchState>('cloudwatch'), { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: d }], start: e.startTime, end: e.nowMs(), period: 3600, stat: 'Average' });
    expect(avg.values[0]).toBeGreaterThan(0);
    expect(avg.values[0]).toBeLessThan(100);
  });

  it('stops publishing when the instance stops; ListMetrics shows the EC2 metrics (no memory metric)', () => {
    const e = fresh();
    const id = launch(e, true);
    e.advanceSync(600_000);
    e.callSync('ec2', 'StopInstances', { InstanceIds: [id] });
    e.advanceSync(600_000);
    const before = cpu(e, id).values.length;
    e.advanceSync(3600_000);
    expect(cpu(e, id).values.length).toBe(before);
    const list = e.callSync<{ Metrics: { MetricName: string }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2', Dimensions: [{ Name: 'InstanceId', Value: id }] });
    expect(list.ok && list.output.Metrics.map((m) => m.MetricName).sort()).toEqual([
      'CPUUtilization', 'NetworkIn', 'NetworkOut', 'NetworkPacketsIn', 'NetworkPacketsOut',
      'StatusCheckFailed', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System',
    ]);
  });

  it('SimSetSignal shapes CPU and is not recorded by CloudTrail', () => {
    const e = fresh();
    const id = launch(e, true);
    const r = e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 50, Wave: 0, Noise: 0, Incidents: [{ From: '2026-03-01T00:30:00Z', To: '2026-03-01T00:40:00Z', Level: 95 }] });
    expect(r.ok).toBe(true);
    e.advanceSync(3600_000);
    const s = metricSeries(e.read<CloudWatchState>('cloudwatch'), { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: id }], start: e.startTime, end: e.nowMs(), period: 60, stat: 'Maximum' });
    expect(s.values.filter((v) => v === 95).length).toBe(10);
    expect(s.values.filter((v) => v === 50).length).toBeGreaterThan(40);
    const trail = e.callSync<{ Events: { EventName: string }[] }>('cloudtrail', 'LookupEvents', {});
    expect(trail.ok && trail.output.Events.map((x) => x.EventName)).not.toContain('SimSetSignal');
  });

  it('roll-up keeps sums: 20 days of 1-minute data read back at 1 hour', () => {
    const e = fresh();
    const id = launch(e, true);
    e.advanceSync(20 * 86_400_000);
    const st = e.read<CloudWatchState>('cloudwatch');
    // computed on read: nothing is stored for the instance's metrics, whatever their age
    const m = Object.values(st.metrics).find((x) => x.metricName === 'CPUUtilization')!;
    expect(m.streams.every((x) => x.virtual && Object.keys(x.tiers).length === 0)).toBe(true);
    const day = metricSeries(st, { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: id }], start: e.startTime + 86_400_000, end: e.startTime + 2 * 86_400_000, period: 86_400, stat: 'SampleCount' });
    expect(day.values).toEqual([1440]);
  });
});

describe('GetMetricData', () => {
  it('returns MetricStat series and math expressions, newest first by default', () => {
    const e = fresh();
    const data = [0, 1, 2].flatMap((k) => [
      { MetricName: 'Errors', Value: k, Timestamp: 1772323200000 + k * 60_000 },
      { MetricName: 'Requests', Value: 10, Timestamp: 1772323200000 + k * 60_000 },
    ]);
    expect(put(e, { Namespace: 'App', MetricData: data }).ok).toBe(true);
    e.advanceSync(300_000);
    const stat = (id: string, name: string) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'App', MetricName: name }, Period: 60, Stat: 'Sum' } });
    const r = e.callSync<{ MetricDataResults: { Id: string; Values: number[]; Timestamps: string[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: T0, EndTime: '2026-03-01T00:05:00Z',
      MetricDataQueries: [stat('e', 'Errors'), stat('r', 'Requests'), { Id: 'rate', Expression: '100 * e / r', Label: 'Error rate' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.output.MetricDataResults).toHaveLength(1);
    expect(r.output.MetricDataResults[0]!.Values).toEqual([20, 10, 0]);
    expect(r.output.MetricDataResults[0]!.Timestamps[0]).toBe('2026-03-01T00:02:00.000Z');
  });

  it('rejects bad ids and unknown references', () => {
    const e = fresh();
    const bad = e.callSync('cloudwatch', 'GetMetricData', { StartTime: T0, EndTime: '2026-03-01T01:00:00Z', MetricDataQueries: [{ Id: 'Bad', Expression: '1' }] });
    expect(!bad.ok && bad.error).toEqual({ code: 'ValidationError', message: 'The value Bad for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.' });
    const unk = e.callSync('cloudwatch', 'GetMetricData', { StartTime: T0, EndTime: '2026-03-01T01:00:00Z', MetricDataQueries: [{ Id: 'x', Expression: 'm9 * 2' }] });
    expect(unk.ok).toBe(false);
  });
});

describe('determinism', () => {
  it('snapshot mid-run → restore → same hash as the uninterrupted run', () => {
    const script = (e: Engine) => {
      e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 3, MaxCount: 3, Monitoring: { Enabled: true } });
      e.callSync('cloudwatch', 'PutMetricAlarm', { AlarmName: 'hot', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 60, EvaluationPeriods: 2, Threshold: 20, ComparisonOperator: 'GreaterThanThreshold' });
    };
    const a = fresh(); script(a); a.advanceSync(6 * 3600_000);
    const b = fresh(); script(b); b.advanceSync(2 * 3600_000);
    const c = restoreEngine(JSON.parse(JSON.stringify(b.snapshot())));
    c.advanceSync(4 * 3600_000);
    expect(c.stateHash()).toBe(a.stateHash());
  });
});
