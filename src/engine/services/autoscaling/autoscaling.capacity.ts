/**
 * Capacity on the engine clock (spec §7.2, §7.3): a group launches and terminates instances
 * until it matches its desired capacity, replaces instances that leave `running`, and records a
 * scaling activity for every launch and termination. EC2 calls go through `ctx.call` as the
 * Auto Scaling service-linked role, so CloudTrail shows them as `AutoScaling` (spec §4.3).
 */
import { AUTOSCALING_IDENTITY } from '../../kernel/identity.ts';
import { nextUuid } from '../../kernel/rng.ts';
import { toIsoSeconds } from '../../kernel/time.ts';
import type { ServiceContext } from '../../kernel/types.ts';
import {
  ACTIVITY_RETENTION_MS, type Activity, type AsgInstance, type AutoScalingState, type Group,
} from './autoscaling.model.ts';

type Ctx = ServiceContext<AutoScalingState>;

/** `At 2026-03-01T09:00:00Z`, how every activity cause starts. */
export const at = (ms: number) => `At ${toIsoSeconds(ms)}`;

/** Instances that count toward the group's capacity (not on their way out). */
export const activeInstances = (g: Group): AsgInstance[] =>
  g.order.map((id) => g.instances[id]!).filter((i) => i && (i.LifecycleState === 'Pending' || i.LifecycleState === 'InService'));

/** Activities of the group still running. */
export const activitiesInProgress = (s: AutoScalingState, name: string): Activity[] =>
  s.activities.filter((a) => a.AutoScalingGroupName === name && (a.StatusCode === 'InProgress' || a.StatusCode === 'PreInService'));

function newActivity(ctx: Ctx, g: Group, description: string, cause: string, az: string, instanceId?: string): Activity {
  const a: Activity = {
    ActivityId: nextUuid(ctx.rng('activities')),
    AutoScalingGroupName: g.AutoScalingGroupName,
    AutoScalingGroupARN: g.AutoScalingGroupARN,
    Description: description,
    Cause: cause,
    StartTime: ctx.now,
    StatusCode: 'InProgress',
    Progress: 0,
    Details: JSON.stringify({ 'Subnet ID': `subnet-${az}`, 'Availability Zone': az }),
    ...(instanceId ? { instanceId } : {}),
  };
  ctx.state.activities.push(a);
  const cutoff = ctx.now - ACTIVITY_RETENTION_MS;
  while (ctx.state.activities.length && ctx.state.activities[0]!.StartTime < cutoff) ctx.state.activities.shift();
  emitActivity(ctx, a);
  return a;
}

function emitActivity(ctx: Ctx, a: Activity): void {
  ctx.emit('autoscaling/activity', {
    activityId: a.ActivityId, group: a.AutoScalingGroupName, description: a.Description, cause: a.Cause,
    statusCode: a.StatusCode, ...(a.StatusMessage ? { statusMessage: a.StatusMessage } : {}),
    ...(a.instanceId ? { instanceId: a.instanceId } : {}),
  });
}

function finishActivity(ctx: Ctx, g: Group, id: string | null, status: 'Successful' | 'Failed' | 'Cancelled', message?: string): void {
  if (!id) return;
  const a = ctx.state.activities.find((x) => x.ActivityId === id);
  if (!a || (a.StatusCode !== 'InProgress' && a.StatusCode !== 'PreInService')) return;
  a.StatusCode = status;
  a.Progress = 100;
  a.EndTime = ctx.now;
  if (message) a.StatusMessage = message;
  emitActivity(ctx, a);
  if (g.batch && g.batch.activityIds.includes(id)) {
    g.batch.activityIds = g.batch.activityIds.filter((x) => x !== id);
    if (g.batch.activityIds.length === 0) {
      g.cooldownUntil = ctx.now + g.batch.cooldownMs;
      g.batch = null;
    }
  }
}

/** Asks for a reconciliation of the group at the current time (once per step). */
export function requestReconcile(ctx: Ctx, g: Group, at = ctx.now): void {
  if (g.reconcileScheduled && at === ctx.now) return;
  if (at === ctx.now) g.reconcileScheduled = true;
  ctx.schedule(at, 'reconcile', { group: g.AutoScalingGroupName });
}

