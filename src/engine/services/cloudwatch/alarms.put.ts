/**
 * PutMetricAlarm and PutCompositeAlarm with CloudWatch's validation (spec §1.2, §1.5, §1.6,
 * decisions §9 #4, #5). https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
import { err, validationError } from '../../kernel/params.ts';
import type { ApiError, Params, ServiceContext } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { checkName, checkNamespace, checkUnit, invalid, missing, readDimensions } from './cloudwatch.params.ts';
import { BASIC_STATISTICS, parseStatistic } from './cloudwatch.statistics.ts';
import { COMPARISON_OPERATORS, TREATMENTS, type ComparisonOperator, type TreatMissingData } from './alarms.evaluate.ts';
import { parseAlarmRule } from './alarms.composite.ts';
import { alarmsChanged, type Alarm, type CompositeAlarm, type MathAlarm, type MetricAlarm } from './alarms.model.ts';
import { addHistory, evaluateComposites } from './alarms.runner.ts';
import { readMathQueries } from './alarms.math-put.ts';
import { mathPeriod } from './alarms.math.ts';
import { checkBandAlarm, checkNoBandReturned, ensureBandDetector, isBandOperator } from './alarms.anomaly.ts';

type Ctx = ServiceContext<CloudWatchState>;

// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

export function checkAlarmName(v: unknown, member = 'AlarmName'): { error: ApiError } | null {
  const e = checkName(v, member);
  if (e) return e;
  if (CONTROL_RE.test(v as string)) return invalid(member, v, 'Alarm names must not contain ASCII control characters.');
  return null;
}

const ACTION_RE = /^arn:aws[a-z-]*:(sns|automate|autoscaling|ssm|ssm-incidents|lambda):[a-z0-9-]*:[^\s]*$/;
const EC2_ACTION_RE = /^arn:aws[a-z-]*:automate:[a-z0-9-]+:ec2:(stop|terminate|reboot|recover)$/;

function readActions(p: Params, member: string, perInstance: boolean, composite: boolean): { list: string[] } | { error: ApiError } {
  const v = p[member];
  if (v === undefined || v === null) return { list: [] };
  if (!Array.isArray(v)) return invalid(member, v);
  if (v.length > 5) return { error: validationError(member, `[${v.length} items]`, 'Member must have length less than or equal to 5') };
  for (const a of v) {
    if (typeof a !== 'string' || a.length < 1 || a.length > 1024 || !ACTION_RE.test(a)) return invalid(member, a);
    if (a.includes(':automate:')) {
      if (composite || !EC2_ACTION_RE.test(a)) return invalid(member, a);
      if (!perInstance)
        return err('ValidationError', `The EC2 action ${a} is only valid for alarms on per-instance metrics (an InstanceId dimension).`);
    }
    if (composite && a.includes(':autoscaling:')) return invalid(member, a, 'Composite alarms cannot have Auto Scaling actions.');
  }
  return { list: [...new Set(v as string[])] };
}

function readCommon(p: Params, perInstance: boolean, composite: boolean) {
  const e = checkAlarmName(p.AlarmName);
  if (e) return e;
  if (p.AlarmDescription !== undefined && (typeof p.AlarmDescription !== 'string' || p.AlarmDescription.length > 1024))
    return { error: validationError('AlarmDescription', p.AlarmDescription, 'Member must have length less than or equal to 1024') };
  if (p.ActionsEnabled !== undefined && typeof p.ActionsEnabled !== 'boolean') return invalid('ActionsEnabled', p.ActionsEnabled);
  const ok = readActions(p, 'OKActions', perInstance, composite);
  const al = readActions(p, 'AlarmActions', perInstance, composite);
  const ins = readActions(p, 'InsufficientDataActions', perInstance, composite);
  for (const r of [ok, al, ins]) if ('error' in r) return r;
  return {
    OKActions: (ok as { list: string[] }).list,
    AlarmActions: (al as { list: string[] }).list,
    InsufficientDataActions: (ins as { list: string[] }).list,
  };
}

type Condition = Pick<MetricAlarm, 'EvaluationPeriods' | 'DatapointsToAlarm' | 'ComparisonOperator' | 'TreatMissingData'> & { Threshold?: number };
type Actions = { OKActions: string[]; AlarmActions: string[]; InsufficientDataActions: string[] };
type Named = { AlarmName: string; AlarmDescription?: string; ActionsEnabled: boolean; actions: Actions };

/**
 * The evaluation members every metric alarm has (§1.2); `period` is the alarm's. `band`: an
 * anomaly-detection alarm (ThresholdMetricId), which takes a band operator and no Threshold.
 */
