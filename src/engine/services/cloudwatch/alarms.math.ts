/**
 * Metric-math alarms (PutMetricAlarm with `Metrics`; spec §1.1 "one metric-math expression, ≤ 10
 * metrics, all with the same period", §2.5): every minute (every 10 s for 10/20/30 s periods) the
 * queries are fetched over the evaluation range, the expressions evaluated, and the returned
 * series' datapoints go through the same evaluation as a metric alarm's (§1.3, §1.4), with the
 * same reason texts and history. Kept apart from alarms.runner.ts, whose hot path serves
 * single-metric alarms.
 */
import type { ServiceContext } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { metricSeries, type Series } from './cloudwatch.views.ts';
import { evaluateInOrder, type MathEnv } from './cloudwatch.math.ts';
import { breaches, evaluatePoints, type Point } from './alarms.evaluate.ts';
import { alarmList, type AlarmMetricQuery, type MathAlarm } from './alarms.model.ts';
import { EXTRA_RANGE, dataTime, reasonFor, transition } from './alarms.runner.ts';
import { bandOf } from './cloudwatch.anomaly.ts';
import { ensureBandDetector, evaluateBandAlarm, onGrid, type Bands } from './alarms.anomaly.ts';

type Ctx = ServiceContext<CloudWatchState>;

/** A math alarm's period: its metrics' (all the same), else the returned expression's own Period. */
export function mathPeriod(a: { Metrics: readonly AlarmMetricQuery[] }): number {
  for (const q of a.Metrics) if (q.MetricStat) return q.MetricStat.Period;
  return a.Metrics.find((q) => q.ReturnData)?.Period ?? 60;
}

/**
 * Every query's datapoints over [start, end) at `period` seconds: MetricStats read from the store,
 * expressions evaluated in order of dependency. An error text when an expression fails. An
 * ANOMALY_DETECTION_BAND query's upper and lower limits go to `bands` (its series is the upper).
 */
export function queryAll(state: CloudWatchState, metrics: readonly AlarmMetricQuery[], start: number, end: number, period: number, bands?: Bands): Map<string, Series> | string {
  const series = new Map<string, Series>();
  const periods = new Map<string, number>();
  const metricIds: string[] = [];
  for (const q of metrics) {
    const ms = q.MetricStat;
    if (!ms) continue;
    series.set(q.Id, metricSeries(state, {
      namespace: ms.Metric.Namespace, metricName: ms.Metric.MetricName, dimensions: ms.Metric.Dimensions,
      start, end, period: ms.Period, stat: ms.Stat, ...(ms.Unit !== undefined ? { unit: ms.Unit } : {}),
    }));
    periods.set(q.Id, ms.Period);
    metricIds.push(q.Id);
  }
  const env: MathEnv = {
    series, periods, metricIds, window: () => ({ start, end }),
    band: (id, width) => {
      const ms = metrics.find((q) => q.Id === id)?.MetricStat;
      return bandOf(state, ms && { namespace: ms.Metric.Namespace, metricName: ms.Metric.MetricName, dimensions: ms.Metric.Dimensions, stat: ms.Stat, period: ms.Period, unit: ms.Unit }, width, start, end);
    },
  };
  let failed: string | null = null;
  const left = evaluateInOrder(metrics.filter((q) => q.Expression !== undefined), (q) => q.Expression!, env, (q, r) => {
    if (typeof r === 'string') { failed = `Error in expression ${q.Id}: ${r}`; return false; }
    series.set(q.Id, r.series);
    periods.set(q.Id, r.period);
    if (r.band) bands?.set(q.Id, r.band);
  }, (q) => { env.defaultPeriod = q.Period ?? period; });
  if (failed !== null) return failed;
  if (left.length) return `Error in expression ${left[0]!.Id}: circular or unknown reference`;
  return series;
}

/** Evaluates one metric-math alarm at time `now` (§1.3, §1.4). */
export function evaluateMathAlarm(ctx: Ctx, a: MathAlarm, now: number): void {
  const period = mathPeriod(a);
  const pms = period * 1000;
  const n = a.EvaluationPeriods;
  const range = n + EXTRA_RANGE;
  const start = now - range * pms;
  const bands: Bands | undefined = a.ThresholdMetricId !== undefined ? new Map() : undefined;
  if (bands) ensureBandDetector(ctx.state, a);
  const all = queryAll(ctx.state, a.Metrics, start, now, period, bands);
  if (typeof all === 'string') return; // PutMetricAlarm ran the expressions once; nothing can fail later
  if (bands || a.Threshold === undefined) { evaluateBandAlarm(ctx, a, now, start, period, all, bands ?? new Map()); return; }
  const threshold = a.Threshold;
  const values = onGrid(all.get(a.Metrics.find((q) => q.ReturnData)!.Id), start, pms, range);
  const stamps: number[] = [];
  for (let k = 0; k < range; k++) stamps.push(start + k * pms);
  const points: Point[] = values.map((v) => (Number.isNaN(v) ? null : breaches(a.ComparisonOperator, v, threshold)));
  const o = evaluatePoints({ points, n, m: a.DatapointsToAlarm ?? n, treat: a.TreatMissingData ?? 'missing', current: a.StateValue });
  if (o.state === a.StateValue) return;
  const reasonObject = {
    version: '1.0',
    queryDate: dataTime(now),
    startDate: dataTime(o.used.length ? stamps[o.used[o.used.length - 1]!]! : start),
    period,
    recentDatapoints: [...o.used].reverse().map((i) => values[i]!),
    threshold,
    evaluatedDatapoints: o.used.map((i) => ({ timestamp: dataTime(stamps[i]!), value: values[i]! })),
  };
  transition(ctx, a, o.state, reasonFor({ ...a, Threshold: threshold }, o, values, stamps, a.StateValue), JSON.stringify(reasonObject), reasonObject,
    { threshold, values: reasonObject.recentDatapoints });
}

/** Evaluates the metric-math alarms of one cadence (`fast`: periods under a minute). */
export function evaluateMathAlarms(ctx: Ctx, now: number, fast: boolean): void {
  for (const a of alarmList(ctx.state.alarms)) {
    if (a.kind === 'math' && (mathPeriod(a) < 60) === fast) evaluateMathAlarm(ctx, a, now);
  }
}