/**
 * Records a desired-capacity change made by a person or a policy: the cause clause the next
 * activities carry, the cooldown the batch starts, and a reconciliation.
 */
export function changeDesired(ctx: Ctx, g: Group, next: number, clause: (from: number, to: number) => string, cooldownMs: number | null): boolean {
  const from = g.DesiredCapacity;
  if (next === from) return false;
  g.DesiredCapacity = next;
  g.pendingCause = clause(from, next);
  if (cooldownMs !== null) g.batch = { cooldownMs, activityIds: g.batch?.activityIds ?? [] };
  requestReconcile(ctx, g);
  ctx.emit('autoscaling/capacity-changed', { group: g.AutoScalingGroupName, from, to: next });
  return true;
}

/** The Availability Zone for the next launch: the one with the fewest instances (list order breaks ties). */
function nextZone(g: Group): string {
  const counts = new Map(g.AvailabilityZones.map((z) => [z, 0]));
  for (const i of activeInstances(g)) if (counts.has(i.AvailabilityZone)) counts.set(i.AvailabilityZone, counts.get(i.AvailabilityZone)! + 1);
  let best = g.AvailabilityZones[0]!;
  for (const z of g.AvailabilityZones) if (counts.get(z)! < counts.get(best)!) best = z;
  return best;
}

/** The version number the group's launch template reference resolves to now (null if unknown). */
export function resolvedVersion(s: AutoScalingState, g: Group): number | null {
  const t = s.templates[g.LaunchTemplate.LaunchTemplateId];
  if (!t) return null;
  return g.LaunchTemplate.Version === '$Latest' ? t.latestVersion
    : g.LaunchTemplate.Version === '$Default' ? t.defaultVersion : Number(g.LaunchTemplate.Version);
}

/**
 * The default termination policy, simplified (LIMITATIONS.md): the Availability Zone with the
 * most instances (list order breaks ties), then instances from an older launch template or
 * version, then the one closest to its next instance hour, then the lowest instance id.
 */
