/**
 * AWS/EC2 metrics from seeded signals (spec §2.6): CPUUtilization, NetworkIn, NetworkOut,
 * NetworkPacketsIn/Out and StatusCheckFailed (with _Instance and _System) for running instances.
 * Values come from `hashNoise`, so any minute can be computed without drawing from a stream;
 * scenarios shape them with `Signal`s. The series
 * bookkeeping (running intervals, monitoring mode, signals with the ticks they changed) lives here;
 * reading is in cloudwatch.virtual.ts.
 */
import { fnv1a, hashNoise } from '../../kernel/rng.ts';
import {
  DAY, EC2_PUBLISHED, MINUTE, metricKey, type CloudWatchState, type Ec2Series, type Signal, type WatchedInstance,
} from './cloudwatch.model.ts';
import { getMetric } from './cloudwatch.store.ts';
import { joinAggregates } from './cloudwatch.ec2-aggregates.ts';

const BASELINE_N = 0x7fff_fff1;
const PHASE_N = 0x7fff_fff2;

/** The signal an instance follows when no scenario set one: baseline 5–40 %, a daily wave, noise. */
export function defaultSignal(key: number): Signal {
  const baseline = 5 + 35 * hashNoise(key, BASELINE_N);
  return { baseline, wave: baseline * 0.3, noise: 4, incidents: [] };
}

/** Runtime cache: each noise key's default signal, one object per key (identity matters to DayData.ahead). */
const defaultSignals = new Map<number, Signal>();

/** The default signal of a noise key, the same object each time (until the bounded cache is cleared). */
export function defaultSignalOf(key: number): Signal {
  let d = defaultSignals.get(key);
  if (d === undefined) {
    if (defaultSignals.size >= 4096) defaultSignals.clear();
    defaultSignals.set(key, (d = defaultSignal(key)));
  }
  return d;
}

/** The signal in force at `tick` (each `series.sig` entry from its tick on; before the first, the default). */
export function signalAt(series: Ec2Series, tick: number): Signal {
  let s: Signal | null = null;
  const sig = series.sig;
  for (let j = 0; j < sig.length; j++) { const x = sig[j]!; if (x.at <= tick) s = x.signal; else break; }
  return s ?? defaultSignalOf(series.key);
}

/**
 * The signal every later minute follows while nothing changes: when the instance's last segment
 * (running, detailed monitoring) and its last signal both began by `tick`; otherwise null.
 */
