/**
 * AWS/EC2 aggregates across instances (spec §2.1, §2.6): for instances with detailed monitoring,
 * every AWS/EC2 metric is also published by `InstanceType`, by `ImageId` and with no dimension
 * (all instances). Like the per-instance metrics they are virtual (nothing is stored per minute, so
 * the per-minute tick costs nothing more): an aggregate's datapoints in a period are its members'
 * own buckets of that period, read member by member from their series, with only the minutes in
 * which the member had detailed monitoring. SampleCount therefore counts instance-minutes and
 * Average is the mean over the members' samples; percentiles use all of their raw values.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
 */
import {
  EC2_PUBLISHED, type CloudWatchState, type Dimension, type Ec2MetricIndex, type Ec2Series, type Stream,
  type VirtualSource, type WatchedInstance,
} from './cloudwatch.model.ts';
import { getMetric, type PeriodAggs } from './cloudwatch.store.ts';
import { aggregateVirtual, aggregateVirtualMinutes, newCursor, virtualActivity } from './cloudwatch.virtual.ts';

/** `Ec2Series.made` bit: the instance joined its aggregates. */
const JOINED = 16;
/** Metric code of an aggregate member's view in cloudwatch.virtual.ts: detailed minutes only. */
const DETAILED_ONLY = 8;

/** The dimensions of an aggregate key (`InstanceType=t3.micro`, `ImageId=ami-…`, `` for all). */
export function aggregateDims(key: string): Dimension[] {
  if (key === '') return [];
  const at = key.indexOf('=');
  return [{ Name: key.slice(0, at), Value: key.slice(at + 1) }];
}

/**
 * Makes an instance a member of its aggregates once it has detailed monitoring (launched with it,
 * or MonitorInstances), creating the aggregates' metric records on first need. Their activity
 * (ListMetrics) is computed from the members, so a record shows only once a member published.
 */
export function joinAggregates(state: CloudWatchState, inst: WatchedInstance, series: Ec2Series): void {
  if (series.made & JOINED) return;
  series.made |= JOINED;
  const aggs = (state.aggregates ??= {});
  for (const key of [`InstanceType=${inst.instanceType}`, `ImageId=${inst.imageId}`, '']) {
    let list = aggs[key];
    if (!list) {
      list = aggs[key] = [];
      for (const def of EC2_PUBLISHED) {
        const m = getMetric(state, 'AWS/EC2', def.name, aggregateDims(key), true)!;
        if (!m.streams.some((x) => x.virtual)) m.streams.push({ unit: def.unit, tiers: {}, virtual: { instanceId: '', metric: def.metric, agg: key } });
      }
    }
    list.push(inst.instanceId);
  }
}

/** Runtime cache (never state): the stream objects through which a member's view is read. */
const memberStreams = new Map<string, Stream>();

/**
 * The stream aggregateVirtual reads for one member: its detailed minutes only, which is the plain
 * metric (sharing its day caches) when the member never ran with basic monitoring.
 */
function memberStream(id: string, series: Ec2Series, metric: Ec2MetricIndex): Stream {
  let code: number = metric;
  const seg = series.seg;
  for (let j = 1; j < seg.length; j += 2) if ((seg[j]! & 3) === 1) { code = metric | DETAILED_ONLY; break; }
  const k = `${id}#${code}`;
  let s = memberStreams.get(k);
  if (!s) {
    if (memberStreams.size >= 8192) memberStreams.clear();
    memberStreams.set(k, (s = { unit: '', tiers: {}, virtual: { instanceId: id, metric: code as Ec2MetricIndex } }));
  }
  return s;
}

/** Runtime scratch (never state): one member's period aggregates. */
let ONE: PeriodAggs = { n: new Float64Array(0), s: new Float64Array(0), lo: new Float64Array(0), hi: new Float64Array(0), raw: null };

function scratch(count: number, wantRaw: boolean): PeriodAggs {
  if (ONE.n.length < count) {
    const size = Math.max(count, 2 * ONE.n.length, 64);
    ONE = { n: new Float64Array(size), s: new Float64Array(size), lo: new Float64Array(size), hi: new Float64Array(size), raw: null };
  }
  ONE.raw = wantRaw ? Array.from({ length: count }, () => [] as number[] | null) : null;
  return ONE;
}

/**
 * aggregateVirtual of an aggregate: the periods in [start, end) of each member in turn (members in
 * joining order), each period's member sum added to the total. A member's periods are read by the
 * alarms' fast path where it applies, else by aggregateVirtual; both give the same bits, so the
 * total does not depend on which path read a member.
 */
export function aggregateMembers(state: CloudWatchState, v: VirtualSource, out: PeriodAggs, start: number, pms: number, end: number, wantRaw: boolean): void {
  const members = state.aggregates?.[v.agg!];
  if (!members) return;
  const count = Math.round((end - start) / pms);
  const extremes = out.sumsOnly !== true;
  for (const id of members) {
    const series = state.series[id];
    if (!series) continue;
    const stream = memberStream(id, series, v.metric);
    const one = scratch(count, wantRaw);
    if (wantRaw || !aggregateVirtualMinutes(state, stream, one, start, pms, count, extremes, newCursor())) {
      one.n.fill(0, 0, count); one.s.fill(0, 0, count); one.lo.fill(Infinity, 0, count); one.hi.fill(-Infinity, 0, count);
      aggregateVirtual(state, stream, one, start, pms, end, wantRaw);
    }
    const on = one.n, os = one.s, olo = one.lo, ohi = one.hi, n = out.n, s = out.s, lo = out.lo, hi = out.hi;
    for (let k = 0; k < count; k++) {
      if (on[k] === 0) continue;
      s[k] = s[k]! + os[k]!;
      n[k] = n[k]! + on[k]!;
      if (olo[k]! < lo[k]!) lo[k] = olo[k]!;
      if (ohi[k]! > hi[k]!) hi[k] = ohi[k]!;
      if (out.raw) {
        const acc = out.raw[k], r = one.raw![k];
        if (acc && r) for (const x of r) acc.push(x);
        else if (acc) out.raw[k] = null;
      }
    }
  }
}

/** virtualActivity of an aggregate: its members' newest detailed-monitoring datapoint. */
export function aggregateActivity(state: CloudWatchState, v: VirtualSource): { lastPut: number; lastData: number } {
  let lastPut = -Infinity, lastData = -Infinity;
  for (const id of state.aggregates?.[v.agg!] ?? []) {
    const series = state.series[id];
    if (!series) continue;
    const a = virtualActivity(state, memberStream(id, series, v.metric));
    if (a.lastPut > lastPut) lastPut = a.lastPut;
    if (a.lastData > lastData) lastData = a.lastData;
  }
  return { lastPut, lastData };
}

