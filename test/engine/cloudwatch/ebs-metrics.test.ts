/**
 * AWS/EBS metrics (spec §2.6): computed on read while a volume is attached to a running instance,
 * following the instance's CPU; the spec's metrics for the volume's type only; gp2's burst bucket;
 * the classic `Sum / PERIOD / 1024` expression (§2.5); alarms; determinism and snapshots.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine } from '../../../src/engine/index.ts';
import type { CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';
import { ebsMinute, volumeModel } from '../../../src/engine/services/cloudwatch/cloudwatch.ebs-metrics.ts';
import { metricCatalogue, seriesGraph } from '../../../src/app/console-views.ts';

const MIN = 60_000, HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

function ok<T>(r: { ok: true; output: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}

/** An engine with one running instance whose root volume has the given type/size; returns ids. */
function setup(seed = 7, root: Record<string, unknown> = { VolumeSize: 8, VolumeType: 'gp2' }) {
  const e = createEngine({ seed, startTime: iso(T0) });
  const inst = ok(e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', {
    ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: root }],
  })).Instances[0]!.InstanceId;
  const vol = ok(e.callSync<{ Volumes: { VolumeId: string }[] }>('ec2', 'DescribeVolumes', {})).Volumes[0]!.VolumeId;
  return { e, inst, vol };
}

const dims = (vol: string) => [{ Name: 'VolumeId', Value: vol }];

/** One statistic per period over [from, to) (datapoints only where there is data). */
function stat(e: Engine, vol: string, metric: string, from: number, to: number, period: number, s = 'Sum'): { t: number; v: number }[] {
  const r = ok(e.callSync<{ Datapoints: Record<string, unknown>[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/EBS', MetricName: metric, Dimensions: dims(vol), StartTime: iso(from), EndTime: iso(to), Period: period, Statistics: [s],
  }));
  return r.Datapoints.map((d) => ({ t: Date.parse(d.Timestamp as string), v: d[s] as number }));
}

const listed = (e: Engine, vol?: string) => ok(e.callSync<{ Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[] }>(
  'cloudwatch', 'ListMetrics', { Namespace: 'AWS/EBS', ...(vol ? { Dimensions: [{ Name: 'VolumeId', Value: vol }] } : {}) })).Metrics;

describe('which AWS/EBS metrics exist', () => {
  it('ListMetrics lists a gp2 volume\'s metrics by VolumeId once it has data, with BurstBalance', () => {
    const { e, vol } = setup();
    expect(listed(e)).toEqual([]); // attached, but the instance is not running yet
    e.advanceSync(3 * MIN);
    const names = listed(e, vol).map((m) => m.MetricName);
    expect(names).toEqual([
      'VolumeReadBytes', 'VolumeWriteBytes', 'VolumeReadOps', 'VolumeWriteOps', 'VolumeTotalReadTime', 'VolumeTotalWriteTime',
      'VolumeIdleTime', 'VolumeQueueLength', 'BurstBalance',
    ]);
    expect(listed(e, vol).every((m) => m.Dimensions.length === 1 && m.Dimensions[0]!.Value === vol)).toBe(true);
  });

  it.each([
    ['gp3', { VolumeSize: 8, VolumeType: 'gp3' }, []],
    ['io1', { VolumeSize: 20, VolumeType: 'io1', Iops: 400 }, ['VolumeThroughputPercentage', 'VolumeConsumedReadWriteOps']],
    ['gp2 of 1 TiB (baseline above burst)', { VolumeSize: 1024, VolumeType: 'gp2' }, []],
    ['st1', { VolumeSize: 500, VolumeType: 'st1' }, ['BurstBalance']],
  ])('%s: only the spec\'s metrics for its type', (_name, root, extra) => {
    const { e, vol } = setup(7, root);
    e.advanceSync(3 * MIN);
    const names = listed(e, vol).map((m) => m.MetricName);
    expect(names.slice(0, 8)).toEqual(['VolumeReadBytes', 'VolumeWriteBytes', 'VolumeReadOps', 'VolumeWriteOps', 'VolumeTotalReadTime', 'VolumeTotalWriteTime', 'VolumeIdleTime', 'VolumeQueueLength']);
    expect(names.slice(8)).toEqual(extra);
  });

  it('a volume that was never attached has no metrics', () => {
    const { e } = setup();
    const v = ok(e.callSync<{ VolumeId: string }>('ec2', 'CreateVolume', { AvailabilityZone: 'us-east-1a', Size: 50 })).VolumeId;
    e.advanceSync(HOUR);
    expect(listed(e, v)).toEqual([]);
    expect(listed(e).length).toBe(9);
  });

  it('the console\'s metric explorer offers AWS/EBS and graphs it', () => {
    const { e, vol } = setup();
    e.advanceSync(HOUR);
    const cat = metricCatalogue(e).filter((m) => m.namespace === 'AWS/EBS');
    expect(cat.map((m) => m.metricName)).toContain('BurstBalance');
    const g = seriesGraph(e, { namespace: 'AWS/EBS', metricName: 'BurstBalance', dimensions: dims(vol), stat: 'Average', period: 300 }, HOUR);
    expect(g.unit).toBe('Percent');
    expect(g.lines[0]!.values.length).toBeGreaterThanOrEqual(10);
  });
});

