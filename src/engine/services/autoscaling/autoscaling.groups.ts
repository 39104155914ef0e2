/**
 * Group operations: CreateAutoScalingGroup, UpdateAutoScalingGroup, SetDesiredCapacity,
 * DescribeAutoScalingGroups, DescribeAutoScalingInstances, DescribeScalingActivities,
 * TerminateInstanceInAutoScalingGroup, DeleteAutoScalingGroup (spec §7.2).
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Operations.html
 */
import { nextUuid } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { groupArnOf, type Activity, type AutoScalingState, type Group, type GroupLaunchTemplate, type GroupTag } from './autoscaling.model.ts';
import { activeInstances, activitiesInProgress, at, changeDesired, removeGroup, requestReconcile, simpleScalingBlocked, terminateMember } from './autoscaling.capacity.ts';
import { constraint, groupNotFound, nameProblem, readInt, verr } from './autoscaling.params.ts';
import { enabledMetricsOf } from './autoscaling.metrics.ts';

type Ctx = ServiceContext<AutoScalingState>;

const SERVICE_LINKED_ROLE = (account: string) =>
  `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;

/** Resolves `LaunchTemplate: {LaunchTemplateId|LaunchTemplateName, Version}` against what EC2 announced. */
function readLaunchTemplate(s: AutoScalingState, v: unknown): { lt: GroupLaunchTemplate } | { error: ApiError } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return verr('LaunchTemplate must be a structure.');
  const r = v as Record<string, unknown>;
  const prefix = 'You must use a valid fully-formed launch template.';
  if ((r.LaunchTemplateId === undefined) === (r.LaunchTemplateName === undefined))
    return verr(`${prefix} Valid requests must contain either launchTemplateId or launchTemplateName.`);
  let id: string | undefined;
  if (typeof r.LaunchTemplateId === 'string') {
    if (!s.templates[r.LaunchTemplateId]) return verr(`${prefix} The specified launch template, with template ID ${r.LaunchTemplateId}, does not exist.`);
    id = r.LaunchTemplateId;
  } else {
    id = Object.keys(s.templates).find((k) => s.templates[k]!.name === r.LaunchTemplateName);
    if (!id) return verr(`${prefix} The specified launch template, with template name ${String(r.LaunchTemplateName)}, does not exist.`);
  }
  const t = s.templates[id]!;
  const version = r.Version === undefined || r.Version === null ? '$Default' : String(r.Version);
  if (version !== '$Default' && version !== '$Latest' && !(/^\d+$/.test(version) && t.versions.includes(Number(version))))
    return verr(`${prefix} The specified launch template version ${version} for launch template ID ${id} does not exist.`);
  return { lt: { LaunchTemplateId: id, LaunchTemplateName: t.name, Version: version } };
}

function readZones(v: unknown, region: string): { zones: string[] } | { error: ApiError } {
  if (!Array.isArray(v) || v.length === 0) return verr('At least one Availability Zone or VPC Subnet is required.');
  for (const z of v) {
    if (typeof z !== 'string' || !z.startsWith(region) || !/^[a-f]$/.test(z.slice(region.length)))
      return verr(`Invalid Availability Zone: [${String(z)}]`);
  }
  return { zones: [...new Set(v as string[])] };
}

function readGroupTags(v: unknown, group: string): { tags: GroupTag[] } | { error: ApiError } {
  if (v === undefined || v === null) return { tags: [] };
  if (!Array.isArray(v)) return verr('Tags must be a list.');
  if (v.length > 50) return verr('The number of tags exceeds the limit of 50 tags per Auto Scaling group.');
  const tags: GroupTag[] = [];
  for (const [i, t] of (v as Record<string, unknown>[]).entries()) {
    if (typeof t?.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128) return constraint(`tags.${i + 1}.member.key`, t?.Key, 'Member must have length between 1 and 128');
    if (t.Key.startsWith('aws:')) return verr('Tag keys starting with the prefix "aws:" are reserved for internal use.');
    if (t.ResourceId !== undefined && t.ResourceId !== group) return verr(`The tag's ResourceId ${String(t.ResourceId)} does not match the group name ${group}.`);
    const value = t.Value ?? '';
    if (typeof value !== 'string' || value.length > 256) return constraint(`tags.${i + 1}.member.value`, value, 'Member must have length less than or equal to 256');
    tags.push({ Key: t.Key, Value: value, PropagateAtLaunch: t.PropagateAtLaunch === true });
  }
  return { tags };
}

