/**
 * CloudWatch anomaly detection through the public API (spec §1.1, §1.2): the detector operations
 * and their errors, the ANOMALY_DETECTION_BAND model over a seeded daily-wave CPU signal, an
 * anomaly-detection alarm moving OK → ALARM → OK on an injected incident, ExcludedTimeRanges,
 * determinism, and PutMetricAlarm's checks for ThresholdMetricId and the band operators.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine } from '../../../src/engine/index.ts';
import { dashboardModel, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';
import { alarmViews } from '../../../src/app/console-views.ts';

const T0 = '2026-03-01T00:00:00Z';
const DAY = 86_400_000;
const ACCOUNT = '111122223333';
/** Day 15 (the first day with 14 whole days of history before it). */
const D15 = Date.parse('2026-03-15T00:00:00Z');

function ok<T>(r: { ok: true; output: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}

interface Setup { seed?: number; incidents?: { From: string; To: string; Level: number }[] }

/** An engine with one detailed-monitoring instance whose CPU follows a daily wave (40 ± 20 %, noise ±4). */
function world(s: Setup = {}): { e: Engine; id: string } {
  const e = createEngine({ seed: s.seed ?? 7, startTime: T0, accountId: ACCOUNT, region: 'us-east-1' });
  const id = ok(e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, Monitoring: { Enabled: true } })).Instances[0]!.InstanceId;
  ok(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 40, Wave: 20, Noise: 4, Incidents: s.incidents ?? [] }));
  return { e, id };
}

const cpu = (id: string) => ({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] });
const detector = (id: string, Stat = 'Average') => ({ ...cpu(id), Stat });

/** GetMetricData of the CPU and its band over [start, end) at 1 minute, ascending. */
function band(e: Engine, id: string, start: number, end: number, width = 2) {
  const out = ok(e.callSync<{ MetricDataResults: { Id: string; Label: string; Timestamps: string[]; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
    StartTime: start, EndTime: end, ScanBy: 'TimestampAscending',
    MetricDataQueries: [
      { Id: 'm1', MetricStat: { Metric: cpu(id), Period: 60, Stat: 'Average' } },
      { Id: 'ad1', Expression: `ANOMALY_DETECTION_BAND(m1, ${width})` },
    ],
  }));
  return out.MetricDataResults;
}

const anomalyAlarm = (id: string, patch: Record<string, unknown> = {}) => ({
  AlarmName: 'cpu-anomaly', EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
  ThresholdMetricId: 'ad1',
  Metrics: [
    { Id: 'm1', ReturnData: true, MetricStat: { Metric: cpu(id), Period: 60, Stat: 'Average' } },
    { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1, 2)', Label: 'CPUUtilization (expected)', ReturnData: true },
  ],
  ...patch,
});

