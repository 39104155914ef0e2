/**
 * The metric store: inserting datapoints into resolution tiers, rolling old data up to coarser
 * tiers (spec §2.2), and aggregating buckets into periods for queries and alarms.
 */
import {
  TIERS, RETENTION_MS, chunkSpanMs,
  type Chunk, type CloudWatchState, type Dimension, type Metric, type Stream, type TierWidth,
  metricKey, sortDims,
} from './cloudwatch.model.ts';
import { aggregateVirtual } from './cloudwatch.virtual.ts';
import { aggregateEbs } from './cloudwatch.ebs-metrics.ts';

const TIER_KEY = { 1: '1', 60: '60', 300: '300', 3600: '3600' } as const;
const SPAN: Record<TierWidth, number> = { 1: chunkSpanMs(1), 60: chunkSpanMs(60), 300: chunkSpanMs(300), 3600: chunkSpanMs(3600) };
const TIER_LIST: readonly TierWidth[] = [...TIERS];

/** Raw value lists longer than this many value/count pairs are dropped (percentiles unavailable). */
export const MAX_RAW_PAIRS = 1000;

/** A sample set to add: aggregates plus, when samples differ, the raw pairs (or null if unknown). */
export interface SampleSet { n: number; s: number; lo: number; hi: number; raw: number[] | null }

/** The metric with this identity, created when `create` is set. */
export function getMetric(state: CloudWatchState, namespace: string, metricName: string, dims: readonly Dimension[], create: boolean): Metric | undefined {
  const key = metricKey(namespace, metricName, dims);
  let m = state.metrics[key];
  if (!m && create) {
    m = { namespace, metricName, dimensions: sortDims(dims), lastData: -Infinity, lastPut: -Infinity, streams: [] };
    state.metrics[key] = m;
    state.metricOrder.push(key);
  }
  return m;
}

export function getStream(m: Metric, unit: string): Stream {
  let st = m.streams.find((x) => x.unit === unit);
  if (!st) {
    st = { unit, tiers: {} };
    m.streams.push(st);
    streamGeneration++;
  }
  return st;
}

/** Bumped whenever a stored stream is made (any engine): storedStreams' caches are then rebuilt. */
let streamGeneration = 0;
export const streamGenerationNow = (): number => streamGeneration;
const storedCache = new WeakMap<CloudWatchState, { gen: number; list: Stream[] }>();

/** The streams that hold stored chunks (not AWS/EC2 or AWS/EBS, computed on read). Runtime cache. */
function storedStreams(state: CloudWatchState): Stream[] {
  let c = storedCache.get(state);
  if (c === undefined || c.gen !== streamGeneration) {
    const list: Stream[] = [];
    for (const key of state.metricOrder) for (const st of state.metrics[key]!.streams) if (!st.virtual && !st.ebs) list.push(st);
    storedCache.set(state, (c = { gen: streamGeneration, list }));
  }
  return c.list;
}

const nAt = (c: Chunk, i: number): number => (c.n ? c.n[i]! : 1);
const loAt = (c: Chunk, i: number): number => (c.lo ? c.lo[i]! : c.s[i]!);
const hiAt = (c: Chunk, i: number): number => (c.hi ? c.hi[i]! : c.s[i]!);

function rawOf(c: Chunk, i: number): number[] | null {
  const v = c.v?.[i];
  if (v) return v;
  const lo = loAt(c, i);
  return lo === hiAt(c, i) ? [lo, nAt(c, i)] : null;
}

function setRaw(c: Chunk, i: number, raw: number[] | null): void {
  if (raw === null || loAt(c, i) === hiAt(c, i)) {
    if (c.v) c.v[i] = null;
    return;
  }
  if (raw.length > 2 * MAX_RAW_PAIRS) raw = null;
  if (!c.v) c.v = c.t.map(() => null);
  c.v[i] = raw;
}

/** Gives a single-sample chunk its SampleCount/Minimum/Maximum arrays. */
function widen(c: Chunk): void {
  if (c.n) return;
  c.n = c.t.map(() => 1);
  c.lo = c.s.slice();
  c.hi = c.s.slice();
}

