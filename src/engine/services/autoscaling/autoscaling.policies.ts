/**
 * Scaling policies (spec §7.4): simple (one adjustment, then cooldown), step (adjustments keyed
 * on how far the metric is past the alarm threshold, instance warm-up) and target tracking (two
 * alarms Auto Scaling creates and owns through CloudWatch). Alarm-driven execution follows the
 * CloudWatch engine events `cloudwatch/alarm-state-changed` and `cloudwatch/alarm-action-repeat`.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScalingPolicy.html
 */
import { AUTOSCALING_IDENTITY } from '../../kernel/identity.ts';
import { nextUuid } from '../../kernel/rng.ts';
import type { ApiError, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import {
  ADJUSTMENT_TYPES, POLICY_TYPES, PREDEFINED_METRICS, policyArnOf,
  type AdjustmentType, type AutoScalingState, type Group, type Policy, type StepAdjustment, type TargetTrackingConfiguration,
} from './autoscaling.model.ts';
import { activeInstances, at, changeDesired, deleteOwnedAlarms, simpleScalingBlocked, warmingCount } from './autoscaling.capacity.ts';
import { constraint, groupNotFound, missingMember, nameProblem, readInt, verr } from './autoscaling.params.ts';

type Ctx = ServiceContext<AutoScalingState>;

/**
 * The capacity after an adjustment (spec §7.4). Percent changes round: > 1 down, (0, 1] → 1,
 * [−1, 0) → −1, < −1 toward zero; `MinAdjustmentMagnitude` floors the size of percent changes.
 */
export function applyAdjustment(current: number, type: AdjustmentType, adjustment: number, minMagnitude?: number): number {
  if (type === 'ExactCapacity') return adjustment;
  if (type === 'ChangeInCapacity') return current + adjustment;
  const raw = (current * adjustment) / 100;
  let delta = raw > 1 ? Math.floor(raw) : raw > 0 ? 1 : raw === 0 ? 0 : raw >= -1 ? -1 : Math.ceil(raw);
  if (minMagnitude !== undefined && delta !== 0 && Math.abs(delta) < minMagnitude) delta = Math.sign(delta) * minMagnitude;
  return current + delta;
}

/**
 * The step for a metric value `diff` past the threshold: above the threshold the lower bound is
 * inclusive and the upper exclusive; below it the lower bound is exclusive and the upper inclusive.
 */
export function findStep(steps: readonly StepAdjustment[], diff: number): StepAdjustment | null {
  for (const s of steps) {
    const lo = s.MetricIntervalLowerBound ?? -Infinity;
    const hi = s.MetricIntervalUpperBound ?? Infinity;
    if (diff >= 0 ? lo <= diff && diff < hi : lo < diff && diff <= hi) return s;
  }
  return null;
}

/** Checks StepAdjustments: no overlap, no gap, one open end each way at most. */
export function readSteps(v: unknown): { steps: StepAdjustment[] } | { error: ApiError } {
  if (!Array.isArray(v) || v.length === 0) return verr('StepAdjustments must be specified for policy type StepScaling.');
  const steps: StepAdjustment[] = [];
  for (const [i, raw] of (v as Record<string, unknown>[]).entries()) {
    const lo = raw?.MetricIntervalLowerBound, hi = raw?.MetricIntervalUpperBound, adj = raw?.ScalingAdjustment;
    if (typeof adj !== 'number' || !Number.isInteger(adj)) return missingMember(`stepAdjustments.${i + 1}.member.scalingAdjustment`);
    if ((lo !== undefined && lo !== null && typeof lo !== 'number') || (hi !== undefined && hi !== null && typeof hi !== 'number'))
      return verr('Step adjustment bounds must be numbers.');
    const s: StepAdjustment = { ScalingAdjustment: adj };
    if (typeof lo === 'number') s.MetricIntervalLowerBound = lo;
    if (typeof hi === 'number') s.MetricIntervalUpperBound = hi;
    if (typeof lo === 'number' && typeof hi === 'number' && !(lo < hi))
      return verr('Step adjustment upper bound must be greater than its lower bound.');
    steps.push(s);
  }
  if (steps.filter((s) => s.MetricIntervalLowerBound === undefined).length > 1)
    return verr('There can be only one step adjustment with a null lower bound.');
  if (steps.filter((s) => s.MetricIntervalUpperBound === undefined).length > 1)
    return verr('There can be only one step adjustment with a null upper bound.');
  const sorted = [...steps].sort((a, b) => (a.MetricIntervalLowerBound ?? -Infinity) - (b.MetricIntervalLowerBound ?? -Infinity));
  for (let i = 1; i < sorted.length; i++) {
    const prevHi = sorted[i - 1]!.MetricIntervalUpperBound;
    const lo = sorted[i]!.MetricIntervalLowerBound;
    if (prevHi === undefined || lo === undefined || lo < prevHi) return verr('Step adjustments can not overlap.');
    if (lo > prevHi) return verr('Step adjustments can not have gaps between them.');
  }
  return { steps: sorted };
}

function readTargetTracking(v: unknown): { cfg: TargetTrackingConfiguration } | { error: ApiError } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return verr('TargetTrackingConfiguration is required for policy type TargetTrackingScaling.');
  const t = v as Record<string, unknown>;
  if (typeof t.TargetValue !== 'number' || !Number.isFinite(t.TargetValue)) return missingMember('targetTrackingConfiguration.targetValue');
  if (t.TargetValue <= 0) return verr('TargetValue must be greater than 0.');
  const pre = t.PredefinedMetricSpecification as Record<string, unknown> | undefined;
  const cus = t.CustomizedMetricSpecification as Record<string, unknown> | undefined;
  if ((pre ? 1 : 0) + (cus ? 1 : 0) !== 1)
    return verr('Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified.');
  const cfg: TargetTrackingConfiguration = { TargetValue: t.TargetValue, DisableScaleIn: t.DisableScaleIn === true };
  if (pre) {
    const type = pre.PredefinedMetricType;
    if (typeof type !== 'string' || !PREDEFINED_METRICS[type])
      return constraint('targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType', type, `Member must satisfy enum value set: [${Object.keys(PREDEFINED_METRICS).join(', ')}]`);
    if (type === 'ALBRequestCountPerTarget' && typeof pre.ResourceLabel !== 'string')
      return verr('ResourceLabel is required for the predefined metric type ALBRequestCountPerTarget.');
    cfg.PredefinedMetricSpecification = { PredefinedMetricType: type, ...(typeof pre.ResourceLabel === 'string' ? { ResourceLabel: pre.ResourceLabel } : {}) };
  } else if (cus) {
    if (typeof cus.MetricName !== 'string' || typeof cus.Namespace !== 'string' || typeof cus.Statistic !== 'string')
      return verr('CustomizedMetricSpecification needs MetricName, Namespace and Statistic.');
    const dims = Array.isArray(cus.Dimensions) ? (cus.Dimensions as { Name: string; Value: string }[]).map((d) => ({ Name: String(d.Name), Value: String(d.Value) })) : undefined;
    cfg.CustomizedMetricSpecification = {
      MetricName: cus.MetricName, Namespace: cus.Namespace, Statistic: cus.Statistic,
      ...(dims ? { Dimensions: dims } : {}), ...(typeof cus.Unit === 'string' ? { Unit: cus.Unit } : {}),
    };
  }
  return { cfg };
}

