/**
 * GetMetricData (spec §2.4): MetricDataQueries with MetricStat, Id/Label/ReturnData, ScanBy,
 * MaxDatapoints, and the metric-math subset of cloudwatch.math.ts.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 */
import { err, validationError } from '../../kernel/params.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { checkName, checkNamespace, checkQueryPeriod, checkUnit, invalid, missing, readDimensions, readTime } from './cloudwatch.params.ts';
import { parseStatistic } from './cloudwatch.statistics.ts';
import { alignStart, basicAt, metricPeriods, metricSeries, periodFitsAge, type Series } from './cloudwatch.views.ts';
import type { PeriodAggs } from './cloudwatch.store.ts';
import type { BasicStatistic } from './cloudwatch.statistics.ts';
import { evaluateInOrder, type MathEnv } from './cloudwatch.math.ts';
import { bandOf } from './cloudwatch.anomaly.ts';

/**
 * Runtime cache (never state): ISO text of minute-aligned stamps, one lazily filled table of 1,440
 * strings per day, built from the day's date part and a shared table of `HH:MM:00.000Z` suffixes,
 * so long results reuse the same strings call after call. Other stamps are formatted directly.
 */
const MINUTE_SUFFIX: string[] = [];
const dayStamps = new Map<number, (string | undefined)[]>();
const DAY_TABLES = 512;

function minuteTable(d: number): (string | undefined)[] {
  let tab = dayStamps.get(d);
  if (tab === undefined) {
    if (dayStamps.size >= DAY_TABLES) dayStamps.clear();
    dayStamps.set(d, (tab = new Array<string | undefined>(1440).fill(undefined)));
  }
  return tab;
}

function isoMinute(tab: (string | undefined)[], d: number, m: number): string {
  let suffix = MINUTE_SUFFIX[m];
  if (suffix === undefined) MINUTE_SUFFIX[m] = suffix = toIso(m * 60_000).slice(11);
  const text = `${toIso(d * 86_400_000).slice(0, 11)}${suffix}`;
  tab[m] = text;
  return text;
}

/**
 * A basic statistic's datapoints straight from period aggregates (the same values and order as
 * metricSeries then the output loop): at most `budget` of them, newest first with `desc`.
 */
function directResult(a: PeriodAggs, count: number, name: BasicStatistic, start: number, period: number, budget: number, desc: boolean): { Timestamps: string[]; Values: number[]; StatusCode: string } {
  const an = a.n;
  // the number of datapoints, counted first only when the budget may cut them short
  let total = count;
  if (count > budget) {
    total = 0;
    for (let k = 0; k < count; k++) if (an[k] !== 0 && !Number.isNaN(basicAt(a, k, name))) total++;
  }
  let take = Math.min(total, budget);
  if (take === count) {
    // every period has a datapoint (the usual full series): values only, and the timestamps of the
    // whole grid, shared between the queries of a request (a copy each)
    const values = new Array<number>(count);
    const as = a.s, avg = name === 'Average';
    let j = 0;
    for (let k = desc ? count - 1 : 0; k >= 0 && k < count; k += desc ? -1 : 1) {
      const n = an[k]!;
      const v = n === 0 ? Number.NaN : avg ? as[k]! / n : basicAt(a, k, name);
      if (Number.isNaN(v)) break;
      values[j++] = v;
    }
    if (j === count) return { Timestamps: gridStamps(start, period, count, desc).slice(), Values: values, StatusCode: 'Complete' };
  }
  const stamps = new Array<string>(take), values = new Array<number>(take);
  let day = Number.NaN, from = 0, to = -1, tab: (string | undefined)[] = [];
  let j = 0;
  const as = a.s, avg = name === 'Average', step = desc ? -1 : 1;
  const ppm = period % 60 === 0 ? period / 60 : Number.NaN;
  let base = Number.NaN;
  for (let k = desc ? count - 1 : 0; j < take && k >= 0 && k < count; k += step) {
    const n = an[k]!;
    if (n === 0) continue;
    const v = avg ? as[k]! / n : basicAt(a, k, name);
    if (Number.isNaN(v)) continue;
    const t = start + k * period * 1000;
    values[j] = v;
    if (!(t >= from && t < to)) {
      day = Math.floor(t / 86_400_000);
      from = day * 86_400_000; to = from + 86_400_000;
      tab = minuteTable(day);
      base = (start - from) / 60_000;
      if (!Number.isInteger(base)) base = Number.NaN;
    }
    // minute-aligned periods: the minute of the day by integer steps (base + k · minutes per period)
    const m = ppm === ppm && base === base ? base + k * ppm : (t - from) / 60_000;
    stamps[j++] = Number.isInteger(m) ? tab[m] ?? isoMinute(tab, day, m) : toIso(t);
  }
  if (j < take) { stamps.length = j; values.length = j; take = total = j; } // fewer than `count` datapoints
  return { Timestamps: stamps, Values: values, StatusCode: take === total ? 'Complete' : 'PartialData' };
}

