/**
 * PutAnomalyDetector, DescribeAnomalyDetectors and DeleteAnomalyDetector for single-metric
 * detectors (SingleMetricAnomalyDetector, or the deprecated top-level Namespace / MetricName /
 * Dimensions / Stat). The model is cloudwatch.anomaly.ts. Error codes are the API reference's
 * (InvalidParameterValue, MissingParameter, InvalidParameterCombination, ResourceNotFoundException);
 * the message texts are ours where AWS's are not published.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutAnomalyDetector.html
 */
import { err, validationError } from '../../kernel/params.ts';
import type { ApiError, OperationDef, Params, ResourceRef } from '../../kernel/types.ts';
import type { CloudWatchState, Dimension } from './cloudwatch.model.ts';
import { checkName, checkNamespace, invalid, missing, readDimensions, readTime } from './cloudwatch.params.ts';
import { parseStatistic } from './cloudwatch.statistics.ts';
import { deleteDetector, describeDetector, detectorKey, detectorState, putDetector, type AnomalyDetector } from './cloudwatch.anomaly.ts';

const LEGACY = ['Namespace', 'MetricName', 'Dimensions', 'Stat'] as const;
const TYPES = ['SINGLE_METRIC', 'METRIC_MATH'];
/** "You can specify as many as 10 time ranges." */
const MAX_EXCLUDED = 10;

interface Target { namespace: string; metricName: string; dimensions: Dimension[]; stat: string }

const present = (v: unknown) => v !== undefined && v !== null;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The metric and statistic a call names, from SingleMetricAnomalyDetector or the deprecated members. */
function readTarget(p: Params, accountId: string): Target | { error: ApiError } {
  const legacy = LEGACY.filter((m) => present(p[m]));
  if (present(p.MetricMathAnomalyDetector)) {
    if (present(p.SingleMetricAnomalyDetector) || legacy.length)
      return err('InvalidParameterCombination', 'MetricMathAnomalyDetector cannot be used together with SingleMetricAnomalyDetector, Namespace, MetricName, Dimensions or Stat.');
    return err('InvalidParameterValue', 'Anomaly detectors on metric math (MetricMathAnomalyDetector) are not supported by this simulator.');
  }
  const single = p.SingleMetricAnomalyDetector;
  if (present(single) && legacy.length)
    return err('InvalidParameterCombination', `SingleMetricAnomalyDetector cannot be used together with ${legacy.join(', ')}.`);
  if (present(single) && !isObj(single)) return invalid('SingleMetricAnomalyDetector', single);
  const src = (present(single) ? single : p) as Record<string, unknown>;
  const at = present(single) ? 'SingleMetricAnomalyDetector.' : '';
  if (present(src.AccountId) && src.AccountId !== accountId)
    return invalid(`${at}AccountId`, src.AccountId, 'Cross-account anomaly detectors are not supported by this simulator.');
  const e = checkNamespace(src.Namespace, `${at}Namespace`) ?? checkName(src.MetricName, `${at}MetricName`);
  if (e) return e;
  const dims = readDimensions(src.Dimensions, `${at}Dimensions`);
  if ('error' in dims) return dims;
  if (!present(src.Stat)) return missing(`${at}Stat`);
  if (typeof src.Stat !== 'string' || src.Stat.length > 50 || !parseStatistic(src.Stat)) return invalid(`${at}Stat`, src.Stat);
  return { namespace: src.Namespace as string, metricName: src.MetricName as string, dimensions: dims.dims, stat: src.Stat };
}

