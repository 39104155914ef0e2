/**
 * Reading the virtual AWS/EC2 series: datapoints computed on read from what determines them (an
 * instance's running intervals, monitoring mode and signals, `Ec2Series`), giving exactly what a
 * store that had materialised every datapoint would answer. That store (cloudwatch.store.ts, still
 * used for custom metrics) puts 1-minute datapoints (detailed monitoring) or 5-minute statistic
 * sets of the 1-minute samples (basic monitoring) into the 60 s tier, and the hourly roll-up moves
 * whole chunks older than their retention to the 300 s and then 3,600 s tier, merging buckets in
 * time order. This module emulates the same buckets, in the same order (tiers fine to coarse,
 * chunks newest first, buckets oldest first) and with the same floating-point operations, so sums
 * and raw-value lists match bit for bit.
 */
import {
  RETENTION_MS, chunkSpanMs, type CloudWatchState, type Ec2Series, type Signal, type Stream,
} from './cloudwatch.model.ts';
import { MAX_RAW_PAIRS, type PeriodAggs } from './cloudwatch.store.ts';
import { fillCpu, netInAt, netOutAt, packetsInAt, packetsOutAt, signalAt, steadySignal } from './cloudwatch.signals.ts';
import { aggregateActivity, aggregateMembers } from './cloudwatch.ec2-aggregates.ts';

// local constants: module bindings can be slow to reach in hot loops through some loaders
const MIN = 60_000, FIVE = 300_000, HOUR = 3_600_000, DAY_MS = 86_400_000;
const RETAIN60 = RETENTION_MS[60];
const SPAN60 = chunkSpanMs(60), SPAN300 = chunkSpanMs(300), SPAN3600 = chunkSpanMs(3600);

/** Where the tiers of a virtual series start, after the last hourly roll-up at `r` (spec §2.2). */
export interface Layout { cut3600: number; cut300: number; cut60: number }

export function layoutAt(r: number): Layout {
  return {
    cut3600: Math.floor((r - RETENTION_MS[3600]) / SPAN3600) * SPAN3600,
    cut300: Math.floor((r - RETENTION_MS[300]) / SPAN300) * SPAN300,
    cut60: Math.floor((r - RETENTION_MS[60]) / SPAN60) * SPAN60,
  };
}

/** Time of the last roll-up (the state keeps the next one, an hour later). */
export const lastRollupOf = (state: CloudWatchState): number => state.nextRollup - HOUR;

// One day of minutes: kind 0 = no datapoint, 1 = its own 1-minute bucket, 2 = basic-monitoring sample.
const CPU = new Float64Array(1440);
/** The day being read (its cached arrays). */
let KIND: Uint8Array = new Uint8Array(1440), VAL: Float64Array = new Float64Array(1440);

/**
 * Runtime cache (never state, so never saved or hashed): per series and metric, the minutes of a
 * day as far as they are final (every 1-minute value before the last tick; basic-monitoring
 * samples once their 5 minutes were published), extended as ticks run, with 5-minute summaries
 * once the day is complete. Bounded per series; dropped with the state objects.
 */
export interface DayData {
  found: number; kind: Uint8Array; val: Float64Array;
  /** Filled up to (exclusive) at `tick`; minutes before `final` cannot change any more. */
  to: number; tick: number; final: number;
  w: { n: Float64Array; s: Float64Array; lo: Float64Array; hi: Float64Array } | null;
  /**
   * CPU values are computed ahead to the end of the day: `val` from minute `aheadFrom` on holds the
   * values of signal `ahead` (a value depends only on signal, key and minute, so they are what a
   * later fill would compute while that signal stays in force). Read only where `kind` says a
   * datapoint exists, as always.
   */
  ahead: Signal | null; aheadFrom: number;
}
const dayCache = new WeakMap<Ec2Series, Map<number, DayData>>();
const DAYS_PER_SERIES = 40;

function dayData(series: Ec2Series, metric: number, lastTick: number, day: number): DayData {
  let m = dayCache.get(series);
  if (!m) dayCache.set(series, (m = new Map()));
  const key = day + metric;
  let d = m.get(key);
  if (!d) {
    d = { found: 0, kind: new Uint8Array(1440), val: new Float64Array(1440), to: day, tick: -1, final: day, w: null, ahead: null, aheadFrom: 1440 };
    if (m.size >= DAYS_PER_SERIES) m.delete(m.keys().next().value!);
    m.set(key, d);
  }
  return refreshDay(d, series, metric, lastTick, day);
}

/** Brings a day's cached minutes up to the tick `lastTick` (see DayData). */
function refreshDay(d: DayData, series: Ec2Series, metric: number, lastTick: number, day: number): DayData {
  const end = day + 86_400_000;
  if (d.tick !== lastTick && d.final < end) {
    const to = Math.max(day, Math.min(end, lastTick));
    if (to > d.final && !extendDetailed(d, series, metric, day, to)) d.found |= fillDay(series, metric, lastTick, day, d.final, to, d.kind, d.val, d);
    d.to = to;
    d.tick = lastTick;
    d.final = series.gone !== null ? to : Math.max(d.final, Math.min(to, settledBefore(series, metric, lastTick)));
  }
  return d;
}

