/**
 * Time-series primitives of metric math (spec §2.5), each linear in the number of datapoints:
 * series are sorted by timestamp, so two of them are combined by merging, never by searching.
 * Semantics follow AWS's "Using metric math" page: in arithmetic a missing value counts as 0, and
 * a datapoint whose result is not a finite number (division by zero, LOG(0)) is dropped.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import type { Series } from './cloudwatch.views.ts';

export const emptySeries = (): Series => ({ timestamps: [], values: [] });

/** f(a, b) over the union of both timestamps, a missing value counting as 0; non-finite results dropped. */
export function zipUnion(a: Series, b: Series, f: (x: number, y: number) => number): Series {
  const at = a.timestamps, av = a.values, bt = b.timestamps, bv = b.values;
  const na = at.length, nb = bt.length;
  const ts: number[] = [], vs: number[] = [];
  let i = 0, j = 0;
  while (i < na || j < nb) {
    let t: number, x: number, y: number;
    if (j >= nb || (i < na && at[i]! < bt[j]!)) { t = at[i]!; x = av[i++]!; y = 0; }
    else if (i >= na || bt[j]! < at[i]!) { t = bt[j]!; x = 0; y = bv[j++]!; }
    else { t = at[i]!; x = av[i++]!; y = bv[j++]!; }
    const r = f(x, y);
    if (Number.isFinite(r)) { ts.push(t); vs.push(r); }
  }
  return { timestamps: ts, values: vs };
}

/** f(v) on each datapoint; non-finite results dropped. */
export function mapValues(a: Series, f: (v: number) => number): Series {
  const ts: number[] = [], vs: number[] = [];
  for (let i = 0; i < a.values.length; i++) {
    const r = f(a.values[i]!);
    if (Number.isFinite(r)) { ts.push(a.timestamps[i]!); vs.push(r); }
  }
  return { timestamps: ts, values: vs };
}

/** The union of sorted timestamp lists, sorted. */
export function unionTimes(lists: readonly (readonly number[])[]): number[] {
  let acc: number[] = [];
  for (const l of lists) {
    const out: number[] = [];
    let i = 0, j = 0;
    while (i < acc.length || j < l.length) {
      if (j >= l.length || (i < acc.length && acc[i]! < l[j]!)) out.push(acc[i++]!);
      else if (i >= acc.length || l[j]! < acc[i]!) out.push(l[j++]!);
      else { out.push(acc[i++]!); j++; }
    }
    acc = out;
  }
  return acc;
}

export type Reduction = 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'STDDEV';

/** SUM/AVG/MIN/MAX/STDDEV of numbers (STDDEV is the population deviation); NaN for none (SUM: 0). */
export function reduceNumbers(name: Reduction, xs: readonly number[]): number {
  const n = xs.length;
  if (name === 'SUM' || name === 'AVG' || name === 'STDDEV') {
    let s = 0;
    for (const x of xs) s += x;
    if (name === 'SUM') return s;
    if (n === 0) return Number.NaN;
    const mean = s / n;
    if (name === 'AVG') return mean;
    let q = 0;
    for (const x of xs) q += (x - mean) * (x - mean);
    return Math.sqrt(q / n);
  }
  if (n === 0) return Number.NaN;
  let m = xs[0]!;
  for (const x of xs) m = name === 'MIN' ? Math.min(m, x) : Math.max(m, x);
  return m;
}

/**
 * One series out of an array, per timestamp of the union: SUM and AVG count a series without a
 * value there as 0 (AWS documents this for AVG); MIN, MAX and STDDEV use the values present;
 * DATAPOINT_COUNT counts them.
 */
export function acrossSeries(list: readonly Series[], name: Reduction | 'DATAPOINT_COUNT'): Series {
  const times = unionTimes(list.map((s) => s.timestamps));
  const pos = list.map(() => 0);
  const ts: number[] = [], vs: number[] = [];
  const present: number[] = [];
  for (const t of times) {
    present.length = 0;
    for (let k = 0; k < list.length; k++) {
      const s = list[k]!;
      let p = pos[k]!;
      while (p < s.timestamps.length && s.timestamps[p]! < t) p++;
      pos[k] = p;
      if (p < s.timestamps.length && s.timestamps[p] === t) present.push(s.values[p]!);
    }
    let r: number;
    if (name === 'DATAPOINT_COUNT') r = present.length;
    else if (name === 'SUM') r = reduceNumbers('SUM', present);
    else if (name === 'AVG') r = reduceNumbers('SUM', present) / list.length;
    else r = reduceNumbers(name, present);
    if (Number.isFinite(r)) { ts.push(t); vs.push(r); }
  }
  return { timestamps: ts, values: vs };
}

