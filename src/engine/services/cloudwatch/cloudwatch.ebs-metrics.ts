/**
 * AWS/EBS metrics (spec §2.6: dimension `VolumeId`, 1-minute data, only while attached), computed
 * on read like the AWS/EC2 virtual series: the state keeps per volume only what determines them
 * (`EbsSeries`: type, size, and from which tick it is attached to which instance, learnt from EC2's
 * volume events) and every read computes the minutes from a deterministic model, so nothing is
 * done per minute in advance and an account that never reads them pays nothing.
 *
 * The model: in a minute where the volume is attached to a *running* instance (the instance's
 * series, kept by CloudWatch from `ec2/instance-state-changed`), the workload asks for
 * `scale × (0.1 + 1.9 × (CPU/100)²) × jitter` units (IOPS; MiB/s for st1/sc1), where CPU is the
 * instance's own CPUUtilization of that minute, so a busy instance does more I/O. What the volume
 * delivers is capped by its type: gp3/io1/io2 at their provisioned IOPS, standard at 200 IOPS,
 * and gp2/st1/sc1 by a burst bucket (EBS user guide, "I/O credits and burst performance"): gp2
 * earns its baseline of 3 IOPS/GiB (100 at least) in credits per second, spends one credit per I/O
 * and may burst to 3,000 IOPS while credits last, from a bucket of 5.4 million credits that starts
 * full; st1/sc1 do the same in MiB/s (baseline 40/12, burst 250/80 MiB/s per TiB, bucket 1 TiB of
 * credits per TiB). Minutes without I/O (detached, instance not running) refill the bucket. The
 * bucket makes a minute depend on every earlier one, so reads walk from the volume's creation and
 * keep the end-of-day balances (and recent days' values) in a runtime cache, never in the state.
 */
import { fnv1a, hashNoise } from '../../kernel/rng.ts';
import { RETENTION_MS, chunkSpanMs, type CloudWatchState, type Ec2Series, type Stream } from './cloudwatch.model.ts';
import { cpuAt, signalAt } from './cloudwatch.signals.ts';
import type { PeriodAggs } from './cloudwatch.store.ts';

const MIN = 60_000, FIVE = 300_000, HOUR = 3_600_000, DAY = 86_400_000;
const MIB = 1_048_576;

/**
 * What determines a volume's AWS/EBS metrics (kept after deletion, as its data is). Ticks as in
 * `Ec2Series`: the tick at T stands for the minute [T − 1 min, T).
 */
export interface EbsSeries {
  /** Stable noise key (`volumeKey`). */
  key: number;
  type: string;
  size: number;
  iops: number | null;
  /** From tick `at` on, the volume is attached to `instanceId` (null: not attached), oldest first. */
  att: { at: number; instanceId: string | null }[];
  /** First tick after the volume was created (its burst bucket is full then). */
  created: number;
  /** When the volume was deleted (informative). */
  deleted: number | null;
  /** Whether its metric records exist (made on the first attachment). */
  made: boolean;
}

/** The AWS/EBS metrics, by index (the values `ebsMinute` writes). */
export const EBS_METRICS = [
  { name: 'VolumeReadBytes', unit: 'Bytes' },
  { name: 'VolumeWriteBytes', unit: 'Bytes' },
  { name: 'VolumeReadOps', unit: 'Count' },
  { name: 'VolumeWriteOps', unit: 'Count' },
  { name: 'VolumeTotalReadTime', unit: 'Seconds' },
  { name: 'VolumeTotalWriteTime', unit: 'Seconds' },
  { name: 'VolumeIdleTime', unit: 'Seconds' },
  { name: 'VolumeQueueLength', unit: 'Count' },
  { name: 'VolumeThroughputPercentage', unit: 'Percent' },
  { name: 'VolumeConsumedReadWriteOps', unit: 'Count' },
  { name: 'BurstBalance', unit: 'Percent' },
] as const;
const NM = EBS_METRICS.length;

/** How a volume type performs (units: IOPS, or MiB/s for st1/sc1). */
export interface EbsModel {
  hdd: boolean;
  /** Baseline rate; with a bucket, the credits earned per second. */
  base: number;
  /** Highest rate (burst, or provisioned). */
  peak: number;
  /** Burst bucket capacity in unit-seconds (0: no bucket, no BurstBalance). */
  bucket: number;
  /** Workload scale (units at CPU 0 ≈ 0.1 × scale, at 100 % ≈ 2 × scale) — set per volume. */
  scale: number;
  /** Latency of one I/O at rest, ms. */
  lat: number;
  provisioned: boolean;
}

const SCALE_N = 0x7fff_ffe1;