/**
 * fillDay's usual minute, without its general walk: CPU minutes [d.final, to) of a running
 * detailed-monitoring instance whose flags and signal have not changed since before d.final and
 * whose values were computed ahead (DayData.ahead). Returns false when that is not the case.
 */
function extendDetailed(d: DayData, series: Ec2Series, metric: number, day: number, to: number): boolean {
  if (metric !== 0 || d.ahead === null || series.gone !== null) return false;
  // (the tick that published minute d.final)
  if (steadySignal(series, d.final + MIN) !== d.ahead) return false;
  const ia = ((d.final - day) / MIN) | 0, ib = ((to - day) / MIN) | 0;
  if (ia < d.aheadFrom) return false;
  const kind = d.kind;
  for (let i = ia; i < ib; i++) kind[i] = 1;
  d.found |= 1;
  return true;
}

/**
 * Minutes before this cannot change any more: every published minute, except basic-monitoring
 * samples of the current 5 minutes (visible only at its edge). Flags and signals change only from
 * the next tick on (setSegment, setSignalFrom), so earlier minutes keep their values.
 */
function settledBefore(series: Ec2Series, metric: number, lastTick: number): number {
  if ((metric & 7) === 3) return lastTick;
  const w = Math.floor(lastTick / FIVE) * FIVE;
  const seg = series.seg;
  for (let j = seg.length - 2; j >= 0; j -= 2) {
    const from = seg[j]! - MIN, to = (seg[j + 2] ?? Infinity) - MIN; // the minutes this segment publishes
    if (to <= w) break;
    if (from < lastTick && basicSamples(seg[j + 1]!, metric)) return w; // basic samples in the current 5 minutes
  }
  return lastTick;
}

/**
 * Metric codes inside this module: an EC2_METRICS index, plus 8 for an aggregate member's view
 * (only its detailed-monitoring minutes count, spec §2.6). Whether a segment with `flags` publishes
 * 1-minute datapoints of `metric`, or basic-monitoring samples (one 5-minute set each 5 minutes).
 */
export function minuteSamples(flags: number, metric: number): boolean {
  if (!(flags & 1) || (metric & 8 && !(flags & 2))) return false;
  const code = metric & 7;
  return code === 3 || (code < 4 && (flags & 2) !== 0);
}

export function basicSamples(flags: number, metric: number): boolean {
  if (!(flags & 1) || (metric & 8 && !(flags & 2))) return false;
  const code = metric & 7;
  return code > 3 || (code < 3 && (flags & 2) === 0);
}

/** 5-minute summaries of a sealed day whose buckets are all 1-minute ones: each the fold in time order. */
function windows(d: DayData): NonNullable<DayData['w']> {
  if (d.w) return d.w;
  const n = new Float64Array(288), s = new Float64Array(288), lo = new Float64Array(288), hi = new Float64Array(288);
  for (let w = 0, i = 0; w < 288; w++) {
    let fn = 0, fs = 0, flo = Infinity, fhi = -Infinity;
    for (const e = i + 5; i < e; i++) {
      if (d.kind[i] !== 1) continue;
      const v = d.val[i]!;
      fs = fn === 0 ? v : fs + v;
      fn++;
      if (v < flo) flo = v;
      if (v > fhi) fhi = v;
    }
    n[w] = fn; s[w] = fs; lo[w] = flo; hi[w] = fhi;
  }
  return (d.w = { n, s, lo, hi });
}

// local bindings for the hot path, taken on first use (imported ones can be slow to reach through
// some loaders; a module-level copy could run before the import cycle with the store resolves)
let FILL_CPU: typeof fillCpu | null = null, NET_IN: typeof netInAt | null = null, NET_OUT: typeof netOutAt | null = null;

/**
 * Fills KIND/VAL for the minutes [a, b) of the day starting at `day` (minute-aligned), as published
 * by ticks up to `lastTick`. Returns 1 if any 1-minute bucket, 2 if any basic sample (or both).
 */
