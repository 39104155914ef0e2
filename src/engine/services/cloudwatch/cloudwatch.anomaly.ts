/**
 * CloudWatch anomaly detection (spec §1.1, §1.2): the detectors PutAnomalyDetector keeps, and the
 * model behind the metric-math function ANOMALY_DETECTION_BAND. AWS does not publish its algorithm
 * ("statistical and machine learning algorithms ... trains on up to two weeks of metric data");
 * the simulator's model is a deterministic seasonal mean ± width × standard deviation, written down
 * in LIMITATIONS.md ("Anomaly detection"):
 *
 * - The model of UTC day D is trained on the 14 days before D (never on day D itself), on the
 *   metric and statistic at the period asked for; ExcludedTimeRanges are left out.
 * - Expected value of a period starting at t: the mean of the same time of day (t − k days,
 *   k = 1…14) within ±15 minutes (⌊900 / Period⌋ periods either side), when those samples come from
 *   at least 3 different days; spread: their (population) standard deviation.
 * - Otherwise (less history, or a period that does not divide a day) the trailing model: mean and
 *   standard deviation of every training datapoint, when there are at least 10; else no band.
 * - Spread floor max(1 % of |expected|, 0.001); band = expected ± width × spread (width: the
 *   function's second argument, default 2); never below 0 when every training value is ≥ 0, and
 *   within 0–100 for metrics in Percent.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html
 */
import { toIso } from '../../kernel/time.ts';
import { metricKey, type CloudWatchState, type Dimension } from './cloudwatch.model.ts';
import { metricPeriods, statAt, streamsOf, type Series } from './cloudwatch.views.ts';
import { writeCount } from './cloudwatch.store.ts';

/** A single-metric anomaly detector (the model's configuration; the model itself is computed). */
export interface AnomalyDetector {
  Namespace: string;
  MetricName: string;
  /** In the order given. */
  Dimensions: Dimension[];
  Stat: string;
  /** Epoch ms, [StartTime, EndTime). */
  ExcludedTimeRanges: { StartTime: number; EndTime: number }[];
  MetricTimezone?: string;
  PeriodicSpikes?: boolean;
}

export interface AnomalyDetectorsState {
  byKey: Record<string, AnomalyDetector>;
  /** Creation order, for listings. */
  order: string[];
}

declare module './cloudwatch.model.ts' {
  interface CloudWatchState {
    /** Anomaly detectors (absent until the first one). */
    anomalyDetectors?: AnomalyDetectorsState;
  }
}

/** Days of history a model trains on (AWS: "up to two weeks"). */
export const TRAINING_DAYS = 14;
/** Distinct days the same-time-of-day samples must come from before the seasonal model is used. */
export const MIN_SEASON_DAYS = 3;
/** Datapoints the trailing model needs. */
export const MIN_TRAILING_POINTS = 10;
/** Default number of standard deviations (ANOMALY_DETECTION_BAND's second argument). */
export const DEFAULT_BAND_WIDTH = 2;
const SMOOTH_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** Identity of a detector: its metric and statistic. */
export const detectorKey = (namespace: string, metricName: string, dims: readonly Dimension[], stat: string): string =>
  `${metricKey(namespace, metricName, dims)}\u0002${stat}`;

/** The detector of a metric and statistic, if any. */
export function findDetector(state: CloudWatchState, namespace: string, metricName: string, dims: readonly Dimension[], stat: string): AnomalyDetector | undefined {
  return state.anomalyDetectors?.byKey[detectorKey(namespace, metricName, dims, stat)];
}

/** Creates or replaces a detector. */
export function putDetector(state: CloudWatchState, d: AnomalyDetector): void {
  const all = (state.anomalyDetectors ??= { byKey: {}, order: [] });
  const key = detectorKey(d.Namespace, d.MetricName, d.Dimensions, d.Stat);
  if (!all.byKey[key]) all.order.push(key);
  all.byKey[key] = d;
}

/** The detector of a metric and statistic, created without configuration when missing (an alarm's band). */
export function ensureDetector(state: CloudWatchState, namespace: string, metricName: string, dims: readonly Dimension[], stat: string): AnomalyDetector {
  const found = findDetector(state, namespace, metricName, dims, stat);
  if (found) return found;
  const d: AnomalyDetector = { Namespace: namespace, MetricName: metricName, Dimensions: dims.map((x) => ({ Name: x.Name, Value: x.Value })), Stat: stat, ExcludedTimeRanges: [] };
  putDetector(state, d);
  return d;
}

/** Removes a detector; false when there is none. */
export function deleteDetector(state: CloudWatchState, key: string): boolean {
  const all = state.anomalyDetectors;
  if (!all?.byKey[key]) return false;
  delete all.byKey[key];
  all.order = all.order.filter((k) => k !== key);
  return true;
}

/** What a band is computed on: the detector's metric and statistic, at a period, maybe one unit. */
export interface BandSource { detector: AnomalyDetector; period: number; unit?: string | undefined }

