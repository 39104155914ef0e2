/**
 * Metric-math alarms through the public API (spec §1.1, §1.3, §1.4, §2.5): PutMetricAlarm with
 * `Metrics`, its validation, DescribeAlarms, and an error-rate alarm on PutMetricData custom
 * metrics moving OK → ALARM → OK on the clock.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine, type EngineEvent } from '../../../src/engine/index.ts';
import { inbox } from '../../../src/engine/services/sns/index.ts';
import { dashboardModel, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';
import { alarmViews } from '../../../src/app/console-views.ts';

const T0 = '2026-03-01T00:00:00Z';
const fresh = () => createEngine({ seed: 9, startTime: T0 });

const stat = (id: string, name: string, period = 60) =>
  ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: name, Dimensions: [{ Name: 'Service', Value: 'checkout' }] }, Period: period, Stat: 'Sum' } });
const errorRate = [stat('errors', 'Errors'), stat('requests', 'Requests'), { Id: 'rate', Expression: '100 * errors / requests', Label: 'Error rate (%)', ReturnData: true }];
const base = {
  AlarmName: 'checkout-error-rate', EvaluationPeriods: 2, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold',
  Metrics: errorRate,
};

const describeOne = (e: Engine, name = base.AlarmName) => {
  const r = e.callSync<{ MetricAlarms: Record<string, unknown>[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: [name] });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.MetricAlarms[0]!;
};

/** One minute of traffic: the counts now, then the clock to the next minute's evaluation. */
function minute(e: Engine, errors: number, requests: number): void {
  const dims = [{ Name: 'Service', Value: 'checkout' }];
  const r = e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'Shop', MetricData: [
    { MetricName: 'Errors', Dimensions: dims, Value: errors, Unit: 'Count' },
    { MetricName: 'Requests', Dimensions: dims, Value: requests, Unit: 'Count' },
  ] });
  if (!r.ok) throw new Error(r.error.message);
  e.advanceSync(60_000);
}