function fillDay(
  series: Ec2Series, metric: number, lastTick: number, day: number, a: number, b: number, KIND: Uint8Array, VAL: Float64Array, dd?: DayData,
): number {
  const i0 = (a - day) / MIN, i1 = (b - day) / MIN;
  for (let i = i0; i < i1; i++) KIND[i] = 0; // usually a minute or two: cheaper than fill()
  const seg = series.seg;
  const fill = FILL_CPU ??= fillCpu, netIn_ = NET_IN ??= netInAt, netOut_ = NET_OUT ??= netOutAt;
  // code: the EC2_METRICS index; with 8 (an aggregate member) only detailed-monitoring minutes count
  const code = metric & 7, need = metric & 8 ? 3 : 1;
  let found = 0;
  for (let j = 0; j < seg.length; j += 2) {
    const flags = seg[j + 1]!;
    if ((flags & need) !== need) continue;
    // ticks [from, to) publish minutes [from − 1 min, to − 1 min); only ticks up to lastTick ran
    const ma = Math.max(a, seg[j]! - MIN);
    const mb = Math.min(b, (seg[j + 2] ?? Infinity) - MIN, lastTick);
    if (ma >= mb) continue;
    const ia = (ma - day) / MIN, ib = (mb - day) / MIN;
    // StatusCheckFailed is 1-minute in both monitoring modes, NetworkPackets* 5-minute in both
    if ((flags & 2 && code < 4) || code === 3) {
      for (let i = ia; i < ib; i++) KIND[i] = 1;
      found |= 1;
    } else {
      // a basic sample is visible once its 5 minutes were published (edge tick, or termination)
      for (let i = ia; i < ib; i++) {
        const w = day + (i - (i % 5)) * MIN;
        if (w + FIVE <= lastTick || series.gone !== null) { KIND[i] = 2; found |= 2; }
      }
    }
    if (code === 3) { VAL.fill(0, ia, ib); continue; }
    // values of the running minutes, split where the signal changed
    let x = ma;
    while (x < mb) {
      const tick = x + MIN;
      let next = mb;
      const changes = series.sig;
      for (let j = 0; j < changes.length; j++) if (changes[j]!.at > tick) { next = Math.min(next, changes[j]!.at - MIN); break; }
      const sig = signalAt(series, tick);
      const ix = (x - day) / MIN, n = (next - x) / MIN;
      if (code === 0 && dd !== undefined) {
        // CPU: computed ahead to the end of the day, once per signal (see DayData.ahead)
        if (dd.ahead !== sig || ix < dd.aheadFrom) {
          fill(sig, series.key, x, 1440 - ix, VAL, ix);
          dd.ahead = sig; dd.aheadFrom = ix;
        }
        x = next;
        continue;
      }
      fill(sig, series.key, x, n, code === 0 ? VAL : CPU, ix);
      if (code !== 0) {
        for (let i = 0, t = x; i < n; i++, t += MIN) {
          const netIn = netIn_(CPU[ix + i]!, series.key, t);
          VAL[ix + i] = code === 1 ? netIn : code === 2 ? netOut_(netIn, series.key, t)
            : code === 4 ? packetsInAt(netIn, series.key, t) : packetsOutAt(netOut_(netIn, series.key, t), series.key, t);
        }
      }
      x = next;
    }
  }
  return found;
}

/** A bucket as the materialised store holds it; `raw` is its stored raw list (see Chunk.v). */
interface Bucket { n: number; s: number; lo: number; hi: number; raw: number[] | null }

const rawOf = (b: Bucket): number[] | null => b.raw ?? (b.lo === b.hi ? [b.lo, b.n] : null);

/** addToTier's first insert of `x` into an empty bucket. */
function first(acc: Bucket, x: Bucket, wantRaw: boolean): void {
  acc.n = x.n; acc.s = x.s; acc.lo = x.lo; acc.hi = x.hi;
  acc.raw = wantRaw && x.lo !== x.hi && x.raw !== null && x.raw.length <= 2 * MAX_RAW_PAIRS ? x.raw : null;
}

/** addToTier's merge of `x` into an existing bucket (same operations, same order). */
function merge(acc: Bucket, x: Bucket, wantRaw: boolean): void {
  const oldRaw = wantRaw ? rawOf(acc) : null;
  acc.n = acc.n + x.n;
  acc.s = acc.s + x.s;
  if (x.lo < acc.lo) acc.lo = x.lo;
  if (x.hi > acc.hi) acc.hi = x.hi;
  if (!wantRaw) return;
  const addRaw = x.raw ?? (x.lo === x.hi ? [x.lo, x.n] : null);
  const cat = oldRaw && addRaw ? oldRaw.concat(addRaw) : null;
  acc.raw = cat === null || acc.lo === acc.hi || cat.length > 2 * MAX_RAW_PAIRS ? null : cat;
}

/** aggregatePeriods' accumulation of one bucket into period k. */
function emit(out: PeriodAggs, k: number, b: Bucket): void {
  out.s[k] = out.s[k]! + b.s;
  out.n[k] = out.n[k]! + b.n;
  if (b.lo < out.lo[k]!) out.lo[k] = b.lo;
  if (b.hi > out.hi[k]!) out.hi[k] = b.hi;
  if (out.raw) {
    const acc = out.raw[k];
    if (acc) {
      const r = rawOf(b);
      if (r) for (const x of r) acc.push(x);
      else out.raw[k] = null;
    }
  }
}

const SET: Bucket = { n: 0, s: 0, lo: 0, hi: 0, raw: null };
const B60: Bucket = { n: 0, s: 0, lo: 0, hi: 0, raw: null };
const B300: Bucket = { n: 0, s: 0, lo: 0, hi: 0, raw: null };
const B3600: Bucket = { n: 0, s: 0, lo: 0, hi: 0, raw: null };
const ONE: Bucket = { n: 1, s: 0, lo: 0, hi: 0, raw: null };

/** The 60 s bucket stamped at the 5-minute start (index i0): 1-minute value, basic set, or both. */
function bucketAtWindow(i0: number, into: Bucket, wantRaw: boolean): boolean {
  let has = false;
  if (KIND[i0] === 1) {
    const v = VAL[i0]!;
    into.n = 1; into.s = v; into.lo = v; into.hi = v; into.raw = null;
    has = true;
  }
  let n = 0, s = 0, lo = Infinity, hi = -Infinity;
  let raw: number[] | null = null;
  for (let j = 0; j < 5; j++) {
    if (KIND[i0 + j] !== 2) continue;
    const v = VAL[i0 + j]!;
    n++; s += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (wantRaw) (raw ??= []).push(v, 1);
  }
  if (n === 0) return has;
  SET.n = n; SET.s = s; SET.lo = lo; SET.hi = hi; SET.raw = raw;
  if (has) merge(into, SET, wantRaw);
  else first(into, SET, wantRaw);
  return true;
}

