/**
 * Scenario `signals:`: CPU loads that follow the story, applied through the simulator-only
 * `cloudwatch:SimSetSignal` (not recorded in CloudTrail). A signal is re-applied at each of its
 * steps (engine timers) and whenever an instance it covers changes state, so instances launched
 * later by Auto Scaling pick up the load, and a shared load spreads over the running instances.
 * Everything is derived from the engine clock and EC2's view, so save/resume stays exact.
 */
import type { Engine } from '../engine/index.ts';
import { listInstances, type Ec2State, type InstanceView } from '../engine/services/ec2/index.ts';
import { parseDuration } from './duration.ts';
import type { Scenario, SignalSpec } from './schema.ts';
import { startMs } from './world.ts';

const GROUP_TAG = 'aws:autoscaling:groupName';
const TAG_REF = /^tag:([^=]+)=(.*)$/;

/** Whether an instance is covered by a signal's `instances` selector. */
export function coveredBy(selector: string, inst: InstanceView): boolean {
  if (selector.startsWith('group:')) return inst.tags[GROUP_TAG] === selector.slice(6);
  const m = TAG_REF.exec(selector);
  if (m) return inst.tags[m[1]!] === m[2];
  return inst.instanceId === selector;
}

/** The step in force at `now` (the last one whose time has come), or null before the first. */
export function currentStep(s: Scenario, sig: SignalSpec, now: number): SignalSpec['cpu'][number] | null {
  const start = startMs(s);
  let cur: SignalSpec['cpu'][number] | null = null;
  for (const step of sig.cpu) if (start + parseDuration(step.at) <= now) cur = step;
  return cur;
}

/** CPU percent each covered instance follows now (a shared load divided by the running ones). */
export function levelOf(sig: SignalSpec, total: number, running: number): number {
  return sig.share ? total / Math.max(1, running) : total;
}

/** Sets the signal of every pending or running instance the signal covers, as of now. */
export function applySignal(engine: Engine, s: Scenario, index: number): void {
  const sig = s.signals?.[index];
  if (!sig) return;
  const step = currentStep(s, sig, engine.nowMs());
  if (!step) return;
  const live = listInstances(engine.read<Ec2State>('ec2')).filter((i) => (i.state === 'pending' || i.state === 'running') && coveredBy(sig.instances, i));
  const level = levelOf(sig, step.value, live.filter((i) => i.state === 'running').length);
  for (const inst of live) {
    engine.callSync('cloudwatch', 'SimSetSignal', {
      InstanceId: inst.instanceId, Baseline: level, Wave: sig.wave ?? 0, Noise: sig.noise ?? 2, Incidents: [],
    });
  }
}

/** Indexes of the signals covering an instance (by id, from EC2's current view). */
export function signalsCovering(engine: Engine, s: Scenario, instanceId: string): number[] {
  if (!s.signals?.length) return [];
  const inst = listInstances(engine.read<Ec2State>('ec2')).find((i) => i.instanceId === instanceId);
  if (!inst) return [];
  return s.signals.flatMap((sig, i) => (coveredBy(sig.instances, inst) ? [i] : []));
}
