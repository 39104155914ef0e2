/**
 * Group metrics (`AWS/AutoScaling`, spec §2.6): EnableMetricsCollection, DisableMetricsCollection
 * and a per-minute timer that, while any group has metrics enabled, emits
 * `autoscaling/group-metrics` `{ group, time, values }` for the cloudwatch service to store.
 * The timer exists only while some group has enabled metrics.
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html
 */
import type { OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import type { AutoScalingState, Group } from './autoscaling.model.ts';
import { constraint, groupNotFound, nameProblem, verr } from './autoscaling.params.ts';

type Ctx = ServiceContext<AutoScalingState>;

const MINUTE = 60_000;

/** Every metric name EnableMetricsCollection accepts, in AWS's documented order. */
export const GROUP_METRICS: readonly string[] = [
  'GroupMinSize', 'GroupMaxSize', 'GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances',
  'GroupStandbyInstances', 'GroupTerminatingInstances', 'GroupTotalInstances',
  'GroupInServiceCapacity', 'GroupPendingCapacity', 'GroupStandbyCapacity', 'GroupTerminatingCapacity', 'GroupTotalCapacity',
  'WarmPoolDesiredCapacity', 'WarmPoolWarmedCapacity', 'WarmPoolPendingCapacity', 'WarmPoolTerminatingCapacity',
  'WarmPoolTotalCapacity', 'GroupAndWarmPoolDesiredCapacity', 'GroupAndWarmPoolTotalCapacity',
];

/** The payload of `autoscaling/group-metrics`. */
export interface GroupMetricsEvent {
  group: string;
  /** Epoch ms: the start of the minute the values describe. */
  time: number;
  values: Record<string, number>;
}

declare module './autoscaling.model.ts' {
  interface Group {
    /** Metrics enabled by EnableMetricsCollection (absent or empty: none). Granularity is always 1Minute. */
    enabledMetrics?: string[];
  }
  interface AutoScalingState {
    /** Whether the per-minute `groupMetrics` timer is scheduled (absent until the first enable). */
    metricsTimer?: boolean;
  }
}

/** The group's metric values now. Without instance weights, capacity equals the instance count. */
export function groupMetricValues(g: Group): Record<string, number> {
  let pending = 0, inService = 0, terminating = 0;
  for (const id of g.order) {
    const st = g.instances[id]?.LifecycleState;
    if (st === 'Pending') pending++;
    else if (st === 'InService') inService++;
    else if (st === 'Terminating') terminating++;
  }
  const total = pending + inService + terminating;
  const all: Record<string, number> = {
    GroupMinSize: g.MinSize, GroupMaxSize: g.MaxSize, GroupDesiredCapacity: g.DesiredCapacity,
    GroupInServiceInstances: inService, GroupPendingInstances: pending, GroupStandbyInstances: 0,
    GroupTerminatingInstances: terminating, GroupTotalInstances: total,
    GroupInServiceCapacity: inService, GroupPendingCapacity: pending, GroupStandbyCapacity: 0,
    GroupTerminatingCapacity: terminating, GroupTotalCapacity: total,
    // no warm pools: the combined metrics equal the group's own
    GroupAndWarmPoolDesiredCapacity: g.DesiredCapacity, GroupAndWarmPoolTotalCapacity: total,
  };
  const out: Record<string, number> = {};
  for (const m of g.enabledMetrics ?? []) if (m in all) out[m] = all[m]!;
  return out;
}

function readMetrics(p: Params): { metrics: string[] | null } | { error: { code: string; message: string } } {
  if (p.Metrics === undefined || p.Metrics === null) return { metrics: null };
  if (!Array.isArray(p.Metrics)) return verr('Metrics must be a list.');
  for (const [i, m] of (p.Metrics as unknown[]).entries()) {
    if (typeof m !== 'string' || m.length < 1) return constraint(`Metrics.member.${i + 1}`, m, 'Member must have length greater than or equal to 1');
    if (m.length > 255) return constraint(`Metrics.member.${i + 1}`, m, 'Member must have length less than or equal to 255');
  }
  const bad = (p.Metrics as string[]).filter((m) => !GROUP_METRICS.includes(m));
  if (bad.length) return verr(`Invalid metrics: [${bad.join(', ')}]. Valid metrics are: ${GROUP_METRICS.join(', ')}.`);
  return { metrics: p.Metrics as string[] };
}

function ensureTimer(ctx: Ctx): void {
  if (ctx.state.metricsTimer) return;
  ctx.state.metricsTimer = true;
  ctx.schedule(Math.floor(ctx.now / MINUTE) * MINUTE + MINUTE, 'groupMetrics', null);
}

/**
 * Runs on each minute boundary while enabled: for every group with enabled metrics, one event with
 * the values at this instant, stamped with the minute that just ended. Stops when none is enabled.
 */
export function publishGroupMetrics(ctx: Ctx): void {
  const groups = Object.values(ctx.state.groups).filter((g) => g.enabledMetrics?.length);
  if (groups.length === 0) { ctx.state.metricsTimer = false; return; }
  const time = ctx.now - MINUTE;
  for (const g of groups) {
    const ev: GroupMetricsEvent = { group: g.AutoScalingGroupName, time, values: groupMetricValues(g) };
    ctx.emit('autoscaling/group-metrics', ev);
  }
  ctx.schedule(ctx.now + MINUTE, 'groupMetrics', null);
}

const needGroupName = (p: Params) => nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName')?.error ?? null;
const groupResource = (p: Params) =>
  typeof p.AutoScalingGroupName === 'string' ? [{ type: 'AWS::AutoScaling::AutoScalingGroup', name: p.AutoScalingGroupName }] : [];

export const metricsOperations: Record<string, OperationDef<AutoScalingState>> = {
  EnableMetricsCollection: {
    readOnly: false,
    validate: (p) => needGroupName(p)
      ?? (p.Granularity === undefined || p.Granularity === null ? constraint('Granularity', undefined, 'Member must not be null').error : null),
    run(ctx, p) {
      const g = ctx.state.groups[p.AutoScalingGroupName as string];
      if (!g) return groupNotFound(p.AutoScalingGroupName as string);
      if (p.Granularity !== '1Minute') return verr(`Invalid granularity: ${String(p.Granularity)}. Valid value is 1Minute.`);
      const r = readMetrics(p);
      if ('error' in r) return r;
      const wanted = r.metrics ?? GROUP_METRICS;
      const on = new Set([...(g.enabledMetrics ?? []), ...wanted]);
      g.enabledMetrics = GROUP_METRICS.filter((m) => on.has(m));
      ensureTimer(ctx);
      return { output: {} };
    },
    resources: groupResource,
  },

  DisableMetricsCollection: {
    readOnly: false,
    validate: needGroupName,
    run(ctx, p) {
      const g = ctx.state.groups[p.AutoScalingGroupName as string];
      if (!g) return groupNotFound(p.AutoScalingGroupName as string);
      const r = readMetrics(p);
      if ('error' in r) return r;
      const off = new Set(r.metrics ?? GROUP_METRICS);
      g.enabledMetrics = (g.enabledMetrics ?? []).filter((m) => !off.has(m));
      return { output: {} };
    },
    resources: groupResource,
  },
};

/** `EnabledMetrics` as DescribeAutoScalingGroups shows it. */
export const enabledMetricsOf = (g: Group) => (g.enabledMetrics ?? []).map((Metric) => ({ Metric, Granularity: '1Minute' }));