/** Configuration (ExcludedTimeRanges, MetricTimezone) and MetricCharacteristics. */
function readConfiguration(p: Params): Pick<AnomalyDetector, 'ExcludedTimeRanges' | 'MetricTimezone' | 'PeriodicSpikes'> | { error: ApiError } {
  const out: Pick<AnomalyDetector, 'ExcludedTimeRanges' | 'MetricTimezone' | 'PeriodicSpikes'> = { ExcludedTimeRanges: [] };
  const c = p.Configuration;
  if (present(c)) {
    if (!isObj(c)) return invalid('Configuration', c);
    const ranges = c.ExcludedTimeRanges ?? [];
    if (!Array.isArray(ranges)) return invalid('Configuration.ExcludedTimeRanges', ranges);
    if (ranges.length > MAX_EXCLUDED)
      return invalid('Configuration.ExcludedTimeRanges', `[${ranges.length} items]`, `You can specify as many as ${MAX_EXCLUDED} time ranges.`);
    for (const [i, r] of ranges.entries()) {
      const m = `Configuration.ExcludedTimeRanges.member.${i + 1}`;
      const range = (isObj(r) ? r : {}) as Record<string, unknown>;
      const s = readTime(range.StartTime, `${m}.StartTime`, true), e = readTime(range.EndTime, `${m}.EndTime`, true);
      if ('error' in s) return s;
      if ('error' in e) return e;
      if (!(s.t! < e.t!)) return err('InvalidParameterValue', `The StartTime of ${m} must be before its EndTime.`);
      out.ExcludedTimeRanges.push({ StartTime: s.t!, EndTime: e.t! });
    }
    if (present(c.MetricTimezone)) {
      if (typeof c.MetricTimezone !== 'string' || c.MetricTimezone.length > 50)
        return { error: validationError('Configuration.MetricTimezone', c.MetricTimezone, 'Member must have length less than or equal to 50') };
      out.MetricTimezone = c.MetricTimezone;
    }
  }
  const mc = p.MetricCharacteristics;
  if (present(mc)) {
    if (!isObj(mc) || (present(mc.PeriodicSpikes) && typeof mc.PeriodicSpikes !== 'boolean')) return invalid('MetricCharacteristics', mc);
    if (typeof mc.PeriodicSpikes === 'boolean') out.PeriodicSpikes = mc.PeriodicSpikes;
  }
  return out;
}

const detectorResources = (p: Params): ResourceRef[] => {
  const src = (isObj(p.SingleMetricAnomalyDetector) ? p.SingleMetricAnomalyDetector : p) as Record<string, unknown>;
  return typeof src.MetricName === 'string' ? [{ type: 'AWS::CloudWatch::AnomalyDetector', name: `${String(src.Namespace)}/${src.MetricName}` }] : [];
};

export const anomalyOperations: Record<string, OperationDef<CloudWatchState>> = {
  PutAnomalyDetector: {
    readOnly: false,
    resources: detectorResources,
    run(ctx, p) {
      const t = readTarget(p, ctx.accountId);
      if ('error' in t) return t;
      const c = readConfiguration(p);
      if ('error' in c) return c;
      putDetector(ctx.state, { Namespace: t.namespace, MetricName: t.metricName, Dimensions: t.dimensions, Stat: t.stat, ...c });
      return { output: {} };
    },
  },

  DescribeAnomalyDetectors: {
    readOnly: true,
    run(ctx, p) {
      const max = p.MaxResults ?? 100;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 100)
        return { error: validationError('MaxResults', max, 'Member must have value between 1 and 100') };
      const offset = p.NextToken === undefined ? 0 : Number.parseInt(String(p.NextToken), 10);
      if (!Number.isInteger(offset) || offset < 0 || String(offset) !== String(p.NextToken ?? 0))
        return err('InvalidNextToken', 'The token provided is not valid.');
      if (present(p.Namespace)) { const e = checkNamespace(p.Namespace); if (e) return e; }
      if (present(p.MetricName)) { const e = checkName(p.MetricName, 'MetricName'); if (e) return e; }
      const dims = readDimensions(p.Dimensions, 'Dimensions');
      if ('error' in dims) return dims;
      const types = p.AnomalyDetectorTypes ?? ['SINGLE_METRIC'];
      if (!Array.isArray(types) || types.length > 2 || types.some((x) => !TYPES.includes(x as string)))
        return { error: validationError('AnomalyDetectorTypes', Array.isArray(types) ? types.join(',') : types, `Member must satisfy enum value set: [${TYPES.join(', ')}]`) };
      const all = ctx.state.anomalyDetectors;
      const list = !types.includes('SINGLE_METRIC') || !all ? [] : all.order.map((k) => all.byKey[k]!).filter((d) =>
        (!present(p.Namespace) || d.Namespace === p.Namespace) && (!present(p.MetricName) || d.MetricName === p.MetricName) &&
        dims.dims.every((x) => d.Dimensions.some((y) => y.Name === x.Name && y.Value === x.Value)));
      const page = list.slice(offset, offset + max);
      return {
        output: {
          AnomalyDetectors: page.map((d) => describeDetector(d, detectorState(ctx.state, d, ctx.now), ctx.accountId)),
          ...(offset + max < list.length ? { NextToken: String(offset + max) } : {}),
        },
      };
    },
  },

  DeleteAnomalyDetector: {
    readOnly: false,
    resources: detectorResources,
    run(ctx, p) {
      const t = readTarget(p, ctx.accountId);
      if ('error' in t) return t;
      if (!deleteDetector(ctx.state, detectorKey(t.namespace, t.metricName, t.dimensions, t.stat)))
        return err('ResourceNotFoundException', 'The specified anomaly detector does not exist.');
      return { output: {} };
    },
  },
};