/** The PutMetricAlarm requests of a target-tracking policy's two alarms (high, low). */
export function targetTrackingAlarms(g: string, policyArn: string, cfg: TargetTrackingConfiguration, uuids: [string, string]): Params[] {
  let metric: { Namespace: string; MetricName: string; Statistic: string; Dimensions: { Name: string; Value: string }[]; Unit?: string };
  if (cfg.PredefinedMetricSpecification) {
    const m = PREDEFINED_METRICS[cfg.PredefinedMetricSpecification.PredefinedMetricType]!;
    const label = cfg.PredefinedMetricSpecification.ResourceLabel;
    metric = {
      Namespace: m.namespace, MetricName: m.metric, Statistic: m.statistic,
      Dimensions: m.namespace === 'AWS/ApplicationELB' && label ? [{ Name: 'TargetGroup', Value: label.split('/').slice(-3).join('/') }] : [{ Name: 'AutoScalingGroupName', Value: g }],
    };
  } else {
    const c = cfg.CustomizedMetricSpecification!;
    metric = { Namespace: c.Namespace, MetricName: c.MetricName, Statistic: c.Statistic, Dimensions: c.Dimensions ?? [], ...(c.Unit ? { Unit: c.Unit } : {}) };
  }
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policyArn}.`;
  const low = Math.round(cfg.TargetValue * 0.9 * 1e6) / 1e6;
  return [
    { AlarmName: `TargetTracking-${g}-AlarmHigh-${uuids[0]}`, AlarmDescription: description, ActionsEnabled: true, AlarmActions: [policyArn],
      ...metric, Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: cfg.TargetValue, ComparisonOperator: 'GreaterThanThreshold' },
    { AlarmName: `TargetTracking-${g}-AlarmLow-${uuids[1]}`, AlarmDescription: description, ActionsEnabled: !cfg.DisableScaleIn, AlarmActions: [policyArn],
      ...metric, Period: 60, EvaluationPeriods: 15, DatapointsToAlarm: 15, Threshold: low, ComparisonOperator: 'LessThanThreshold' },
  ];
}

const describePolicy = (p: Policy) => ({
  AutoScalingGroupName: p.AutoScalingGroupName,
  PolicyName: p.PolicyName,
  PolicyARN: p.PolicyARN,
  PolicyType: p.PolicyType,
  ...(p.AdjustmentType ? { AdjustmentType: p.AdjustmentType } : {}),
  ...(p.MinAdjustmentMagnitude !== undefined ? { MinAdjustmentMagnitude: p.MinAdjustmentMagnitude } : {}),
  ...(p.ScalingAdjustment !== undefined ? { ScalingAdjustment: p.ScalingAdjustment } : {}),
  ...(p.Cooldown !== undefined ? { Cooldown: p.Cooldown } : {}),
  StepAdjustments: (p.StepAdjustments ?? []).map((s) => ({ ...s })),
  ...(p.MetricAggregationType ? { MetricAggregationType: p.MetricAggregationType } : {}),
  ...(p.EstimatedInstanceWarmup !== undefined ? { EstimatedInstanceWarmup: p.EstimatedInstanceWarmup } : {}),
  Alarms: p.Alarms.map((a) => ({ ...a })),
  ...(p.TargetTrackingConfiguration ? { TargetTrackingConfiguration: JSON.parse(JSON.stringify(p.TargetTrackingConfiguration)) as unknown } : {}),
  Enabled: p.Enabled,
});

/** Finds a policy by ARN or by (group, name). */
function findPolicy(s: AutoScalingState, group: unknown, nameOrArn: string): Policy | undefined {
  if (nameOrArn.startsWith('arn:')) return s.policies[nameOrArn];
  return Object.values(s.policies).find((p) => p.PolicyName === nameOrArn && (group === undefined || p.AutoScalingGroupName === group));
}

/** What a trigger knows: an alarm (with its facts) or a person running ExecutePolicy. */
export type Trigger =
  | { kind: 'alarm'; alarmName: string; state: string; value: number | null; threshold: number | null }
  | { kind: 'user'; honorCooldown: boolean; value: number | null; threshold: number | null };

const warmupMs = (g: Group, p: Policy) => 1000 * (p.EstimatedInstanceWarmup ?? g.DefaultInstanceWarmup ?? g.DefaultCooldown);

/**
 * Runs a policy once. Returns an error only for ExecutePolicy's refusals; alarm-driven runs that
 * may not act (cooldown, warm-up, no step for the value) simply do nothing.
 */
export function executePolicy(ctx: Ctx, g: Group, p: Policy, trigger: Trigger): { error: ApiError } | { changed: boolean } {
  if (!p.Enabled || g.deleting) return { changed: false };
  const who = trigger.kind === 'alarm'
    ? `a monitor alarm ${trigger.alarmName} in state ${trigger.state} triggered policy ${p.PolicyName}`
    : `a user request executed policy ${p.PolicyName}`;
  const clause = (from: number, to: number) => `${at(ctx.now)} ${who} changing the desired capacity from ${from} to ${to}.`;
  const clamp = (n: number) => Math.max(g.MinSize, Math.min(g.MaxSize, n));
  const desired = g.DesiredCapacity;

  if (p.PolicyType === 'SimpleScaling') {
    const blocked = simpleScalingBlocked(ctx.state, g, ctx.now);
    if (blocked && (trigger.kind === 'alarm' || trigger.honorCooldown)) {
      if (trigger.kind === 'alarm') return { changed: false };
      const id = blocked === 'cooldown' ? (ctx.state.activities.filter((a) => a.AutoScalingGroupName === g.AutoScalingGroupName).at(-1)?.ActivityId ?? '') : blocked.ActivityId;
      return { error: { code: 'ScalingActivityInProgress', message: `Scaling activity ${id} is in progress and blocks this action` } };
    }
    const next = clamp(applyAdjustment(desired, p.AdjustmentType!, p.ScalingAdjustment!, p.MinAdjustmentMagnitude));
    return { changed: changeDesired(ctx, g, next, clause, 1000 * (p.Cooldown ?? g.DefaultCooldown)) };
  }

  if (p.PolicyType === 'StepScaling') {
    if (trigger.value === null || trigger.threshold === null) return { changed: false };
    const step = findStep(p.StepAdjustments ?? [], trigger.value - trigger.threshold);
    if (!step || step.ScalingAdjustment === 0 && p.AdjustmentType !== 'ExactCapacity') return { changed: false };
    // Capacity not yet warmed up (launching, or in service for less than the warm-up) counts
    // toward the new capacity for scale-out, so the same step does not stack; it blocks scale-in.
    const warmed = activeInstances(g).length - warmingCount(g, ctx.now, warmupMs(g, p));
    const warming = desired - warmed;
    const raw = applyAdjustment(desired, p.AdjustmentType!, step.ScalingAdjustment, p.MinAdjustmentMagnitude);
    if (raw > desired) {
      const next = clamp(Math.max(desired, applyAdjustment(warmed, p.AdjustmentType!, step.ScalingAdjustment, p.MinAdjustmentMagnitude)));
      return { changed: changeDesired(ctx, g, next, clause, null) };
    }
    if (warming > 0) return { changed: false };
    return { changed: changeDesired(ctx, g, clamp(raw), clause, null) };
  }

  // Target tracking: only alarm-driven; which alarm tells the direction.
  const cfg = p.TargetTrackingConfiguration!;
  if (trigger.kind !== 'alarm' || trigger.value === null) return { changed: false };
  const high = p.Alarms[0]?.AlarmName === trigger.alarmName;
  const serving = activeInstances(g).length - warmingCount(g, ctx.now, warmupMs(g, p));
  const warming = desired - serving;
  const needed = Math.ceil((Math.max(serving, 1) * trigger.value) / cfg.TargetValue - 1e-9);
  if (high) return { changed: changeDesired(ctx, g, clamp(Math.max(desired, needed)), clause, null) };
  if (cfg.DisableScaleIn || warming > 0) return { changed: false };
  // scale in gradually: at most 10 % of the group (at least one instance) per action
  const floor = desired - Math.max(1, Math.floor(desired / 10));
  return { changed: changeDesired(ctx, g, clamp(Math.min(desired, Math.max(needed, floor))), clause, null) };
}

/** The metric value a step policy uses: the alarm's datapoints aggregated by MetricAggregationType. */
export function aggregate(values: readonly number[], how: Policy['MetricAggregationType']): number | null {
  if (!values.length) return null;
  if (how === 'Minimum') return Math.min(...values);
  if (how === 'Maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Runs every policy named by an alarm's actions (alarm transition or the per-minute repeat). */
export function onAlarmActions(ctx: Ctx, alarmName: string, state: string, actions: readonly string[]): void {
  const facts = ctx.state.alarms[alarmName];
  for (const arn of actions) {
    const p = ctx.state.policies[arn];
    const g = p ? ctx.state.groups[p.AutoScalingGroupName] : undefined;
    if (!p || !g) continue;
    const value = facts ? (p.PolicyType === 'TargetTrackingScaling' ? facts.values[0] ?? null : aggregate(facts.values, p.MetricAggregationType)) : null;
    const r = executePolicy(ctx, g, p, { kind: 'alarm', alarmName, state, value, threshold: facts?.threshold ?? null });
    ctx.emit('autoscaling/policy-executed', { alarmName, policyArn: arn, group: g.AutoScalingGroupName, changed: 'changed' in r && r.changed });
  }
}

function checkPolicyCommon(p: Params): ApiError | null {
  return (nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName') ?? nameProblem(p.PolicyName, 'PolicyName'))?.error ?? null;
}

export const policyOperations: Record<string, OperationDef<AutoScalingState>> = {
  PutScalingPolicy: {
    readOnly: false,
    validate: checkPolicyCommon,
    run(ctx, p) {
      const gName = p.AutoScalingGroupName as string;
      const g = ctx.state.groups[gName];
      if (!g) return groupNotFound(gName);
      const type = (p.PolicyType ?? 'SimpleScaling') as Policy['PolicyType'];
      if (!POLICY_TYPES.includes(type)) return constraint('PolicyType', p.PolicyType, 'Member must satisfy enum value set: [SimpleScaling, StepScaling, TargetTrackingScaling, PredictiveScaling]');
      const ints: Record<string, number | undefined> = {};
      for (const [m, min] of [['Cooldown', 0], ['EstimatedInstanceWarmup', 0], ['MinAdjustmentMagnitude', 1], ['ScalingAdjustment', -2_147_483_648]] as const) {
        const r = readInt(p[m], m, min);
        if ('error' in r) return r;
        ints[m] = r.value;
      }
      if (p.AdjustmentType !== undefined && !ADJUSTMENT_TYPES.includes(p.AdjustmentType as AdjustmentType))
        return verr(`Invalid adjustment type ${String(p.AdjustmentType)}. Valid adjustment types: ${ADJUSTMENT_TYPES.join(', ')}.`);
      const adjType = p.AdjustmentType as AdjustmentType | undefined;
      if (ints.MinAdjustmentMagnitude !== undefined && adjType !== 'PercentChangeInCapacity')
        return verr('MinAdjustmentMagnitude is only supported with an AdjustmentType of PercentChangeInCapacity.');
      const existing = findPolicy(ctx.state, gName, p.PolicyName as string);
      if (existing && existing.PolicyType !== type)
        return verr(`Policy ${existing.PolicyName} already exists with policy type ${existing.PolicyType}; the policy type cannot be changed.`);
      const policy: Policy = {
        PolicyARN: existing?.PolicyARN ?? '',
        PolicyName: p.PolicyName as string,
        AutoScalingGroupName: gName,
        PolicyType: type,
        Alarms: [],
        Enabled: p.Enabled !== false,
      };
      if (type === 'SimpleScaling') {
        if (!adjType) return verr('AdjustmentType is required for policy type SimpleScaling.');
        if (ints.ScalingAdjustment === undefined) return verr('ScalingAdjustment is required for policy type SimpleScaling.');
        if (p.StepAdjustments !== undefined || ints.EstimatedInstanceWarmup !== undefined || p.MetricAggregationType !== undefined)
          return verr('StepAdjustments, EstimatedInstanceWarmup and MetricAggregationType are not supported for policy type SimpleScaling.');
        if (adjType === 'ExactCapacity' && ints.ScalingAdjustment < 0) return verr('ScalingAdjustment must be non-negative for an ExactCapacity adjustment.');
        Object.assign(policy, { AdjustmentType: adjType, ScalingAdjustment: ints.ScalingAdjustment },
          ints.Cooldown !== undefined ? { Cooldown: ints.Cooldown } : {},
          ints.MinAdjustmentMagnitude !== undefined ? { MinAdjustmentMagnitude: ints.MinAdjustmentMagnitude } : {});
      } else if (type === 'StepScaling') {
        if (!adjType) return verr('AdjustmentType is required for policy type StepScaling.');
        if (ints.Cooldown !== undefined || ints.ScalingAdjustment !== undefined)
          return verr('Cooldown and ScalingAdjustment are not supported for policy type StepScaling.');
        const steps = readSteps(p.StepAdjustments);
        if ('error' in steps) return steps;
        const agg = p.MetricAggregationType ?? 'Average';
        if (agg !== 'Average' && agg !== 'Minimum' && agg !== 'Maximum') return verr(`Invalid metric aggregation type ${String(agg)}. Valid values: Minimum, Maximum, Average.`);
        Object.assign(policy, { AdjustmentType: adjType, StepAdjustments: steps.steps, MetricAggregationType: agg },
          ints.EstimatedInstanceWarmup !== undefined ? { EstimatedInstanceWarmup: ints.EstimatedInstanceWarmup } : {},
          ints.MinAdjustmentMagnitude !== undefined ? { MinAdjustmentMagnitude: ints.MinAdjustmentMagnitude } : {});
      } else {
        if (adjType || ints.ScalingAdjustment !== undefined || p.StepAdjustments !== undefined || ints.Cooldown !== undefined)
          return verr('AdjustmentType, ScalingAdjustment, StepAdjustments and Cooldown are not supported for policy type TargetTrackingScaling.');
        const tt = readTargetTracking(p.TargetTrackingConfiguration);
        if ('error' in tt) return tt;
        policy.TargetTrackingConfiguration = tt.cfg;
        if (ints.EstimatedInstanceWarmup !== undefined) policy.EstimatedInstanceWarmup = ints.EstimatedInstanceWarmup;
      }
      if (!policy.PolicyARN) policy.PolicyARN = policyArnOf(ctx.region, ctx.accountId, nextUuid(ctx.rng('policies')), gName, policy.PolicyName);
      if (policy.TargetTrackingConfiguration) {
        const tt = { cfg: policy.TargetTrackingConfiguration };
        // Auto Scaling creates (or replaces) and owns the two alarms, as its service-linked role.
        const oldNames = existing?.Alarms.map((a) => a.AlarmName) ?? [];
        const rng = ctx.rng('policies');
        const uuids: [string, string] = existing?.Alarms.length === 2
          ? [existing.Alarms[0]!.AlarmName.split('-AlarmHigh-')[1]!, existing.Alarms[1]!.AlarmName.split('-AlarmLow-')[1]!]
          : [nextUuid(rng), nextUuid(rng)];
        const requests = targetTrackingAlarms(gName, policy.PolicyARN, tt.cfg, uuids);
        const created: string[] = [];
        for (const req of requests) {
          const r = ctx.call('cloudwatch', 'PutMetricAlarm', req, { identity: AUTOSCALING_IDENTITY });
          if (!r.ok && r.error.code === 'UnknownOperationException') break; // no CloudWatch in this engine
          if (!r.ok) {
            deleteOwnedAlarms(ctx, created.filter((n) => !oldNames.includes(n)));
            return verr(`Failed to create the target tracking alarms: ${r.error.message}`);
          }
          created.push(req.AlarmName as string);
        }
        policy.Alarms = created.map((n) => ({ AlarmName: n, AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${n}` }));
      }
      ctx.state.policies[policy.PolicyARN] = policy;
      return { output: { PolicyARN: policy.PolicyARN, Alarms: policy.Alarms.map((a) => ({ ...a })) } };
    },
    resources: (p) => [{ type: 'AWS::AutoScaling::ScalingPolicy', name: String(p.PolicyName) }],
  },

  DescribePolicies: {
    readOnly: true,
    validate: (p) => nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName', false)?.error ?? null,
    run(ctx, p) {
      let list = Object.values(ctx.state.policies);
      if (typeof p.AutoScalingGroupName === 'string') list = list.filter((x) => x.AutoScalingGroupName === p.AutoScalingGroupName);
      if (Array.isArray(p.PolicyNames) && p.PolicyNames.length)
        list = list.filter((x) => (p.PolicyNames as unknown[]).includes(x.PolicyName) || (p.PolicyNames as unknown[]).includes(x.PolicyARN));
      if (Array.isArray(p.PolicyTypes) && p.PolicyTypes.length) list = list.filter((x) => (p.PolicyTypes as unknown[]).includes(x.PolicyType));
      return { output: { ScalingPolicies: list.map(describePolicy) } };
    },
  },

  DeletePolicy: {
    readOnly: false,
    validate: (p) => nameProblem(p.PolicyName, 'PolicyName')?.error ?? nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName', false)?.error ?? null,
    run(ctx, p) {
      const pol = findPolicy(ctx.state, p.AutoScalingGroupName, p.PolicyName as string);
      if (typeof p.AutoScalingGroupName === 'string' && !ctx.state.groups[p.AutoScalingGroupName]) return groupNotFound(p.AutoScalingGroupName);
      if (!pol) return verr(`The scaling policy ${String(p.PolicyName)} does not exist.`);
      delete ctx.state.policies[pol.PolicyARN];
      deleteOwnedAlarms(ctx, pol.Alarms.map((a) => a.AlarmName));
      return { output: {} };
    },
  },

  ExecutePolicy: {
    readOnly: false,
    validate: (p) => nameProblem(p.PolicyName, 'PolicyName')?.error ?? nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName', false)?.error ?? null,
    run(ctx, p) {
      if (typeof p.AutoScalingGroupName === 'string' && !ctx.state.groups[p.AutoScalingGroupName]) return groupNotFound(p.AutoScalingGroupName);
      const pol = findPolicy(ctx.state, p.AutoScalingGroupName, p.PolicyName as string);
      if (!pol) return verr(`No such policy: ${String(p.PolicyName)}`);
      const g = ctx.state.groups[pol.AutoScalingGroupName]!;
      if (pol.PolicyType === 'TargetTrackingScaling') return verr('ExecutePolicy is not supported for a policy of type TargetTrackingScaling.');
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      if (pol.PolicyType === 'StepScaling' && (num(p.MetricValue) === null || num(p.BreachThreshold) === null))
        return verr('MetricValue and BreachThreshold are required for a policy of type StepScaling.');
      if (pol.PolicyType === 'SimpleScaling' && (p.MetricValue !== undefined || p.BreachThreshold !== undefined))
        return verr('MetricValue and BreachThreshold are only supported for a policy of type StepScaling.');
      const r = executePolicy(ctx, g, pol, { kind: 'user', honorCooldown: p.HonorCooldown === true, value: num(p.MetricValue), threshold: num(p.BreachThreshold) });
      if ('error' in r) return r;
      return { output: {} };
    },
  },
};