function readCondition(p: Params, period: number, band = false): { cond: Condition } | { error: ApiError } {
  if (p.EvaluationPeriods === undefined || p.EvaluationPeriods === null) return missing('EvaluationPeriods');
  const n = p.EvaluationPeriods;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    return { error: validationError('EvaluationPeriods', n, 'Member must have value greater than or equal to 1') };
  if (p.ComparisonOperator === undefined) return missing('ComparisonOperator');
  if (!(COMPARISON_OPERATORS as readonly unknown[]).includes(p.ComparisonOperator))
    return { error: validationError('ComparisonOperator', p.ComparisonOperator, `Member must satisfy enum value set: [${COMPARISON_OPERATORS.join(', ')}]`) };
  const op = p.ComparisonOperator as ComparisonOperator;
  if (isBandOperator(op) && !band) return err('ValidationError', 'ComparisonOperators for ranges require ThresholdMetricId to be set');
  if (band && !isBandOperator(op))
    return err('ValidationError', `ThresholdMetricId requires one of the comparison operators for ranges (LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold); got ${op}.`);
  if (band && p.Threshold !== undefined && p.Threshold !== null) return err('ValidationError', 'Threshold should not be set if ThresholdMetricId is set.');
  if (!band && (p.Threshold === undefined || p.Threshold === null)) return err('ValidationError', 'Threshold or ThresholdMetricId is required.');
  if (!band && (typeof p.Threshold !== 'number' || !Number.isFinite(p.Threshold))) return invalid('Threshold', p.Threshold);
  if (period < 3600 && period * n > 86_400)
    return err('ValidationError', 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).');
  if (period * n > 604_800)
    return err('ValidationError', 'Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800).');
  const m = p.DatapointsToAlarm;
  if (m !== undefined && (typeof m !== 'number' || !Number.isInteger(m) || m < 1))
    return { error: validationError('DatapointsToAlarm', m, 'Member must have value greater than or equal to 1') };
  if (typeof m === 'number' && m > n)
    return err('ValidationError', `DatapointsToAlarm (${m}) must be less than or equal to EvaluationPeriods (${n}).`);
  if (p.TreatMissingData !== undefined && !(TREATMENTS as readonly unknown[]).includes(p.TreatMissingData))
    return invalid('TreatMissingData', p.TreatMissingData, `Valid values are ${TREATMENTS.join(', ')}.`);
  return {
    cond: {
      EvaluationPeriods: n,
      ...(m !== undefined ? { DatapointsToAlarm: m } : {}),
      ...(band ? {} : { Threshold: p.Threshold as number }),
      ComparisonOperator: op,
      ...(p.TreatMissingData !== undefined ? { TreatMissingData: p.TreatMissingData as TreatMissingData } : {}),
    },
  };
}

const named = (p: Params, actions: Actions): Named => ({
  AlarmName: p.AlarmName as string,
  ...(typeof p.AlarmDescription === 'string' ? { AlarmDescription: p.AlarmDescription } : {}),
  ActionsEnabled: p.ActionsEnabled !== false,
  actions,
});