/** The 300 s bucket of the 5 minutes at index i0 (rolled up from its 60 s buckets), into B300. */
function bucket300(i0: number, wantRaw: boolean): boolean {
  let has = bucketAtWindow(i0, B60, wantRaw);
  if (has) first(B300, B60, wantRaw);
  for (let j = 1; j < 5; j++) {
    if (KIND[i0 + j] !== 1) continue;
    const v = VAL[i0 + j]!;
    ONE.s = v; ONE.lo = v; ONE.hi = v;
    if (has) merge(B300, ONE, wantRaw);
    else { first(B300, ONE, wantRaw); has = true; }
  }
  return has;
}

interface Query { start: number; pms: number; out: PeriodAggs; wantRaw: boolean }

/** Adds the 1-minute buckets of the 5 minutes at index i0 one by one to period k. */
function addMinutes(out: PeriodAggs, k: number, i0: number): void {
  for (let j = i0; j < i0 + 5; j++) {
    if (KIND[j] !== 1) continue;
    const v = VAL[j]!;
    out.s[k] = out.s[k]! + v;
    out.n[k] = out.n[k]! + 1;
    if (v < out.lo[k]!) out.lo[k] = v;
    if (v > out.hi[k]!) out.hi[k] = v;
  }
}

/**
 * dayBlock's common case: a complete day's 5-minute summaries [ia, ib) added to periods of
 * 5 minutes, summary i to period dk + i (small integers, kept as such for fast indexing). In the
 * 60 s tier (`minutes`) a period that is not empty adds its minutes one by one instead.
 */
function fiveMinuteSums(sum: NonNullable<DayData['w']>, out: PeriodAggs, dk: number, ia: number, ib: number, minutes: boolean): void {
  const sn = sum.n, ss = sum.s, slo = sum.lo, shi = sum.hi;
  const s = out.s, n = out.n, lov = out.lo, hiv = out.hi;
  dk |= 0;
  if (out.sumsOnly) {
    for (let i = ia | 0, e = ib | 0; i < e; i++) {
      const bn = sn[i]!;
      if (bn === 0) continue;
      const k = dk + i;
      if (minutes && n[k] !== 0) { addMinutes(out, k, i * 5); continue; }
      s[k] = s[k]! + ss[i]!;
      n[k] = n[k]! + bn;
    }
    return;
  }
  for (let i = ia | 0, e = ib | 0; i < e; i++) {
    const bn = sn[i]!;
    if (bn === 0) continue;
    const k = dk + i;
    if (minutes && n[k] !== 0) { addMinutes(out, k, i * 5); continue; }
    s[k] = s[k]! + ss[i]!;
    n[k] = n[k]! + bn;
    const bl = slo[i]!, bh = shi[i]!;
    if (bl < lov[k]!) lov[k] = bl;
    if (bh > hiv[k]!) hiv[k] = bh;
  }
}

