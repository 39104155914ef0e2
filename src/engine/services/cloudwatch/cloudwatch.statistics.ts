/**
 * CloudWatch statistics as pure functions (spec §2.3, decisions §9 #6–#8):
 * SampleCount, Sum, Average, Minimum, Maximum from aggregates; pNN, TM, WM, TC, TS, PR and IQM from
 * raw values (a sorted list of value/count pairs).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html
 */

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

/** A range bound: a percentage (of ranks) or an absolute value. `null` = open end. */
export interface Bound { value: number; percent: boolean }

export type StatSpec =
  | { kind: 'basic'; name: BasicStatistic }
  | { kind: 'p'; p: number }
  | { kind: 'TM' | 'WM' | 'TC' | 'TS' | 'PR'; lo: Bound | null; hi: Bound | null };

/** Aggregates of one period. */
export interface Agg { n: number; sum: number; min: number; max: number }

const NUM = '(\\d+(?:\\.\\d{1,10})?)';
const P_RE = new RegExp(`^p${NUM}$`);
const SHORT_RE = new RegExp(`^(tm|wm|tc|ts)${NUM}$`);
const RANGE_RE = /^(TM|WM|TC|TS|PR)\(([^:()]*):([^:()]*)\)$/;
const BOUND_RE = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(%?)$/;

function parseBound(text: string): Bound | null | 'bad' {
  if (text === '') return null;
  const m = BOUND_RE.exec(text);
  if (!m) return 'bad';
  const value = Number(m[1]);
  const percent = m[2] === '%';
  if (percent && (value < 0 || value > 100)) return 'bad';
  return { value, percent };
}

/** Parses a statistic name; `null` when CloudWatch would reject it. */
export function parseStatistic(text: string): StatSpec | null {
  if ((BASIC_STATISTICS as readonly string[]).includes(text)) return { kind: 'basic', name: text as BasicStatistic };
  if (text === 'IQM') return { kind: 'TM', lo: { value: 25, percent: true }, hi: { value: 75, percent: true } };
  let m = P_RE.exec(text);
  if (m) {
    const p = Number(m[1]);
    return p >= 0 && p <= 100 ? { kind: 'p', p } : null;
  }
  m = SHORT_RE.exec(text);
  if (m) {
    const v = Number(m[2]);
    if (v < 0 || v > 100) return null;
    return { kind: m[1]!.toUpperCase() as 'TM' | 'WM' | 'TC' | 'TS', lo: null, hi: { value: v, percent: true } };
  }
  m = RANGE_RE.exec(text);
  if (!m) return null;
  const lo = parseBound(m[2]!), hi = parseBound(m[3]!);
  if (lo === 'bad' || hi === 'bad' || (lo === null && hi === null)) return null;
  if (lo && hi && lo.percent !== hi.percent) return null;
  if (lo && hi && lo.value > hi.value) return null;
  const kind = m[1] as 'TM' | 'WM' | 'TC' | 'TS' | 'PR';
  if (kind === 'PR' && ((lo?.percent ?? false) || (hi?.percent ?? false))) return null;
  return { kind, lo, hi };
}

/** True for the percentile family, which needs raw values (spec §2.3 "Availability"). */
export const needsRawValues = (s: StatSpec): boolean => s.kind !== 'basic';

/** Percentile of the low-sample rule (§1.7) as a fraction, or null when the rule does not apply. */
export function percentileFraction(s: StatSpec): number | null {
  return s.kind === 'p' ? s.p / 100 : null;
}

/** §1.7: too few samples for a percentile p (fraction)? */
export function isLowSampleCount(p: number, samples: number): boolean {
  if (p <= 0 || p >= 1) return false;
  const need = p >= 0.5 ? 10 / (1 - p) : 10 / p;
  return samples < Math.round(need * 1e9) / 1e9; // 10 / (1 - 0.9) is 100.00000000000001 in floating point
}

/** A basic statistic from aggregates. */
export function basicStat(name: BasicStatistic, a: Agg): number {
  switch (name) {
    case 'SampleCount': return a.n;
    case 'Sum': return a.sum;
    case 'Average': return a.sum / a.n;
    case 'Minimum': return a.min;
    case 'Maximum': return a.max;
  }
}