export function chooseForTermination(s: AutoScalingState, g: Group, now: number): AsgInstance | null {
  const active = activeInstances(g);
  if (!active.length) return null;
  const byZone = new Map<string, AsgInstance[]>();
  for (const i of active) byZone.set(i.AvailabilityZone, [...(byZone.get(i.AvailabilityZone) ?? []), i]);
  const zones = [...byZone.keys()].sort((a, b) => {
    const d = byZone.get(b)!.length - byZone.get(a)!.length;
    if (d) return d;
    const ia = g.AvailabilityZones.indexOf(a), ib = g.AvailabilityZones.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
  const current = resolvedVersion(s, g);
  const outdated = (i: AsgInstance) =>
    i.LaunchTemplate.LaunchTemplateId !== g.LaunchTemplate.LaunchTemplateId || (current !== null && Number(i.LaunchTemplate.Version) < current) ? 1 : 0;
  const hourFraction = (i: AsgInstance) => (now - i.launchedAt) % 3_600_000;
  const candidates = [...byZone.get(zones[0]!)!].sort((a, b) =>
    outdated(b) - outdated(a) || hourFraction(b) - hourFraction(a) || (a.InstanceId < b.InstanceId ? -1 : a.InstanceId > b.InstanceId ? 1 : 0));
  return candidates[0] ?? null;
}

/** Starts terminating one of the group's instances (a terminate activity and the EC2 call). */
export function terminateMember(ctx: Ctx, g: Group, inst: AsgInstance, cause: string, callEc2: boolean): Activity {
  inst.LifecycleState = 'Terminating';
  const a = newActivity(ctx, g, `Terminating EC2 instance: ${inst.InstanceId}`, cause, inst.AvailabilityZone, inst.InstanceId);
  inst.activityId = a.ActivityId;
  if (callEc2) {
    const r = ctx.call('ec2', 'TerminateInstances', { InstanceIds: [inst.InstanceId] }, { identity: AUTOSCALING_IDENTITY });
    if (!r.ok && r.error.code === 'InvalidInstanceID.NotFound') completeTermination(ctx, g, inst);
  }
  return a;
}

/** A terminated member leaves the group; a forced delete finishes when the last one is gone. */
function completeTermination(ctx: Ctx, g: Group, inst: AsgInstance): void {
  finishActivity(ctx, g, inst.activityId, 'Successful');
  inst.LifecycleState = 'Terminated';
  delete g.instances[inst.InstanceId];
  g.order = g.order.filter((x) => x !== inst.InstanceId);
  delete ctx.state.instanceGroup[inst.InstanceId];
  if (g.deleting && g.order.length === 0) removeGroup(ctx, g);
}

/** Drops a group and its policies (target-tracking alarms are deleted through CloudWatch). */
export function removeGroup(ctx: Ctx, g: Group): void {
  for (const [arn, p] of Object.entries(ctx.state.policies)) {
    if (p.AutoScalingGroupName !== g.AutoScalingGroupName) continue;
    deleteOwnedAlarms(ctx, p.Alarms.map((x) => x.AlarmName));
    delete ctx.state.policies[arn];
  }
  delete ctx.state.groups[g.AutoScalingGroupName];
  ctx.emit('autoscaling/group-deleted', { group: g.AutoScalingGroupName });
}

export function deleteOwnedAlarms(ctx: Ctx, names: string[]): void {
  if (names.length) ctx.call('cloudwatch', 'DeleteAlarms', { AlarmNames: names }, { identity: AUTOSCALING_IDENTITY });
}

/** Launch retry back-off after failures: 1, 2, 4, … minutes, at most an hour. */
const retryDelay = (failures: number) => Math.min(60_000 * 2 ** Math.max(0, failures - 1), 3_600_000);

function launchOne(ctx: Ctx, g: Group, cause: string): boolean {
  const az = nextZone(g);
  const tags = [
    ...g.Tags.filter((t) => t.PropagateAtLaunch).map((t) => ({ Key: t.Key, Value: t.Value })),
    { Key: 'aws:autoscaling:groupName', Value: g.AutoScalingGroupName },
  ];
  const r = ctx.call('ec2', 'RunInstances', {
    LaunchTemplate: { LaunchTemplateId: g.LaunchTemplate.LaunchTemplateId, Version: g.LaunchTemplate.Version },
    MinCount: 1, MaxCount: 1,
    Placement: { AvailabilityZone: az },
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
  }, { identity: AUTOSCALING_IDENTITY });
  if (!r.ok) {
    const a = newActivity(ctx, g, 'Launching a new EC2 instance.  Status Reason: ' + r.error.message + ' Launching EC2 instance failed.', cause, az);
    finishActivity(ctx, g, a.ActivityId, 'Failed', `${r.error.message} Launching EC2 instance failed.`);
    return false;
  }
  const out = (r.output.Instances as { InstanceId: string; InstanceType: string }[])[0]!;
  const a = newActivity(ctx, g, `Launching a new EC2 instance: ${out.InstanceId}`, cause, az, out.InstanceId);
  a.StatusCode = 'PreInService';
  a.Progress = 30;
  const version = resolvedVersion(ctx.state, g);
  g.instances[out.InstanceId] = {
    InstanceId: out.InstanceId,
    AvailabilityZone: az,
    InstanceType: out.InstanceType,
    LifecycleState: 'Pending',
    HealthStatus: 'Healthy',
    LaunchTemplate: {
      LaunchTemplateId: g.LaunchTemplate.LaunchTemplateId,
      LaunchTemplateName: g.LaunchTemplate.LaunchTemplateName,
      Version: version === null ? g.LaunchTemplate.Version : String(version),
    },
    launchedAt: ctx.now,
    inServiceAt: null,
    activityId: a.ActivityId,
  };
  g.order.push(out.InstanceId);
  ctx.state.instanceGroup[out.InstanceId] = g.AutoScalingGroupName;
  if (g.batch) g.batch.activityIds.push(a.ActivityId);
  return true;
}

/** Brings the group to its desired capacity: launches or terminates the difference. */
export function reconcile(ctx: Ctx, name: string): void {
  const g = ctx.state.groups[name];
  if (!g) return;
  g.reconcileScheduled = false;
  const active = activeInstances(g);
  const have = active.length;
  const want = g.DesiredCapacity;
  const prefix = g.pendingCause ? `${g.pendingCause} ` : '';
  if (have < want && !g.deleting) {
    const cause = `${prefix}${at(ctx.now)} an instance was started in response to a difference between desired and running capacity, increasing the capacity from ${have} to ${want}.`;
    g.pendingCause = null;
    for (let n = have; n < want; n++) {
      if (!launchOne(ctx, g, cause)) {
        g.launchFailures += 1;
        requestReconcile(ctx, g, ctx.now + retryDelay(g.launchFailures));
        return;
      }
    }
    g.launchFailures = 0;
  } else if (have > want) {
    g.pendingCause = null;
    for (let n = have; n > want; n--) {
      const victim = chooseForTermination(ctx.state, g, ctx.now);
      if (!victim) break;
      const cause = `${prefix}${at(ctx.now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${have} to ${want}. ${at(ctx.now)} instance ${victim.InstanceId} was selected for termination.`;
      const a = terminateMember(ctx, g, victim, cause, true);
      if (g.batch) g.batch.activityIds.push(a.ActivityId);
    }
  } else {
    g.pendingCause = null;
    if (g.batch && g.batch.activityIds.length === 0) {
      g.cooldownUntil = ctx.now + g.batch.cooldownMs;
      g.batch = null;
    }
  }
}

interface StateChanged { instanceId: string; previous: string; current: string }

/**
 * EC2 told us an instance changed state. A member reaching `running` goes InService; a member
 * leaving `running` for any reason other than our own termination fails its EC2 health check and
 * is replaced (spec §7.3) — the "I terminated it and it came back" case.
 */
export function onInstanceState(ctx: Ctx, ev: StateChanged): void {
  const name = ctx.state.instanceGroup[ev.instanceId];
  const g = name ? ctx.state.groups[name] : undefined;
  const inst = g?.instances[ev.instanceId];
  if (!g || !inst) return;
  if (ev.current === 'running') {
    if (inst.LifecycleState !== 'Pending') return;
    inst.LifecycleState = 'InService';
    inst.inServiceAt = ctx.now;
    finishActivity(ctx, g, inst.activityId, 'Successful');
    inst.activityId = null;
    return;
  }
  if (ev.current === 'pending') return;
  if (inst.LifecycleState === 'Terminating') {
    if (ev.current === 'terminated') completeTermination(ctx, g, inst);
    return;
  }
  // stopping, stopped, shutting-down or terminated without Auto Scaling asking for it
  inst.HealthStatus = 'Unhealthy';
  finishActivity(ctx, g, inst.activityId, 'Cancelled', 'Instance left the running state during launch.');
  const cause = `${at(ctx.now)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`;
  const mustTerminate = ev.current === 'stopping' || ev.current === 'stopped';
  terminateMember(ctx, g, inst, cause, mustTerminate);
  if (ev.current === 'terminated') completeTermination(ctx, g, inst);
  ctx.emit('autoscaling/instance-unhealthy', { group: g.AutoScalingGroupName, instanceId: inst.InstanceId, ec2State: ev.current });
  requestReconcile(ctx, g);
}

/** Whether simple scaling must wait: an activity in progress or the cooldown. */
export function simpleScalingBlocked(s: AutoScalingState, g: Group, now: number): Activity | 'cooldown' | null {
  const busy = activitiesInProgress(s, g.AutoScalingGroupName)[0];
  if (busy) return busy;
  if (g.batch || now < g.cooldownUntil) return 'cooldown';
  return null;
}

/** Instances still warming up for a policy (launched less than `warmupMs` after InService). */
export function warmingCount(g: Group, now: number, warmupMs: number): number {
  return activeInstances(g).filter((i) => i.inServiceAt === null || now < i.inServiceAt + warmupMs).length;
}