/** Buckets of tier `w` with stamps in [lo, hi) within the day `day`, oldest first. */
function dayBlock(series: Ec2Series, metric: number, lastTick: number, w: 60 | 300 | 3600, day: number, lo: number, hi: number, q: Query): void {
  const unit = w === 60 ? FIVE : w * 1000;
  const fa = Math.floor((lo - day) / unit) * unit + day;
  const fb = Math.min(day + DAY_MS, Math.ceil((hi - day) / unit) * unit + day);
  if (fa >= fb) return;
  const dd = dayData(series, metric, lastTick, day);
  const found = dd.found;
  KIND = dd.kind; VAL = dd.val;
  if (!found) return;
  const data = dd.final >= day + DAY_MS ? dd : null; // summaries only for a complete day
  const { start, pms, out, wantRaw } = q;
  if (data && found === 1 && !wantRaw && (w !== 60 || (pms === FIVE && start % FIVE === 0 && lo % FIVE === 0 && hi % FIVE === 0))) {
    // from the day's 5-minute summaries: the same folds as the buckets (see windows)
    const sum = windows(data);
    const s = out.s, n = out.n, lov = out.lo, hiv = out.hi;
    if (w !== 3600 && pms === FIVE && (start - day) % FIVE === 0) {
      // one summary per 5-minute bucket and per period: straight index arithmetic
      const ta = Math.max(fa, Math.ceil((lo - day) / FIVE) * FIVE + day), tb = Math.min(fb, hi);
      fiveMinuteSums(sum, out, (day - start) / FIVE, (ta - day) / FIVE, Math.ceil((tb - day) / FIVE), w === 60);
      return;
    }
    const step = w === 3600 ? HOUR : FIVE;
    for (let t = fa; t < fb; t += step) {
      if (t < lo || t >= hi) continue;
      let bn = 0, bs = 0, blo = Infinity, bhi = -Infinity;
      for (let f = t, i = (t - day) / FIVE; f < t + step; f += FIVE, i++) {
        const fn = sum.n[i]!;
        if (fn === 0) continue;
        bs = bn === 0 ? sum.s[i]! : bs + sum.s[i]!;
        bn += fn;
        if (sum.lo[i]! < blo) blo = sum.lo[i]!;
        if (sum.hi[i]! > bhi) bhi = sum.hi[i]!;
      }
      if (bn === 0) continue;
      const k = Math.floor((t - start) / pms);
      // a 60 s tier period of 5 minutes adds its minutes one by one: the fold only if it starts empty
      if (w === 60 && n[k] !== 0) { addMinutes(out, k, (t - day) / MIN); continue; }
      s[k] = s[k]! + bs;
      n[k] = n[k]! + bn;
      if (blo < lov[k]!) lov[k] = blo;
      if (bhi > hiv[k]!) hiv[k] = bhi;
    }
    return;
  }
  if (w === 60) {
    if (found === 1 && !wantRaw) {
      // only 1-minute buckets: n = 1, lo = hi = s
      const s = out.s, n = out.n, lov = out.lo, hiv = out.hi;
      const ta = Math.max(fa, Math.ceil(lo / MIN) * MIN);
      for (let t = ta, i = (ta - day) / MIN; t < fb && t < hi; t += MIN, i++) {
        if (KIND[i] !== 1) continue;
        const v = VAL[i]!;
        const k = Math.floor((t - start) / pms);
        s[k] = s[k]! + v;
        n[k] = n[k]! + 1;
        if (v < lov[k]!) lov[k] = v;
        if (v > hiv[k]!) hiv[k] = v;
      }
      return;
    }
    for (let t = fa; t < fb; t += FIVE) {
      const i0 = (t - day) / MIN;
      if (t >= lo && t < hi && bucketAtWindow(i0, B60, wantRaw)) emit(out, Math.floor((t - start) / pms), B60);
      for (let j = 1; j < 5; j++) {
        const tj = t + j * MIN;
        if (KIND[i0 + j] !== 1 || tj < lo || tj >= hi) continue;
        const v = VAL[i0 + j]!;
        ONE.s = v; ONE.lo = v; ONE.hi = v;
        emit(out, Math.floor((tj - start) / pms), ONE);
      }
    }
  } else if (found === 1 && !wantRaw) {
    // only 1-minute values: a 5-minute bucket is their sum in time order; an hour sums its twelve
    const s = out.s, n = out.n, lov = out.lo, hiv = out.hi;
    const step = w === 300 ? FIVE : HOUR;
    for (let t = fa; t < fb; t += step) {
      if (t < lo || t >= hi) continue;
      let bn = 0, bs = 0, blo = Infinity, bhi = -Infinity;
      for (let f = t, i = (t - day) / MIN; f < t + step; f += FIVE, i += 5) {
        let fn = 0, fs = 0;
        for (let j = i; j < i + 5; j++) {
          if (KIND[j] !== 1) continue;
          const v = VAL[j]!;
          fs = fn === 0 ? v : fs + v;
          fn++;
          if (v < blo) blo = v;
          if (v > bhi) bhi = v;
        }
        if (fn === 0) continue;
        bs = bn === 0 ? fs : bs + fs;
        bn += fn;
      }
      if (bn === 0) continue;
      const k = Math.floor((t - start) / pms);
      s[k] = s[k]! + bs;
      n[k] = n[k]! + bn;
      if (blo < lov[k]!) lov[k] = blo;
      if (bhi > hiv[k]!) hiv[k] = bhi;
    }
  } else if (w === 300) {
    for (let t = fa; t < fb; t += FIVE) {
      if (t < lo || t >= hi) continue;
      if (bucket300((t - day) / MIN, wantRaw)) emit(out, Math.floor((t - start) / pms), B300);
    }
  } else {
    for (let t = fa; t < fb; t += HOUR) {
      if (t < lo || t >= hi) continue;
      let has = false;
      for (let f = t; f < t + HOUR; f += FIVE) {
        if (!bucket300((f - day) / MIN, wantRaw)) continue;
        if (has) merge(B3600, B300, wantRaw);
        else { first(B3600, B300, wantRaw); has = true; }
      }
      if (has) emit(out, Math.floor((t - start) / pms), B3600);
    }
  }
}

/**
 * Adds a virtual stream's buckets with stamps in [start, end) to `out` (periods of `pms` from
 * `start`), in the order aggregatePeriods visits materialised chunks.
 */