/** Runtime cache: the last grid's timestamps (newest first with `desc`). */
let GRID: { start: number; period: number; count: number; desc: boolean; stamps: string[] } | null = null;

function gridStamps(start: number, period: number, count: number, desc: boolean): string[] {
  if (GRID !== null && GRID.start === start && GRID.period === period && GRID.count === count && GRID.desc === desc) return GRID.stamps;
  const stamps = new Array<string>(count);
  let day = Number.NaN, tab: (string | undefined)[] = [];
  for (let j = 0, k = desc ? count - 1 : 0; j < count; j++, k += desc ? -1 : 1) {
    const t = start + k * period * 1000;
    const d = Math.floor(t / 86_400_000);
    if (d !== day) { day = d; tab = minuteTable(day); }
    const m = (t - d * 86_400_000) / 60_000;
    stamps[j] = Number.isInteger(m) ? tab[m] ?? isoMinute(tab, day, m) : toIso(t);
  }
  GRID = { start, period, count, desc, stamps };
  return stamps;
}

/** MetricDataQuery Ids (spec §2.5): a lowercase letter, then letters, digits and underscores. */
const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;

/** AWS's ValidationError text for an Id that does not match ID_RE. */
const idPatternMessage = (id: string, member: string): string =>
  `The value ${id} for parameter ${member} is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.`;

/** AWS lists every query Id of `list` (the member `name`) that does not match ID_RE, one line each. */
export function queryIdsError(list: readonly unknown[], name: string): { error: ApiError } | null {
  const bad = list.flatMap((q, i) => {
    const id = (q as Record<string, unknown> | null)?.Id;
    return typeof id === 'string' && !ID_RE.test(id) ? [idPatternMessage(id, `${name}.member.${i + 1}.Id`)] : [];
  });
  return bad.length ? err('ValidationError', bad.join('\n')) : null;
}

interface Query { id: string; label?: string; returnData: boolean; stat?: { ns: string; name: string; dims: { Name: string; Value: string }[]; period: number; stat: string; unit?: string }; expr?: string; period?: number }

function readQuery(q: Record<string, unknown>, i: number): Query | { error: ApiError } {
  const m = `MetricDataQueries.member.${i + 1}`;
  if (typeof q.Id !== 'string') return missing(`${m}.Id`);
  if (q.Id.length > 255) return { error: validationError(`${m}.Id`, q.Id, 'Member must have length less than or equal to 255') };
  const base = { id: q.Id, ...(typeof q.Label === 'string' ? { label: q.Label } : {}), returnData: q.ReturnData !== false };
  if ((q.MetricStat === undefined) === (q.Expression === undefined))
    return err('ValidationError', `${m}: exactly one of MetricStat or Expression must be specified.`);
  if (q.Expression !== undefined) {
    if (typeof q.Expression !== 'string' || q.Expression.length < 1 || q.Expression.length > 2048) return invalid(`${m}.Expression`, q.Expression);
    if (q.Period !== undefined) { const e = checkQueryPeriod(q.Period, `${m}.Period`); if (e) return e; }
    return { ...base, expr: q.Expression, ...(typeof q.Period === 'number' ? { period: q.Period } : {}) };
  }
  const ms = q.MetricStat as Record<string, unknown>;
  const metric = (ms?.Metric ?? {}) as Record<string, unknown>;
  const e = checkNamespace(metric.Namespace, `${m}.MetricStat.Metric.Namespace`) ?? checkName(metric.MetricName, `${m}.MetricStat.Metric.MetricName`)
    ?? checkQueryPeriod(ms?.Period, `${m}.MetricStat.Period`) ?? checkUnit(ms?.Unit, `${m}.MetricStat.Unit`);
  if (e) return e;
  const dims = readDimensions(metric.Dimensions, `${m}.MetricStat.Metric.Dimensions`);
  if ('error' in dims) return dims;
  if (typeof ms.Stat !== 'string' || !parseStatistic(ms.Stat)) return invalid(`${m}.MetricStat.Stat`, ms.Stat);
  return {
    ...base,
    stat: { ns: metric.Namespace as string, name: metric.MetricName as string, dims: dims.dims, period: ms.Period as number, stat: ms.Stat, ...(typeof ms.Unit === 'string' ? { unit: ms.Unit } : {}) },
  };
}

