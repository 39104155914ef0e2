/**
 * Alarms on an anomaly-detection band (spec §1.1 "an anomaly-detection band", §1.2
 * `ThresholdMetricId` and the band operators): PutMetricAlarm with `Metrics` holding a metric and
 * an ANOMALY_DETECTION_BAND expression on it, `ThresholdMetricId` naming the band, one of
 * LessThanLowerOrGreaterThanUpperThreshold / LessThanLowerThreshold / GreaterThanUpperThreshold and
 * no `Threshold`. They are metric-math alarms (alarms.math.ts evaluates them every minute and hands
 * the datapoints here): the same M of N, TreatMissingData and evaluation range; a datapoint
 * breaches when it is outside the band in the operator's direction; a period without a band
 * counts as missing. The model is cloudwatch.anomaly.ts.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Anomaly_Detection_Alarm.html
 */
import { err } from '../../kernel/params.ts';
import type { ApiError, Params, ServiceContext } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import type { Series } from './cloudwatch.views.ts';
import { parseExpression } from './cloudwatch.math.ts';
import { DEFAULT_BAND_WIDTH, ensureDetector } from './cloudwatch.anomaly.ts';
import { evaluatePoints, type ComparisonOperator, type EvalOutcome, type Point } from './alarms.evaluate.ts';
import type { AlarmMetricQuery, MathAlarm } from './alarms.model.ts';
import { EXTRA_RANGE, dataTime, jnum, reasonFor, reasonTime, transition } from './alarms.runner.ts';

type Ctx = ServiceContext<CloudWatchState>;

/** Upper and lower limits of the band queries, by query id. */
export type Bands = Map<string, { upper: Series; lower: Series }>;

/** The comparison operators of anomaly-detection alarms (spec §1.2). */
export const BAND_OPERATORS = ['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold'] as const;
export const isBandOperator = (op: string): boolean => (BAND_OPERATORS as readonly string[]).includes(op);

/** Whether a value breaches the band [lower, upper] under a band operator (§1.2). */
export function breachesBand(op: ComparisonOperator, value: number, lower: number, upper: number): boolean {
  switch (op) {
    case 'LessThanLowerOrGreaterThanUpperThreshold': return value < lower || value > upper;
    case 'LessThanLowerThreshold': return value < lower;
    case 'GreaterThanUpperThreshold': return value > upper;
    default: return false;
  }
}

/** The metric an alarm's band is computed on (the band expression's first argument). */
function bandMetric(a: { Metrics: readonly AlarmMetricQuery[]; ThresholdMetricId?: string | undefined }): AlarmMetricQuery | undefined {
  const band = a.Metrics.find((q) => q.Id === a.ThresholdMetricId);
  const tree = band?.Expression !== undefined ? parseExpression(band.Expression) : null;
  if (tree === null || typeof tree === 'string' || tree.t !== 'call' || tree.name !== 'ANOMALY_DETECTION_BAND') return undefined;
  const arg = tree.args[0];
  return arg?.t === 'id' ? a.Metrics.find((q) => q.Id === arg.name) : undefined;
}

/**
 * The checks an anomaly-detection alarm adds to a metric-math alarm's (alarms.math-put.ts), in
 * AWS's wording where it is known: the band query must return data ("Metrics list must contain
 * exactly one metric matching the ThresholdMetricId parameter") and be an ANOMALY_DETECTION_BAND
 * expression ("Threshold metric expression must use ANOMALY_DETECTION_BAND function."); ours: its
 * argument is a metric, that metric is the one other query returning data, a period of at least a
 * minute (AWS's console: "one minute or longer"), no Auto Scaling actions (the API reference).
 */