export function aggregateVirtual(state: CloudWatchState, stream: Stream, out: PeriodAggs, start: number, pms: number, end: number, wantRaw: boolean): void {
  const v = stream.virtual!;
  if (v.agg !== undefined) { aggregateMembers(state, v, out, start, pms, end, wantRaw); return; } // each member's stream in turn
  const series = state.series?.[v.instanceId];
  if (!series || series.seg.length === 0) return;
  const lastTick = state.lastTick;
  // a basic-monitoring set is stamped at the start of its 5 minutes
  const first0 = Math.floor((series.seg[0]! - MIN) / FIVE) * FIVE;
  const lo = Math.max(start, first0), hi = Math.min(end, lastTick);
  if (lo >= hi) return;
  const r = lastRollupOf(state);
  const cut60 = Math.floor((r - RETENTION_MS[60]) / SPAN60) * SPAN60;
  Q.start = start; Q.pms = pms; Q.out = out; Q.wantRaw = wantRaw;
  tier(series, v.metric, lastTick, 60, Math.max(lo, cut60), hi, SPAN60);
  if (lo >= cut60) return; // everything asked for is still at 1-minute resolution
  const cut300 = Math.floor((r - RETENTION_MS[300]) / SPAN300) * SPAN300;
  const cut3600 = Math.floor((r - RETENTION_MS[3600]) / SPAN3600) * SPAN3600;
  tier(series, v.metric, lastTick, 300, Math.max(lo, cut300), Math.min(hi, cut60), SPAN300);
  tier(series, v.metric, lastTick, 3600, Math.max(lo, cut3600), Math.min(hi, cut300), SPAN3600);
}

const Q: Query = { start: 0, pms: 1, out: null as unknown as PeriodAggs, wantRaw: false };

/**
 * Runtime cache of one reader (an alarm) of one virtual stream, never state: the stream's series
 * (series records are never replaced once made) and the day cache it read last.
 */
export interface VirtualCursor { series: Ec2Series | null; day: number; data: DayData | null }

export const newCursor = (): VirtualCursor => ({ series: null, day: Number.NaN, data: null });

/**
 * The alarms' fast path: aggregateVirtual without raw values for `count` periods from `start`,
 * into `out` (cleared first, only its first `count` entries used), read straight from the day
 * caches. It handles the common case only (everything still in the 60 s tier, days holding only
 * 1-minute buckets) and returns false otherwise, leaving `out` to the caller's general path. Same
 * buckets in the same order as aggregateVirtual (days newest first, as its chunks; minutes oldest
 * first), so the folds are bit for bit the same. Minimum/Maximum only with `extremes` (otherwise
 * `lo`/`hi` stay ±Infinity).
 */
export function aggregateVirtualMinutes(
  state: CloudWatchState, stream: Stream, out: PeriodAggs, start: number, pms: number, count: number, extremes: boolean, cur: VirtualCursor,
): boolean {
  if (Math.floor(start / MIN) * MIN !== start || pms % MIN !== 0 || stream.virtual!.agg !== undefined) return false;
  const s = out.s, n = out.n, lov = out.lo, hiv = out.hi;
  for (let k = 0; k < count; k++) { s[k] = 0; n[k] = 0; lov[k] = Infinity; hiv[k] = -Infinity; }
  const v = stream.virtual!;
  const series = (cur.series ??= state.series?.[v.instanceId] ?? null);
  if (!series || series.seg.length === 0) return true;
  const lastTick = state.lastTick;
  const first0 = Math.floor((series.seg[0]! - MIN) / FIVE) * FIVE;
  const lo = Math.max(start, first0), hi = Math.min(start + count * pms, lastTick);
  if (lo >= hi) return true;
  if (lo < Math.floor((lastRollupOf(state) - RETAIN60) / SPAN60) * SPAN60) return false;
  const ppm = pms / MIN; // minutes per period
  for (let d = Math.floor((hi - 1) / DAY_MS) * DAY_MS; d + DAY_MS > lo; d -= DAY_MS) {
    let dd: DayData;
    if (cur.day === d && cur.data !== null) dd = refreshDay(cur.data, series, v.metric, lastTick, d);
    else if (cur.day > d) dd = dayData(series, v.metric, lastTick, d); // the day before (a range across midnight)
    else { dd = cur.data = dayData(series, v.metric, lastTick, d); cur.day = d; }
    if (dd.found === 0) continue;
    if (dd.found !== 1) return false;
    const kind = dd.kind, val = dd.val;
    // minutes [i, ib) of this day; period k holds the day's minutes [off + k·ppm, off + (k + 1)·ppm)
    const ib = (Math.min(hi, d + DAY_MS) - d) / MIN, off = (start - d) / MIN;
    let i = (Math.max(lo, d) - d) / MIN;
    for (let k = Math.floor((i - off) / ppm); i < ib; k++) {
      const e = Math.min(ib, off + (k + 1) * ppm);
      let ks = s[k]!, kn = n[k]!;
      if (extremes) {
        let kl = lov[k]!, kh = hiv[k]!;
        for (let j = i; j < e; j++) {
          if (kind[j] !== 1) continue;
          const x = val[j]!;
          if (x < kl) kl = x;
          if (x > kh) kh = x;
        }
        lov[k] = kl; hiv[k] = kh;
      }
      for (; i < e; i++) {
        if (kind[i] !== 1) continue;
        ks = ks + val[i]!;
        kn = kn + 1;
      }
      s[k] = ks; n[k] = kn;
    }
  }
  return true;
}

