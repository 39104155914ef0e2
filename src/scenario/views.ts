/**
 * Read-only lookups over engine views for the monitoring guards (alarms, metrics, processes
 * inside instances, Run Command, Auto Scaling groups). Each reads a service's state through
 * `engine.read` and the selectors the service exports; nothing here changes the engine.
 */
import type { Engine } from '../engine/index.ts';
import { listableMetrics, type CloudWatchState, type MetricAlarm } from '../engine/services/cloudwatch/index.ts';
import { agentRunning, processRunning, type SsmState } from '../engine/services/ssm/index.ts';
import { listGroups, type AutoScalingState } from '../engine/services/autoscaling/index.ts';
import type { AlarmMatch, NumberMatch } from './vocabulary.ts';
import { findInstance } from './world.ts';

/** The instance id an `i-…` / `tag:Key=Value` reference names now, or the reference itself. */
export function instanceIdOf(engine: Engine, ref: string): string {
  return findInstance(engine, ref)?.instanceId ?? ref;
}

export function numberMatches(v: number | undefined, m: NumberMatch | undefined): boolean {
  if (m === undefined) return true;
  if (v === undefined) return false;
  if (typeof m === 'number') return v === m;
  return (m.atLeast === undefined || v >= m.atLeast) && (m.atMost === undefined || v <= m.atMost);
}

const list = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function dimensionsMatch(engine: Engine, have: readonly { Name: string; Value: string }[], want: Record<string, string> | undefined): boolean {
  if (!want) return true;
  return Object.entries(want).every(([name, value]) => {
    const v = value.startsWith('tag:') ? instanceIdOf(engine, value) : value;
    return have.some((d) => d.Name === name && d.Value === v);
  });
}

/** Whether `value` breaches a static threshold (the four static comparison operators, spec §1.2). */
export function breaches(op: string, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold': return value > threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= threshold;
    case 'LessThanThreshold': return value < threshold;
    case 'LessThanOrEqualToThreshold': return value <= threshold;
    default: return false; // anomaly-band operators: not a static threshold
  }
}

const actionKind = (arn: string): string | null =>
  arn.includes(':sns:') ? 'sns' : arn.includes(':autoscaling:') ? 'autoscaling' : arn.includes(':automate:') ? 'ec2' : null;

function alarmMatches(engine: Engine, a: MetricAlarm, m: AlarmMatch): boolean {
  if (m.alarm !== undefined && a.AlarmName !== m.alarm) return false;
  if (m.namespace !== undefined && a.Namespace !== m.namespace) return false;
  if (m.metric !== undefined && a.MetricName !== m.metric) return false;
  if (!dimensionsMatch(engine, a.Dimensions, m.dimensions)) return false;
  const stats = list(m.statistic);
  if (stats && !stats.includes(a.Statistic ?? a.ExtendedStatistic ?? '')) return false;
  if (!numberMatches(a.Period, m.period)) return false;
  if (!numberMatches(a.EvaluationPeriods, m.evaluationPeriods)) return false;
  if (!numberMatches(a.DatapointsToAlarm ?? a.EvaluationPeriods, m.datapointsToAlarm)) return false;
  const treat = list(m.treatMissingData);
  if (treat && !(treat as string[]).includes(a.TreatMissingData ?? 'missing')) return false;
  const op = a.ComparisonOperator;
  if (m.breachesAt && !m.breachesAt.every((v) => breaches(op, v, a.Threshold))) return false;
  if (m.okAt && m.okAt.some((v) => breaches(op, v, a.Threshold))) return false;
  if (m.alarmActions && !m.alarmActions.every((k) => a.AlarmActions.some((arn) => actionKind(arn) === k))) return false;
  if (m.actionsEnabled !== undefined && a.ActionsEnabled !== m.actionsEnabled) return false;
  return true;
}

/** The metric alarms matching every given field, in creation order. */
export function matchingAlarms(engine: Engine, m: AlarmMatch): MetricAlarm[] {
  const al = engine.read<CloudWatchState>('cloudwatch').alarms;
  const out: MetricAlarm[] = [];
  for (const name of al.order) {
    const a = al.byName[name];
    if (a?.kind === 'metric' && alarmMatches(engine, a, m)) out.push(a);
  }
  return out;
}

export function metricExists(engine: Engine, p: { namespace: string; metric: string; dimensions?: Record<string, string> }): boolean {
  return listableMetrics(engine.read<CloudWatchState>('cloudwatch'), engine.nowMs())
    .some((m) => m.namespace === p.namespace && m.metricName === p.metric && dimensionsMatch(engine, m.dimensions, p.dimensions));
}

export function isProcessRunning(engine: Engine, instance: string, name: string): boolean {
  return processRunning(engine.read<SsmState>('ssm'), instanceIdOf(engine, instance), name);
}

export function isAgentRunning(engine: Engine, instance: string): boolean {
  return agentRunning(engine.read<SsmState>('ssm'), instanceIdOf(engine, instance));
}

export function commandSucceeded(engine: Engine, document: string, instance?: string): boolean {
  const st = engine.read<SsmState>('ssm');
  const id = instance === undefined ? undefined : instanceIdOf(engine, instance);
  return st.commandOrder.some((cid) => {
    const c = st.commands[cid];
    if (!c || c.DocumentName !== document) return false;
    return Object.values(c.invocations).some((i) => i.status === 'Success' && (id === undefined || i.instanceId === id));
  });
}

export function asgCapacity(engine: Engine, p: { group: string; desired?: NumberMatch; inService?: NumberMatch; min?: NumberMatch; max?: NumberMatch }): boolean {
  const g = listGroups(engine.read<AutoScalingState>('autoscaling')).find((x) => x.name === p.group);
  if (!g) return false;
  return numberMatches(g.desiredCapacity, p.desired) && numberMatches(g.counts.inService, p.inService)
    && numberMatches(g.minSize, p.min) && numberMatches(g.maxSize, p.max);
}

export function hasScalingPolicy(engine: Engine, p: { group: string; type?: string | string[]; name?: string }): boolean {
  const g = listGroups(engine.read<AutoScalingState>('autoscaling')).find((x) => x.name === p.group);
  const types = list(p.type);
  return Boolean(g?.policies.some((x) => (types === undefined || types.includes(x.type)) && (p.name === undefined || x.name === p.name)));
}