describe('PutMetricAlarm with Metrics: validation', () => {
  const many = (k: number) => [...Array.from({ length: k }, (_, i) => stat(`m${i}`, `M${i}`)), { Id: 'e1', Expression: 'SUM(METRICS())', ReturnData: true }];
  it.each([
    ['accepted', {}, 'ok', ''],
    ['MetricName beside Metrics', { MetricName: 'Errors' }, 'ValidationError', 'MetricName should not be set if list of Metrics is set.'],
    ['Namespace beside Metrics', { Namespace: 'Shop' }, 'ValidationError', 'Namespace should not be set if list of Metrics is set.'],
    ['Statistic beside Metrics', { Statistic: 'Sum' }, 'ValidationError', 'Statistic should not be set if list of Metrics is set.'],
    ['ExtendedStatistic beside Metrics', { ExtendedStatistic: 'p99' }, 'ValidationError', 'ExtendedStatistic should not be set if list of Metrics is set.'],
    ['Period beside Metrics', { Period: 60 }, 'ValidationError', 'Period should not be set if list of Metrics is set.'],
    ['Dimensions beside Metrics', { Dimensions: [{ Name: 'Service', Value: 'checkout' }] }, 'ValidationError', 'Dimensions should not be set if list of Metrics is set.'],
    ['Unit beside Metrics', { Unit: 'Count' }, 'ValidationError', 'Unit should not be set if list of Metrics is set.'],
    ['no query returns data', { Metrics: [stat('errors', 'Errors'), { Id: 'rate', Expression: 'errors * 2', ReturnData: false }] }, 'ValidationError', 'Exactly one element of the metrics list should return data.'],
    ['ReturnData left to its default (true) on the metrics', { Metrics: [{ Id: 'errors', MetricStat: stat('errors', 'Errors').MetricStat }, errorRate[2]] }, 'ValidationError', 'Exactly one element of the metrics list should return data.'],
    ['an empty list', { Metrics: [] }, 'ValidationError', 'Exactly one element of the metrics list should return data.'],
    ['not a list', { Metrics: 'rate' }, 'InvalidParameterValue', 'The value rate for parameter Metrics is invalid.'],
    ['11 metrics', { Metrics: many(11) }, 'ValidationError', 'An alarm on a metric math expression can retrieve at most 10 metrics (MetricStat); this one has 11.'],
    ['different periods', { Metrics: [stat('errors', 'Errors', 60), stat('requests', 'Requests', 300), errorRate[2]] }, 'ValidationError', 'All metrics of an alarm on a metric math expression must have the same period; found 60 and 300.'],
    ['an Id with a capital first letter', { Metrics: [stat('Errors', 'Errors'), stat('requests', 'Requests'), errorRate[2]] }, 'ValidationError', 'The value Errors for parameter Metrics.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.'],
    ['a repeated Id', { Metrics: [stat('errors', 'Errors'), stat('errors', 'Requests'), errorRate[2]] }, 'ValidationError', 'The value errors for field Id must be unique.'],
    ['MetricStat and Expression together', { Metrics: [{ ...stat('errors', 'Errors'), Expression: '1' }, stat('requests', 'Requests'), errorRate[2]] }, 'ValidationError', 'Metrics.member.1: exactly one of MetricStat or Expression must be specified.'],
    ['a 45-second period', { Metrics: [stat('errors', 'Errors', 45), errorRate[2]] }, 'InvalidParameterValue', 'The value 45 for parameter Metrics.member.1.MetricStat.Period is invalid. Valid alarm periods are 10, 20, 30, or any multiple of 60 seconds.'],
    ['an unknown Stat', { Metrics: [{ ...stat('errors', 'Errors'), MetricStat: { ...stat('errors', 'Errors').MetricStat, Stat: 'Median' } }, stat('requests', 'Requests'), errorRate[2]] }, 'InvalidParameterValue', 'The value Median for parameter Metrics.member.1.MetricStat.Stat is invalid.'],
    ['an unknown id in the expression', { Metrics: [stat('errors', 'Errors'), { Id: 'rate', Expression: 'errors / reqs', ReturnData: true }] }, 'ValidationError', 'Error in expression rate: unknown id reqs'],
    ['a circular reference', { Metrics: [stat('errors', 'Errors'), { Id: 'x', Expression: 'y + errors', ReturnData: false }, { Id: 'y', Expression: 'x * 2', ReturnData: true }] }, 'ValidationError', 'Error in expression x: circular or unknown reference'],
    ['a syntax error', { Metrics: [stat('errors', 'Errors'), { Id: 'rate', Expression: '100 * (errors', ReturnData: true }] }, 'ValidationError', 'Error in expression rate: missing )'],
    ['a scalar result', { Metrics: [stat('errors', 'Errors'), { Id: 'rate', Expression: 'AVG(errors)', ReturnData: true }] }, 'ValidationError', 'Error in expression rate: the expression must return a time series'],
    ['SEARCH', { Metrics: [{ Id: 's', Expression: `SUM(SEARCH('{Shop,Service} MetricName="Errors"', 'Sum', 60))`, Period: 60, ReturnData: true }] }, 'ValidationError', 'Error in expression s: The function SEARCH is not supported by this simulator.'],
    ['ANOMALY_DETECTION_BAND returned without ThresholdMetricId', { Metrics: [stat('errors', 'Errors'), { Id: 'ad', Expression: 'ANOMALY_DETECTION_BAND(errors, 2)', ReturnData: true }] }, 'ValidationError', 'The ANOMALY_DETECTION_BAND expression ad can only be the threshold of an alarm: set ThresholdMetricId to ad and use a comparison operator for ranges.'],
    ['a Metrics Insights query', { Metrics: [{ Id: 'q', Expression: 'SELECT SUM(Errors) FROM Shop', Period: 60, ReturnData: true }] }, 'ValidationError', 'Error in expression q: Metrics Insights queries (SELECT ...) are not supported by this simulator.'],
    ['an expression alone without Period', { Metrics: [{ Id: 'one', Expression: 'TIME_SERIES(1)', ReturnData: true }] }, 'ValidationError', 'Period must not be null'],
    ['an expression alone with Period', { Metrics: [{ Id: 'one', Expression: 'TIME_SERIES(1)', Period: 60, ReturnData: true }] }, 'ok', ''],
    ['a metric as the returned query', { Metrics: [{ ...stat('errors', 'Errors'), ReturnData: true }] }, 'ok', ''],
    ['an EC2 action', { AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }, 'ValidationError', 'EC2 actions are not supported on alarms based on metric math expressions.'],
    ['ThresholdMetricId on an expression that is not a band', { ThresholdMetricId: 'rate', ComparisonOperator: 'GreaterThanUpperThreshold', Threshold: undefined }, 'ValidationError', 'Threshold metric expression must use ANOMALY_DETECTION_BAND function.'],
    ['DatapointsToAlarm above EvaluationPeriods', { DatapointsToAlarm: 3 }, 'ValidationError', 'DatapointsToAlarm (3) must be less than or equal to EvaluationPeriods (2).'],
    ['a window over a day', { EvaluationPeriods: 1441, DatapointsToAlarm: 1 }, 'ValidationError', 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).'],
  ])('%s → %s', (_what, patch, code, message) => {
    const e = fresh();
    const r = e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, ...patch });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
    if (!r.ok) expect(r.error.message).toBe(message);
    // a refused call creates nothing
    expect(e.read<CloudWatchState>('cloudwatch').alarms.order).toEqual(r.ok ? [base.AlarmName] : []);
  });
});