interface Training {
  base: number;
  pms: number;
  day: number;
  /** Values of the periods base + i·pms (NaN: no datapoint, or excluded). */
  values: Float64Array;
  /** Periods per day when the period divides a day (the seasonal model applies), else 0. */
  perDay: number;
  w: number;
  exp: Float64Array;
  spr: Float64Array;
  done: Uint8Array;
  trailing: { exp: number; spr: number } | null | undefined;
  nonNegative: boolean;
  percent: boolean;
}

/**
 * Runtime cache (never state) of training data, per state object. An entry is a pure function of
 * its key: the metric's data before the day (published: the day began at or before the last tick),
 * the roll-up hour, and for stored streams the number of writes into the metric (writeCount), so a
 * restored engine computes the same values cold.
 */
const trainings = new WeakMap<CloudWatchState, Map<string, Training>>();
const CACHE_MAX = 64;

function training(state: CloudWatchState, src: BandSource, t: number): Training {
  const d = src.detector, pms = src.period * 1000;
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const perDay = DAY_MS % pms === 0 ? DAY_MS / pms : 0;
  const w = perDay ? Math.floor(SMOOTH_MS / pms) : 0;
  const from = day - TRAINING_DAYS * DAY_MS - w * pms;
  const base = t - Math.floor((t - from) / pms) * pms;
  const stored = streamsOf(state, d.Namespace, d.MetricName, d.Dimensions, src.unit).some((s) => !s.virtual && !s.ebs);
  const m = stored ? state.metrics[metricKey(d.Namespace, d.MetricName, d.Dimensions)] : undefined;
  const key = [detectorKey(d.Namespace, d.MetricName, d.Dimensions, d.Stat), src.unit ?? '', src.period, base,
    d.ExcludedTimeRanges.map((r) => `${r.StartTime}-${r.EndTime}`).join(','), state.nextRollup, m ? writeCount(m) : ''].join('|');
  const cacheable = day <= state.lastTick;
  let cache = trainings.get(state);
  const hit = cacheable ? cache?.get(key) : undefined;
  if (hit) return hit;
  const count = Math.max(0, Math.floor((day - base) / pms));
  const values = new Float64Array(count).fill(Number.NaN);
  const p = count > 0 ? metricPeriods(state, {
    namespace: d.Namespace, metricName: d.MetricName, dimensions: d.Dimensions, start: base, end: base + count * pms, period: src.period, stat: d.Stat,
    ...(src.unit !== undefined ? { unit: src.unit } : {}),
  }) : null;
  if (p) for (let k = 0; k < count; k++) values[k] = statAt(p.a, k, p.spec);
  for (const r of d.ExcludedTimeRanges) {
    // a period overlapping an excluded range is left out
    const k0 = Math.max(0, Math.floor((r.StartTime - base) / pms)), k1 = Math.min(count, Math.ceil((r.EndTime - base) / pms));
    for (let k = k0; k < k1; k++) values[k] = Number.NaN;
  }
  let nonNegative = true, any = false;
  for (const v of values) if (v === v) { any = true; if (v < 0) nonNegative = false; }
  const streams = streamsOf(state, d.Namespace, d.MetricName, d.Dimensions, src.unit);
  const tr: Training = {
    base, pms, day, values, perDay, w,
    exp: new Float64Array(perDay), spr: new Float64Array(perDay), done: new Uint8Array(perDay), trailing: undefined,
    nonNegative: any && nonNegative, percent: streams.length > 0 && streams.every((s) => s.unit === 'Percent'),
  };
  if (cacheable) {
    if (!cache) trainings.set(state, (cache = new Map()));
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, tr);
  }
  return tr;
}

/** Mean and floored population standard deviation of `xs` (at least one value). */
function meanSpread(xs: readonly number[]): { exp: number; spr: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let q = 0;
  for (const x of xs) q += (x - mean) * (x - mean);
  return { exp: mean, spr: Math.max(Math.sqrt(q / xs.length), 0.01 * Math.abs(mean), 0.001) };
}

function trailingModel(tr: Training): { exp: number; spr: number } | null {
  if (tr.trailing !== undefined) return tr.trailing;
  const xs: number[] = [];
  for (const v of tr.values) if (v === v) xs.push(v);
  return (tr.trailing = xs.length >= MIN_TRAILING_POINTS ? meanSpread(xs) : null);
}

/** The model at the period starting at t (which shares the training's phase): expected value and spread, or null. */
function modelAt(tr: Training, t: number): { exp: number; spr: number } | null {
  if (tr.perDay === 0) return trailingModel(tr);
  const slot = Math.floor((t - tr.day) / tr.pms);
  if (tr.done[slot] === 1) return tr.exp[slot]! === tr.exp[slot]! ? { exp: tr.exp[slot]!, spr: tr.spr[slot]! } : trailingModel(tr);
  const i0 = Math.round((t - tr.base) / tr.pms);
  const xs: number[] = [];
  let days = 0;
  for (let k = 1; k <= TRAINING_DAYS; k++) {
    let found = false;
    for (let j = -tr.w; j <= tr.w; j++) {
      const i = i0 - k * tr.perDay + j;
      if (i < 0 || i >= tr.values.length) continue;
      const v = tr.values[i]!;
      if (v === v) { xs.push(v); found = true; }
    }
    if (found) days++;
  }
  tr.done[slot] = 1;
  if (days < MIN_SEASON_DAYS) { tr.exp[slot] = Number.NaN; return trailingModel(tr); }
  const m = meanSpread(xs);
  tr.exp[slot] = m.exp; tr.spr[slot] = m.spr;
  return m;
}