/** One tier's buckets in [a, b): chunks newest first; within a chunk, days oldest first. */
function tier(series: Ec2Series, metric: number, lastTick: number, w: 60 | 300 | 3600, a: number, b: number, span: number): void {
  if (a >= b) return;
  for (let c = Math.floor((b - 1) / span) * span; c + span > a; c -= span) {
    const ca = Math.max(a, c), cb = Math.min(b, c + span);
    for (let d = Math.floor(ca / DAY_MS) * DAY_MS; d < cb; d += DAY_MS) {
      dayBlock(series, metric, lastTick, w, d, Math.max(ca, d), Math.min(cb, d + DAY_MS), Q);
    }
  }
}

/** Last tick ≤ min(lastTick, before) at which the series' flags satisfied `want`, or null. */
function lastTickWith(series: Ec2Series, lastTick: number, want: (flags: number) => boolean, before = Infinity): number | null {
  const seg = series.seg;
  for (let j = seg.length - 2; j >= 0; j -= 2) {
    if (!want(seg[j + 1]!)) continue;
    const from = seg[j]!;
    const last = Math.min(lastTick, (seg[j + 2] ?? Infinity) - MIN, before);
    if (last >= from) return Math.floor(last / MIN) * MIN;
  }
  return null;
}

/** When a virtual metric last received a datapoint, and that datapoint's stamp (ListMetrics). */
export function virtualActivity(state: CloudWatchState, stream: Stream): { lastPut: number; lastData: number } {
  const v = stream.virtual!;
  if (v.agg !== undefined) return aggregateActivity(state, v);
  const series = state.series?.[v.instanceId];
  let lastPut = -Infinity, lastData = -Infinity;
  if (!series) return { lastPut, lastData };
  const lastTick = state.lastTick;
  const use = (put: number, data: number) => { if (put > lastPut) lastPut = put; if (data > lastData) lastData = data; };
  const metric: number = v.metric;
  const d = lastTickWith(series, lastTick, (f) => minuteSamples(f, metric));
  if (d !== null) use(d, d - MIN);
  const basic = (f: number) => basicSamples(f, metric);
  const b = lastTickWith(series, lastTick, basic);
  if (b !== null) {
    const w = Math.floor((b - MIN) / FIVE) * FIVE;
    // published at its 5-minute edge, or earlier when the instance was terminated before it
    if (series.gone !== null && series.gone < w + FIVE) use(series.gone, w);
    else if (w + FIVE <= lastTick) use(w + FIVE, w);
    else {
      const prev = lastTickWith(series, lastTick, basic, w);
      if (prev !== null) { const pw = Math.floor((prev - MIN) / FIVE) * FIVE; use(pw + FIVE, pw); }
    }
  }
  return { lastPut, lastData };
}

/**
 * What an alarm's quickest check needs, fixed for the alarm record's life (runtime only): its one
 * virtual stream, N, M, the period, statistic code (0 SampleCount, 1 Sum, 2 Average, 3 Minimum,
 * 4 Maximum), comparison code (0 >, 1 >=, 2 <, 3 <=), threshold, and its read cursor.
 */
export interface QuickAlarm {
  stream: Stream; n: number; m: number; pms: number; stat: number; op: number; threshold: number; cur: VirtualCursor;
  /** The day's decisions computed ahead (see planDay), or null. */
  plan: Plan | null;
  /**
   * Set by each quickDecision: when its answer came from the plan, the tick before which the
   * plan's answer stays the same (while no series changes), else 0.
   */
  holdUntil: number;
}

/**
 * An alarm's quick decisions for every remaining minute of a day (index = minute of the day at
 * which the evaluation runs; −1 = not decided here), computed in one pass from the values
 * computed ahead, valid while the instance keeps running with detailed monitoring and the same
 * signal: exactly what the minute-by-minute check would answer, from the same folds.
 */
interface Plan {
  day: number; from: number; seg: number; at: number; flags: number; sig: number; signal: Signal; out: Int8Array;
  /** For each minute, the first later minute whose answer differs (1441: none this day). */
  next: Int16Array;
}

const planValid = (p: Plan, series: Ec2Series): boolean => {
  const seg = series.seg, n = seg.length, sig = series.sig;
  return n === p.seg && seg[n - 2] === p.at && seg[n - 1] === p.flags && sig.length === p.sig
    && (sig.length === 0 || sig[sig.length - 1]!.signal === p.signal) && series.gone === null;
};

