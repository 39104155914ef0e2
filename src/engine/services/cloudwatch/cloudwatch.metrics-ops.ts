/**
 * Metric operations: PutMetricData, GetMetricStatistics, ListMetrics (GetMetricData lives in
 * cloudwatch.metric-data.ts). Members and errors as in the CloudWatch API reference (spec §2).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/
 */
import { err, validationError } from '../../kernel/params.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params } from '../../kernel/types.ts';
import { TWO_WEEKS, type CloudWatchState, type Dimension } from './cloudwatch.model.ts';
import {
  checkName, checkNamespace, checkQueryPeriod, checkUnit, checkValue, invalid, missing, readDimensions, readTime,
} from './cloudwatch.params.ts';
import { BASIC_STATISTICS, parseStatistic } from './cloudwatch.statistics.ts';
import { addSamples, aggregatePeriods, getMetric, type SampleSet } from './cloudwatch.store.ts';
import { alignStart, listableMetrics, periodFitsAge, statAt, streamsOf } from './cloudwatch.views.ts';

const TWO_HOURS = 2 * 3600_000;

interface Datum { name: string; dims: Dimension[]; unit: string; time: number; res: 1 | 60; set: SampleSet }

/** Reads one MetricDatum (all checks before any change). */
function readDatum(d: Record<string, unknown>, i: number, now: number): Datum | { error: ApiError } {
  const m = `MetricData.member.${i + 1}`;
  const e0 = checkName(d.MetricName, `${m}.MetricName`);
  if (e0) return e0;
  const dims = readDimensions(d.Dimensions, `${m}.Dimensions`);
  if ('error' in dims) return dims;
  const eu = checkUnit(d.Unit, `${m}.Unit`);
  if (eu) return eu;
  const res = d.StorageResolution ?? 60;
  if (res !== 1 && res !== 60) return invalid(`${m}.StorageResolution`, res, 'Valid values are 1 and 60.');
  const tr = readTime(d.Timestamp, `${m}.Timestamp`, false);
  if ('error' in tr) return tr;
  const time = tr.t ?? now;
  if (time < now - TWO_WEEKS) return invalid(`${m}.Timestamp`, d.Timestamp, 'The timestamp must be within the past two weeks.');
  if (time > now + TWO_HOURS) return invalid(`${m}.Timestamp`, d.Timestamp, 'The timestamp must be no more than two hours in the future.');
  const given = ['Value', 'Values', 'StatisticValues'].filter((k) => d[k] !== undefined && d[k] !== null);
  if (given.length !== 1)
    return err('InvalidParameterCombination', `${m}: exactly one of Value, Values or StatisticValues must be specified.`);
  let set: SampleSet;
  if (given[0] === 'Value') {
    const e = checkValue(d.Value, `${m}.Value`);
    if (e) return e;
    const v = d.Value as number;
    set = { n: 1, s: v, lo: v, hi: v, raw: null };
  } else if (given[0] === 'Values') {
    const vals = d.Values, counts = d.Counts;
    if (!Array.isArray(vals) || vals.length === 0 || vals.length > 150)
      return { error: validationError(`${m}.Values`, Array.isArray(vals) ? `[${vals.length} items]` : vals, 'Member must have length between 1 and 150') };
    if (counts !== undefined && (!Array.isArray(counts) || counts.length !== vals.length))
      return err('InvalidParameterValue', `The parameters ${m}.Values and ${m}.Counts must be of the same size.`);
    const raw: number[] = [];
    let n = 0, s = 0, lo = Infinity, hi = -Infinity;
    for (let k = 0; k < vals.length; k++) {
      const e = checkValue(vals[k], `${m}.Values.member.${k + 1}`);
      if (e) return e;
      const c = counts ? counts[k] : 1;
      if (typeof c !== 'number' || !Number.isFinite(c) || c < 0) return invalid(`${m}.Counts.member.${k + 1}`, c);
      if (c === 0) continue;
      const v = vals[k] as number;
      raw.push(v, c);
      n += c; s += v * c;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (n === 0) return invalid(`${m}.Counts`, '[0, ...]', 'At least one count must be positive.');
    set = { n, s, lo, hi, raw };
  } else {
    const sv = d.StatisticValues as Record<string, unknown>;
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum']) {
      const e = checkValue(sv?.[k], `${m}.StatisticValues.${k}`);
      if (e) return e;
    }
    const n = sv.SampleCount as number, lo = sv.Minimum as number, hi = sv.Maximum as number;
    if (n <= 0) return invalid(`${m}.StatisticValues.SampleCount`, n, 'SampleCount must be greater than 0.');
    if (lo > hi) return err('InvalidParameterValue', `${m}.StatisticValues: Minimum must be less than or equal to Maximum.`);
    set = { n, s: sv.Sum as number, lo, hi, raw: null };
  }
  return { name: d.MetricName as string, dims: dims.dims, unit: (d.Unit as string | undefined) ?? 'None', time, res: res as 1 | 60, set };
}

/** Checks a statistics request shared by GetMetricStatistics and DescribeAlarmsForMetric. */
function readStatistics(p: Params): { basic: string[]; extended: string[] } | { error: ApiError } {
  const basic = p.Statistics, ext = p.ExtendedStatistics;
  if ((basic === undefined) === (ext === undefined))
    return err('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.');
  if (basic !== undefined) {
    if (!Array.isArray(basic) || basic.length < 1 || basic.length > 5)
      return { error: validationError('Statistics', basic, 'Member must have length between 1 and 5') };
    for (const s of basic) if (!(BASIC_STATISTICS as readonly string[]).includes(s as string))
      return { error: validationError('Statistics', s, `Member must satisfy enum value set: [${BASIC_STATISTICS.join(', ')}]`) };
    return { basic: basic as string[], extended: [] };
  }
  if (!Array.isArray(ext) || ext.length < 1 || ext.length > 10)
    return { error: validationError('ExtendedStatistics', ext, 'Member must have length between 1 and 10') };
  for (const s of ext) {
    const spec = typeof s === 'string' ? parseStatistic(s) : null;
    if (!spec || spec.kind === 'basic') return invalid('ExtendedStatistics', s);
  }
  return { basic: [], extended: ext as string[] };
}

