/**
 * Issue #2's figure: simulated days per wall second of `advance()` for a 50-instance account
 * with 1-minute (detailed monitoring) metrics. AWS/EC2 datapoints are computed on read, so the
 * advance itself does little per datapoint; the datapoints it makes available are counted through
 * the public views (`listableMetrics` + `metricSeries` SampleCount), and reading the raw loop's four
 * metrics back at 60 s is timed too, next to a minimal hand-written loop computing the same four
 * values per instance per minute into plain arrays (reading every AWS/EC2 metric, aggregates
 * included, is printed apart).
 */
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { hashNoise } from '../../src/engine/kernel/rng.ts';
import { listableMetrics, metricSeries, type CloudWatchState } from '../../src/engine/services/cloudwatch/index.ts';

const DAYS = 7;
const INSTANCES = 50;

function engineRun(): { ms: number; readMs: number; readAllMs: number; datapoints: number; all: number; read: number } {
  const e = createEngine({ seed: 2026, startTime: '2026-03-01T00:00:00Z' });
  const r = e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0bench', MinCount: INSTANCES, MaxCount: INSTANCES, InstanceType: 'm5.large', Monitoring: { Enabled: true } });
  if (!r.ok) throw new Error(r.error.message);
  e.advanceSync(60_000);
  const t0 = performance.now();
  for (let d = 0; d < DAYS; d++) e.advanceSync(86_400_000);
  const ms = performance.now() - t0;
  const t1 = performance.now();
  const read = readAll(e, 60, true);
  const readMs = performance.now() - t1;
  const t2 = performance.now();
  readAll(e, 60, false);
  const readAllMs = performance.now() - t2;
  return { ms, readMs, readAllMs, datapoints: countDatapoints(e, true), all: countDatapoints(e, false), read };
}

/** The four per-instance metrics the raw loop computes (the others: status-check variants, packets, aggregates). */
const SAME = new Set(['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed']);
const same = (m: { metricName: string; dimensions: { Name: string }[] }) =>
  SAME.has(m.metricName) && m.dimensions.length === 1 && m.dimensions[0]!.Name === 'InstanceId';

/** Datapoints available through the views: SampleCount per day of the listed AWS/EC2 metrics (`only` the raw loop's four). */
function countDatapoints(e: Engine, only: boolean): number {
  const st = e.read<CloudWatchState>('cloudwatch');
  let n = 0;
  for (const m of listableMetrics(st, e.nowMs())) {
    if (m.namespace !== 'AWS/EC2' || (only && !same(m))) continue;
    const s = metricSeries(st, { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, start: e.startTime, end: e.nowMs(), period: 86_400, stat: 'SampleCount' });
    for (const v of s.values) n += v;
  }
  return n;
}

/** Reads AWS/EC2 datapoints back at `period` seconds (Average; `only` the raw loop's four metrics); returns how many periods had data. */
function readAll(e: Engine, period: number, only: boolean): number {
  const st = e.read<CloudWatchState>('cloudwatch');
  let n = 0;
  for (const m of listableMetrics(st, e.nowMs())) {
    if (m.namespace !== 'AWS/EC2' || (only && !same(m))) continue;
    n += metricSeries(st, { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, start: e.startTime, end: e.nowMs(), period, stat: 'Average' }).values.length;
  }
  return n;
}

/** By hand: CPUUtilization, NetworkIn, NetworkOut and StatusCheckFailed per instance per minute. */
function rawLoop(): { ms: number; datapoints: number } {
  const series: { t: number[]; v: number[][]; base: number; key: number }[] = [];
  for (let i = 0; i < INSTANCES; i++) series.push({ t: [], v: [[], [], [], []], base: 5 + (i % 35), key: (i * 2654435761) >>> 0 });
  const start = Date.UTC(2026, 2, 1, 0, 1);
  const t0 = performance.now();
  const minutes = DAYS * 1440;
  for (let m = 1; m <= minutes; m++) {
    const t = start + m * 60_000;
    const wave = Math.sin((2 * Math.PI * ((m % 1440) / 1440)));
    for (const s of series) {
      const cpu = Math.min(100, Math.max(0, s.base + 10 * wave + 8 * (hashNoise(s.key, m) - 0.5)));
      const netIn = Math.round((150_000 + cpu * 40_000) * (0.75 + 0.5 * hashNoise(s.key ^ 0x5a5a5a5a, m)));
      const netOut = Math.round(netIn * (0.4 + 0.4 * hashNoise(s.key ^ 0x3c3c3c3c, m)));
      s.t.push(t);
      s.v[0]!.push(cpu); s.v[1]!.push(netIn); s.v[2]!.push(netOut); s.v[3]!.push(0);
    }
  }
  const ms = performance.now() - t0;
  return { ms, datapoints: series.reduce((a, s) => a + s.v.reduce((b, x) => b + x.length, 0), 0) };
}

export async function benchEngine(): Promise<Record<string, number | string>> {
  engineRun(); rawLoop(); // warm up
  const runs = [engineRun(), engineRun(), engineRun()].sort((a, b) => a.ms - b.ms);
  const raws = [rawLoop(), rawLoop(), rawLoop()].sort((a, b) => a.ms - b.ms);
  const eng = runs[1]!, raw = raws[1]!;
  const reads = runs.map((r) => r.readMs).sort((a, b) => a - b)[1]!;
  const readsAll = runs.map((r) => r.readAllMs).sort((a, b) => a - b)[1]!;
  return {
    'advance: simulated days per wall second (50 instances, 1-min metrics)': +(DAYS / (eng.ms / 1000)).toFixed(1),
    'advance: wall ms for 7 simulated days': +eng.ms.toFixed(1),
    'advance: datapoints of the raw loop\'s four metrics after 7 days': eng.datapoints,
    'advance + read those back at 60 s (wall ms)': +(eng.ms + reads).toFixed(1),
    'advance: datapoints of every AWS/EC2 metric (8 per instance and the aggregates)': eng.all,
    'read every AWS/EC2 metric back at 60 s (wall ms)': +readsAll.toFixed(1),
    'raw loop: simulated days per wall second': +(DAYS / (raw.ms / 1000)).toFixed(1),
    'raw loop: datapoints': raw.datapoints,
    'ratio engine/raw (advance only, wall time)': +(eng.ms / raw.ms).toFixed(2),
    'ratio engine/raw (advance + reading the same four metrics back)': +((eng.ms + reads) / raw.ms).toFixed(2),
  };
}