describe('PutAnomalyDetector / DescribeAnomalyDetectors / DeleteAnomalyDetector', () => {
  it('creates, lists with filters, updates, deletes, and CloudTrail records the calls', () => {
    const { e, id } = world();
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    // the deprecated top-level members name a detector too (another statistic: another detector)
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { ...cpu(id), Stat: 'Maximum' }));
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum' } }));
    const list = (p: Record<string, unknown> = {}) => ok(e.callSync<{ AnomalyDetectors: Record<string, unknown>[]; NextToken?: string }>('cloudwatch', 'DescribeAnomalyDetectors', p));
    const all = list();
    expect(all.AnomalyDetectors.map((d) => [d.MetricName, d.Stat, d.StateValue])).toEqual([
      ['CPUUtilization', 'Average', 'PENDING_TRAINING'], ['CPUUtilization', 'Maximum', 'PENDING_TRAINING'], ['Orders', 'Sum', 'PENDING_TRAINING'],
    ]);
    expect(all.AnomalyDetectors[0]).toEqual({
      ...detector(id), Configuration: { ExcludedTimeRanges: [] }, StateValue: 'PENDING_TRAINING',
      SingleMetricAnomalyDetector: { AccountId: ACCOUNT, ...detector(id) },
    });
    expect(list({ Namespace: 'Shop' }).AnomalyDetectors.map((d) => d.MetricName)).toEqual(['Orders']);
    expect(list({ MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }).AnomalyDetectors).toHaveLength(2);
    expect(list({ Dimensions: [{ Name: 'InstanceId', Value: 'i-other' }] }).AnomalyDetectors).toHaveLength(0);
    expect(list({ AnomalyDetectorTypes: ['METRIC_MATH'] }).AnomalyDetectors).toHaveLength(0);
    const page = list({ MaxResults: 2 });
    expect(page.AnomalyDetectors).toHaveLength(2);
    expect(list({ MaxResults: 2, NextToken: page.NextToken }).AnomalyDetectors.map((d) => d.MetricName)).toEqual(['Orders']);

    // a second put replaces the configuration
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', {
      SingleMetricAnomalyDetector: detector(id),
      Configuration: { ExcludedTimeRanges: [{ StartTime: '2026-03-01T02:00:00Z', EndTime: '2026-03-01T03:00:00Z' }], MetricTimezone: 'Asia/Seoul' },
    }));
    expect(list().AnomalyDetectors[0]!.Configuration).toEqual({
      ExcludedTimeRanges: [{ StartTime: '2026-03-01T02:00:00.000Z', EndTime: '2026-03-01T03:00:00.000Z' }], MetricTimezone: 'Asia/Seoul',
    });

    ok(e.callSync('cloudwatch', 'DeleteAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    ok(e.callSync('cloudwatch', 'DeleteAnomalyDetector', { ...cpu(id), Stat: 'Maximum' }));
    expect(list().AnomalyDetectors.map((d) => d.MetricName)).toEqual(['Orders']);
    const again = e.callSync('cloudwatch', 'DeleteAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) });
    expect(again.ok ? 'ok' : again.error.code).toBe('ResourceNotFoundException');

    const trail = ok(e.callSync<{ Events: { EventName: string; CloudTrailEvent: string }[] }>('cloudtrail', 'LookupEvents', {}));
    const names = trail.Events.map((x) => x.EventName);
    expect(names.filter((n) => n === 'PutAnomalyDetector')).toHaveLength(4);
    expect(names.filter((n) => n === 'DeleteAnomalyDetector')).toHaveLength(3);
    const failed = trail.Events.find((x) => x.EventName === 'DeleteAnomalyDetector' && JSON.parse(x.CloudTrailEvent).errorCode);
    expect(JSON.parse(failed!.CloudTrailEvent).errorCode).toBe('ResourceNotFoundException');
  });

  it.each([
    ['SingleMetricAnomalyDetector with a deprecated member', { SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum' }, Stat: 'Sum' },
      'InvalidParameterCombination', 'SingleMetricAnomalyDetector cannot be used together with Stat.'],
    ['no Stat', { SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders' } }, 'MissingParameter', 'The parameter SingleMetricAnomalyDetector.Stat is required.'],
    ['an unknown Stat', { SingleMetricAnomalyDetector: { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Median' } },
      'InvalidParameterValue', 'The value Median for parameter SingleMetricAnomalyDetector.Stat is invalid.'],
    ['no metric at all', {}, 'MissingParameter', 'The parameter Namespace is required.'],
    ['a metric math detector', { MetricMathAnomalyDetector: { MetricDataQueries: [] } },
      'InvalidParameterValue', 'Anomaly detectors on metric math (MetricMathAnomalyDetector) are not supported by this simulator.'],
    ['11 excluded ranges', { ...{ Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum' }, Configuration: { ExcludedTimeRanges: Array.from({ length: 11 }, (_, i) => ({ StartTime: i * 1000, EndTime: i * 1000 + 1 })) } },
      'InvalidParameterValue', 'The value [11 items] for parameter Configuration.ExcludedTimeRanges is invalid. You can specify as many as 10 time ranges.'],
    ['a range that ends before it starts', { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum', Configuration: { ExcludedTimeRanges: [{ StartTime: '2026-03-02T00:00:00Z', EndTime: '2026-03-01T00:00:00Z' }] } },
      'InvalidParameterValue', 'The StartTime of Configuration.ExcludedTimeRanges.member.1 must be before its EndTime.'],
    ['a range without EndTime', { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Sum', Configuration: { ExcludedTimeRanges: [{ StartTime: '2026-03-02T00:00:00Z' }] } },
      'MissingParameter', 'The parameter Configuration.ExcludedTimeRanges.member.1.EndTime is required.'],
  ])('PutAnomalyDetector: %s → %s', (_what, params, code, message) => {
    const e = createEngine({ seed: 1, startTime: T0 });
    const r = e.callSync('cloudwatch', 'PutAnomalyDetector', params);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
    if (!r.ok) expect(r.error.message).toBe(message);
    expect(e.read<CloudWatchState>('cloudwatch').anomalyDetectors).toBeUndefined(); // nothing kept
  });

  it('DescribeAnomalyDetectors refuses a bad MaxResults and an unknown detector type', () => {
    const e = createEngine({ seed: 1, startTime: T0 });
    const a = e.callSync('cloudwatch', 'DescribeAnomalyDetectors', { MaxResults: 0 });
    expect(a.ok ? 'ok' : a.error.code).toBe('ValidationException');
    const b = e.callSync('cloudwatch', 'DescribeAnomalyDetectors', { AnomalyDetectorTypes: ['SINGLE'] });
    expect(b.ok ? 'ok' : b.error.message).toBe("1 validation error detected: Value 'SINGLE' at 'anomalyDetectorTypes' failed to satisfy constraint: Member must satisfy enum value set: [SINGLE_METRIC, METRIC_MATH]");
  });

  it('StateValue follows the history: PENDING_TRAINING, then TRAINED_INSUFFICIENT_DATA, TRAINED from the third day', () => {
    const { e, id } = world();
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    const state = () => ok(e.callSync<{ AnomalyDetectors: { StateValue: string }[] }>('cloudwatch', 'DescribeAnomalyDetectors', {})).AnomalyDetectors[0]!.StateValue;
    const seen: string[] = [];
    for (let d = 0; d < 4; d++) { e.advanceSync(d === 0 ? 3600_000 : DAY); seen.push(state()); }
    expect(seen).toEqual(['PENDING_TRAINING', 'TRAINED_INSUFFICIENT_DATA', 'TRAINED_INSUFFICIENT_DATA', 'TRAINED']);
  });
});

describe('the band over a daily-wave CPU signal after two weeks', () => {
  let e: Engine, id: string;
  beforeAll(() => {
    ({ e, id } = world({ incidents: [{ From: '2026-03-15T12:00:00Z', To: '2026-03-15T12:30:00Z', Level: 95 }] }));
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    e.advanceSync(D15 + DAY - e.nowMs() + 60_000);
  });

  it('holds every normal minute of day 15, follows the daily wave, and leaves the incident out', () => {
    const [m1, upper, lower] = band(e, id, D15, D15 + DAY);
    expect([upper!.Id, upper!.Label, lower!.Id, lower!.Label]).toEqual(['ad1', 'CPUUtilization (expected) Upper', 'ad1', 'CPUUtilization (expected) Lower']);
    expect(m1!.Values).toHaveLength(1440);
    expect(upper!.Timestamps).toEqual(m1!.Timestamps);
    const incident = (t: string) => t >= '2026-03-15T12:00' && t < '2026-03-15T12:30';
    const outside = m1!.Timestamps.filter((t, i) => m1!.Values[i]! < lower!.Values[i]! || m1!.Values[i]! > upper!.Values[i]!);
    expect(outside.length).toBe(30);
    expect(outside.every(incident)).toBe(true);
    // the band moves with the wave (amplitude 20): its centre spans far more than its width
    const mid = upper!.Values.map((u, i) => (u + lower!.Values[i]!) / 2);
    expect(Math.max(...mid) - Math.min(...mid)).toBeGreaterThan(35);
    const widths = upper!.Values.map((u, i) => u - lower!.Values[i]!);
    expect(Math.max(...widths)).toBeLessThan(15);
    expect(Math.min(...widths)).toBeGreaterThan(6);
  });

  it('widens with the width argument', () => {
    const [, u2, l2] = band(e, id, D15, D15 + 3600_000, 2);
    const [, u4, l4] = band(e, id, D15, D15 + 3600_000, 4);
    const w = (u: number[], l: number[]) => u.map((x, i) => x - l[i]!);
    w(u4!.Values, l4!.Values).forEach((x, i) => expect(x).toBeCloseTo(2 * w(u2!.Values, l2!.Values)[i]!, 9));
  });

  it('is the same band for the same seed, after a snapshot restore, and another for another seed', () => {
    const twin = world({ incidents: [{ From: '2026-03-15T12:00:00Z', To: '2026-03-15T12:30:00Z', Level: 95 }] });
    ok(twin.e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(twin.id) }));
    twin.e.advanceSync(D15 + 6 * 3600_000 - twin.e.nowMs());
    const range = [D15 + 3600_000, D15 + 5 * 3600_000] as const;
    const mine = band(e, id, ...range);
    expect(band(twin.e, twin.id, ...range)).toEqual(mine);
    const restored = restoreEngine(JSON.parse(JSON.stringify(twin.e.snapshot())));
    expect(band(restored, twin.id, ...range)).toEqual(mine);
    const other = world({ seed: 8 });
    ok(other.e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(other.id) }));
    other.e.advanceSync(D15 + 6 * 3600_000 - other.e.nowMs());
    expect(band(other.e, other.id, ...range)[1]!.Values).not.toEqual(mine[1]!.Values);
  });

  it('has no datapoints for a metric without a detector', () => {
    ok(e.callSync('cloudwatch', 'DeleteAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    const [m1, upper, lower] = band(e, id, D15, D15 + 3600_000);
    expect(m1!.Values).toHaveLength(60);
    expect([upper!.Values, lower!.Values]).toEqual([[], []]);
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
  });
});

describe('ExcludedTimeRanges', () => {
  it('leave an old incident out of the model', () => {
    // an incident on day 10 at 12:00–13:00 is in the training data of day 15
    const incidents = [{ From: '2026-03-10T12:00:00Z', To: '2026-03-10T13:00:00Z', Level: 95 }];
    const run = (exclude: boolean) => {
      const { e, id } = world({ incidents });
      ok(e.callSync('cloudwatch', 'PutAnomalyDetector', {
        SingleMetricAnomalyDetector: detector(id),
        ...(exclude ? { Configuration: { ExcludedTimeRanges: [{ StartTime: incidents[0]!.From, EndTime: incidents[0]!.To }] } } : {}),
      }));
      e.advanceSync(D15 + 13 * 3600_000 - e.nowMs());
      const [, upper, lower] = band(e, id, D15 + 12 * 3600_000 + 20 * 60_000, D15 + 12 * 3600_000 + 40 * 60_000);
      return upper!.Values.map((u, i) => u - lower!.Values[i]!);
    };
    const kept = run(false), excluded = run(true);
    expect(kept).toHaveLength(20);
    kept.forEach((w, i) => expect(w).toBeGreaterThan(excluded[i]! * 2));
    expect(Math.max(...excluded)).toBeLessThan(15);
  });
});

describe('an anomaly-detection alarm', () => {
  let e: Engine, id: string;
  const history = () => ok(e.callSync<{ AlarmHistoryItems: { Timestamp: string; HistoryItemType: string; HistorySummary: string; HistoryData: string }[] }>('cloudwatch', 'DescribeAlarmHistory',
    { AlarmName: 'cpu-anomaly', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' })).AlarmHistoryItems;
  beforeAll(() => {
    ({ e, id } = world({ incidents: [{ From: '2026-03-15T12:00:00Z', To: '2026-03-15T12:30:00Z', Level: 95 }] }));
    e.advanceSync(D15 - e.nowMs());
    ok(e.callSync('cloudwatch', 'PutMetricAlarm', anomalyAlarm(id)));
  });

  it('is stored with ThresholdMetricId and no Threshold, and creates the detector of its band', () => {
    const a = ok(e.callSync<{ MetricAlarms: Record<string, unknown>[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['cpu-anomaly'] })).MetricAlarms[0]!;
    expect(a.ThresholdMetricId).toBe('ad1');
    expect(a).not.toHaveProperty('Threshold');
    expect(a.ComparisonOperator).toBe('LessThanLowerOrGreaterThanUpperThreshold');
    const d = ok(e.callSync<{ AnomalyDetectors: Record<string, unknown>[] }>('cloudwatch', 'DescribeAnomalyDetectors', {})).AnomalyDetectors;
    expect(d.map((x) => [x.MetricName, x.Stat, x.StateValue])).toEqual([['CPUUtilization', 'Average', 'TRAINED']]);
  });

  it('goes OK, then ALARM on the incident (3 of 3 outside the band), then OK when it ends, and nothing else all day', () => {
    e.advanceSync(D15 + DAY - e.nowMs());
    const h = history();
    expect(h.map((x) => [x.Timestamp, x.HistorySummary])).toEqual([
      ['2026-03-15T00:01:00.000Z', 'Alarm updated from INSUFFICIENT_DATA to OK'],
      ['2026-03-15T12:03:00.000Z', 'Alarm updated from OK to ALARM'],
      ['2026-03-15T12:31:00.000Z', 'Alarm updated from ALARM to OK'],
    ]);
    const alarm = JSON.parse(h[1]!.HistoryData).newState;
    expect(alarm.stateReason).toMatch(/^Thresholds Crossed: 3 out of the last 3 datapoints \[9\d\.\d+ \(15\/03\/26 12:02:00\), 9\d\.\d+ \(15\/03\/26 12:01:00\), 9\d\.\d+ \(15\/03\/26 12:00:00\)\] were less than the lower thresholds \[[\d., ]+\] or greater than the upper thresholds \[[\d., ]+\] \(minimum 3 datapoints for OK -> ALARM transition\)\.$/);
    const data = alarm.stateReasonData;
    expect(data.recentDatapoints).toHaveLength(3);
    data.recentDatapoints.forEach((v: number, i: number) => expect(v).toBeGreaterThan(data.recentUpperThresholds[i]));
    const back = JSON.parse(h[2]!.HistoryData).newState.stateReason;
    expect(back).toMatch(/^Thresholds Crossed: 1 out of the last 3 datapoints \[[\d.]+ \(15\/03\/26 12:30:00\)\] was not less than the lower thresholds \[[\d.]+\] or not greater than the upper thresholds \[[\d.]+\] \(minimum 1 datapoint for ALARM -> OK transition\)\.$/);
  });

  it('recreates a deleted detector at its next evaluation', () => {
    ok(e.callSync('cloudwatch', 'DeleteAnomalyDetector', { SingleMetricAnomalyDetector: detector(id) }));
    expect(e.read<CloudWatchState>('cloudwatch').anomalyDetectors?.order).toEqual([]);
    e.advanceSync(60_000);
    expect(e.read<CloudWatchState>('cloudwatch').anomalyDetectors?.order).toHaveLength(1);
  });

  it('shows its condition in the console and its band on a dashboard graph', () => {
    const v = alarmViews(e).find((a) => a.name === 'cpu-anomaly')!;
    expect(v.band).toEqual({ width: 2 });
    expect([v.metricName, v.condition?.stat, v.condition?.op, v.condition?.threshold, v.expression]).toEqual(['CPUUtilization', 'Average', 'LessThanLowerOrGreaterThanUpperThreshold', null, null]);
    ok(e.callSync('cloudwatch', 'PutDashboard', { DashboardName: 'ops', DashboardBody: JSON.stringify({
      widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { region: 'us-east-1', period: 60, annotations: { alarms: [`arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cpu-anomaly`] } } }],
    }) }));
    const w = dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'ops', e.nowMs())!.widgets[0]!;
    if (w.type !== 'metric') throw new Error('metric widget expected');
    expect(w.thresholds).toEqual([]);
    expect(w.series.map((s) => s.label)).toEqual([`CPUUtilization ${id}`, 'CPUUtilization (expected) (upper)', 'CPUUtilization (expected) (lower)']);
    const [m, up, lo] = w.series;
    expect(m!.values.length).toBeGreaterThan(150);
    m!.timestamps.forEach((t, i) => {
      const j = up!.timestamps.indexOf(t);
      expect(m!.values[i]!).toBeLessThanOrEqual(up!.values[j]!);
      expect(m!.values[i]!).toBeGreaterThanOrEqual(lo!.values[j]!);
    });
  });
});

describe('PutMetricAlarm with ThresholdMetricId: validation', () => {
  const e = createEngine({ seed: 3, startTime: T0 });
  const id = 'i-0123456789abcdef0';
  const [m1, ad1] = anomalyAlarm(id).Metrics;
  it.each([
    ['accepted', {}, 'ok', ''],
    ['LessThanLowerThreshold', { ComparisonOperator: 'LessThanLowerThreshold' }, 'ok', ''],
    ['a band operator on a single metric', { Metrics: undefined, ThresholdMetricId: undefined, ...cpu(id), Statistic: 'Average', Period: 60 },
      'ValidationError', 'ComparisonOperators for ranges require ThresholdMetricId to be set'],
    ['a band operator on metric math without ThresholdMetricId', { ThresholdMetricId: undefined, Metrics: [m1] },
      'ValidationError', 'ComparisonOperators for ranges require ThresholdMetricId to be set'],
    ['a static operator', { ComparisonOperator: 'GreaterThanThreshold' },
      'ValidationError', 'ThresholdMetricId requires one of the comparison operators for ranges (LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold); got GreaterThanThreshold.'],
    ['a Threshold beside it', { Threshold: 80 }, 'ValidationError', 'Threshold should not be set if ThresholdMetricId is set.'],
    ['the band not returning data', { Metrics: [m1, { ...ad1, ReturnData: false }] },
      'ValidationError', 'Metrics list must contain exactly one metric matching the ThresholdMetricId parameter'],
    ['an unknown ThresholdMetricId', { ThresholdMetricId: 'ad9' }, 'ValidationError', 'Metrics list must contain exactly one metric matching the ThresholdMetricId parameter'],
    ['ThresholdMetricId naming the metric', { ThresholdMetricId: 'm1' }, 'ValidationError', 'Threshold metric expression must use ANOMALY_DETECTION_BAND function.'],
    ['a band on an expression', { Metrics: [{ ...m1, ReturnData: false }, { Id: 'e1', Expression: 'm1 * 2', ReturnData: true }, { ...ad1, Expression: 'ANOMALY_DETECTION_BAND(e1)' }] },
      'ValidationError', 'Error in expression ad1: ANOMALY_DETECTION_BAND needs the id of a metric (a MetricStat query), not of an expression'],
    ['the metric not returning data', { Metrics: [{ ...m1, ReturnData: false }, ad1] },
      'ValidationError', 'An anomaly detection alarm returns data from exactly two queries: the band (ad1) and the metric it is computed on (m1).'],
    ['a 30-second period', { Metrics: [{ ...m1, MetricStat: { ...m1!.MetricStat!, Period: 30 } }, ad1] },
      'ValidationError', 'The period of an anomaly detection alarm must be 60 seconds or longer.'],
    ['an Auto Scaling action', { AlarmActions: ['arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:abc:autoScalingGroupName/web:policyName/out'] },
      'ValidationError', 'Alarms based on anomaly detection models cannot have Auto Scaling actions.'],
    ['an EC2 action', { AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }, 'ValidationError', 'EC2 actions are not supported on alarms based on metric math expressions.'],
    ['ThresholdMetricId without Metrics', { Metrics: undefined, ...cpu(id), Statistic: 'Average', Period: 60 },
      'ValidationError', 'ThresholdMetricId can only be used with a list of Metrics that holds an ANOMALY_DETECTION_BAND expression.'],
    ['a zero width', { Metrics: [m1, { ...ad1, Expression: 'ANOMALY_DETECTION_BAND(m1, 0)' }] },
      'ValidationError', 'Error in expression ad1: the width of ANOMALY_DETECTION_BAND must be a positive number'],
  ])('%s → %s', (_what, patch, code, message) => {
    const r = e.callSync('cloudwatch', 'PutMetricAlarm', { ...anomalyAlarm(id), ...patch });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
    if (!r.ok) expect(r.error.message).toBe(message);
  });
});

describe('a stored custom metric', () => {
  const MIN = 60_000;
  /** Minutes of Shop/Orders from `from`, value f(i), put 1,000 at a time (timestamps in the past). */
  function put(e: Engine, from: number, minutes: number, f: (i: number) => number): void {
    for (let i0 = 0; i0 < minutes; i0 += 1000) {
      const data = [];
      for (let i = i0; i < Math.min(minutes, i0 + 1000); i++) data.push({ MetricName: 'Orders', Timestamp: from + i * MIN, Value: f(i), Unit: 'Count' });
      ok(e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'Shop', MetricData: data }));
    }
  }
  const orders = (e: Engine) => {
    const r = ok(e.callSync<{ MetricDataResults: { Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: Date.parse(T0) + 2 * DAY, EndTime: Date.parse(T0) + 2 * DAY + 3600_000,
      MetricDataQueries: [
        { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders' }, Period: 60, Stat: 'Average' } },
        { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1)' },
      ],
    }));
    return { upper: r.MetricDataResults[0]!.Values, lower: r.MetricDataResults[1]!.Values };
  };
  const world2 = () => {
    const e = createEngine({ seed: 5, startTime: T0 });
    e.advanceSync(2 * DAY + 3600_000);
    // two days of 10, 20, 10, 20, …: fewer than 3 days, so the trailing model: 15 ± 2 × 5
    put(e, Date.parse(T0), 2 * 1440, (i) => (i % 2 ? 20 : 10));
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Average' }));
    return e;
  };

  it('uses the trailing model with less than 3 days of history (TRAINED_INSUFFICIENT_DATA)', () => {
    const e = world2();
    const b = orders(e);
    expect(b.upper).toHaveLength(60);
    b.upper.forEach((x) => expect(x).toBeCloseTo(25, 9));
    b.lower.forEach((x) => expect(x).toBeCloseTo(5, 9));
    const d = ok(e.callSync<{ AnomalyDetectors: { StateValue: string }[] }>('cloudwatch', 'DescribeAnomalyDetectors', {})).AnomalyDetectors[0]!;
    expect(d.StateValue).toBe('TRAINED_INSUFFICIENT_DATA');
  });

  it('follows data put later into the training days, as a fresh engine computes it', () => {
    const e = world2();
    orders(e); // computed (and kept at run time) before the late datapoint
    put(e, Date.parse(T0) + DAY + 12 * 3600_000, 1, () => 1000);
    const after = orders(e);
    expect(after.upper[0]!).toBeGreaterThan(30); // 25 before: one minute of (10 + 1000) / 2 widens the band
    const f = world2();
    put(f, Date.parse(T0) + DAY + 12 * 3600_000, 1, () => 1000);
    expect(orders(f)).toEqual(after);
  });

  it('never goes below zero for a metric that never does', () => {
    const e = createEngine({ seed: 5, startTime: T0 });
    e.advanceSync(2 * DAY + 3600_000);
    put(e, Date.parse(T0), 2 * 1440, (i) => (i % 10 ? 0 : 30));
    ok(e.callSync('cloudwatch', 'PutAnomalyDetector', { Namespace: 'Shop', MetricName: 'Orders', Stat: 'Average' }));
    const b = orders(e);
    expect(new Set(b.lower)).toEqual(new Set([0]));
    b.upper.forEach((x) => expect(x).toBeCloseTo(3 + 2 * 9, 9));
  });
});

describe('band operators', () => {
  it.each([
    ['LessThanLowerOrGreaterThanUpperThreshold', [[4, true], [5, false], [7, false], [10, false], [11, true]]],
    ['LessThanLowerThreshold', [[4, true], [5, false], [11, false]]],
    ['GreaterThanUpperThreshold', [[4, false], [10, false], [11, true]]],
  ] as const)('%s against the band [5, 10]', async (op, rows) => {
    const { breachesBand } = await import('../../../src/engine/services/cloudwatch/alarms.anomaly.ts');
    for (const [v, want] of rows) expect(breachesBand(op, v, 5, 10)).toBe(want);
  });
});