describe('datapoints only while attached to a running instance', () => {
  it('a data volume has 1-minute datapoints from its attachment to its detachment, none around', () => {
    const { e, inst } = setup();
    const v = ok(e.callSync<{ VolumeId: string }>('ec2', 'CreateVolume', { AvailabilityZone: 'us-east-1a', Size: 100, VolumeType: 'gp3' })).VolumeId;
    e.advanceSync(10 * MIN);
    ok(e.callSync('ec2', 'AttachVolume', { VolumeId: v, InstanceId: inst, Device: '/dev/sdf' }));
    let attachedAt = 0;
    const off = e.subscribe((ev) => { if (ev.type === 'ec2/volume-attachment-changed' && (ev.payload as { state: string }).state === 'attached') attachedAt = ev.time; });
    e.advanceSync(30 * MIN);
    off();
    ok(e.callSync('ec2', 'DetachVolume', { VolumeId: v }));
    const detachAt = e.nowMs();
    e.advanceSync(30 * MIN);
    const counts = stat(e, v, 'VolumeWriteOps', T0, e.nowMs(), 60, 'SampleCount');
    const first = Math.floor(attachedAt / MIN) * MIN; // the tick after the attachment publishes this minute
    expect(counts.every((d) => d.v === 1)).toBe(true);
    expect(counts.map((d) => d.t)).toEqual(Array.from({ length: (Math.floor(detachAt / MIN) * MIN - first) / MIN }, (_, i) => first + i * MIN));
    // nothing in the minutes before the attachment or after the detachment
    expect(stat(e, v, 'VolumeReadBytes', detachAt + MIN, e.nowMs(), 60)).toEqual([]);
    expect(stat(e, v, 'VolumeReadBytes', T0, first, 60)).toEqual([]);
  });

  it('stopping the instance stops the datapoints; starting it again resumes them', () => {
    const { e, inst, vol } = setup();
    e.advanceSync(20 * MIN);
    ok(e.callSync('ec2', 'StopInstances', { InstanceIds: [inst] }));
    const stopAt = e.nowMs();
    e.advanceSync(HOUR);
    expect(stat(e, vol, 'VolumeReadOps', stopAt + MIN, e.nowMs(), 60, 'SampleCount')).toEqual([]);
    ok(e.callSync('ec2', 'StartInstances', { InstanceIds: [inst] }));
    e.advanceSync(10 * MIN);
    expect(stat(e, vol, 'VolumeReadOps', e.nowMs() - 5 * MIN, e.nowMs(), 60, 'SampleCount').length).toBe(5);
  });

  it('a terminated instance\'s root volume keeps its past datapoints and gets no new ones', () => {
    const { e, inst, vol } = setup();
    e.advanceSync(30 * MIN);
    ok(e.callSync('ec2', 'TerminateInstances', { InstanceIds: [inst] }));
    e.advanceSync(HOUR);
    const s = stat(e, vol, 'VolumeWriteBytes', T0, e.nowMs(), 60);
    expect(s.length).toBeGreaterThan(25);
    expect(s.at(-1)!.t).toBeLessThan(T0 + 32 * MIN);
    expect(listed(e, vol).length).toBe(9); // still listed: data within two weeks
  });
});