export function checkBandAlarm(p: Params, metrics: readonly AlarmMetricQuery[], period: number): { error: ApiError } | null {
  const id = p.ThresholdMetricId as string;
  const band = metrics.filter((q) => q.Id === id && q.ReturnData);
  if (band.length !== 1) return err('ValidationError', 'Metrics list must contain exactly one metric matching the ThresholdMetricId parameter');
  const tree = band[0]!.Expression !== undefined ? parseExpression(band[0]!.Expression) : null;
  if (tree === null || typeof tree === 'string' || tree.t !== 'call' || tree.name !== 'ANOMALY_DETECTION_BAND')
    return err('ValidationError', 'Threshold metric expression must use ANOMALY_DETECTION_BAND function.');
  const metric = bandMetric({ Metrics: metrics, ThresholdMetricId: id });
  if (!metric?.MetricStat) return err('ValidationError', `Error in expression ${id}: ANOMALY_DETECTION_BAND needs the id of a metric (a MetricStat query), not of an expression.`);
  const others = metrics.filter((q) => q.ReturnData && q.Id !== id);
  if (others.length !== 1 || others[0]!.Id !== metric.Id)
    return err('ValidationError', `An anomaly detection alarm returns data from exactly two queries: the band (${id}) and the metric it is computed on (${metric.Id}).`);
  if (period < 60) return err('ValidationError', 'The period of an anomaly detection alarm must be 60 seconds or longer.');
  for (const member of ['OKActions', 'AlarmActions', 'InsufficientDataActions'])
    if (Array.isArray(p[member]) && (p[member] as unknown[]).some((a) => typeof a === 'string' && a.includes(':autoscaling:')))
      return err('ValidationError', 'Alarms based on anomaly detection models cannot have Auto Scaling actions.');
  return null;
}

/** A metric-math alarm without ThresholdMetricId must not return a band (ours: AWS's text is not published). */
export function checkNoBandReturned(metrics: readonly AlarmMetricQuery[]): { error: ApiError } | null {
  const q = metrics.find((x) => x.ReturnData);
  const tree = q?.Expression !== undefined ? parseExpression(q.Expression) : null;
  if (tree === null || typeof tree === 'string' || tree.t !== 'call' || tree.name !== 'ANOMALY_DETECTION_BAND') return null;
  return err('ValidationError', `The ANOMALY_DETECTION_BAND expression ${q!.Id} can only be the threshold of an alarm: set ThresholdMetricId to ${q!.Id} and use a comparison operator for ranges.`);
}

/**
 * The detector of the alarm's band, created when missing: at PutMetricAlarm (AWS: "the model is
 * generated when you are done creating the alarm") and at evaluation ("If you delete the model
 * without deleting the alarm, the alarm automatically recreates the model").
 */
export function ensureBandDetector(state: CloudWatchState, a: { Metrics: readonly AlarmMetricQuery[]; ThresholdMetricId?: string | undefined }): void {
  const ms = bandMetric(a)?.MetricStat;
  if (ms) ensureDetector(state, ms.Metric.Namespace, ms.Metric.MetricName, ms.Metric.Dimensions, ms.Stat);
}

/** Values of a series at the range's periods (NaN where it has none). */
export function onGrid(s: Series | undefined, start: number, pms: number, range: number): number[] {
  const out = new Array<number>(range).fill(Number.NaN);
  if (!s) return out;
  for (let i = 0; i < s.timestamps.length; i++) {
    const k = (s.timestamps[i]! - start) / pms;
    if (Number.isInteger(k) && k >= 0 && k < range) out[k] = s.values[i]!;
  }
  return out;
}

/**
 * StateReason of a band alarm, in the shape AWS writes (seen in an SNS notification: "Thresholds
 * Crossed: 1 out of the last 1 datapoints [0.465 (27/06/21 13:52:00)] was not less than the lower
 * thresholds [0.412] or not greater than the upper thresholds [0.470] (minimum 1 datapoint for
 * ALARM -> OK transition)."); the texts without data are the metric alarms' (reasonFor).
 */
