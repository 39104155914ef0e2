/**
 * CloudWatch figures (issue #4): (a) 30 simulated days of a 50-instance detailed-monitoring
 * account with 20 CPU alarms; (b) a minimal hand-written loop doing the same datapoint generation
 * (CPUUtilization, NetworkIn, NetworkOut, StatusCheckFailed per instance per minute into plain
 * arrays) and the same per-minute alarm comparisons; (c) GetMetricData over 30 days for 50 series
 * at 300 s (in calls of 10 series: AWS caps a call at 100,800 datapoints) vs a typed-array scan.
 */
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { hashNoise } from '../../src/engine/kernel/rng.ts';

const DAYS = 30;
const INSTANCES = 50;
const ALARMS = 20;
const MIN = 60_000;

function setup(): { e: Engine; ids: string[] } {
  const e = createEngine({ seed: 2026, startTime: '2026-03-01T00:00:00Z' });
  const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', {
    ImageId: 'ami-0bench', MinCount: INSTANCES, MaxCount: INSTANCES, InstanceType: 'm5.large', Monitoring: { Enabled: true },
  });
  if (!r.ok) throw new Error(r.error.message);
  const ids = r.output.Instances.map((i) => i.InstanceId);
  for (let k = 0; k < ALARMS; k++) {
    const a = e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: `cpu-high-${k}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: ids[k]! }],
      Statistic: 'Average', Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 30, ComparisonOperator: 'GreaterThanThreshold',
    });
    if (!a.ok) throw new Error(a.error.message);
  }
  return { e, ids };
}

function engineRun(): { ms: number; e: Engine; ids: string[] } {
  const { e, ids } = setup();
  const t0 = performance.now();
  e.advanceSync(DAYS * 86_400_000);
  return { ms: performance.now() - t0, e, ids };
}

/** The same work by hand: 4 series per instance, 1 sample per minute, 20 alarms (5-min average, 2 of 3). */
function rawLoop(): number {
  const per = Array.from({ length: INSTANCES }, (_, i) => ({
    key: (i * 2654435761) >>> 0, base: 5 + (i % 35),
    t: [[], [], [], []] as number[][], v: [[], [], [], []] as number[][],
  }));
  const start = Date.UTC(2026, 2, 1);
  const states = new Array<number>(ALARMS).fill(0);
  const t0 = performance.now();
  for (let m = 1; m <= DAYS * 1440; m++) {
    const t = start + (m - 1) * MIN;
    const wave = Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000);
    for (const s of per) {
      const cpu = Math.min(100, Math.max(0, s.base + 8 * wave + 4 * (2 * hashNoise(s.key, m) - 1)));
      const netIn = Math.round((150_000 + cpu * 40_000) * (0.75 + 0.5 * hashNoise(s.key ^ 0x5a5a5a5a, m)));
      const netOut = Math.round(netIn * (0.4 + 0.4 * hashNoise(s.key ^ 0x3c3c3c3c, m)));
      const vals = [cpu, netIn, netOut, 0];
      for (let k = 0; k < 4; k++) { s.t[k]!.push(t); s.v[k]!.push(vals[k]!); }
    }
    for (let a = 0; a < ALARMS; a++) {
      const v = per[a]!.v[0]!;
      let breaching = 0;
      for (let w = 0; w < 3; w++) {
        let sum = 0, n = 0;
        for (let j = v.length - 5 * (w + 1); j < v.length - 5 * w; j++) if (j >= 0) { sum += v[j]!; n++; }
        if (n > 0 && sum / n > 30) breaching++;
      }
      states[a] = breaching >= 2 ? 1 : 0;
    }
  }
  return performance.now() - t0;
}

function gmdRun(e: Engine, ids: string[]): number {
  const end = e.nowMs();
  const t0 = performance.now();
  for (let g = 0; g < INSTANCES; g += 10) {
    const r = e.callSync('cloudwatch', 'GetMetricData', {
      StartTime: end - DAYS * 86_400_000, EndTime: end,
      MetricDataQueries: ids.slice(g, g + 10).map((id, i) => ({
        Id: `m${i}`, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 300, Stat: 'Average' },
      })),
    });
    if (!r.ok) throw new Error(r.error.message);
  }
  return performance.now() - t0;
}

function rawScan(): number {
  const n = DAYS * 1440;
  const series = Array.from({ length: INSTANCES }, (_, s) => Float64Array.from({ length: n }, (_, i) => hashNoise(s, i) * 100));
  const t0 = performance.now();
  let check = 0;
  for (const v of series) {
    const out = new Float64Array(n / 5);
    for (let p = 0; p < n / 5; p++) {
      let sum = 0;
      for (let j = p * 5; j < p * 5 + 5; j++) sum += v[j]!;
      out[p] = sum / 5;
    }
    check += out[0]!;
  }
  if (check < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCloudwatch(): Promise<Record<string, number | string>> {
  const first = engineRun(); // warm-up, also used for the query figures
  rawLoop();
  const eng = median([engineRun().ms, engineRun().ms, first.ms]);
  const raw = median([rawLoop(), rawLoop(), rawLoop()]);
  gmdRun(first.e, first.ids); rawScan();
  const gmd = median([gmdRun(first.e, first.ids), gmdRun(first.e, first.ids), gmdRun(first.e, first.ids)]);
  const scan = median([rawScan(), rawScan(), rawScan()]);
  return {
    'cloudwatch: advance 30 days, 50 detailed instances, 20 alarms (wall ms)': Math.round(eng),
    'cloudwatch: hand-written loop, same datapoints and alarm checks (wall ms)': Math.round(raw),
    'cloudwatch: advance / raw loop ratio (target ≤ 3)': +(eng / raw).toFixed(2),
    'cloudwatch: datapoints per run': DAYS * 1440 * INSTANCES * 4,
    'cloudwatch: GetMetricData 30 days × 50 series @300 s, 5 calls (wall ms)': +gmd.toFixed(1),
    'cloudwatch: raw typed-array scan of the same (wall ms)': +scan.toFixed(1),
    'cloudwatch: GetMetricData / raw scan ratio (target ≤ 3)': +(gmd / scan).toFixed(2),
  };
}