describe('DescribeAlarms and the other alarm operations', () => {
  it('lists a math alarm among MetricAlarms with its Metrics and no single-metric members', () => {
    const e = fresh();
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', base).ok).toBe(true);
    const a = describeOne(e);
    expect(a).toMatchObject({ AlarmName: base.AlarmName, StateValue: 'INSUFFICIENT_DATA', EvaluationPeriods: 2, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
    expect(a.Metrics).toEqual([
      { Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'checkout' }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'requests', ReturnData: false, MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'checkout' }] }, Period: 60, Stat: 'Sum' } },
      { Id: 'rate', Expression: '100 * errors / requests', Label: 'Error rate (%)', ReturnData: true },
    ]);
    for (const k of ['MetricName', 'Namespace', 'Statistic', 'Period', 'Dimensions', 'kind']) expect(a).not.toHaveProperty(k);
    const composites = e.callSync<{ MetricAlarms: unknown[]; CompositeAlarms: unknown[] }>('cloudwatch', 'DescribeAlarms', { AlarmTypes: ['CompositeAlarm'] });
    expect(composites.ok && composites.output.MetricAlarms).toEqual([]);
    const hist = e.callSync<{ AlarmHistoryItems: { AlarmType: string; HistoryData: string }[] }>('cloudwatch', 'DescribeAlarmHistory', { AlarmName: base.AlarmName });
    expect(hist.ok && hist.output.AlarmHistoryItems[0]!.AlarmType).toBe('MetricAlarm');
    expect(hist.ok && JSON.parse(hist.output.AlarmHistoryItems[0]!.HistoryData).updatedAlarm.Metrics).toHaveLength(3);
  });

  it('the console alarm list shows the watched expression instead of a metric name', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', base);
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'five', Metrics: [stat('errors', 'Errors', 300), stat('requests', 'Requests', 300), errorRate[2]] });
    const [v, five] = alarmViews(e);
    expect(v).toMatchObject({ name: base.AlarmName, kind: 'metric', expression: '100 * errors / requests', metricName: null, rule: null });
    expect(v!.condition).toEqual({ stat: '', op: 'GreaterThanThreshold', threshold: 5, m: 2, n: 2, period: 60, treatMissing: 'missing' });
    expect(five!.condition!.period).toBe(300);
  });

  it('a single-metric alarm can become a math alarm and back; SetAlarmState and DeleteAlarms work on it', () => {
    const e = fresh();
    const single = { AlarmName: base.AlarmName, Namespace: 'Shop', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' };
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', single).ok).toBe(true);
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', base).ok).toBe(true);
    expect(describeOne(e).MetricName).toBeUndefined();
    expect(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: base.AlarmName, StateValue: 'ALARM', StateReason: 'drill' }).ok).toBe(true);
    expect(describeOne(e).StateValue).toBe('ALARM');
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', single).ok).toBe(true);
    expect(describeOne(e)).toMatchObject({ MetricName: 'Errors', StateValue: 'ALARM' });
    expect(describeOne(e).Metrics).toBeUndefined();
    expect(e.callSync('cloudwatch', 'DeleteAlarms', { AlarmNames: [base.AlarmName] }).ok).toBe(true);
    expect(e.read<CloudWatchState>('cloudwatch').alarms.order).toEqual([]);
  });
});