/** The band on the grid start, start + period, … before end: upper and lower series (no datapoint where there is no model). */
export function bandSeries(state: CloudWatchState, src: BandSource, width: number, start: number, end: number): { upper: Series; lower: Series } {
  const upper: Series = { timestamps: [], values: [] }, lower: Series = { timestamps: [], values: [] };
  const pms = src.period * 1000;
  if (!(pms > 0)) return { upper, lower };
  let tr: Training | null = null;
  for (let t = start; t < end; t += pms) {
    if (tr === null || t - tr.day >= DAY_MS || t < tr.day) tr = training(state, src, t);
    const m = modelAt(tr, t);
    if (!m) continue;
    let lo = m.exp - width * m.spr, hi = m.exp + width * m.spr;
    if (tr.nonNegative || tr.percent) lo = Math.max(0, lo);
    if (tr.percent) hi = Math.min(100, hi);
    upper.timestamps.push(t); upper.values.push(hi);
    lower.timestamps.push(t); lower.values.push(lo);
  }
  return { upper, lower };
}

export type DetectorStateValue = 'PENDING_TRAINING' | 'TRAINED_INSUFFICIENT_DATA' | 'TRAINED';

/**
 * A detector's StateValue at `now`: PENDING_TRAINING while none of the 14 days before today has a
 * datapoint (outside the excluded ranges), TRAINED_INSUFFICIENT_DATA with fewer than 3 such days
 * (the band, if any, is the trailing model), TRAINED from 3 days on.
 */
export function detectorState(state: CloudWatchState, d: AnomalyDetector, now: number): DetectorStateValue {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  const start = day - TRAINING_DAYS * DAY_MS, hours = TRAINING_DAYS * 24;
  const p = metricPeriods(state, { namespace: d.Namespace, metricName: d.MetricName, dimensions: d.Dimensions, start, end: day, period: 3600, stat: d.Stat });
  let days = 0;
  if (p) {
    for (let k = 0; k < TRAINING_DAYS; k++) {
      for (let h = 0; h < 24; h++) {
        const i = k * 24 + h;
        const v = i < hours ? statAt(p.a, i, p.spec) : Number.NaN;
        if (v !== v) continue;
        const t = start + i * 3600_000;
        if (d.ExcludedTimeRanges.some((r) => r.StartTime < t + 3600_000 && r.EndTime > t)) continue;
        days++;
        break;
      }
    }
  }
  return days === 0 ? 'PENDING_TRAINING' : days < MIN_SEASON_DAYS ? 'TRAINED_INSUFFICIENT_DATA' : 'TRAINED';
}

/** The DescribeAnomalyDetectors shape of a detector. */
export function describeDetector(d: AnomalyDetector, stateValue: DetectorStateValue, accountId: string): Record<string, unknown> {
  const dims = d.Dimensions.map((x) => ({ Name: x.Name, Value: x.Value }));
  return {
    Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: dims, Stat: d.Stat,
    Configuration: {
      ExcludedTimeRanges: d.ExcludedTimeRanges.map((r) => ({ StartTime: toIso(r.StartTime), EndTime: toIso(r.EndTime) })),
      ...(d.MetricTimezone !== undefined ? { MetricTimezone: d.MetricTimezone } : {}),
    },
    StateValue: stateValue,
    ...(d.PeriodicSpikes !== undefined ? { MetricCharacteristics: { PeriodicSpikes: d.PeriodicSpikes } } : {}),
    SingleMetricAnomalyDetector: { AccountId: accountId, Namespace: d.Namespace, MetricName: d.MetricName, Dimensions: dims.map((x) => ({ ...x })), Stat: d.Stat },
  };
}

/** The metric query an ANOMALY_DETECTION_BAND refers to, as the callers (GetMetricData, alarms, dashboards) know it. */
export interface BandMetric { namespace: string; metricName: string; dimensions: readonly Dimension[]; stat: string; period: number; unit?: string | undefined }

/**
 * MathEnv's `band` for a caller: the band of the metric (the detector of its metric and statistic)
 * on [start, end) — no datapoints without a detector — or an error text when the id is not a metric.
 */
export function bandOf(state: CloudWatchState, metric: BandMetric | undefined, width: number, start: number, end: number): { upper: Series; lower: Series } | string {
  if (!metric) return 'ANOMALY_DETECTION_BAND needs the id of a metric (a MetricStat query), not of an expression';
  const detector = findDetector(state, metric.namespace, metric.metricName, metric.dimensions, metric.stat);
  if (!detector) return { upper: { timestamps: [], values: [] }, lower: { timestamps: [], values: [] } };
  return bandSeries(state, { detector, period: metric.period, unit: metric.unit }, width, start, end);
}