export function steadySignal(series: Ec2Series, tick: number): Signal | null {
  const seg = series.seg, n = seg.length;
  if (n < 2 || seg[n - 2]! > tick || (seg[n - 1]! & 3) !== 3) return null;
  const sig = series.sig, last = sig.length ? sig[sig.length - 1]! : null;
  return last === null ? defaultSignalOf(series.key) : last.at <= tick ? last.signal : null;
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

// Local bindings for the hot loops (module bindings can be slow to reach through some loaders).
const noiseAt = hashNoise;
const MIN_MS = 60_000, DAY_MS = 86_400_000;

/** Runtime cache (not state): per noise key, the daily-wave term `sin(…)` of each minute of the day. */
const sinTables = new Map<number, Float64Array>();

/** `Math.sin` of cpuAt's wave for minute i of the day, exactly as cpuAt computes it. */
export function sinTable(key: number): Float64Array {
  let tab = sinTables.get(key);
  if (tab) return tab;
  if (sinTables.size >= 4096) sinTables.clear();
  const phase = hashNoise(key, PHASE_N) * 2 * Math.PI;
  tab = new Float64Array(1440);
  for (let i = 0; i < 1440; i++) tab[i] = Math.sin((2 * Math.PI * (i * MINUTE)) / DAY + phase);
  sinTables.set(key, tab);
  return tab;
}

/**
 * cpuAt for `count` consecutive minutes from the minute-aligned `t0` into `out` (from index
 * `at`), bit-for-bit equal to calling cpuAt for each (same operations in the same order).
 */
export function fillCpu(sig: Signal, key: number, t0: number, count: number, out: Float64Array, at: number): void {
  const tab = sinTable(key);
  const { baseline, wave, noise, incidents } = sig;
  let minute = Math.floor(t0 / MIN_MS);
  let mod = Math.floor((t0 % DAY_MS) / MIN_MS);
  let t = t0;
  for (let i = 0; i < count; i++, minute++, t += MIN_MS) {
    let v = baseline + wave * tab[mod]! + noise * (2 * noiseAt(key, minute) - 1);
    for (let j = 0; j < incidents.length; j++) {
      const inc = incidents[j]!;
      if (t < inc.from || t >= inc.to) continue;
      if (inc.level !== undefined) v = inc.level + noise * (2 * noiseAt(key, minute) - 1);
      if (inc.add !== undefined) v += inc.add;
    }
    out[at + i] = v < 0 ? 0 : v > 100 ? 100 : v;
    if (++mod === 1440) mod = 0;
  }
}

/** Bytes received in the minute, loosely following CPU. */
export const netInAt = (cpu: number, key: number, t: number): number =>
  Math.round((150_000 + cpu * 40_000) * (0.75 + 0.5 * noiseAt(key ^ 0x5a5a5a5a, Math.floor(t / MIN_MS))));
export const netOutAt = (netIn: number, key: number, t: number): number =>
  Math.round(netIn * (0.4 + 0.4 * noiseAt(key ^ 0x3c3c3c3c, Math.floor(t / MIN_MS))));
/** Packets in the minute from its bytes: an average packet of 500–1,500 bytes. */
export const packetsInAt = (netIn: number, key: number, t: number): number =>
  Math.round(netIn / (500 + 1000 * noiseAt(key ^ 0x1e1e1e1e, Math.floor(t / MIN_MS))));
export const packetsOutAt = (netOut: number, key: number, t: number): number =>
  Math.round(netOut / (500 + 1000 * noiseAt(key ^ 0x2d2d2d2d, Math.floor(t / MIN_MS))));

/** Metric key of one of an instance's AWS/EC2 metrics. */
export function ec2MetricKey(instanceId: string, name: string): string {
  return metricKey('AWS/EC2', name, [{ Name: 'InstanceId', Value: instanceId }]);
}

/** The series record of an instance, created on first need. */
export function seriesOf(state: CloudWatchState, instanceId: string, seed: number): Ec2Series {
  return (state.series[instanceId] ??= { key: instanceKey(seed, instanceId), seg: [], sig: [], gone: null, made: 0 });
}

/** Flags of a watched instance as the next tick will see them. */
export const flagsOf = (inst: WatchedInstance): number => (inst.running ? 1 : 0) | (inst.monitoring === 'enabled' ? 2 : 0);

/**
 * Runtime counter (never state) bumped by every change of any instance's series (flags, signal,
 * termination): what alarms' decisions computed ahead depend on, so they hold while it stays.
 */
let seriesEpoch = 0;
export const seriesEpochNow = (): number => seriesEpoch;
export const touchSeries = (): void => { seriesEpoch++; };

/** Records that from tick `at` on the instance's flags are `flags` (same-minute changes merge). */
export function setSegment(series: Ec2Series, at: number, flags: number): void {
  seriesEpoch++;
  const seg = series.seg;
  const n = seg.length;
  if (n >= 2 && seg[n - 1] === flags) return;
  if (n >= 2 && seg[n - 2] === at) {
    if (n >= 4 && seg[n - 3] === flags) seg.length = n - 2;
    else seg[n - 1] = flags;
    return;
  }
  if (n === 0 && flags === 0) return;
  seg.push(at, flags);
}

/** Records that from tick `at` on the instance follows `signal`. */
export function setSignalFrom(series: Ec2Series, at: number, signal: Signal): void {
  seriesEpoch++;
  const last = series.sig[series.sig.length - 1];
  if (last && last.at === at) last.signal = signal;
  else series.sig.push({ at, signal });
}

/**
 * Creates the metric records of a group (EC2_PUBLISHED) the first time it is published (keeps
 * ListMetrics order). Group 8 (StatusCheckFailed_Instance/_System) comes with group 2 (older saves
 * have 2 without it).
 */
function create(state: CloudWatchState, id: string, series: Ec2Series, group: 1 | 2 | 4, now: number, t: number): void {
  const groups = group === 2 ? 10 : group;
  series.made |= groups;
  for (const def of EC2_PUBLISHED) {
    if (!(def.group & groups)) continue;
    const m = getMetric(state, 'AWS/EC2', def.name, [{ Name: 'InstanceId', Value: id }], true)!;
    if (!m.streams.some((x) => x.virtual)) m.streams.push({ unit: def.unit, tiers: {}, virtual: { instanceId: id, metric: def.metric } });
    if (t > m.lastData) m.lastData = t;
    if (now > m.lastPut) m.lastPut = now;
  }
}

/**
 * The per-minute tick for AWS/EC2 metrics: nothing is stored per datapoint (they are computed on
 * read from the series, cloudwatch.virtual.ts); this only moves the published horizon, creates
 * metric records when first published, and tracks pending basic-monitoring samples (published as
 * one statistic set at each 5-minute edge).
 */
export function publishEc2Minute(state: CloudWatchState, now: number): boolean {
  const t = now - MINUTE;
  const fiveMinuteEdge = now % (5 * MINUTE) === 0;
  state.lastTick = now;
  let settled = true;
  for (const id of state.instanceOrder) {
    const inst = state.instances[id]!;
    if (inst.running) {
      const series = state.series[id]!;
      if (inst.monitoring === 'enabled') {
        if (!(series.made & 1)) { create(state, id, series, 1, now, t); settled = false; }
        if (!(series.made & 16)) joinAggregates(state, inst, series); // saves from before the aggregates
      }
      // 5-minute sets whose records are still to create (basic monitoring; NetworkPackets* in both tiers)
      if (!inst.pend && (series.made & 5) !== 5) inst.pend = true; // once the metrics exist, pending samples create nothing
      if ((series.made & 10) !== 10) { create(state, id, series, 2, now, t); settled = false; }
    }
    if (inst.pend) {
      settled = false;
      if (fiveMinuteEdge) flushPending(state, inst, now);
    }
  }
  return settled;
}

/**
 * Whether the next publishEc2Minute can be skipped (only `lastTick` moves): true when the last one
 * had nothing to create or flush and no instance event arrived since. Runtime only, never state.
 */
export const ec2Settled = new WeakMap<CloudWatchState, boolean>();

/**
 * Publishes an instance's pending samples as one 5-minute statistic set: basic monitoring's, and
 * NetworkPackets* in both tiers (from the first set on, the records exist and nothing is tracked).
 */
export function flushPending(state: CloudWatchState, inst: WatchedInstance, now: number): void {
  if (!inst.pend) return;
  inst.pend = false;
  const series = state.series[inst.instanceId]!;
  const w = Math.floor((now - 1) / (5 * MINUTE)) * 5 * MINUTE;
  if (!(series.made & 1)) create(state, inst.instanceId, series, 1, now, w);
  if (!(series.made & 4)) create(state, inst.instanceId, series, 4, now, w);
}

/**
 * Brings a state saved before AWS/EC2 metrics became virtual up to date: its stored datapoints stay
 * (as ordinary streams); from the next tick on, its instances' metrics are computed.
 */
export function upgradeState(state: CloudWatchState, now: number, seed: number): void {
  if (state.series) return;
  state.series = {};
  state.lastTick = Math.floor(now / MINUTE) * MINUTE;
  for (const id of state.instanceOrder) {
    const inst = state.instances[id]! as WatchedInstance & { pending?: unknown; pendingNetIn?: unknown; pendingNetOut?: unknown };
    delete inst.pending; delete inst.pendingNetIn; delete inst.pendingNetOut;
    inst.pend = false;
    setSegment(seriesOf(state, id, seed), state.lastTick + MINUTE, flagsOf(inst));
  }
}
