/**
 * AWS/EC2 metrics from seeded signals (spec §2.6): CPUUtilization, NetworkIn, NetworkOut and
 * StatusCheckFailed for running instances. Values come from `hashNoise`, so any minute can be
 * computed without drawing from a stream; scenarios shape them with `Signal`s.
 */
import { fnv1a, hashNoise } from '../../kernel/rng.ts';
import { DAY, MINUTE, metricKey, type CloudWatchState, type Signal, type WatchedInstance } from './cloudwatch.model.ts';
import { addToTier, getMetric, getStream, type SampleSet } from './cloudwatch.store.ts';

const BASELINE_N = 0x7fff_fff1;
const PHASE_N = 0x7fff_fff2;

/** The signal an instance follows when no scenario set one: baseline 5–40 %, a daily wave, noise. */
export function defaultSignal(key: number): Signal {
  const baseline = 5 + 35 * hashNoise(key, BASELINE_N);
  return { baseline, wave: baseline * 0.3, noise: 4, incidents: [] };
}

/** Stable noise key of an instance for an engine seed. */
export const instanceKey = (seed: number, instanceId: string): number => fnv1a(instanceId, (seed >>> 0) ^ 0x811c9dc5);

/** CPUUtilization (percent) of the minute starting at `t`. */
export function cpuAt(sig: Signal, key: number, t: number): number {
  const minute = Math.floor(t / MINUTE);
  const phase = hashNoise(key, PHASE_N) * 2 * Math.PI;
  let v = sig.baseline + sig.wave * Math.sin((2 * Math.PI * (t % DAY)) / DAY + phase) + sig.noise * (2 * hashNoise(key, minute) - 1);
  for (const inc of sig.incidents) {
    if (t < inc.from || t >= inc.to) continue;
    if (inc.level !== undefined) v = inc.level + sig.noise * (2 * hashNoise(key, minute) - 1);
    if (inc.add !== undefined) v += inc.add;
  }
  return v < 0 ? 0 : v > 100 ? 100 : v;
}

/** Bytes received in the minute, loosely following CPU. */
export const netInAt = (cpu: number, key: number, t: number): number =>
  Math.round((150_000 + cpu * 40_000) * (0.75 + 0.5 * hashNoise(key ^ 0x5a5a5a5a, Math.floor(t / MINUTE))));
export const netOutAt = (netIn: number, key: number, t: number): number =>
  Math.round(netIn * (0.4 + 0.4 * hashNoise(key ^ 0x3c3c3c3c, Math.floor(t / MINUTE))));

const one = (v: number): SampleSet => ({ n: 1, s: v, lo: v, hi: v, raw: null });

function setOf(values: readonly number[]): SampleSet {
  let s = 0, lo = Infinity, hi = -Infinity;
  for (const v of values) { s += v; if (v < lo) lo = v; if (v > hi) hi = v; }
  const raw: number[] = [];
  for (const v of values) raw.push(v, 1);
  return { n: values.length, s, lo, hi, raw };
}

/** Metric key of one of an instance's AWS/EC2 metrics. */
export function ec2MetricKey(instanceId: string, name: string): string {
  return metricKey('AWS/EC2', name, [{ Name: 'InstanceId', Value: instanceId }]);
}

/** Runtime cache (not state): metric keys per instance record, derived from its id. */
const keyCache = new WeakMap<WatchedInstance, Record<string, string>>();

function publish(state: CloudWatchState, inst: WatchedInstance, name: string, unit: string, t: number, x: SampleSet, now: number): void {
  let keys = keyCache.get(inst);
  if (!keys) keyCache.set(inst, (keys = {}));
  const key = (keys[name] ??= ec2MetricKey(inst.instanceId, name));
  const m = state.metrics[key] ?? getMetric(state, 'AWS/EC2', name, [{ Name: 'InstanceId', Value: inst.instanceId }], true)!;
  const stream = m.streams.length === 1 && m.streams[0]!.unit === unit ? m.streams[0]! : getStream(m, unit);
  addToTier(stream, 60, t, x);
  if (t > m.lastData) m.lastData = t;
  m.lastPut = now;
}

/**
 * Publishes the minute that ends at `now` for every running instance: every minute with detailed
 * monitoring; with basic monitoring one statistic set of the 1-minute samples per 5 minutes
 * (stamped at the start of the 5 minutes). StatusCheckFailed is 1-minute in both tiers.
 */
export function publishEc2Minute(state: CloudWatchState, now: number): void {
  const t = now - MINUTE;
  const fiveMinuteEdge = now % (5 * MINUTE) === 0;
  for (const id of state.instanceOrder) {
    const inst = state.instances[id]!;
    if (inst.running) {
      const sig = state.signals[id] ?? defaultSignal(inst.key);
      const cpu = cpuAt(sig, inst.key, t);
      const netIn = netInAt(cpu, inst.key, t);
      const netOut = netOutAt(netIn, inst.key, t);
      if (inst.monitoring === 'enabled') {
        publish(state, inst, 'CPUUtilization', 'Percent', t, one(cpu), now);
        publish(state, inst, 'NetworkIn', 'Bytes', t, one(netIn), now);
        publish(state, inst, 'NetworkOut', 'Bytes', t, one(netOut), now);
      } else {
        inst.pending.push(cpu);
        inst.pendingNetIn.push(netIn);
        inst.pendingNetOut.push(netOut);
      }
      publish(state, inst, 'StatusCheckFailed', 'Count', t, one(0), now);
    }
    if (fiveMinuteEdge) flushPending(state, inst, now);
  }
}

/** Publishes a basic-monitoring instance's pending samples as one 5-minute statistic set. */
export function flushPending(state: CloudWatchState, inst: WatchedInstance, now: number): void {
  if (inst.pending.length === 0) return;
  const start = Math.floor((now - 1) / (5 * MINUTE)) * 5 * MINUTE;
  publish(state, inst, 'CPUUtilization', 'Percent', start, setOf(inst.pending), now);
  publish(state, inst, 'NetworkIn', 'Bytes', start, setOf(inst.pendingNetIn), now);
  publish(state, inst, 'NetworkOut', 'Bytes', start, setOf(inst.pendingNetOut), now);
  inst.pending = [];
  inst.pendingNetIn = [];
  inst.pendingNetOut = [];
}
