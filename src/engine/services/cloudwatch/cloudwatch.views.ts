/**
 * Pure read views over CloudWatch state, shared by the API (GetMetricStatistics, GetMetricData,
 * alarms) and the console graphs (which must not go through `engine.call`).
 */
import { MINUTE, TWO_WEEKS, metricKey, type CloudWatchState, type Dimension, type Metric, type Stream } from './cloudwatch.model.ts';
import { virtualActivity } from './cloudwatch.virtual.ts';
import { ebsActivity } from './cloudwatch.ebs-metrics.ts';
import { aggregatePeriods, type PeriodAggs } from './cloudwatch.store.ts';
import {
  basicStat, isLowSampleCount, type BasicStatistic, parseStatistic, rawAvailable, rawStat, sortedPairs, type StatSpec,
} from './cloudwatch.statistics.ts';

export interface SeriesQuery {
  namespace: string;
  metricName: string;
  dimensions?: readonly Dimension[];
  /** Epoch ms; periods start at `start` (align it first, see `alignStart`). */
  start: number;
  end: number;
  /** Seconds. */
  period: number;
  /** `Average`, `p99`, `TM(10%:90%)`, ... */
  stat: string;
  /** Only data published with this unit; all units combined when omitted. */
  unit?: string;
}

export interface Series { timestamps: number[]; values: number[] }

/** The streams of a metric (optionally one unit). */
export function streamsOf(state: CloudWatchState, namespace: string, metricName: string, dims: readonly Dimension[], unit?: string): Stream[] {
  const m = state.metrics[metricKey(namespace, metricName, dims)];
  if (!m) return [];
  return unit === undefined ? m.streams : m.streams.filter((s) => s.unit === unit);
}

/** Value of statistic `spec` for period k, or NaN when there is no datapoint. */
export function statAt(a: PeriodAggs, k: number, spec: StatSpec): number {
  const n = a.n[k]!;
  if (n === 0) return Number.NaN;
  if (spec.kind === 'basic') return basicStat(spec.name, { n, sum: a.s[k]!, min: a.lo[k]!, max: a.hi[k]! });
  const raw = a.raw?.[k] ?? null;
  if (!rawAvailable({ n, sum: a.s[k]!, min: a.lo[k]!, max: a.hi[k]! }, raw !== null)) return Number.NaN;
  return rawStat(spec, sortedPairs(raw!));
}

/** §1.7: is period k's percentile based on too few samples? */
export function lowSamplesAt(a: PeriodAggs, k: number, spec: StatSpec): boolean {
  return spec.kind === 'p' && isLowSampleCount(spec.p / 100, a.n[k]!);
}

/** Runtime scratch (never state) for metricSeries' period aggregates, grown up to SCRATCH_MAX periods. */
let SCRATCH: PeriodAggs = { n: new Float64Array(0), s: new Float64Array(0), lo: new Float64Array(0), hi: new Float64Array(0), raw: null, sumsOnly: false };
const SCRATCH_MAX = 1 << 17;

/**
 * The datapoints of one metric and statistic, one per period that has data, stamped at the start
 * of the period (spec §2.2). Used by GetMetricStatistics, GetMetricData and the console graph.
 */
export function metricSeries(state: CloudWatchState, q: SeriesQuery): Series {
  const out: Series = { timestamps: [], values: [] };
  const p = metricPeriods(state, q);
  if (p === null) return out;
  const { a, count, spec } = p;
  if (spec.kind === 'basic') {
    // the same values as statAt, without a per-period call; arrays sized by the periods with data
    const an = a.n;
    let m = 0;
    for (let k = 0; k < count; k++) if (an[k] !== 0) m++;
    const ts = new Array<number>(m), vs = new Array<number>(m);
    const name = spec.name;
    let j = 0;
    for (let k = 0; k < count; k++) {
      if (an[k] === 0) continue;
      const v = basicAt(a, k, name);
      if (Number.isNaN(v)) continue;
      ts[j] = q.start + k * q.period * 1000;
      vs[j++] = v;
    }
    if (j < m) { ts.length = j; vs.length = j; }
    out.timestamps = ts; out.values = vs;
    return out;
  }
  for (let k = 0; k < count; k++) {
    const v = statAt(a, k, spec);
    if (Number.isNaN(v)) continue;
    out.timestamps.push(q.start + k * q.period * 1000);
    out.values.push(v);
  }
  return out;
}