/**
 * Raw values as parallel sorted arrays: `values` ascending, `counts` the weight of each.
 * Build one with `sortedPairs`.
 */
export interface RawValues { values: number[]; counts: number[]; total: number }

/** Sorts value/count pairs (flattened `[v, c, v, c, ...]`) and merges equal values. */
export function sortedPairs(flat: readonly number[]): RawValues {
  const idx: number[] = [];
  for (let i = 0; i < flat.length; i += 2) idx.push(i);
  idx.sort((a, b) => flat[a]! - flat[b]!);
  const values: number[] = [], counts: number[] = [];
  let total = 0;
  for (const i of idx) {
    const v = flat[i]!, c = flat[i + 1]!;
    if (values.length && values[values.length - 1] === v) counts[counts.length - 1]! += c;
    else { values.push(v); counts.push(c); }
    total += c;
  }
  return { values, counts, total };
}

/** Value at 1-based rank r (nearest rank) in the weighted sorted list. */
function valueAtRank(raw: RawValues, r: number): number {
  let cum = 0;
  for (let i = 0; i < raw.values.length; i++) {
    cum += raw.counts[i]!;
    if (cum >= r) return raw.values[i]!;
  }
  return raw.values[raw.values.length - 1]!;
}

/** Nearest-rank percentile (§9 #6): the smallest value with at least p % of values ≤ it. */
export function percentile(raw: RawValues, p: number): number {
  if (raw.total === 0) return Number.NaN;
  const r = Math.max(1, Math.ceil((p / 100) * raw.total - 1e-9));
  return valueAtRank(raw, r);
}

/**
 * The retained part of a TM/WM/TC/TS/PR range. Percent bounds work on ranks: `(a%:b%)` keeps
 * ranks r with ceil(a·n) < r ≤ ceil(b·n) (drops the a % lowest, keeps up to the b-th
 * percentile); absolute bounds keep lo < v ≤ hi (§2.3, §9 #7).
 */
function split(spec: { lo: Bound | null; hi: Bound | null }, total: number, v: number, first: number, c: number): [number, number, number] {
  const rankOf = (b: Bound) => Math.ceil((b.value / 100) * total - 1e-9);
  const { lo, hi } = spec;
  if (lo && !lo.percent && !(v > lo.value)) return [c, 0, 0];
  if (hi && !hi.percent && !(v <= hi.value)) return [0, 0, c];
  const loRank = lo?.percent ? rankOf(lo) : 0;
  const hiRank = hi?.percent ? rankOf(hi) : total;
  // this value holds ranks first+1 .. first+c; kept ranks are loRank+1 .. hiRank
  const below = Math.min(c, Math.max(0, loRank - first));
  const above = Math.min(c - below, Math.max(0, first + c - hiRank));
  return [below, c - below - above, above];
}

/** A percentile-family statistic from raw values; NaN when it has no value (no retained data). */
export function rawStat(spec: Exclude<StatSpec, { kind: 'basic' }>, raw: RawValues): number {
  if (raw.total === 0) return Number.NaN;
  if (spec.kind === 'p') return percentile(raw, spec.p);
  let count = 0, sum = 0, rank = 0;
  let firstKept = Number.NaN, lastKept = Number.NaN;
  let below = 0, above = 0; // samples outside the range, for WM (§9 #8: clamp to the kept extremes)
  for (let i = 0; i < raw.values.length; i++) {
    const v = raw.values[i]!, c = raw.counts[i]!;
    const [b, k, a] = split(spec, raw.total, v, rank, c);
    below += b;
    above += a;
    if (k > 0) {
      if (count === 0) firstKept = v;
      lastKept = v;
      count += k;
      sum += k * v;
    }
    rank += c;
  }
  switch (spec.kind) {
    case 'TC': return count;
    case 'TS': return sum;
    case 'TM': return count ? sum / count : Number.NaN;
    case 'PR': return (100 * count) / raw.total;
    case 'WM': return count ? (sum + below * firstKept + above * lastKept) / raw.total : Number.NaN;
  }
}

/** Whether percentile-family statistics are available for a period's data (§2.3). */
export function rawAvailable(a: Agg, hasRaw: boolean): boolean {
  return a.n > 0 && a.min >= 0 && hasRaw;
}