export const metricOperations: Record<string, OperationDef<CloudWatchState>> = {
  PutMetricData: {
    readOnly: false,
    category: 'Data',
    run(ctx, p) {
      const e = checkNamespace(p.Namespace, 'Namespace', false);
      if (e) return e;
      const data = p.MetricData;
      if (data === undefined || data === null) return missing('MetricData');
      if (!Array.isArray(data) || data.length < 1 || data.length > 1000)
        return { error: validationError('MetricData', Array.isArray(data) ? `[${data.length} items]` : data, 'Member must have length between 1 and 1000') };
      const parsed: Datum[] = [];
      for (const [i, d] of data.entries()) {
        const r = readDatum((d ?? {}) as Record<string, unknown>, i, ctx.now);
        if ('error' in r) return r;
        parsed.push(r);
      }
      for (const d of parsed) {
        const m = getMetric(ctx.state, p.Namespace as string, d.name, d.dims, true)!;
        addSamples(m, d.unit, d.time, d.res, d.set, ctx.now);
      }
      return { output: {} };
    },
  },

  GetMetricStatistics: {
    readOnly: true,
    category: 'Data',
    run(ctx, p) {
      const e = checkNamespace(p.Namespace) ?? checkName(p.MetricName, 'MetricName') ?? checkQueryPeriod(p.Period, 'Period', 86_400) ?? checkUnit(p.Unit);
      if (e) return e;
      const dims = readDimensions(p.Dimensions, 'Dimensions');
      if ('error' in dims) return dims;
      const st = readTime(p.StartTime, 'StartTime', true), et = readTime(p.EndTime, 'EndTime', true);
      if ('error' in st) return st;
      if ('error' in et) return et;
      const stats = readStatistics(p);
      if ('error' in stats) return stats;
      const period = p.Period as number;
      if (!(st.t! < et.t!)) return err('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
      const start = alignStart(st.t!, period, ctx.now);
      const count = Math.ceil((et.t! - start) / (period * 1000));
      if (count > 1440)
        return err('InvalidParameterCombination', `You have requested up to ${String(count).replace(/\B(?=(\d{3})+$)/g, ',')} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
      const datapoints: Record<string, unknown>[] = [];
      if (periodFitsAge(start, period, ctx.now)) {
        const unit = p.Unit as string | undefined;
        const specs = [...stats.basic, ...stats.extended].map((s) => [s, parseStatistic(s)!] as const);
        for (const stream of streamsOf(ctx.state, p.Namespace as string, p.MetricName as string, dims.dims, unit)) {
          const a = aggregatePeriods([stream], start, period, count, stats.extended.length > 0, ctx.state);
          for (let k = 0; k < count; k++) {
            if (a.n[k] === 0) continue;
            const dp: Record<string, unknown> = { Timestamp: toIso(start + k * period * 1000) };
            const ext: Record<string, number> = {};
            for (const [name, spec] of specs) {
              const v = statAt(a, k, spec);
              if (Number.isNaN(v)) continue;
              if (spec.kind === 'basic') dp[name] = v;
              else ext[name] = v;
            }
            if (stats.extended.length) {
              if (Object.keys(ext).length === 0) continue;
              dp.ExtendedStatistics = ext;
            }
            dp.Unit = stream.unit;
            datapoints.push(dp);
          }
        }
      }
      datapoints.sort((x, y) => (x.Timestamp as string < (y.Timestamp as string) ? -1 : 1));
      return { output: { Label: p.MetricName, Datapoints: datapoints } };
    },
  },

  ListMetrics: {
    readOnly: true,
    category: 'Data',
    run(ctx, p) {
      if (p.Namespace !== undefined) { const e = checkNamespace(p.Namespace); if (e) return e; }
      if (p.MetricName !== undefined) { const e = checkName(p.MetricName, 'MetricName'); if (e) return e; }
      const filters = p.Dimensions;
      if (filters !== undefined && (!Array.isArray(filters) || filters.length > 30))
        return { error: validationError('Dimensions', filters, 'Member must have length less than or equal to 30') };
      const dimFilters = ((filters ?? []) as Record<string, unknown>[]).map((f) => ({ Name: f?.Name, Value: f?.Value }));
      for (const [i, f] of dimFilters.entries()) {
        const e = checkName(f.Name, `Dimensions.member.${i + 1}.Name`);
        if (e) return e;
      }
      const recentlyActive = p.RecentlyActive;
      if (recentlyActive !== undefined && recentlyActive !== 'PT3H') return invalid('RecentlyActive', recentlyActive);
      const all = listableMetrics(ctx.state, ctx.now).filter((m) =>
        (p.Namespace === undefined || m.namespace === p.Namespace) &&
        (p.MetricName === undefined || m.metricName === p.MetricName) &&
        dimFilters.every((f) => m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))));
      const active = recentlyActive === 'PT3H' ? all.filter((m) => m.lastPut >= ctx.now - 3 * 3600_000) : all;
      const offset = typeof p.NextToken === 'string' ? Number.parseInt(p.NextToken, 10) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > active.length) return invalid('NextToken', p.NextToken);
      const page = active.slice(offset, offset + 500);
      return {
        output: {
          Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions })),
          ...(offset + 500 < active.length ? { NextToken: String(offset + 500) } : {}),
        },
      };
    },
  },
};