/** The performance model of a volume (EBS user guide, volume types). */
export function volumeModel(v: Pick<EbsSeries, 'key' | 'type' | 'size' | 'iops'>): EbsModel {
  const h = hashNoise(v.key, SCALE_N);
  const tib = v.size / 1024;
  const ssd = (base: number, peak: number, bucket: number, lat: number, provisioned = false): EbsModel =>
    ({ hdd: false, base, peak, bucket, scale: 80 + 80 * h, lat, provisioned });
  const hdd = (base: number, peak: number, lat: number, scale: number): EbsModel =>
    ({ hdd: true, base, peak, bucket: v.size * 1024, scale: scale * (1 + 3 * h), lat, provisioned: false });
  switch (v.type) {
    case 'gp2': {
      const base = Math.min(16_000, Math.max(100, 3 * v.size));
      return base >= 3000 ? ssd(base, base, 0, 0.6) : ssd(base, 3000, 5_400_000, 0.6);
    }
    case 'io1': return ssd(v.iops ?? 100, v.iops ?? 100, 0, 0.4, true);
    case 'io2': return ssd(v.iops ?? 100, v.iops ?? 100, 0, 0.3, true);
    case 'st1': return hdd(Math.min(500, 40 * tib), Math.min(500, 250 * tib), 4, 2);
    case 'sc1': return hdd(Math.min(192, 12 * tib), Math.min(250, 80 * tib), 8, 0.5);
    case 'standard': return ssd(200, 200, 0, 10);
    default: return ssd(v.iops ?? 3000, v.iops ?? 3000, 0, 0.6); // gp3
  }
}

/** The metric indexes a volume publishes: the common eight, io1/io2's two, and BurstBalance where a bucket exists. */
export function ebsMetricsFor(v: Pick<EbsSeries, 'key' | 'type' | 'size' | 'iops'>): number[] {
  const list = [0, 1, 2, 3, 4, 5, 6, 7];
  if (v.type === 'io1' || v.type === 'io2') list.push(8, 9);
  if ((v.type === 'gp2' || v.type === 'st1' || v.type === 'sc1') && volumeModel(v).bucket > 0) list.push(10);
  return list;
}

/** Stable noise key of a volume for an engine seed. */
export const volumeKey = (seed: number, volumeId: string): number => fnv1a(volumeId, (seed >>> 0) ^ 0x2545f491);

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * One minute of I/O of a volume whose instance runs at `cpu` percent, with `bal` burst credits
 * before it: writes the EBS_METRICS values into `out` and returns the credits after. Pure.
 */
export function ebsMinute(m: EbsModel, key: number, minute: number, cpu: number, bal: number, out: Float64Array): number {
  const n1 = hashNoise(key ^ 0x1b873593, minute), n2 = hashNoise(key ^ 0x2f5b3c1d, minute), n3 = hashNoise(key ^ 0x4c6e7a09, minute);
  const n4 = hashNoise(key ^ 0x5d1f2e3b, minute), n5 = hashNoise(key ^ 0x6a09e667, minute);
  const c = cpu / 100;
  const demand = m.scale * (0.1 + 1.9 * c * c) * (0.8 + 0.4 * n1);
  const limit = m.bucket > 0 ? Math.min(m.peak, m.base + bal / 60) : m.peak;
  const done = demand < limit ? demand : limit;
  if (m.bucket > 0) bal = Math.min(m.bucket, bal + (m.base - done) * 60);
  const share = 0.3 + 0.4 * n2; // reads
  const rKiB = m.hdd ? 512 + 512 * n3 : 4 + 28 * n3, wKiB = m.hdd ? 256 + 768 * n4 : 4 + 60 * n4;
  let readOps: number, writeOps: number, readBytes: number, writeBytes: number;
  if (m.hdd) {
    const kib = done * 60 * (MIB / 1024);
    readBytes = Math.round(kib * share) * 1024;
    writeBytes = Math.round(kib * (1 - share)) * 1024;
    readOps = Math.round(readBytes / 1024 / rKiB);
    writeOps = Math.round(writeBytes / 1024 / wKiB);
  } else {
    const ops = Math.round(done * 60);
    readOps = Math.round(ops * share);
    writeOps = ops - readOps;
    readBytes = Math.round(readOps * rKiB) * 1024;
    writeBytes = Math.round(writeOps * wKiB) * 1024;
  }
  // latency grows with utilisation, and with the queue when the volume is throttled
  const lat = m.lat * (1 + 2 * (done / m.peak) + 0.3 * n5) * (demand > done ? demand / done : 1);
  const readTime = r3(readOps * lat / 1000), writeTime = r3(writeOps * lat * 1.25 / 1000);
  const queue = Math.round((readTime + writeTime) / 60 * 10_000) / 10_000; // Little's law: I/Os in flight on average
  out[0] = readBytes; out[1] = writeBytes; out[2] = readOps; out[3] = writeOps;
  out[4] = readTime; out[5] = writeTime;
  out[6] = r3(60 / (1 + queue)); // seconds with nothing in flight
  out[7] = queue;
  // provisioned volumes deliver their performance 99.9 % of the time: a rare degraded minute
  const n6 = hashNoise(key ^ 0x7f4a7c15, minute);
  out[8] = n6 < 0.001 ? Math.round((90 + 10 * n5) * 100) / 100 : 100;
  out[9] = readOps * Math.ceil(rKiB / 256) + writeOps * Math.ceil(wKiB / 256); // 256 KiB units
  out[10] = m.bucket > 0 ? Math.round(bal / m.bucket * 10_000) / 100 : 0;
  return bal;
}

