/**
 * CloudWatch state: metrics stored compactly (parallel number arrays in chunks per resolution
 * tier), alarms, and the EC2 instances whose metrics the service publishes. Plain JSON data.
 */
import type { AlarmsState } from './alarms.model.ts';
import type { EbsSeries } from './cloudwatch.ebs-metrics.ts';

export interface Dimension { Name: string; Value: string }

/**
 * One chunk of one resolution tier: buckets of `width` seconds, sorted by start time `t` (epoch ms).
 * `s` is the Sum; `n`, `lo`, `hi` (SampleCount, Minimum, Maximum) are absent while every bucket
 * holds a single sample (n = 1, lo = hi = s), which keeps 1-minute AWS metrics at two numbers per
 * datapoint. `v` (created on first need) holds, for buckets whose samples differ, the raw values
 * as flattened `[value, count, ...]` pairs, or null: a bucket with `lo == hi` has trivially known
 * raw values; `lo < hi` with null `v` is a statistic set whose raw values are unknown (no
 * percentiles, spec §2.3).
 */
export interface Chunk {
  start: number;
  t: number[];
  s: number[];
  n?: number[];
  lo?: number[];
  hi?: number[];
  v?: (number[] | null)[];
}

/** Resolution tiers, in seconds, with their retention (spec §2.2). */
export const TIERS = [1, 60, 300, 3600] as const;
export type TierWidth = (typeof TIERS)[number];
export const RETENTION_MS: Record<TierWidth, number> = {
  1: 3 * 3600_000,
  60: 15 * 86_400_000,
  300: 63 * 86_400_000,
  3600: 455 * 86_400_000,
};
/** A chunk spans 1,440 buckets of its tier (a day of 1-minute data). */
export const chunkSpanMs = (width: TierWidth): number => width * 1000 * 1440;

/** One unit's data of one metric: a list of chunks per tier, oldest first. */
export interface Stream {
  unit: string;
  tiers: Partial<Record<`${TierWidth}`, Chunk[]>>;
  /**
   * Set on the AWS/EC2 metrics that come from seeded signals: their datapoints are computed on
   * read from the instance's `Ec2Series` (cloudwatch.virtual.ts), never stored; `tiers` stays
   * empty (snapshots made before kept an informative chunk index there, which nothing reads).
   */
  virtual?: VirtualSource;
  /** Set on AWS/EBS metrics: computed on read from the volume's `EbsSeries` (cloudwatch.ebs-metrics.ts), never stored. */
  ebs?: { volumeId: string; metric: number };
}

/**
 * What a virtual stream is computed from: one instance's series (`instanceId`), or, with `agg`,
 * the detailed-monitoring minutes of every member of an AWS/EC2 aggregate (`Ec2Aggregates`;
 * `instanceId` is then empty). `metric` says how the values are computed (EC2_METRICS index).
 */
export interface VirtualSource { instanceId: string; metric: Ec2MetricIndex; agg?: string }

/**
 * How AWS/EC2 metrics are computed from signals, by index: 3 is 0 in every published minute (also
 * StatusCheckFailed_Instance and _System) and 1-minute in both monitoring tiers; 4 and 5 are
 * 5-minute statistic sets in both tiers (spec §2.6: "basic monitoring only").
 */
export const EC2_METRICS = [
  { name: 'CPUUtilization', unit: 'Percent' },
  { name: 'NetworkIn', unit: 'Bytes' },
  { name: 'NetworkOut', unit: 'Bytes' },
  { name: 'StatusCheckFailed', unit: 'Count' },
  { name: 'NetworkPacketsIn', unit: 'Count' },
  { name: 'NetworkPacketsOut', unit: 'Count' },
] as const;
export type Ec2MetricIndex = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * The AWS/EC2 metrics published per instance (and per aggregate), in ListMetrics order within
 * their group, with the EC2_METRICS index that computes them. Groups (`Ec2Series.made` bits):
 * 1 = with the instance's first CPU datapoint, 2 = every minute from the first running minute,
 * 4 = with the first 5-minute set.
 */
export const EC2_PUBLISHED: readonly { name: string; unit: string; metric: Ec2MetricIndex; group: 1 | 2 | 4 }[] = [
  { name: 'CPUUtilization', unit: 'Percent', metric: 0, group: 1 },
  { name: 'NetworkIn', unit: 'Bytes', metric: 1, group: 1 },
  { name: 'NetworkOut', unit: 'Bytes', metric: 2, group: 1 },
  { name: 'StatusCheckFailed', unit: 'Count', metric: 3, group: 2 },
  { name: 'StatusCheckFailed_Instance', unit: 'Count', metric: 3, group: 2 },
  { name: 'StatusCheckFailed_System', unit: 'Count', metric: 3, group: 2 },
  { name: 'NetworkPacketsIn', unit: 'Count', metric: 4, group: 4 },
  { name: 'NetworkPacketsOut', unit: 'Count', metric: 5, group: 4 },
];