/** Value of basic statistic `name` for period k with data (n > 0): the same as statAt. */
export function basicAt(a: PeriodAggs, k: number, name: BasicStatistic): number {
  const n = a.n[k]!;
  return name === 'Average' ? a.s[k]! / n : name === 'Sum' ? a.s[k]! : name === 'SampleCount' ? n : name === 'Minimum' ? a.lo[k]! : a.hi[k]!;
}

/**
 * A query's period aggregates (periods of `q.period` from `q.start`), or null when there is nothing
 * to read. The aggregates live in a shared scratch: read them before the next query. For Average,
 * Sum and SampleCount, `lo`/`hi` are not filled (see PeriodAggs.sumsOnly).
 */
export function metricPeriods(state: CloudWatchState, q: SeriesQuery): { a: PeriodAggs; count: number; spec: StatSpec } | null {
  const spec = parseStatistic(q.stat);
  if (!spec || !(q.period > 0) || !(q.end > q.start)) return null;
  const count = Math.ceil((q.end - q.start) / (q.period * 1000));
  const streams = streamsOf(state, q.namespace, q.metricName, q.dimensions ?? [], q.unit);
  if (streams.length === 0) return null;
  if (count <= SCRATCH_MAX && SCRATCH.n.length < count) {
    let cap = Math.max(1024, SCRATCH.n.length);
    while (cap < count) cap *= 2;
    SCRATCH = { n: new Float64Array(cap), s: new Float64Array(cap), lo: new Float64Array(cap), hi: new Float64Array(cap), raw: null, sumsOnly: false };
  }
  SCRATCH.sumsOnly = spec.kind === 'basic' && spec.name !== 'Minimum' && spec.name !== 'Maximum';
  return { a: aggregatePeriods(streams, q.start, q.period, count, spec.kind !== 'basic', state, SCRATCH), count, spec };
}

/**
 * Where periods start for a query (GetMetricStatistics rules): a start less than 15 days ago is
 * rounded down to the minute (to the period for periods under a minute), 15–63 days ago to
 * 5 minutes, older to the hour.
 */
export function alignStart(start: number, period: number, now: number): number {
  const age = now - start;
  const unit = period < 60 ? period * 1000 : age > 63 * 86_400_000 ? 3600_000 : age > 15 * 86_400_000 ? 300_000 : MINUTE;
  return Math.floor(start / unit) * unit;
}

/**
 * Whether data of that age is kept at a resolution this period can use (spec §2.2): starts more
 * than 3 h ago need a multiple of 60 s, more than 15 days 300 s, more than 63 days 3,600 s;
 * otherwise AWS returns no datapoints.
 */
export function periodFitsAge(start: number, period: number, now: number): boolean {
  const age = now - start;
  if (age > 63 * 86_400_000) return period % 3600 === 0;
  if (age > 15 * 86_400_000) return period % 300 === 0;
  if (age > 3 * 3600_000) return period % 60 === 0;
  return true;
}

/** When a metric last received data, and the newest datapoint's stamp (virtual series computed). */
export function metricActivity(state: CloudWatchState, m: Metric): { lastPut: number; lastData: number } {
  let lastPut = m.lastPut, lastData = m.lastData;
  for (const st of m.streams) {
    if (!st.virtual && !st.ebs) continue;
    const a = st.virtual ? virtualActivity(state, st) : ebsActivity(state, st);
    if (a.lastPut > lastPut) lastPut = a.lastPut;
    if (a.lastData > lastData) lastData = a.lastData;
  }
  return { lastPut, lastData };
}

/** Metrics that ListMetrics shows: data within the last two weeks (spec §2.1). */
export function listableMetrics(state: CloudWatchState, now: number): { namespace: string; metricName: string; dimensions: Dimension[]; lastPut: number }[] {
  const out = [];
  for (const key of state.metricOrder) {
    const m = state.metrics[key]!;
    const { lastPut, lastData } = metricActivity(state, m);
    if (lastPut < now - TWO_WEEKS && lastData < now - TWO_WEEKS) continue;
    out.push({ namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions.map((d) => ({ ...d })), lastPut });
  }
  return out;
}