/** Reads and checks PutMetricAlarm parameters of a single-metric alarm; nothing changes. */
export function readMetricAlarm(p: Params): { cfg: Omit<MetricAlarm, keyof Alarm | 'kind'> & Named } | { error: ApiError } {
  if (p.ThresholdMetricId !== undefined && p.ThresholdMetricId !== null)
    return err('ValidationError', 'ThresholdMetricId can only be used with a list of Metrics that holds an ANOMALY_DETECTION_BAND expression.');
  const e0 = checkNamespace(p.Namespace) ?? checkName(p.MetricName, 'MetricName') ?? checkUnit(p.Unit);
  if (e0) return e0;
  const dims = readDimensions(p.Dimensions, 'Dimensions');
  if ('error' in dims) return dims;
  const hasStat = p.Statistic !== undefined, hasExt = p.ExtendedStatistic !== undefined;
  if (hasStat === hasExt) return err('InvalidParameterCombination', 'Exactly one of Statistic or ExtendedStatistic must be specified.');
  if (hasStat && !(BASIC_STATISTICS as readonly unknown[]).includes(p.Statistic))
    return { error: validationError('Statistic', p.Statistic, `Member must satisfy enum value set: [${BASIC_STATISTICS.join(', ')}]`) };
  if (hasExt) {
    const s = typeof p.ExtendedStatistic === 'string' ? parseStatistic(p.ExtendedStatistic) : null;
    if (!s || s.kind === 'basic') return invalid('ExtendedStatistic', p.ExtendedStatistic);
  }
  if (p.Period === undefined || p.Period === null) return missing('Period');
  const period = p.Period;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1)
    return { error: validationError('Period', period, 'Member must have value greater than or equal to 1') };
  if (![10, 20, 30].includes(period) && period % 60 !== 0)
    return invalid('Period', period, 'Valid alarm periods are 10, 20, 30, or any multiple of 60 seconds.');
  const c = readCondition(p, period);
  if ('error' in c) return c;
  const low = p.EvaluateLowSampleCountPercentile;
  if (low !== undefined && low !== 'evaluate' && low !== 'ignore')
    return invalid('EvaluateLowSampleCountPercentile', low, 'Valid values are evaluate and ignore.');
  const common = readCommon(p, dims.dims.some((d) => d.Name === 'InstanceId'), false);
  if ('error' in common) return common;
  if (p.MetricName === 'StatusCheckFailed_Instance' && [...common.OKActions, ...common.AlarmActions, ...common.InsufficientDataActions].some((a) => a.endsWith(':ec2:recover')))
    return err('ValidationError', 'The EC2 recover action is not valid for alarms on StatusCheckFailed_Instance.');
  return {
    cfg: {
      ...named(p, common),
      Namespace: p.Namespace as string,
      MetricName: p.MetricName as string,
      Dimensions: dims.dims,
      ...(hasStat ? { Statistic: p.Statistic as string } : { ExtendedStatistic: p.ExtendedStatistic as string }),
      Period: period,
      ...(p.Unit !== undefined ? { Unit: p.Unit as string } : {}),
      ...c.cond,
      Threshold: c.cond.Threshold as number, // always there without ThresholdMetricId
      ...(low !== undefined ? { EvaluateLowSampleCountPercentile: low } : {}),
    },
  };
}

/** Reads and checks a metric-math alarm (PutMetricAlarm with `Metrics`, spec §1.1); nothing changes. */
function readMathAlarm(ctx: Ctx, p: Params): { cfg: Omit<MathAlarm, keyof Alarm | 'kind'> & Named } | { error: ApiError } {
  const band = p.ThresholdMetricId !== undefined && p.ThresholdMetricId !== null;
  if (band && (typeof p.ThresholdMetricId !== 'string' || p.ThresholdMetricId.length < 1 || p.ThresholdMetricId.length > 255))
    return invalid('ThresholdMetricId', p.ThresholdMetricId);
  const q = readMathQueries(ctx.state, p, ctx.now, band);
  if ('error' in q) return q;
  const c = readCondition(p, q.period, band);
  if ('error' in c) return c;
  const eb = band ? checkBandAlarm(p, q.metrics, q.period) : checkNoBandReturned(q.metrics);
  if (eb) return eb;
  const low = p.EvaluateLowSampleCountPercentile;
  if (low !== undefined && low !== 'evaluate' && low !== 'ignore')
    return invalid('EvaluateLowSampleCountPercentile', low, 'Valid values are evaluate and ignore.');
  for (const member of ['OKActions', 'AlarmActions', 'InsufficientDataActions'])
    if (Array.isArray(p[member]) && (p[member] as unknown[]).some((a) => typeof a === 'string' && EC2_ACTION_RE.test(a)))
      return err('ValidationError', 'EC2 actions are not supported on alarms based on metric math expressions.');
  const common = readCommon(p, false, false);
  if ('error' in common) return common;
  return { cfg: { ...named(p, common), Metrics: q.metrics, ...c.cond, ...(band ? { ThresholdMetricId: p.ThresholdMetricId as string } : {}) } };
}