describe('a math alarm on the clock (§1.3, §1.4)', () => {
  it('error rate 100 * errors / requests > 5: INSUFFICIENT_DATA → OK → ALARM → OK, with reasons, history and events', () => {
    const e = fresh();
    const events: EngineEvent[] = [];
    e.subscribe((ev) => { if (ev.type === 'cloudwatch/alarm-state-changed') events.push(ev); });
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmActions: ['arn:aws:sns:us-east-1:111122223333:pager'] }).ok).toBe(true);
    e.advanceSync(5_000);
    minute(e, 1, 100); // 1 %
    expect(describeOne(e).StateValue).toBe('OK');
    minute(e, 2, 100); // 2 %
    minute(e, 10, 100); // 10 %: one of the last two breaches
    expect(describeOne(e).StateValue).toBe('OK');
    minute(e, 12, 100); // 12 %
    const a = describeOne(e);
    expect(a.StateValue).toBe('ALARM');
    expect(a.StateReason).toBe('Threshold Crossed: 2 out of the last 2 datapoints [12.0 (01/03/26 00:03:00), 10.0 (01/03/26 00:02:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).');
    const data = JSON.parse(a.StateReasonData as string) as Record<string, unknown>;
    expect(data).toEqual({
      version: '1.0', queryDate: '2026-03-01T00:04:00.000+0000', startDate: '2026-03-01T00:02:00.000+0000', period: 60,
      recentDatapoints: [10, 12], threshold: 5,
      evaluatedDatapoints: [{ timestamp: '2026-03-01T00:03:00.000+0000', value: 12 }, { timestamp: '2026-03-01T00:02:00.000+0000', value: 10 }],
    });
    minute(e, 0, 100); // 0 %
    expect(describeOne(e).StateValue).toBe('OK');
    expect(describeOne(e).StateReason).toBe('Threshold Crossed: 1 out of the last 2 datapoints [0.0 (01/03/26 00:04:00)] was not greater than the threshold (5.0) (minimum 1 datapoint for ALARM -> OK transition).');
    const changes = events.map((x) => x.payload as { newState: string; alarmType: string; actions: string[] });
    expect(changes.map((c) => c.newState)).toEqual(['OK', 'ALARM', 'OK']);
    expect(changes.every((c) => c.alarmType === 'MetricAlarm')).toBe(true);
    expect(changes[1]!.actions).toEqual(['arn:aws:sns:us-east-1:111122223333:pager']);
    const hist = e.callSync<{ AlarmHistoryItems: { HistorySummary: string }[] }>('cloudwatch', 'DescribeAlarmHistory', { AlarmName: base.AlarmName, HistoryItemType: 'StateUpdate' });
    expect(hist.ok && hist.output.AlarmHistoryItems.map((h) => h.HistorySummary)).toEqual([
      'Alarm updated from ALARM to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK',
    ]);
    // traffic stops: after the evaluation range (N + 2 = 4 minutes) empties, missing data → INSUFFICIENT_DATA
    e.advanceSync(3 * 60_000);
    expect(describeOne(e).StateValue).toBe('OK');
    e.advanceSync(60_000);
    expect(describeOne(e).StateValue).toBe('INSUFFICIENT_DATA');
    expect(describeOne(e).StateReason).toBe('Insufficient Data: 2 datapoints were unknown.');
  });

  it('a minute without requests divides by zero: the datapoint is dropped and TreatMissingData decides', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'strict', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'breaching' });
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'lenient', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' });
    // IF turns a minute without requests into 0 % instead of a division by zero
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'filled', EvaluationPeriods: 1, DatapointsToAlarm: 1,
      Metrics: [errorRate[0], errorRate[1], { Id: 'rate', Expression: 'IF(FILL(requests, 0) > 0, 100 * errors / requests, 0)', ReturnData: true }] });
    e.advanceSync(5_000);
    minute(e, 0, 0);
    const st = (n: string) => describeOne(e, n).StateValue;
    expect([st('strict'), st('lenient'), st('filled')]).toEqual(['ALARM', 'OK', 'OK']);
    expect(describeOne(e, 'strict').StateReason).toBe('Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].');
    minute(e, 1, 50); // 2 %
    expect([st('strict'), st('lenient'), st('filled')]).toEqual(['OK', 'OK', 'OK']);
    minute(e, 5, 50); // 10 %
    expect([st('strict'), st('lenient'), st('filled')]).toEqual(['ALARM', 'ALARM', 'ALARM']);
  });

  it('a 5-minute math alarm slides by the minute over 5-minute periods', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'five', EvaluationPeriods: 1, DatapointsToAlarm: 1,
      Metrics: [stat('errors', 'Errors', 300), stat('requests', 'Requests', 300), errorRate[2]] });
    e.advanceSync(5_000);
    minute(e, 10, 100); // at 00:01 the newest period [23:56, 00:01) holds 10 errors of 100 requests: 10 %
    expect(describeOne(e, 'five').StateValue).toBe('ALARM');
    minute(e, 0, 100); // at 00:02, [23:57, 00:02): 10 of 200 = 5 %, not greater than 5
    const a = describeOne(e, 'five');
    expect(a.StateValue).toBe('OK');
    expect(JSON.parse(a.StateReasonData as string)).toMatchObject({ period: 300, recentDatapoints: [5], startDate: '2026-02-28T23:57:00.000+0000' });
  });

  it('snapshot mid-run → restore → the same state hash as the uninterrupted run', () => {
    const script = (e: Engine, from: number, to: number) => { for (let k = from; k < to; k++) minute(e, k % 4 === 0 ? 20 : 1, 100); };
    const a = fresh(); a.callSync('cloudwatch', 'PutMetricAlarm', base); a.advanceSync(5_000); script(a, 0, 12);
    const b = fresh(); b.callSync('cloudwatch', 'PutMetricAlarm', base); b.advanceSync(5_000); script(b, 0, 5);
    const c = restoreEngine(JSON.parse(JSON.stringify(b.snapshot())));
    script(c, 5, 12);
    expect(c.stateHash()).toBe(a.stateHash());
  });

  it('an SNS action gets the expression in the e-mail and Trigger.Metrics in the JSON message', () => {
    const e = fresh();
    const topic = e.callSync<{ TopicArn: string }>('sns', 'CreateTopic', { Name: 'pager' });
    if (!topic.ok) throw new Error(topic.error.message);
    const arn = topic.output.TopicArn;
    e.callSync('sns', 'SimSetAutoConfirm', { Enabled: true });
    e.callSync('sns', 'Subscribe', { TopicArn: arn, Protocol: 'email', Endpoint: 'oncall@example.com' });
    e.callSync('sns', 'Subscribe', { TopicArn: arn, Protocol: 'https', Endpoint: 'https://hooks.example/x' });
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, EvaluationPeriods: 1, DatapointsToAlarm: 1, AlarmActions: [arn] }).ok).toBe(true);
    e.advanceSync(5_000);
    minute(e, 30, 100);
    const mail = inbox(e.read('sns'), 'oncall@example.com').find((d) => d.kind === 'notification')!;
    expect(mail.subject).toBe('ALARM: "checkout-error-rate" in US East (N. Virginia)');
    expect(mail.message).toContain('- The alarm is in the ALARM state when the metric is GreaterThanThreshold 5.0 for at least 1 of the last 1 period(s) of 60 seconds.');
    expect(mail.message).toContain('- MetricExpression: 100 * errors / requests');
    expect(mail.message).toContain('- MetricLabel: Error rate (%)');
    expect(mail.message).toContain('- MetricName:                          Requests');
    expect(mail.message).not.toContain('- MetricNamespace:                     \n');
    const hook = JSON.parse(JSON.parse(inbox(e.read('sns'), 'https://hooks.example/x').find((d) => d.kind === 'notification')!.message).Message as string) as { Trigger: Record<string, unknown> };
    expect(hook.Trigger).toMatchObject({ Period: 60, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 5, TreatMissingData: 'missing' });
    expect(hook.Trigger).not.toHaveProperty('MetricName');
    expect(hook.Trigger.Metrics).toEqual([
      { Id: 'errors', MetricStat: { Metric: { Dimensions: [{ value: 'checkout', name: 'Service' }], MetricName: 'Errors', Namespace: 'Shop' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'requests', MetricStat: { Metric: { Dimensions: [{ value: 'checkout', name: 'Service' }], MetricName: 'Requests', Namespace: 'Shop' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
      { Id: 'rate', Expression: '100 * errors / requests', Label: 'Error rate (%)', ReturnData: true },
    ]);
  });
});

describe('the same math elsewhere', () => {
  it('GetMetricData: FILL fills every period of the requested range; IF without else drops datapoints', () => {
    const e = fresh();
    e.advanceSync(5_000);
    minute(e, 3, 100); // 00:00
    e.advanceSync(2 * 60_000); // 00:01 and 00:02 without data
    minute(e, 0, 50); // 00:03
    e.advanceSync(60_000);
    const r = e.callSync<{ MetricDataResults: { Id: string; Timestamps: string[]; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: T0, EndTime: '2026-03-01T00:05:00Z', ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        stat('errors', 'Errors'), stat('requests', 'Requests'),
        { Id: 'filled', Expression: 'FILL(errors, 0)' },
        { Id: 'repeat', Expression: 'FILL(requests, REPEAT)' },
        { Id: 'bad', Expression: 'IF(errors > 0, errors)' },
      ],
    });
    if (!r.ok) throw new Error(r.error.message);
    const by = Object.fromEntries(r.output.MetricDataResults.map((x) => [x.Id, x.Values]));
    expect(by).toEqual({ filled: [3, 0, 0, 0, 0], repeat: [100, 100, 100, 50, 50], bad: [3] });
    expect(r.output.MetricDataResults[0]!.Timestamps).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-01T00:01:00.000Z', '2026-03-01T00:02:00.000Z', '2026-03-01T00:03:00.000Z', '2026-03-01T00:04:00.000Z']);
  });

  it('a dashboard alarm annotation graphs a math alarm: its expression visible, the metrics hidden, the threshold drawn', () => {
    const e = createEngine({ seed: 9, startTime: T0, accountId: '111122223333', region: 'us-east-1' });
    e.callSync('cloudwatch', 'PutMetricAlarm', base);
    e.advanceSync(5_000);
    for (let k = 0; k < 3; k++) minute(e, k, 100);
    const arn = `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${base.AlarmName}`;
    const put = e.callSync('cloudwatch', 'PutDashboard', { DashboardName: 'ops', DashboardBody: JSON.stringify({
      widgets: [{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { region: 'us-east-1', period: 60, annotations: { alarms: [arn] } } }],
    }) });
    expect(put.ok).toBe(true);
    const w = dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'ops', e.nowMs())!.widgets[0]!;
    if (w.type !== 'metric') throw new Error('metric widget expected');
    expect(w.thresholds).toEqual([{ value: 5, label: base.AlarmName }]);
    expect(w.series.map((s) => [s.label, s.expression, s.values])).toEqual([['Error rate (%)', '100 * errors / requests', [0, 1, 2]]]);
  });
});