/** The minute's burst credits when nothing runs on the volume: the bucket refills at the baseline. */
const idleMinute = (m: EbsModel, bal: number): number => (m.bucket > 0 ? Math.min(m.bucket, bal + m.base * 60) : 0);

// ---------------------------------------------------------------- the instance side

/** Whether the instance's series says running at `tick` (its flags' bit 1). */
function runningAt(s: Ec2Series, tick: number): boolean {
  const seg = s.seg;
  let lo = 0, hi = seg.length / 2; // first pair with at > tick
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (seg[2 * mid]! <= tick) lo = mid + 1; else hi = mid; }
  return lo > 0 && (seg[2 * lo - 1]! & 1) === 1;
}

// ---------------------------------------------------------------- runtime caches (never state)

/** A day of one volume: the minutes [0, to) computed, `bal` the credits after minute to − 1. */
interface EbsDay { to: number; bal: number; has: Uint8Array; val: Float64Array }
const dayCache = new WeakMap<EbsSeries, Map<number, EbsDay>>();
/** End-of-day burst credits of complete days (small: one number per day). */
const endCache = new WeakMap<EbsSeries, Map<number, number>>();
const models = new WeakMap<EbsSeries, EbsModel>();
const DAYS_PER_VOLUME = 40;
const OUT = new Float64Array(NM);

const modelOf = (v: EbsSeries): EbsModel => {
  let m = models.get(v);
  if (!m) models.set(v, (m = volumeModel(v)));
  return m;
};

/** Credits at the start of `day` (walking forward from the last day whose end is known). */
function startBalance(state: CloudWatchState, v: EbsSeries, m: EbsModel, day: number): number {
  if (m.bucket === 0) return 0;
  const first = Math.floor((v.created - MIN) / DAY) * DAY;
  if (day <= first) return m.bucket;
  const ends = endCache.get(v);
  const known = ends?.get(day - DAY);
  if (known !== undefined) return known;
  let d = day - DAY;
  while (d > first && ends?.get(d - DAY) === undefined) d -= DAY;
  for (; d < day; d += DAY) dayOf(state, v, m, d); // each complete day records its end
  return endCache.get(v)!.get(day - DAY)!;
}

/** The day's minutes, computed as far as they are final (published by ticks up to lastTick). */
function dayOf(state: CloudWatchState, v: EbsSeries, m: EbsModel, day: number): EbsDay {
  let days = dayCache.get(v);
  if (!days) dayCache.set(v, (days = new Map()));
  const limit = Math.max(0, Math.min(1440, Math.floor((state.lastTick - day) / MIN)));
  let d = days.get(day);
  if (d && d.to >= limit) return d;
  if (limit === 0) return { to: 0, bal: 0, has: new Uint8Array(1440), val: new Float64Array(0) }; // nothing published yet
  if (!d) {
    const bal = startBalance(state, v, m, day);
    d = { to: 0, bal, has: new Uint8Array(1440), val: new Float64Array(1440 * NM) };
    if (days.size >= DAYS_PER_VOLUME) days.delete(days.keys().next().value!);
    days.set(day, d);
  }
  fill(state, v, m, d, day, limit);
  if (d.to === 1440) {
    let ends = endCache.get(v);
    if (!ends) endCache.set(v, (ends = new Map()));
    ends.set(day, d.bal);
  }
  return d;
}