export const metricDataOperations: Record<string, OperationDef<CloudWatchState>> = {
  GetMetricData: {
    readOnly: true,
    category: 'Data',
    run(ctx, p: Params) {
      const list = p.MetricDataQueries;
      if (list === undefined) return missing('MetricDataQueries');
      if (!Array.isArray(list) || list.length < 1 || list.length > 500)
        return { error: validationError('MetricDataQueries', Array.isArray(list) ? `[${list.length} items]` : list, 'Member must have length between 1 and 500') };
      const st = readTime(p.StartTime, 'StartTime', true), et = readTime(p.EndTime, 'EndTime', true);
      if ('error' in st) return st;
      if ('error' in et) return et;
      if (!(st.t! < et.t!)) return err('ValidationError', 'The parameter StartTime must be less than the parameter EndTime.');
      const scan = p.ScanBy ?? 'TimestampDescending';
      if (scan !== 'TimestampDescending' && scan !== 'TimestampAscending') return invalid('ScanBy', scan);
      const maxDp = p.MaxDatapoints ?? 100_800;
      if (typeof maxDp !== 'number' || !Number.isInteger(maxDp) || maxDp < 1) return invalid('MaxDatapoints', maxDp);
      const badIds = queryIdsError(list, 'MetricDataQueries');
      if (badIds) return badIds;
      const queries: Query[] = [];
      for (const [i, q] of list.entries()) {
        const r = readQuery((q ?? {}) as Record<string, unknown>, i);
        if ('error' in r) return r;
        if (queries.some((x) => x.id === r.id)) return err('ValidationError', `The value ${r.id} for field Id must be unique.`);
        queries.push(r);
      }
      if (!queries.some((q) => q.returnData)) return err('ValidationError', 'At least one MetricDataQuery must have ReturnData set to true.');
      // Fetch every MetricStat, then evaluate expressions in order of dependency.
      const series = new Map<string, Series>();
      const periods = new Map<string, number>();
      // without expressions, basic statistics go straight from their period aggregates to the output
      const direct = queries.every((q) => q.stat !== undefined);
      let requested = 0;
      for (const q of queries) {
        if (!q.stat) continue;
        const start = alignStart(st.t!, q.stat.period, ctx.now);
        requested += Math.ceil((et.t! - start) / (q.stat.period * 1000));
        periods.set(q.id, q.stat.period);
        if (direct) continue; // read below, one query at a time
        series.set(q.id, periodFitsAge(start, q.stat.period, ctx.now)
          ? metricSeries(ctx.state, { namespace: q.stat.ns, metricName: q.stat.name, dimensions: q.stat.dims, start, end: et.t!, period: q.stat.period, stat: q.stat.stat, ...(q.stat.unit ? { unit: q.stat.unit } : {}) })
          : { timestamps: [], values: [] });
      }
      if (requested > 100_800) return err('ValidationError', `The request would return ${requested} datapoints, more than the limit of 100,800.`);
      const env: MathEnv = {
        series, periods, metricIds: queries.filter((q) => q.stat).map((q) => q.id),
        window: (period) => ({ start: alignStart(st.t!, period, ctx.now), end: et.t! }),
        band: (id, width, period) => {
          const qs = queries.find((x) => x.id === id)?.stat;
          const start = alignStart(st.t!, period, ctx.now);
          if (qs && !periodFitsAge(start, qs.period, ctx.now)) return { upper: { timestamps: [], values: [] }, lower: { timestamps: [], values: [] } };
          return bandOf(ctx.state, qs && { namespace: qs.ns, metricName: qs.name, dimensions: qs.dims, stat: qs.stat, period: qs.period, unit: qs.unit }, width, start, et.t!);
        },
      };
      // ANOMALY_DETECTION_BAND queries: two results each (upper, lower), see below
      const bands = new Map<string, { upper: Series; lower: Series }>();
      let failed: string | null = null;
      const left = evaluateInOrder(queries.filter((q) => q.expr !== undefined), (q) => q.expr!, env, (q, r) => {
        if (typeof r === 'string') { failed = `Error in expression ${q.id}: ${r}`; return false; }
        series.set(q.id, r.series);
        periods.set(q.id, r.period);
        if (r.band) bands.set(q.id, r.band);
      }, (q) => { env.defaultPeriod = q.period; });
      if (failed !== null) return err('ValidationError', failed);
      if (left.length) return err('ValidationError', `Error in expression ${left[0]!.id}: circular or unknown reference`);
      let budget = maxDp;
      const desc = scan === 'TimestampDescending';
      const results = queries.filter((q) => q.returnData).flatMap((q) => {
        // a band is two results with the query's Id: the upper, then the lower limit (AWS documents
        // the band as two time series but not how GetMetricData labels them: a decision)
        const band = bands.get(q.id);
        if (band) {
          const of = /ANOMALY_DETECTION_BAND\s*\(\s*([a-z][a-zA-Z0-9_]*)/.exec(q.expr!)?.[1];
          const label = q.label ?? `${queries.find((x) => x.id === of)?.stat?.name ?? q.id} (expected)`;
          return [output(q.id, `${label} Upper`, band.upper), output(q.id, `${label} Lower`, band.lower)];
        }
        let s = series.get(q.id);
        if (s === undefined) {
          // direct: the query's periods (metricSeries' first half), then its datapoints as output
          const qs = q.stat!;
          const start = alignStart(st.t!, qs.period, ctx.now);
          const sq = { namespace: qs.ns, metricName: qs.name, dimensions: qs.dims, start, end: et.t!, period: qs.period, stat: qs.stat, ...(qs.unit ? { unit: qs.unit } : {}) };
          const pa = periodFitsAge(start, qs.period, ctx.now) ? metricPeriods(ctx.state, sq) : null;
          if (pa !== null && pa.spec.kind === 'basic') {
            const r = directResult(pa.a, pa.count, pa.spec.name, start, qs.period, Math.max(0, budget), desc);
            budget -= r.Timestamps.length;
            return { Id: q.id, Label: q.label ?? qs.name, ...r };
          }
          s = pa === null ? { timestamps: [], values: [] } : metricSeries(ctx.state, sq);
        }
        return [output(q.id, q.label ?? q.stat?.name ?? q.id, s)];
      });
      /** One MetricDataResult from a series, within what is left of MaxDatapoints. */
      function output(id: string, label: string, s: Series) {
        const n = s.timestamps.length;
        const take = Math.min(n, Math.max(0, budget));
        budget -= take;
        const stamps = new Array<string>(take), values = new Array<number>(take);
        const ts = s.timestamps, vs = s.values;
        // the day's table stays in hand while stamps fall in that day (no division per stamp)
        let day = Number.NaN, from = 0, to = -1, tab: (string | undefined)[] = [];
        for (let j = 0; j < take; j++) {
          const i = desc ? n - 1 - j : j;
          const t = ts[i]!;
          values[j] = vs[i]!;
          if (!(t >= from && t < to)) {
            day = Math.floor(t / 86_400_000);
            from = day * 86_400_000; to = from + 86_400_000;
            tab = minuteTable(day);
          }
          const m = (t - from) / 60_000;
          if (!Number.isInteger(m)) { stamps[j] = toIso(t); continue; }
          stamps[j] = tab[m] ?? isoMinute(tab, day, m);
        }
        return { Id: id, Label: label, Timestamps: stamps, Values: values, StatusCode: take === n ? 'Complete' : 'PartialData' };
      }
      return { output: { MetricDataResults: results, Messages: [] } };
    },
  },
};