/**
 * RATE (change per second), DIFF (change) and DIFF_TIME (seconds) from each datapoint's preceding
 * datapoint, across gaps; the first datapoint has no predecessor and is dropped.
 */
export function deltas(a: Series, kind: 'RATE' | 'DIFF' | 'DIFF_TIME'): Series {
  const ts: number[] = [], vs: number[] = [];
  for (let i = 1; i < a.values.length; i++) {
    const dt = (a.timestamps[i]! - a.timestamps[i - 1]!) / 1000;
    const dv = a.values[i]! - a.values[i - 1]!;
    const r = kind === 'DIFF' ? dv : kind === 'DIFF_TIME' ? dt : dv / dt;
    if (Number.isFinite(r)) { ts.push(a.timestamps[i]!); vs.push(r); }
  }
  return { timestamps: ts, values: vs };
}

/** The running sum of the datapoints. */
export function runningSum(a: Series): Series {
  let s = 0;
  return { timestamps: [...a.timestamps], values: a.values.map((v) => (s += v)) };
}

export type Filler = { kind: 'value'; v: number } | { kind: 'series'; s: Series } | { kind: 'REPEAT' } | { kind: 'LINEAR' };

/**
 * FILL: the series on `grid` (sorted; the series' own timestamps are kept too), missing values
 * taken from the filler: a number, another series' value at that time (still missing where it has
 * none), REPEAT (the most recent real value before; nothing before the first) or LINEAR (linear
 * in time between the real values either side of the gap; nothing outside them).
 */
export function fillSeries(a: Series, grid: readonly number[], filler: Filler): Series {
  const times = unionTimes([grid, a.timestamps]);
  const at = a.timestamps, av = a.values;
  const ts: number[] = [], vs: number[] = [];
  let i = 0, f = 0;
  for (const t of times) {
    while (i < at.length && at[i]! < t) i++;
    if (i < at.length && at[i] === t) { ts.push(t); vs.push(av[i]!); continue; }
    let v: number | undefined;
    if (filler.kind === 'value') v = filler.v;
    else if (filler.kind === 'REPEAT') v = i > 0 ? av[i - 1] : undefined;
    else if (filler.kind === 'LINEAR') {
      if (i > 0 && i < at.length) { const t0 = at[i - 1]!, t1 = at[i]!; v = av[i - 1]! + ((av[i]! - av[i - 1]!) * (t - t0)) / (t1 - t0); }
    } else {
      const s = filler.s;
      while (f < s.timestamps.length && s.timestamps[f]! < t) f++;
      if (f < s.timestamps.length && s.timestamps[f] === t) v = s.values[f];
    }
    if (v !== undefined && Number.isFinite(v)) { ts.push(t); vs.push(v); }
  }
  return { timestamps: ts, values: vs };
}

/**
 * IF with a time-series condition (AWS "Using IF expressions"): one datapoint per datapoint of the
 * condition; where it is non-zero the then-value (a series without a value there gives 0), else the
 * else-value (dropped where that series has none, or when there is no else).
 */
export function ifSeries(cond: Series, then: number | Series, otherwise: number | Series | undefined): Series {
  const ts: number[] = [], vs: number[] = [];
  let p = 0, q = 0;
  for (let i = 0; i < cond.values.length; i++) {
    const t = cond.timestamps[i]!;
    let v: number | undefined;
    if (cond.values[i] !== 0) {
      if (typeof then === 'number') v = then;
      else {
        while (p < then.timestamps.length && then.timestamps[p]! < t) p++;
        v = p < then.timestamps.length && then.timestamps[p] === t ? then.values[p]! : 0;
      }
    } else if (typeof otherwise === 'number') v = otherwise;
    else if (otherwise !== undefined) {
      while (q < otherwise.timestamps.length && otherwise.timestamps[q]! < t) q++;
      if (q < otherwise.timestamps.length && otherwise.timestamps[q] === t) v = otherwise.values[q]!;
    }
    if (v !== undefined && Number.isFinite(v)) { ts.push(t); vs.push(v); }
  }
  return { timestamps: ts, values: vs };
}

/** Timestamps start, start + period, … before end (epoch ms; period in seconds). */
export function gridTimes(start: number, end: number, period: number): number[] {
  const out: number[] = [];
  const step = period * 1000;
  if (!(step > 0)) return out;
  for (let t = start; t < end; t += step) out.push(t);
  return out;
}