const alarmArn = (ctx: Ctx, name: string) => `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;

/** Creates or replaces (keeping its state) a metric alarm, on one metric or on a metric-math expression. */
export function putMetricAlarm(ctx: Ctx, p: Params): { output: Record<string, unknown> } | { error: ApiError } {
  const r = p.Metrics !== undefined && p.Metrics !== null ? readMathAlarm(ctx, p) : readMetricAlarm(p);
  if ('error' in r) return r;
  const al = ctx.state.alarms;
  const existing = al.byName[r.cfg.AlarmName];
  if (existing && existing.kind === 'composite') return err('InvalidParameterValue', `The alarm ${r.cfg.AlarmName} is a composite alarm.`);
  const { actions, ...cfg } = r.cfg;
  const alarm: MetricAlarm | MathAlarm = {
    ...('Metrics' in cfg ? { kind: 'math' as const, ...cfg } : { kind: 'metric' as const, ...cfg }),
    ...actions,
    AlarmArn: alarmArn(ctx, cfg.AlarmName),
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    ...(existing?.StateReasonData ? { StateReasonData: existing.StateReasonData } : {}),
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? ctx.now,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? ctx.now,
    AlarmConfigurationUpdatedTimestamp: ctx.now,
  };
  al.byName[alarm.AlarmName] = alarm;
  if (!existing) al.order.push(alarm.AlarmName);
  alarmsChanged(al);
  if (alarm.kind === 'math' && alarm.ThresholdMetricId !== undefined) ensureBandDetector(ctx.state, alarm);
  addHistory(ctx, alarm, 'ConfigurationUpdate', `Alarm "${alarm.AlarmName}" ${existing ? 'updated' : 'created'}`, {
    type: existing ? 'Update' : 'Create', version: '1.0',
    updatedAlarm: { ...cfg, ...actions, Threshold: cfg.Threshold },
  });
  if ((alarm.kind === 'math' ? mathPeriod(alarm) : alarm.Period) < 60 && !al.fastTimer) {
    al.fastTimer = true;
    ctx.schedule(Math.floor(ctx.now / 10_000) * 10_000 + 10_000, 'fast', null);
  }
  return { output: {} };
}

/** Creates or replaces a composite alarm (spec §1.6). */
export function putCompositeAlarm(ctx: Ctx, p: Params): { output: Record<string, unknown> } | { error: ApiError } {
  const common = readCommon(p, false, true);
  if ('error' in common) return common;
  if (p.AlarmRule === undefined || p.AlarmRule === null) return missing('AlarmRule');
  if (typeof p.AlarmRule !== 'string') return invalid('AlarmRule', p.AlarmRule);
  const rule = parseAlarmRule(p.AlarmRule);
  if (typeof rule === 'string') return err('ValidationError', `Error in AlarmRule: ${rule}`);
  const al = ctx.state.alarms;
  const name = p.AlarmName as string;
  const existing = al.byName[name];
  if (existing && existing.kind !== 'composite') return err('InvalidParameterValue', `The alarm ${name} is a metric alarm.`);
  const alarm: CompositeAlarm = {
    kind: 'composite',
    AlarmName: name,
    ...(typeof p.AlarmDescription === 'string' ? { AlarmDescription: p.AlarmDescription } : {}),
    ActionsEnabled: p.ActionsEnabled !== false,
    ...common,
    AlarmRule: p.AlarmRule,
    AlarmArn: alarmArn(ctx, name),
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? ctx.now,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? ctx.now,
    AlarmConfigurationUpdatedTimestamp: ctx.now,
  };
  al.byName[name] = alarm;
  if (!existing) al.order.push(name);
  alarmsChanged(al);
  addHistory(ctx, alarm, 'ConfigurationUpdate', `Alarm "${name}" ${existing ? 'updated' : 'created'}`, {
    type: existing ? 'Update' : 'Create', version: '1.0', updatedAlarm: { AlarmRule: p.AlarmRule },
  });
  evaluateComposites(ctx);
  return { output: {} };
}