describe('the I/O model', () => {
  it('a busy instance does more I/O; a gp2 volume spends its burst balance under sustained load and earns it back', () => {
    const { e, inst, vol } = setup();
    ok(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: inst, Baseline: 95, Wave: 0, Noise: 3 }));
    e.advanceSync(6 * HOUR);
    ok(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: inst, Baseline: 5, Wave: 0, Noise: 2 }));
    e.advanceSync(6 * HOUR);
    const busy = [T0 + HOUR, T0 + 6 * HOUR] as const, calm = [T0 + 7 * HOUR, T0 + 12 * HOUR] as const;
    const avg = (m: string, [a, b]: readonly [number, number]) => stat(e, vol, m, a, b, 3600, 'Average').reduce((x, d) => x + d.v, 0) / 5;
    expect(avg('VolumeReadOps', busy)).toBeGreaterThan(2 * avg('VolumeReadOps', calm));
    expect(avg('VolumeWriteBytes', busy)).toBeGreaterThan(2 * avg('VolumeWriteBytes', calm));
    expect(avg('VolumeQueueLength', busy)).toBeGreaterThan(avg('VolumeQueueLength', calm));
    expect(avg('VolumeIdleTime', busy)).toBeLessThan(avg('VolumeIdleTime', calm));
    const burst = stat(e, vol, 'BurstBalance', T0, e.nowMs(), 1800, 'Average').map((d) => d.v);
    expect(burst[0]).toBeGreaterThan(95); // the bucket starts full
    expect(burst).toHaveLength(24);
    expect(burst[11]).toBeLessThan(80);
    for (let i = 1; i <= 11; i++) expect(burst[i]!).toBeLessThan(burst[i - 1]!); // falls through the busy 6 hours ...
    for (let i = 13; i < 24; i++) expect(burst[i]!).toBeGreaterThan(burst[i - 1]!); // ... and refills below the baseline
    expect(burst[23]!).toBeGreaterThan(burst[11]! + 10);
  });

  it('ebsMinute: the bucket never goes below empty; an empty gp2 volume is held to its baseline', () => {
    const m = volumeModel({ key: 12345, type: 'gp2', size: 8, iops: null });
    expect([m.base, m.peak, m.bucket]).toEqual([100, 3000, 5_400_000]);
    const out = new Float64Array(11);
    let bal = 0;
    bal = ebsMinute(m, 12345, 1, 100, bal, out);
    expect(bal).toBe(0);
    expect(out[2]! + out[3]!).toBeLessThanOrEqual(100 * 60); // read + write ops within the baseline
    expect(out[10]).toBe(0);
    const st1 = volumeModel({ key: 1, type: 'st1', size: 2048, iops: null });
    expect([st1.base, st1.peak, st1.bucket]).toEqual([80, 500, 2048 * 1024]);
  });

  it('VolumeReadBytes Sum / PERIOD / 1024 through GetMetricData gives KiB/s', () => {
    const { e, vol } = setup();
    e.advanceSync(2 * HOUR);
    const start = T0 + 30 * MIN, end = T0 + 90 * MIN;
    const out = ok(e.callSync<{ MetricDataResults: { Id: string; Timestamps: string[]; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: iso(start), EndTime: iso(end), ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/EBS', MetricName: 'VolumeReadBytes', Dimensions: dims(vol) }, Period: 300, Stat: 'Sum' }, ReturnData: false },
        { Id: 'kib', Expression: 'SUM(METRICS())/PERIOD(m1)/1024', Label: 'read KiB/s' },
      ],
    })).MetricDataResults;
    const kib = out.find((r) => r.Id === 'kib')!;
    const sums = stat(e, vol, 'VolumeReadBytes', start, end, 300);
    expect(kib.Values).toHaveLength(12);
    expect(kib.Timestamps.map((t) => Date.parse(t))).toEqual(sums.map((d) => d.t));
    kib.Values.forEach((v, i) => expect(v).toBeCloseTo(sums[i]!.v / 300 / 1024, 9));
    expect(Math.min(...kib.Values)).toBeGreaterThan(0);
  });

  it('alarms see AWS/EBS metrics: BurstBalance below 90 goes to ALARM', () => {
    const { e, inst, vol } = setup();
    ok(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'burst-low', Namespace: 'AWS/EBS', MetricName: 'BurstBalance', Dimensions: dims(vol), Statistic: 'Average',
      Period: 300, EvaluationPeriods: 1, Threshold: 90, ComparisonOperator: 'LessThanThreshold',
    }));
    ok(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: inst, Baseline: 95, Wave: 0, Noise: 3 }));
    e.advanceSync(20 * MIN);
    const state = () => ok(e.callSync<{ MetricAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['burst-low'] })).MetricAlarms[0]!.StateValue;
    expect(state()).toBe('OK');
    e.advanceSync(4 * HOUR);
    expect(state()).toBe('ALARM');
  });
});

describe('determinism', () => {
  const run = (seed: number) => {
    const { e, vol } = setup(seed);
    e.advanceSync(3 * HOUR);
    return stat(e, vol, 'VolumeWriteBytes', T0, e.nowMs(), 60).map((d) => d.v);
  };

  it('same seed → same values; another seed → other values', () => {
    const a = run(21), b = run(21), c = run(22);
    expect(a.length).toBeGreaterThan(150);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('a restored snapshot reads the same values (the caches are not state), also read in another order', () => {
    const { e, vol } = setup(9);
    e.advanceSync(2 * 86_400_000);
    const straight = stat(e, vol, 'BurstBalance', T0 + 86_400_000, e.nowMs(), 300, 'Minimum');
    const r = restoreEngine(JSON.parse(JSON.stringify(e.snapshot())));
    expect(r.stateHash()).toBe(e.stateHash());
    // the restored engine reads the second day first (cold cache: it walks from the volume's creation)
    expect(stat(r, vol, 'BurstBalance', T0 + 86_400_000, r.nowMs(), 300, 'Minimum')).toEqual(straight);
    expect(stat(r, vol, 'VolumeReadOps', T0, r.nowMs(), 3600)).toEqual(stat(e, vol, 'VolumeReadOps', T0, e.nowMs(), 3600));
  });

  it('nothing is computed or stored per minute: the state keeps only the attachment record', () => {
    const { e, vol } = setup();
    e.advanceSync(86_400_000);
    const cw = e.read<CloudWatchState>('cloudwatch');
    expect(cw.ebs![vol]!.att).toHaveLength(1);
    const stored = Object.values(cw.metrics).filter((m) => m.namespace === 'AWS/EBS').flatMap((m) => m.streams);
    expect(stored.every((s) => s.ebs && Object.keys(s.tiers).length === 0)).toBe(true);
  });
});