/**
 * AWS/EC2 aggregates over detailed-monitoring instances (spec §2.1, §2.6), keyed `InstanceType=…`,
 * `ImageId=…` or `` (all instances): the instances that ever had detailed monitoring, in the order
 * they joined. Instance type and image never change, so membership is for life; which minutes a
 * member contributes is read from its series (detailed minutes only).
 */
export type Ec2Aggregates = Record<string, string[]>;

/**
 * What determines an instance's AWS/EC2 metrics (kept after termination, as its data is).
 * Times are *tick* times: the per-minute tick at T publishes the minute [T − 1 min, T) using the
 * state, monitoring mode and signal in force at T.
 */
export interface Ec2Series {
  /** Stable noise key (`instanceKey`). */
  key: number;
  /** Flattened `[tick, flags, …]`: from that tick on, flags 1 = running, 2 = detailed monitoring. */
  seg: number[];
  /** Signals set by `SimSetSignal`, each in force from its tick on (before the first: the default). */
  sig: { at: number; signal: Signal }[];
  /** When the instance was terminated (its last basic-monitoring samples were published then). */
  gone: number | null;
  /**
   * Metric groups created so far (EC2_PUBLISHED `group` bits 1, 2, 4); 8 = group 2 includes
   * StatusCheckFailed_Instance/_System (saves from before them have 2 without 8); 16 = the instance
   * joined its AWS/EC2 aggregates (cloudwatch.ec2-aggregates.ts).
   */
  made: number;
}

export interface Metric {
  namespace: string;
  metricName: string;
  /** Sorted by Name. */
  dimensions: Dimension[];
  /** Epoch ms of the newest datapoint's timestamp (ListMetrics shows 2 weeks). */
  lastData: number;
  /** Epoch ms at which the newest datapoint arrived. */
  lastPut: number;
  streams: Stream[];
}

/** A per-instance CPU signal (scenario hook, set by `SimSetSignal`). */
export interface Signal {
  /** Percent around which CPU moves. */
  baseline: number;
  /** Daily wave amplitude in percent points. */
  wave: number;
  /** Noise amplitude in percent points (±). */
  noise: number;
  /** Periods where CPU is forced or shifted: [from, to) epoch ms. */
  incidents: { from: number; to: number; level?: number; add?: number }[];
}

/** What the service knows about an EC2 instance (from `ec2/instance-state-changed`). */
export interface WatchedInstance {
  instanceId: string;
  instanceType: string;
  imageId: string;
  monitoring: 'disabled' | 'enabled';
  running: boolean;
  /** Stable per-instance noise key. */
  key: number;
  autoScalingGroupName?: string;
  /** Basic monitoring: 1-minute samples of the current 5 minutes wait to be published as one set. */
  pend: boolean;
}

export interface CloudWatchState {
  /** Keyed by `metricKey`. */
  metrics: Record<string, Metric>;
  /** Insertion order of metric keys, for stable listings. */
  metricOrder: string[];
  instances: Record<string, WatchedInstance>;
  instanceOrder: string[];
  signals: Record<string, Signal>;
  /** Per instance id: what its AWS/EC2 metrics are computed from. */
  series: Record<string, Ec2Series>;
  /** Per EBS volume id: what its AWS/EBS metrics are computed from (absent until the first volume). */
  ebs?: Record<string, EbsSeries>;
  /** AWS/EC2 aggregates of detailed-monitoring instances (absent until the first one). */
  aggregates?: Ec2Aggregates;
  /** Epoch ms of the last per-minute tick (EC2 datapoints up to it are published). */
  lastTick: number;
  /** Epoch ms of the next roll-up check (the last one ran an hour before). */
  nextRollup: number;
  alarms: AlarmsState;
}

const SEP = '\u0001';

/** Dimensions sorted by name (identity does not depend on order). */
export const sortDims = (d: readonly Dimension[]): Dimension[] =>
  [...d].map((x) => ({ Name: x.Name, Value: x.Value })).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

/** Identity of a metric: namespace + name + full dimension set (spec §2.1). */
export function metricKey(namespace: string, metricName: string, dims: readonly Dimension[]): string {
  let k = namespace + SEP + metricName;
  for (const d of sortDims(dims)) k += SEP + d.Name + '=' + d.Value;
  return k;
}

export const UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;

export const MINUTE = 60_000;
export const DAY = 86_400_000;
export const TWO_WEEKS = 14 * DAY;