function bandReason(a: MathAlarm, o: EvalOutcome, values: number[], lows: number[], ups: number[], stamps: number[], old: MathAlarm['StateValue']): string {
  if (o.rule === 'no-data') return reasonFor({ ...a, Threshold: 0 }, o, values, stamps, old);
  const m = a.DatapointsToAlarm ?? a.EvaluationPeriods, n = a.EvaluationPeriods;
  const breach = o.state === 'ALARM';
  const shown = o.used.filter((i) => breachesBand(a.ComparisonOperator, values[i]!, lows[i]!, ups[i]!) === breach);
  const k = shown.length;
  const list = (xs: number[]) => shown.map((i) => jnum(xs[i]!)).join(', ');
  const not = breach ? '' : 'not ';
  const lower = `${not}less than the lower thresholds [${list(lows)}]`, upper = `${not}greater than the upper thresholds [${list(ups)}]`;
  const cmp = a.ComparisonOperator === 'LessThanLowerThreshold' ? lower : a.ComparisonOperator === 'GreaterThanUpperThreshold' ? upper : `${lower} or ${upper}`;
  const treatedAs = a.TreatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching';
  const filled = o.rule === 'filled' && o.fillers > 0 && (a.TreatMissingData === 'breaching' || a.TreatMissingData === 'notBreaching')
    ? ` and ${o.fillers} missing datapoint${o.fillers === 1 ? ' was' : 's were'} treated as [${treatedAs}]` : '';
  const of = o.rule === 'enough-data' ? n : o.used.length;
  const need = breach ? m : n - m + 1;
  const points = shown.map((i) => `${jnum(values[i]!)} (${reasonTime(stamps[i]!)})`).join(', ');
  return `Thresholds Crossed: ${k} out of the last ${of} datapoint${of === 1 ? '' : 's'} [${points}] ${k === 1 ? 'was' : 'were'} ${cmp}${filled} (minimum ${need} datapoint${need === 1 ? '' : 's'} for ${old} -> ${o.state} transition).`;
}

/**
 * Evaluates a band alarm at `now` from its queries over the evaluation range (alarms.math.ts
 * fetched them): the watched metric against the band, period by period (§1.3, §1.4).
 */
export function evaluateBandAlarm(ctx: Ctx, a: MathAlarm, now: number, start: number, period: number, all: Map<string, Series>, bands: Bands): void {
  const pms = period * 1000;
  const n = a.EvaluationPeriods;
  const range = n + EXTRA_RANGE;
  const watched = a.Metrics.find((q) => q.ReturnData && q.Id !== a.ThresholdMetricId);
  const band = bands.get(a.ThresholdMetricId ?? '');
  const values = onGrid(watched && all.get(watched.Id), start, pms, range);
  const lows = onGrid(band?.lower, start, pms, range), ups = onGrid(band?.upper, start, pms, range);
  const stamps: number[] = [];
  for (let k = 0; k < range; k++) stamps.push(start + k * pms);
  // a period without a value or without a band is missing
  const points: Point[] = values.map((v, k) => (v !== v || lows[k] !== lows[k] ? null : breachesBand(a.ComparisonOperator, v, lows[k]!, ups[k]!)));
  const o = evaluatePoints({ points, n, m: a.DatapointsToAlarm ?? n, treat: a.TreatMissingData ?? 'missing', current: a.StateValue });
  if (o.state === a.StateValue) return;
  const used = [...o.used].reverse();
  // StateReasonData: the metric alarms' members, with the band's limits beside the datapoints
  const reasonObject = {
    version: '1.0',
    queryDate: dataTime(now),
    startDate: dataTime(o.used.length ? stamps[o.used[o.used.length - 1]!]! : start),
    period,
    recentDatapoints: used.map((i) => values[i]!),
    recentLowerThresholds: used.map((i) => lows[i]!),
    recentUpperThresholds: used.map((i) => ups[i]!),
    evaluatedDatapoints: o.used.map((i) => ({ timestamp: dataTime(stamps[i]!), value: values[i]! })),
  };
  transition(ctx, a, o.state, bandReason(a, o, values, lows, ups, stamps, a.StateValue), JSON.stringify(reasonObject), reasonObject);
}

/** What a band alarm watches, for the console: the metric, its statistic and the band's width; null for other alarms. */
export function bandAlarmInfo(a: MathAlarm): { metricName: string; stat: string; width: number } | null {
  if (a.ThresholdMetricId === undefined) return null;
  const ms = bandMetric(a)?.MetricStat;
  const tree = parseExpression(a.Metrics.find((q) => q.Id === a.ThresholdMetricId)?.Expression ?? '');
  const w = typeof tree !== 'string' && tree.t === 'call' ? tree.args[1] : undefined;
  return ms ? { metricName: ms.Metric.MetricName, stat: ms.Stat, width: w === undefined ? DEFAULT_BAND_WIDTH : w.t === 'num' ? w.v : Number.NaN } : null;
}