/** Min ≤ desired ≤ max, with AWS's messages. */
function capacityProblem(min: number, max: number, desired: number): { error: ApiError } | null {
  if (min > max) return verr(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) return verr(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  return null;
}

/** Reads the optional integer settings shared by Create and Update. */
function readSettings(p: Params) {
  const out: Record<string, number | undefined> = {};
  for (const m of ['MinSize', 'MaxSize', 'DesiredCapacity', 'DefaultCooldown', 'HealthCheckGracePeriod', 'DefaultInstanceWarmup'] as const) {
    const r = readInt(p[m], m, m === 'DefaultInstanceWarmup' ? -1 : 0);
    if ('error' in r) return r;
    out[m] = r.value;
  }
  if (p.HealthCheckType !== undefined && p.HealthCheckType !== 'EC2' && p.HealthCheckType !== 'ELB')
    return verr(`Invalid health check type ${String(p.HealthCheckType)}. Valid values: EC2, ELB.`);
  if (p.TerminationPolicies !== undefined && (!Array.isArray(p.TerminationPolicies) || p.TerminationPolicies.some((x) => x !== 'Default')))
    return verr('Only the Default termination policy is supported by this simulator.');
  return { settings: out };
}

function describeGroup(_s: AutoScalingState, g: Group) {
  return {
    AutoScalingGroupName: g.AutoScalingGroupName,
    AutoScalingGroupARN: g.AutoScalingGroupARN,
    LaunchTemplate: { ...g.LaunchTemplate },
    MinSize: g.MinSize,
    MaxSize: g.MaxSize,
    DesiredCapacity: g.DesiredCapacity,
    DefaultCooldown: g.DefaultCooldown,
    AvailabilityZones: [...g.AvailabilityZones],
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: g.HealthCheckType,
    HealthCheckGracePeriod: g.HealthCheckGracePeriod,
    Instances: g.order.map((id) => g.instances[id]!).map((i) => ({
      InstanceId: i.InstanceId,
      InstanceType: i.InstanceType,
      AvailabilityZone: i.AvailabilityZone,
      LifecycleState: i.LifecycleState,
      HealthStatus: i.HealthStatus,
      LaunchTemplate: { ...i.LaunchTemplate },
      ProtectedFromScaleIn: false,
    })),
    CreatedTime: toIso(g.CreatedTime),
    SuspendedProcesses: [],
    VPCZoneIdentifier: '',
    EnabledMetrics: enabledMetricsOf(g),
    Tags: g.Tags.map((t) => ({ ResourceId: g.AutoScalingGroupName, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: t.PropagateAtLaunch })),
    TerminationPolicies: [...g.TerminationPolicies],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: SERVICE_LINKED_ROLE(g.AutoScalingGroupARN.split(':')[4]!),
    ...(g.DefaultInstanceWarmup !== undefined ? { DefaultInstanceWarmup: g.DefaultInstanceWarmup } : {}),
    CapacityRebalance: false,
    ...(g.deleting ? { Status: 'Delete in progress' } : {}),
  };
}

export function describeActivity(a: Activity) {
  return {
    ActivityId: a.ActivityId,
    AutoScalingGroupName: a.AutoScalingGroupName,
    Description: a.Description,
    Cause: a.Cause,
    StartTime: toIso(a.StartTime),
    ...(a.EndTime !== undefined ? { EndTime: toIso(a.EndTime) } : {}),
    StatusCode: a.StatusCode,
    ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
    Progress: a.Progress,
    Details: a.Details,
    AutoScalingGroupARN: a.AutoScalingGroupARN,
  };
}

const groupResource = (p: Params) =>
  typeof p.AutoScalingGroupName === 'string' ? [{ type: 'AWS::AutoScaling::AutoScalingGroup', name: p.AutoScalingGroupName }] : [];

const needGroupName = (p: Params) => nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName')?.error ?? null;

/** Pages a list with Auto Scaling's MaxRecords/NextToken (tokens are positions). */
function page<T>(list: T[], p: Params, max: number, def: number): { items: T[]; next?: string } | { error: ApiError } {
  const mr = readInt(p.MaxRecords, 'MaxRecords', 1, max);
  if ('error' in mr) return mr;
  let start = 0;
  if (typeof p.NextToken === 'string') {
    start = Number.parseInt(p.NextToken, 36);
    if (!Number.isInteger(start) || start < 0 || start > list.length) return { error: { code: 'InvalidNextToken', message: 'The token provided is not valid.' } };
  }
  const n = mr.value ?? def;
  return { items: list.slice(start, start + n), ...(start + n < list.length ? { next: (start + n).toString(36) } : {}) };
}

export const groupOperations: Record<string, OperationDef<AutoScalingState>> = {
  CreateAutoScalingGroup: {
    readOnly: false,
    validate: (p) => needGroupName(p)
      ?? (p.MinSize === undefined ? constraint('MinSize', undefined, 'Member must not be null').error : null)
      ?? (p.MaxSize === undefined ? constraint('MaxSize', undefined, 'Member must not be null').error : null),
    run(ctx, p) {
      const name = p.AutoScalingGroupName as string;
      if (ctx.state.groups[name]) return { error: { code: 'AlreadyExists', message: `AutoScalingGroup by this name already exists - A group with the name ${name} already exists` } };
      const rs = readSettings(p);
      if ('error' in rs) return rs;
      const st = rs.settings;
      if (p.LaunchConfigurationName !== undefined || p.MixedInstancesPolicy !== undefined || p.InstanceId !== undefined)
        return verr('Only LaunchTemplate is supported by this simulator (launch configurations, mixed instances policies and InstanceId are not).');
      if (p.LaunchTemplate === undefined)
        return verr('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
      if (p.VPCZoneIdentifier !== undefined) return verr('VPCZoneIdentifier is not supported by this simulator; use AvailabilityZones.');
      const lt = readLaunchTemplate(ctx.state, p.LaunchTemplate);
      if ('error' in lt) return lt;
      const zones = readZones(p.AvailabilityZones, ctx.region);
      if ('error' in zones) return zones;
      const tags = readGroupTags(p.Tags, name);
      if ('error' in tags) return tags;
      const min = st.MinSize!, max = st.MaxSize!;
      const desired = st.DesiredCapacity ?? min;
      const bad = capacityProblem(min, max, desired);
      if (bad) return bad;
      const g: Group = {
        AutoScalingGroupName: name,
        AutoScalingGroupARN: groupArnOf(ctx.region, ctx.accountId, nextUuid(ctx.rng('groups')), name),
        LaunchTemplate: lt.lt,
        MinSize: min,
        MaxSize: max,
        DesiredCapacity: 0,
        DefaultCooldown: st.DefaultCooldown ?? 300,
        ...(st.DefaultInstanceWarmup !== undefined && st.DefaultInstanceWarmup >= 0 ? { DefaultInstanceWarmup: st.DefaultInstanceWarmup } : {}),
        AvailabilityZones: zones.zones,
        HealthCheckType: (p.HealthCheckType as 'EC2' | 'ELB' | undefined) ?? 'EC2',
        HealthCheckGracePeriod: st.HealthCheckGracePeriod ?? 0,
        CreatedTime: ctx.now,
        Tags: tags.tags,
        TerminationPolicies: ['Default'],
        deleting: false,
        instances: {},
        order: [],
        pendingCause: null,
        batch: null,
        cooldownUntil: 0,
        launchFailures: 0,
        reconcileScheduled: false,
      };
      ctx.state.groups[name] = g;
      changeDesired(ctx, g, desired, (from, to) => `${at(ctx.now)} a user request created an AutoScalingGroup changing the desired capacity from ${from} to ${to}.`, null);
      ctx.emit('autoscaling/group-created', { group: name });
      return { output: {} };
    },
    resources: groupResource,
  },

  UpdateAutoScalingGroup: {
    readOnly: false,
    validate: needGroupName,
    run(ctx, p) {
      const g = ctx.state.groups[p.AutoScalingGroupName as string];
      if (!g) return groupNotFound(p.AutoScalingGroupName as string);
      if (g.deleting) return { error: { code: 'ResourceContention', message: `AutoScalingGroup ${g.AutoScalingGroupName} is being deleted.` } };
      const rs = readSettings(p);
      if ('error' in rs) return rs;
      const st = rs.settings;
      const lt = p.LaunchTemplate !== undefined ? readLaunchTemplate(ctx.state, p.LaunchTemplate) : null;
      if (lt && 'error' in lt) return lt;
      const zones = p.AvailabilityZones !== undefined ? readZones(p.AvailabilityZones, ctx.region) : null;
      if (zones && 'error' in zones) return zones;
      const min = st.MinSize ?? g.MinSize;
      const max = st.MaxSize ?? g.MaxSize;
      // A new min above (or max below) the current desired capacity moves it, when desired is not given.
      const desired = st.DesiredCapacity ?? Math.min(max, Math.max(min, g.DesiredCapacity));
      const bad = capacityProblem(min, max, desired);
      if (bad) return bad;
      g.MinSize = min;
      g.MaxSize = max;
      if (lt) g.LaunchTemplate = lt.lt;
      if (zones) g.AvailabilityZones = zones.zones;
      if (st.DefaultCooldown !== undefined) g.DefaultCooldown = st.DefaultCooldown;
      if (st.HealthCheckGracePeriod !== undefined) g.HealthCheckGracePeriod = st.HealthCheckGracePeriod;
      if (st.DefaultInstanceWarmup !== undefined) {
        if (st.DefaultInstanceWarmup < 0) delete g.DefaultInstanceWarmup;
        else g.DefaultInstanceWarmup = st.DefaultInstanceWarmup;
      }
      if (p.HealthCheckType !== undefined) g.HealthCheckType = p.HealthCheckType as 'EC2' | 'ELB';
      changeDesired(ctx, g, desired, (from, to) =>
        `${at(ctx.now)} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${to} changing the desired capacity from ${from} to ${to}.`, null);
      return { output: {} };
    },
    resources: groupResource,
  },

  SetDesiredCapacity: {
    readOnly: false,
    validate: (p) => needGroupName(p) ?? (p.DesiredCapacity === undefined ? constraint('DesiredCapacity', undefined, 'Member must not be null').error : null),
    run(ctx, p) {
      const g = ctx.state.groups[p.AutoScalingGroupName as string];
      if (!g) return groupNotFound(p.AutoScalingGroupName as string);
      const d = readInt(p.DesiredCapacity, 'DesiredCapacity', 0);
      if ('error' in d) return d;
      const want = d.value!;
      if (want > g.MaxSize) return verr(`New SetDesiredCapacity value ${want} is above max value ${g.MaxSize} for the AutoScalingGroup.`);
      if (want < g.MinSize) return verr(`New SetDesiredCapacity value ${want} is below min value ${g.MinSize} for the AutoScalingGroup.`);
      if (p.HonorCooldown === true) {
        const blocked = simpleScalingBlocked(ctx.state, g, ctx.now);
        if (blocked) {
          const id = blocked === 'cooldown'
            ? ctx.state.activities.filter((a) => a.AutoScalingGroupName === g.AutoScalingGroupName).at(-1)?.ActivityId ?? ''
            : blocked.ActivityId;
          return { error: { code: 'ScalingActivityInProgress', message: `Scaling activity ${id} is in progress and blocks this action` } };
        }
      }
      changeDesired(ctx, g, want, (from, to) =>
        `${at(ctx.now)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`,
      p.HonorCooldown === true ? 1000 * g.DefaultCooldown : null);
      return { output: {} };
    },
    resources: groupResource,
  },

  DescribeAutoScalingGroups: {
    readOnly: true,
    run(ctx, p) {
      let list = Object.values(ctx.state.groups);
      if (Array.isArray(p.AutoScalingGroupNames) && p.AutoScalingGroupNames.length)
        list = list.filter((g) => (p.AutoScalingGroupNames as unknown[]).includes(g.AutoScalingGroupName));
      const pg = page(list, p, 100, 50);
      if ('error' in pg) return pg;
      return { output: { AutoScalingGroups: pg.items.map((g) => describeGroup(ctx.state, g)), ...(pg.next ? { NextToken: pg.next } : {}) } };
    },
  },

  DescribeAutoScalingInstances: {
    readOnly: true,
    run(ctx, p) {
      const ids = Array.isArray(p.InstanceIds) ? (p.InstanceIds as unknown[]) : null;
      const out: Record<string, unknown>[] = [];
      for (const g of Object.values(ctx.state.groups)) {
        for (const id of g.order) {
          const i = g.instances[id]!;
          if (ids && ids.length && !ids.includes(id)) continue;
          out.push({
            InstanceId: id, InstanceType: i.InstanceType, AutoScalingGroupName: g.AutoScalingGroupName,
            AvailabilityZone: i.AvailabilityZone, LifecycleState: i.LifecycleState, HealthStatus: i.HealthStatus.toUpperCase(),
            LaunchTemplate: { ...i.LaunchTemplate }, ProtectedFromScaleIn: false,
          });
        }
      }
      return { output: { AutoScalingInstances: out } };
    },
  },

  DescribeScalingActivities: {
    readOnly: true,
    validate: (p) => nameProblem(p.AutoScalingGroupName, 'AutoScalingGroupName', false)?.error ?? null,
    run(ctx, p) {
      let list = [...ctx.state.activities].reverse();
      if (typeof p.AutoScalingGroupName === 'string') {
        if (!ctx.state.groups[p.AutoScalingGroupName] && p.IncludeDeletedGroups !== true) return { output: { Activities: [] } };
        list = list.filter((a) => a.AutoScalingGroupName === p.AutoScalingGroupName);
      } else if (p.IncludeDeletedGroups !== true) {
        list = list.filter((a) => ctx.state.groups[a.AutoScalingGroupName]);
      }
      if (Array.isArray(p.ActivityIds) && p.ActivityIds.length) list = list.filter((a) => (p.ActivityIds as unknown[]).includes(a.ActivityId));
      const pg = page(list, p, 100, 100);
      if ('error' in pg) return pg;
      return { output: { Activities: pg.items.map(describeActivity), ...(pg.next ? { NextToken: pg.next } : {}) } };
    },
  },

  TerminateInstanceInAutoScalingGroup: {
    readOnly: false,
    validate: (p) => {
      if (p.InstanceId === undefined) return constraint('InstanceId', undefined, 'Member must not be null').error;
      if (p.ShouldDecrementDesiredCapacity === undefined) return constraint('ShouldDecrementDesiredCapacity', undefined, 'Member must not be null').error;
      if (typeof p.ShouldDecrementDesiredCapacity !== 'boolean') return constraint('ShouldDecrementDesiredCapacity', p.ShouldDecrementDesiredCapacity, 'Member must be a boolean').error;
      return typeof p.InstanceId === 'string' && p.InstanceId.length >= 1 && p.InstanceId.length <= 19 ? null
        : constraint('InstanceId', p.InstanceId, 'Member must have length less than or equal to 19').error;
    },
    run(ctx, p) {
      const id = p.InstanceId as string;
      const gName = ctx.state.instanceGroup[id];
      const g = gName ? ctx.state.groups[gName] : undefined;
      const inst = g?.instances[id];
      if (!g || !inst) return verr(`Instance Id not found - No managed instance found for instance ID: ${id}`);
      if (inst.LifecycleState !== 'InService' && inst.LifecycleState !== 'Pending')
        return verr(`The instance ${id} is not in a state from which it can be terminated (${inst.LifecycleState}).`);
      const decrement = p.ShouldDecrementDesiredCapacity === true;
      if (decrement && g.DesiredCapacity <= g.MinSize)
        return verr(`Currently, desiredCapacity is ${g.DesiredCapacity} and minSize is ${g.MinSize}. Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size constraint.`);
      const have = activeInstances(g).length;
      let cause = `${at(ctx.now)} instance ${id} was taken out of service in response to a user request.`;
      if (decrement) {
        cause = `${at(ctx.now)} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${have} to ${have - 1}.`;
        g.DesiredCapacity -= 1;
      }
      const a = terminateMember(ctx, g, inst, cause, true);
      if (!decrement) requestReconcile(ctx, g);
      return { output: { Activity: describeActivity(a) } };
    },
    resources: (p) => (typeof p.InstanceId === 'string' ? [{ type: 'AWS::EC2::Instance', name: p.InstanceId }] : []),
  },

  DeleteAutoScalingGroup: {
    readOnly: false,
    validate: needGroupName,
    run(ctx, p) {
      const g = ctx.state.groups[p.AutoScalingGroupName as string];
      if (!g) return groupNotFound(p.AutoScalingGroupName as string);
      const force = p.ForceDelete === true;
      if (!force) {
        if (g.order.length > 0)
          return { error: { code: 'ResourceInUse', message: 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.' } };
        if (activitiesInProgress(ctx.state, g.AutoScalingGroupName).length)
          return { error: { code: 'ScalingActivityInProgress', message: 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.' } };
        removeGroup(ctx, g);
        return { output: {} };
      }
      if (g.deleting) return { output: {} };
      g.deleting = true;
      const from = g.DesiredCapacity;
      g.MinSize = 0; g.MaxSize = 0; g.DesiredCapacity = 0;
      const prefix = `${at(ctx.now)} a user request update of AutoScalingGroup constraints to min: 0, max: 0, desired: 0 changing the desired capacity from ${from} to 0.`;
      const active = activeInstances(g);
      for (const inst of active) {
        terminateMember(ctx, g, inst, `${prefix} ${at(ctx.now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${active.length} to 0. ${at(ctx.now)} instance ${inst.InstanceId} was selected for termination.`, true);
      }
      if (g.order.length === 0 && ctx.state.groups[g.AutoScalingGroupName]) removeGroup(ctx, g);
      return { output: {} };
    },
    resources: groupResource,
  },
};

export { describeGroup };