/** Builds the plan of `q` for the day `day` from the minute `from` on, or null when the day does not allow one. */
function planDay(q: QuickAlarm, series: Ec2Series, dd: DayData, day: number, from: number): Plan | null {
  if (q.stream.virtual!.metric !== 0 || dd.ahead === null || series.gone !== null) return null;
  const n = q.n, ppm = (q.pms / MIN) | 0;
  const first = (from - day) / MIN - n * ppm; // the oldest minute the first evaluation reads
  if (first < dd.aheadFrom) return null;
  // one running, detailed segment from before that minute on, and the signal of the values computed ahead
  const signal = steadySignal(series, day + (first + 1) * MIN);
  if (signal === null || signal !== dd.ahead) return null;
  const seg = series.seg, sn = seg.length, sig = series.sig;
  const out = new Int8Array(1441).fill(-1);
  const val = dd.val, stat = q.stat, op = q.op, thr = q.threshold, m = q.m;
  for (let e = (from - day) / MIN | 0; e <= 1440; e++) {
    const i0 = e - n * ppm;
    let breaching = 0;
    for (let w = 0; w < n; w++) {
      const a = (i0 + w * ppm) | 0, b = (a + ppm) | 0;
      let v: number;
      if (stat >= 3) {
        let lo = Infinity, hv = -Infinity;
        for (let i = a; i < b; i++) { const x = val[i]!; if (x < lo) lo = x; if (x > hv) hv = x; }
        v = stat === 3 ? lo : hv;
      } else {
        let sum = 0;
        for (let i = a; i < b; i++) sum = sum + val[i]!;
        v = stat === 2 ? sum / ppm : stat === 1 ? sum : ppm;
      }
      if (op === 0 ? v > thr : op === 1 ? v >= thr : op === 2 ? v < thr : v <= thr) breaching++;
    }
    out[e] = breaching >= m ? 1 : 0;
  }
  const next = new Int16Array(1441);
  next[1440] = 1441;
  for (let e = 1439; e >= 0; e--) next[e] = out[e + 1] !== out[e] ? e + 1 : next[e + 1]!;
  return { day, from: (from - day) / MIN, seg: sn, at: seg[sn - 2]!, flags: seg[sn - 1]!, sig: sig.length, signal, out, next };
}

/** A plan's answer at minute `i` of its day, noting until when it stays the same (QuickAlarm.holdUntil). */
function fromPlan(q: QuickAlarm, p: Plan, i: number): number {
  const d = p.out[i]!;
  if (d !== -1) q.holdUntil = p.day + p.next[i]! * MIN;
  return d;
}

/**
 * The alarms' quickest check, for the usual minute (spec §1.4 step 1): when the newest N periods
 * before `end` all have data, they alone decide: 1 = ALARM, 0 = OK. −1 when it cannot answer alone
 * (periods crossing midnight, data older than the 60 s tier, basic-monitoring samples, a period
 * without data): the caller's general path then decides. Reads one day's cached minutes with the
 * same folds as aggregateVirtualMinutes (each period's minutes oldest first from 0), so the values
 * are bit for bit the same.
 */
export function quickDecision(state: CloudWatchState, q: QuickAlarm, end: number): number {
  // the usual minute: the day's plan answers (minutes from.. 1440 after its day all read that day)
  const p0 = q.plan;
  q.holdUntil = 0;
  if (p0 !== null && end === state.lastTick) {
    const idx = (end - p0.day) / MIN;
    if (idx >= p0.from && idx <= 1440 && q.cur.series !== null && planValid(p0, q.cur.series)) return fromPlan(q, p0, idx | 0);
  }
  const n = q.n, pms = q.pms;
  const start = end - n * pms;
  if (Math.floor(start / MIN) * MIN !== start) return -1; // (% on such large numbers is a slow call)
  const day = Math.floor(start / DAY_MS) * DAY_MS;
  const lastTick = state.lastTick;
  const hi = end < lastTick ? end : lastTick;
  if (hi - day > DAY_MS || hi <= start) return -1;
  const cur = q.cur;
  let dd = cur.data;
  if (cur.day !== day || dd === null) {
    if (cur.day > day) return -1;
    if (start < Math.floor((lastRollupOf(state) - RETAIN60) / SPAN60) * SPAN60) return -1;
    const series = (cur.series ??= state.series?.[q.stream.virtual!.instanceId] ?? null);
    if (!series || series.seg.length === 0) return -1;
    dd = cur.data = dayData(series, q.stream.virtual!.metric, lastTick, day);
    cur.day = day;
  } else if (dd.tick !== lastTick) dd = refreshDay(dd, cur.series!, q.stream.virtual!.metric, lastTick, day);
  if (dd.found !== 1) return -1;
  if (end === lastTick) {
    // (no valid plan answered above: make this day's, from this minute on)
    const plan = q.plan = planDay(q, cur.series!, dd, day, end);
    if (plan !== null) return fromPlan(q, plan, ((end - day) / MIN) | 0);
  }
  const kind = dd.kind, val = dd.val;
  // small integers from here on (int32 indexing is what keeps these loops fast)
  const ppm = (pms / MIN) | 0, iHi = ((hi - day) / MIN) | 0, i0 = ((start - day) / MIN) | 0;
  const stat = q.stat, op = q.op, thr = q.threshold;
  let breaching = 0;
  for (let w = 0; w < n; w++) {
    const a = (i0 + w * ppm) | 0;
    const b = a + ppm < iHi ? a + ppm : iHi;
    let s = 0, c = 0;
    for (let i = a; i < b; i++) {
      if (kind[i] !== 1) continue;
      s = s + val[i]!;
      c++;
    }
    if (c === 0) return -1;
    let v: number;
    if (stat >= 3) {
      let lo = Infinity, hv = -Infinity;
      for (let i = a; i < b; i++) {
        if (kind[i] !== 1) continue;
        const x = val[i]!;
        if (x < lo) lo = x;
        if (x > hv) hv = x;
      }
      v = stat === 3 ? lo : hv;
    } else v = stat === 2 ? s / c : stat === 1 ? s : c;
    if (op === 0 ? v > thr : op === 1 ? v >= thr : op === 2 ? v < thr : v <= thr) breaching++;
  }
  return breaching >= q.m ? 1 : 0;
}