/** Computes minutes [d.to, to) of the day, carrying the burst credits along. */
function fill(state: CloudWatchState, v: EbsSeries, m: EbsModel, d: EbsDay, day: number, to: number): void {
  const att = v.att;
  let j = -1;
  let bal = d.bal;
  for (let i = d.to; i < to; i++) {
    const t = day + i * MIN, tick = t + MIN;
    while (j + 1 < att.length && att[j + 1]!.at <= tick) j++;
    const inst = j >= 0 ? att[j]!.instanceId : null;
    const s = inst !== null ? state.series?.[inst] : undefined;
    if (!s || !runningAt(s, tick)) {
      d.has[i] = 0;
      bal = idleMinute(m, bal);
      continue;
    }
    bal = ebsMinute(m, v.key, t / MIN, cpuAt(signalAt(s, tick), s.key, t), bal, OUT);
    d.has[i] = 1;
    for (let k = 0; k < NM; k++) d.val[k * 1440 + i] = OUT[k]!;
  }
  d.bal = bal;
  d.to = Math.max(d.to, to);
}

// ---------------------------------------------------------------- reading

/**
 * Adds an AWS/EBS stream's datapoints with bucket stamps in [start, end) to `out` (periods of
 * `pms` from `start`). Minutes older than the tiers' cuts are stamped as the store's roll-up would
 * (5-minute, then 1-hour buckets; nothing beyond 455 days), so queries see what a stored series gives.
 */
export function aggregateEbs(state: CloudWatchState, stream: Stream, out: PeriodAggs, start: number, pms: number, end: number, wantRaw: boolean): void {
  const ref = stream.ebs!;
  const v = state.ebs?.[ref.volumeId];
  if (!v || v.att.length === 0) return;
  const r = state.nextRollup - HOUR; // the last roll-up
  const cut60 = Math.floor((r - RETENTION_MS[60]) / chunkSpanMs(60)) * chunkSpanMs(60);
  const cut300 = Math.floor((r - RETENTION_MS[300]) / chunkSpanMs(300)) * chunkSpanMs(300);
  const cut3600 = Math.floor((r - RETENTION_MS[3600]) / chunkSpanMs(3600)) * chunkSpanMs(3600);
  // minutes that can hold data: from the first attachment, up to the last tick; a bucket stamped
  // before `end` may hold minutes up to an hour later
  const lo = Math.max(Math.floor(start / HOUR) * HOUR, cut3600, v.att[0]!.at - MIN);
  const hi = Math.min(state.lastTick, end + HOUR);
  if (lo >= hi) return;
  const m = modelOf(v);
  const base = ref.metric * 1440;
  for (let day = Math.floor(lo / DAY) * DAY; day < hi; day += DAY) {
    const d = dayOf(state, v, m, day);
    const i1 = Math.min(d.to, Math.ceil((hi - day) / MIN));
    for (let i = Math.max(0, (lo - day) / MIN); i < i1; i++) {
      if (d.has[i] === 0) continue;
      const t = day + i * MIN;
      const bt = t >= cut60 ? t : t >= cut300 ? Math.floor(t / FIVE) * FIVE : Math.floor(t / HOUR) * HOUR;
      if (bt < start || bt >= end) continue;
      const k = Math.floor((bt - start) / pms);
      const x = d.val[base + i]!;
      out.s[k] = out.s[k]! + x;
      out.n[k] = out.n[k]! + 1;
      if (x < out.lo[k]!) out.lo[k] = x;
      if (x > out.hi[k]!) out.hi[k] = x;
      if (wantRaw && out.raw) out.raw[k]?.push(x, 1);
    }
  }
}

/** When an AWS/EBS metric last received a datapoint, and that datapoint's stamp (ListMetrics). */
export function ebsActivity(state: CloudWatchState, stream: Stream): { lastPut: number; lastData: number } {
  const v = state.ebs?.[stream.ebs!.volumeId];
  const none = { lastPut: -Infinity, lastData: -Infinity };
  if (!v) return none;
  const lastTick = state.lastTick;
  for (let j = v.att.length - 1; j >= 0; j--) {
    const { at, instanceId } = v.att[j]!;
    const s = instanceId !== null ? state.series?.[instanceId] : undefined;
    if (!s || at > lastTick) continue;
    const until = Math.min((v.att[j + 1]?.at ?? Infinity) - MIN, lastTick); // the segment's last tick
    // the newest running stretch of the instance that overlaps [at, until]
    for (let k = s.seg.length - 2; k >= 0; k -= 2) {
      if (!(s.seg[k + 1]! & 1)) continue;
      const from = Math.max(s.seg[k]!, at), to = Math.min((s.seg[k + 2] ?? Infinity) - MIN, until);
      if (from <= to) {
        const tick = Math.floor(to / MIN) * MIN;
        return { lastPut: tick, lastData: tick - MIN };
      }
    }
  }
  return none;
}
