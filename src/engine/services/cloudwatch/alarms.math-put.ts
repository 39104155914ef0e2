/**
 * PutMetricAlarm's `Metrics` list (a metric-math alarm) checked as CloudWatch does: no single-metric
 * members beside it, at most 10 MetricStat and 10 Expression queries, exactly one with ReturnData,
 * every MetricStat with the same period, and expressions that run (spec §1.1, §1.9, §2.5).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html
 */
import { err } from '../../kernel/params.ts';
import type { ApiError, Params } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { checkName, checkNamespace, checkUnit, invalid, missing, readDimensions } from './cloudwatch.params.ts';
import { parseStatistic } from './cloudwatch.statistics.ts';
import { queryIdsError } from './cloudwatch.metric-data.ts';
import { parseExpression, referencedIds } from './cloudwatch.math.ts';
import type { AlarmMetricQuery } from './alarms.model.ts';
import { mathPeriod, queryAll } from './alarms.math.ts';

/** Members of the single-metric form; AWS refuses each beside `Metrics`. */
const SINGLE_METRIC_MEMBERS = ['MetricName', 'Namespace', 'Dimensions', 'Period', 'Unit', 'Statistic', 'ExtendedStatistic'] as const;

/** Quota (spec §1.9): MetricStat queries in one alarm; as many Expression queries again. */
export const MAX_ALARM_METRICS = 10;

const isAlarmPeriod = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && ([10, 20, 30].includes(v) || v % 60 === 0);

function readQuery(q: Record<string, unknown>, m: string): AlarmMetricQuery | { error: ApiError } {
  const id = q.Id as string;
  if ((q.MetricStat === undefined || q.MetricStat === null) === (q.Expression === undefined || q.Expression === null))
    return err('ValidationError', `${m}: exactly one of MetricStat or Expression must be specified.`);
  if (q.Label !== undefined && typeof q.Label !== 'string') return invalid(`${m}.Label`, q.Label);
  if (q.ReturnData !== undefined && typeof q.ReturnData !== 'boolean') return invalid(`${m}.ReturnData`, q.ReturnData);
  if (q.Period !== undefined && !isAlarmPeriod(q.Period))
    return invalid(`${m}.Period`, q.Period, 'Valid alarm periods are 10, 20, 30, or any multiple of 60 seconds.');
  const base = { Id: id, ...(typeof q.Label === 'string' ? { Label: q.Label } : {}), ReturnData: q.ReturnData !== false };
  if (q.Expression !== undefined && q.Expression !== null) {
    if (typeof q.Expression !== 'string' || q.Expression.length < 1 || q.Expression.length > 2048) return invalid(`${m}.Expression`, q.Expression);
    return { ...base, Expression: q.Expression, ...(typeof q.Period === 'number' ? { Period: q.Period } : {}) };
  }
  const ms = q.MetricStat as Record<string, unknown>;
  if (typeof ms !== 'object' || Array.isArray(ms)) return invalid(`${m}.MetricStat`, ms);
  const metric = (ms.Metric ?? {}) as Record<string, unknown>;
  const e = checkNamespace(metric.Namespace, `${m}.MetricStat.Metric.Namespace`) ?? checkName(metric.MetricName, `${m}.MetricStat.Metric.MetricName`)
    ?? checkUnit(ms.Unit, `${m}.MetricStat.Unit`);
  if (e) return e;
  const dims = readDimensions(metric.Dimensions, `${m}.MetricStat.Metric.Dimensions`);
  if ('error' in dims) return dims;
  if (ms.Period === undefined || ms.Period === null) return missing(`${m}.MetricStat.Period`);
  if (!isAlarmPeriod(ms.Period)) return invalid(`${m}.MetricStat.Period`, ms.Period, 'Valid alarm periods are 10, 20, 30, or any multiple of 60 seconds.');
  if (ms.Stat === undefined || ms.Stat === null) return missing(`${m}.MetricStat.Stat`);
  if (typeof ms.Stat !== 'string' || !parseStatistic(ms.Stat)) return invalid(`${m}.MetricStat.Stat`, ms.Stat);
  return {
    ...base,
    MetricStat: {
      Metric: { Namespace: metric.Namespace as string, MetricName: metric.MetricName as string, Dimensions: dims.dims },
      Period: ms.Period, Stat: ms.Stat, ...(typeof ms.Unit === 'string' ? { Unit: ms.Unit } : {}),
    },
  };
}

/**
 * Reads and checks `Metrics` (nothing changes): the queries and the alarm's period. The
 * expressions are run once over the current data so that a broken one is refused now. With
 * `band` (ThresholdMetricId is set) two queries return data, which alarms.anomaly.ts checks.
 */
export function readMathQueries(state: CloudWatchState, p: Params, now: number, band = false): { metrics: AlarmMetricQuery[]; period: number } | { error: ApiError } {
  for (const member of SINGLE_METRIC_MEMBERS)
    if (p[member] !== undefined && p[member] !== null) return err('ValidationError', `${member} should not be set if list of Metrics is set.`);
  const list = p.Metrics;
  if (!Array.isArray(list)) return invalid('Metrics', list);
  const badIds = queryIdsError(list, 'Metrics');
  if (badIds) return badIds;
  const metrics: AlarmMetricQuery[] = [];
  for (const [i, raw] of list.entries()) {
    const m = `Metrics.member.${i + 1}`;
    const q = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof q.Id !== 'string') return missing(`${m}.Id`);
    if (metrics.some((x) => x.Id === q.Id)) return err('ValidationError', `The value ${q.Id} for field Id must be unique.`);
    const r = readQuery(q, m);
    if ('error' in r) return r;
    metrics.push(r);
  }
  const stats = metrics.filter((q) => q.MetricStat).length;
  if (stats > MAX_ALARM_METRICS)
    return err('ValidationError', `An alarm on a metric math expression can retrieve at most ${MAX_ALARM_METRICS} metrics (MetricStat); this one has ${stats}.`);
  if (metrics.length - stats > MAX_ALARM_METRICS)
    return err('ValidationError', `An alarm on a metric math expression can have at most ${MAX_ALARM_METRICS} expressions; this one has ${metrics.length - stats}.`);
  if (!band && metrics.filter((q) => q.ReturnData).length !== 1) return err('ValidationError', 'Exactly one element of the metrics list should return data.');
  const periods = [...new Set(metrics.flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : [])))];
  if (periods.length > 1)
    return err('ValidationError', `All metrics of an alarm on a metric math expression must have the same period; found ${periods.join(' and ')}.`);
  if (stats === 0 && metrics.find((q) => q.ReturnData)!.Period === undefined) return err('ValidationError', 'Period must not be null');
  const ids = metrics.map((q) => q.Id);
  for (const q of metrics) {
    if (q.Expression === undefined) continue;
    const tree = parseExpression(q.Expression);
    if (typeof tree === 'string') return err('ValidationError', `Error in expression ${q.Id}: ${tree}`);
    const unknown = referencedIds(tree).find((x) => !ids.includes(x));
    if (unknown !== undefined) return err('ValidationError', `Error in expression ${q.Id}: unknown id ${unknown}`);
  }
  const period = mathPeriod({ Metrics: metrics });
  const run = queryAll(state, metrics, now - period * 1000, now, period);
  if (typeof run === 'string') return err('ValidationError', run);
  return { metrics, period };
}