function chunkFor(list: Chunk[], start: number): Chunk {
  const last = list[list.length - 1];
  if (last && last.start === start) return last;
  let i = list.length;
  while (i > 0 && list[i - 1]!.start > start) i--;
  if (i > 0 && list[i - 1]!.start === start) return list[i - 1]!;
  const c: Chunk = { start, t: [], s: [] };
  list.splice(i, 0, c);
  return c;
}

/** First index in `t` with t[i] >= x. */
export function lowerBound(t: readonly number[], x: number): number {
  let lo = 0, hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds a sample set to the bucket of `width` seconds that contains `time`. */
export function addToTier(stream: Stream, width: TierWidth, time: number, x: SampleSet): void {
  const wms = width * 1000;
  const bt = time - (time % wms);
  const span = SPAN[width];
  const list = (stream.tiers[TIER_KEY[width]] ??= []);
  const c = chunkFor(list, bt - (bt % span));
  const len = c.t.length;
  const single = x.n === 1 && x.lo === x.hi && x.s === x.lo;
  // fast path: a new newest bucket with one sample in a single-sample chunk
  if ((len === 0 || c.t[len - 1]! < bt) && single && !c.n) {
    c.t.push(bt);
    c.s.push(x.s);
    if (c.v) c.v.push(null);
    return;
  }
  const i = len > 0 && c.t[len - 1]! < bt ? len : len > 0 && c.t[len - 1] === bt ? len - 1 : lowerBound(c.t, bt);
  widen(c);
  const n = c.n!, lo = c.lo!, hi = c.hi!;
  if (i < len && c.t[i] === bt) {
    const oldRaw = rawOf(c, i);
    n[i] = n[i]! + x.n;
    c.s[i] = c.s[i]! + x.s;
    if (x.lo < lo[i]!) lo[i] = x.lo;
    if (x.hi > hi[i]!) hi[i] = x.hi;
    const addRaw = x.raw ?? (x.lo === x.hi ? [x.lo, x.n] : null);
    setRaw(c, i, oldRaw && addRaw ? oldRaw.concat(addRaw) : null);
    return;
  }
  if (i === len) {
    c.t.push(bt); n.push(x.n); c.s.push(x.s); lo.push(x.lo); hi.push(x.hi);
    if (c.v) c.v.push(null);
  } else {
    c.t.splice(i, 0, bt); n.splice(i, 0, x.n); c.s.splice(i, 0, x.s); lo.splice(i, 0, x.lo); hi.splice(i, 0, x.hi);
    if (c.v) c.v.splice(i, 0, null);
  }
  if (x.lo !== x.hi) setRaw(c, i, x.raw);
}

/**
 * Runtime only (never state): how many sample sets were stored into a metric record, a symbol-keyed
 * non-enumerable property (JSON, hashes and spreads never see it), so that values derived from
 * stored data (the anomaly model's training, cloudwatch.anomaly.ts) know when to recompute.
 */
const WRITES = Symbol('stored writes');
type Counted = Metric & { [WRITES]?: number };
export const writeCount = (m: Metric): number => (m as Counted)[WRITES] ?? 0;

/** Stores a sample set at the finest tier that still keeps data of that age. */
export function addSamples(m: Metric, unit: string, time: number, resolution: 1 | 60, x: SampleSet, now: number): void {
  const c = m as Counted;
  if (c[WRITES] === undefined) Object.defineProperty(c, WRITES, { value: 1, writable: true, enumerable: false, configurable: false });
  else c[WRITES]++;
  const stream = getStream(m, unit);
  const width: TierWidth = resolution === 1 && time >= now - RETENTION_MS[1] ? 1 : 60;
  addToTier(stream, width, time, x);
  if (time > m.lastData) m.lastData = time;
  m.lastPut = now;
}

/**
 * Moves whole chunks older than their tier's retention into the next tier (1 s → 1 min → 5 min →
 * 1 h) and drops 1-hour data older than 455 days. Runs per chunk, so data stays at the finer
 * resolution up to one chunk span longer than AWS keeps it.
 */
export function rollUp(state: CloudWatchState, now: number): void {
  // (streams computed on read, AWS/EC2 and AWS/EBS, have nothing stored to roll up)
  for (const stream of storedStreams(state)) {
    for (let ti = 0; ti < TIERS.length; ti++) {
      const w = TIERS[ti]!;
      const list = stream.tiers[TIER_KEY[w]];
      if (!list) continue;
      const cutoff = now - RETENTION_MS[w];
      let drop = 0;
      while (drop < list.length && list[drop]!.start + chunkSpanMs(w) <= cutoff) drop++;
      if (drop === 0) continue;
      const next = TIERS[ti + 1];
      for (const c of list.slice(0, drop)) {
        if (next === undefined) continue;
        for (let i = 0; i < c.t.length; i++) {
          addToTier(stream, next, c.t[i]!, { n: nAt(c, i), s: c.s[i]!, lo: loAt(c, i), hi: hiAt(c, i), raw: c.v?.[i] ?? null });
        }
      }
      list.splice(0, drop);
    }
  }
}

/** Per-period aggregates over `count` periods of `period` seconds from `start` (epoch ms). */
export interface PeriodAggs {
  n: Float64Array;
  s: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** Raw pairs per period when requested; null for a period whose raw values are unknown. */
  raw: (number[] | null)[] | null;
  /**
   * Set by a caller that reads only `n` and `s` (Average, Sum, SampleCount): fast paths may then
   * leave `lo`/`hi` unset. Absent or false: every field is exact.
   */
  sumsOnly?: boolean;
}

/**
 * Aggregates every bucket with start in [start, start + count·period) into its period.
 * Streams are combined (all units) unless the caller passes one. Virtual streams (AWS/EC2 metrics
 * from signals) are computed from `state`, exactly as if they had been stored. With `into` (scratch
 * arrays of at least `count` entries, reset here), the result is written there and returned.
 */
export function aggregatePeriods(
  streams: readonly Stream[], start: number, period: number, count: number, wantRaw: boolean, state?: CloudWatchState, into?: PeriodAggs,
): PeriodAggs {
  const pms = period * 1000;
  const end = start + count * pms;
  let out: PeriodAggs;
  if (into && into.n.length >= count) {
    // the caller's scratch arrays (at least `count` long): only the first `count` entries are used
    into.n.fill(0, 0, count); into.s.fill(0, 0, count);
    if (!into.sumsOnly) { into.lo.fill(Infinity, 0, count); into.hi.fill(-Infinity, 0, count); }
    into.raw = wantRaw ? Array.from({ length: count }, () => [] as number[] | null) : null;
    out = into;
  } else {
    out = {
      n: new Float64Array(count), s: new Float64Array(count),
      lo: new Float64Array(count).fill(Infinity), hi: new Float64Array(count).fill(-Infinity),
      raw: wantRaw ? Array.from({ length: count }, () => [] as number[] | null) : null,
    };
  }
  for (const stream of streams) {
    if (stream.virtual) {
      // computed from the instance's series (needs the state; none without it)
      if (state) aggregateVirtual(state, stream, out, start, pms, end, wantRaw);
      continue;
    }
    if (stream.ebs) {
      // AWS/EBS: computed from the volume's attachments (needs the state; none without it)
      if (state) aggregateEbs(state, stream, out, start, pms, end, wantRaw);
      continue;
    }
    for (const w of TIER_LIST) {
      const list = stream.tiers[TIER_KEY[w]];
      if (!list) continue;
      const span = SPAN[w];
      for (let ci = list.length - 1; ci >= 0; ci--) {
        const c = list[ci]!;
        if (c.start >= end) continue;
        if (c.start + span <= start) break;
        const t = c.t, cs = c.s, cn = c.n, clo = c.lo, chi = c.hi;
        for (let i = c.start >= start ? 0 : lowerBound(t, start); i < t.length; i++) {
          const ti = t[i]!;
          if (ti >= end) break;
          const k = Math.floor((ti - start) / pms);
          const sv = cs[i]!;
          out.s[k] = out.s[k]! + sv;
          if (cn) {
            out.n[k] = out.n[k]! + cn[i]!;
            if (clo![i]! < out.lo[k]!) out.lo[k] = clo![i]!;
            if (chi![i]! > out.hi[k]!) out.hi[k] = chi![i]!;
          } else {
            out.n[k] = out.n[k]! + 1;
            if (sv < out.lo[k]!) out.lo[k] = sv;
            if (sv > out.hi[k]!) out.hi[k] = sv;
          }
          if (out.raw) {
            const acc = out.raw[k];
            if (acc) {
              const r = rawOf(c, i);
              if (r) for (const x of r) acc.push(x);
              else out.raw[k] = null;
            }
          }
        }
      }
    }
  }
  return out;
}
