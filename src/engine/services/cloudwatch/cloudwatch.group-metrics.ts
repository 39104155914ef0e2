/**
 * AWS/EC2 CPUUtilization aggregated by `AutoScalingGroupName` (spec §2.6): one sample per running
 * member instance per minute, from the same signal values the per-instance series answer with.
 * Published every minute while every running member has detailed monitoring, otherwise as one
 * statistic set per 5 minutes (basic monitoring). Materialised: a few groups, one point a minute.
 */
import { MINUTE, type CloudWatchState } from './cloudwatch.model.ts';
import { cpuAt, signalAt } from './cloudwatch.signals.ts';
import { addSamples, getMetric } from './cloudwatch.store.ts';

interface Pending { t0: number; n: number; s: number; lo: number; hi: number; raw: number[] }
type GroupState = CloudWatchState & { groupPend?: Record<string, Pending> };

const FIVE = 5 * MINUTE;

function publish(state: CloudWatchState, group: string, time: number, p: Pending, now: number): void {
  const m = getMetric(state, 'AWS/EC2', 'CPUUtilization', [{ Name: 'AutoScalingGroupName', Value: group }], true)!;
  addSamples(m, 'Percent', time, 60, { n: p.n, s: p.s, lo: p.lo, hi: p.hi, raw: p.lo === p.hi ? null : [...p.raw] }, now);
}

/**
 * Runs at each per-minute tick `now`, for the minute that just ended. Returns false when no running
 * instance belongs to a group and nothing is pending (the next minute has nothing to do either,
 * unless an instance event arrives).
 */
export function publishGroupMinute(state: CloudWatchState, now: number): boolean {
  const s = state as GroupState;
  const t = now - MINUTE;
  let minute: Record<string, { set: Pending; basic: boolean }> | null = null; // made when a group has members
  for (const id of state.instanceOrder) {
    const inst = state.instances[id]!;
    const group = inst.autoScalingGroupName;
    if (!group || !inst.running) continue;
    const series = state.series[id];
    if (!series) continue;
    const v = cpuAt(signalAt(series, now), series.key, t);
    const g = ((minute ??= {})[group] ??= { set: { t0: t, n: 0, s: 0, lo: Infinity, hi: -Infinity, raw: [] }, basic: false });
    g.set.n++; g.set.s += v; g.set.raw.push(v);
    if (v < g.set.lo) g.set.lo = v;
    if (v > g.set.hi) g.set.hi = v;
    if (inst.monitoring !== 'enabled') g.basic = true;
  }
  if (minute === null && (s.groupPend === undefined || Object.keys(s.groupPend).length === 0)) return false;
  const pend = (s.groupPend ??= {});
  for (const [group, g] of minute ? Object.entries(minute) : []) {
    if (!g.basic && !pend[group]) { publish(state, group, t, g.set, now); continue; }
    const window = Math.floor(t / FIVE) * FIVE;
    const p = (pend[group] ??= { t0: window, n: 0, s: 0, lo: Infinity, hi: -Infinity, raw: [] });
    p.n += g.set.n; p.s += g.set.s; p.raw.push(...g.set.raw);
    p.lo = Math.min(p.lo, g.set.lo); p.hi = Math.max(p.hi, g.set.hi);
  }
  if (now % FIVE === 0) {
    for (const group of Object.keys(pend)) {
      publish(state, group, pend[group]!.t0, pend[group]!, now);
      delete pend[group];
    }
  }
  return true;
}
