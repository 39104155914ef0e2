/**
 * CloudWatch figures (issue #4):
 * (a) 30 simulated days of a 50-instance detailed-monitoring account with 20 CPU alarms (5-minute
 *     Average, 2 of 3), through `advance`;
 * (b) a hand-written loop doing the same observable work: AWS/EC2 datapoints are computed on read
 *     (virtual series), so over the 30 days the work is the alarms' — each minute, for each alarm,
 *     the new CPU datapoint of its instance (same signal function), the 3 newest five-minute
 *     averages, the threshold comparisons and the 2-of-3 decision, and a history record on each
 *     state change (also printed without those records);
 * (c) GetMetricData over 30 days for 50 series at 300 s (in calls of 10 series: AWS caps a call at
 *     100,800 datapoints), first call after the advance (cold) and repeated (warm), against a raw
 *     typed-array scan of the same minute values: numbers only, and with the ISO timestamps and
 *     value arrays that GetMetricData returns;
 * (d) the size of the engine snapshot (JSON characters) after the 30 days.
 */
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { hashNoise } from '../../src/engine/kernel/rng.ts';
import { defaultSignal, fillCpu, instanceKey } from '../../src/engine/services/cloudwatch/cloudwatch.signals.ts';

const DAYS = 30;
const INSTANCES = 50;
const ALARMS = 20;
const MIN = 60_000;
const SEED = 2026;
const START = Date.UTC(2026, 2, 1);

function setup(): { e: Engine; ids: string[] } {
  const e = createEngine({ seed: SEED, startTime: '2026-03-01T00:00:00Z' });
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

/**
 * The alarms' work by hand: one new datapoint per alarm per minute, the 2-of-3 decision on its
 * 5-minute averages, and on each state change a history record (time, alarm, new state and the
 * deciding averages: the least a simulator must keep to answer DescribeAlarmHistory).
 */
function rawLoop(ids: string[], keepHistory = true): { ms: number; transitions: number } {
  const alarms = ids.slice(0, ALARMS).map((id) => {
    const key = instanceKey(SEED, id);
    return { key, sig: defaultSignal(key), ring: new Float64Array(25), state: -1 };
  });
  const one = new Float64Array(1);
  const avg = new Float64Array(3);
  const history: { t: number; alarm: number; state: number; values: number[] }[] = [];
  let transitions = 0;
  const t0 = performance.now();
  for (let m = 1; m <= DAYS * 1440; m++) {
    const t = START + (m - 1) * MIN;
    for (let k = 0; k < alarms.length; k++) {
      const a = alarms[k]!;
      fillCpu(a.sig, a.key, t, 1, one, 0);
      a.ring[m % 25] = one[0]!;
      if (m < 25) continue;
      let breaching = 0;
      for (let w = 0; w < 3; w++) {
        let sum = 0;
        for (let j = 0; j < 5; j++) sum += a.ring[(m - 5 * w - j + 25) % 25]!;
        avg[w] = sum / 5;
        if (avg[w]! > 30) breaching++;
      }
      const next = breaching >= 2 ? 1 : 0;
      if (next !== a.state) {
        a.state = next;
        transitions++;
        if (keepHistory) history.push({ t, alarm: k, state: next, values: [avg[0]!, avg[1]!, avg[2]!] });
      }
    }
  }
  if (history.length > transitions) throw new Error('unreachable');
  return { ms: performance.now() - t0, transitions };
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

const SERIES = Array.from({ length: INSTANCES }, (_, s) => Float64Array.from({ length: DAYS * 1440 }, (_, i) => hashNoise(s, i) * 100));

/** Raw scan: per series, 5-minute averages into a typed array; with `output`, also GetMetricData's arrays. */
function rawScan(output: boolean): number {
  const n = DAYS * 1440;
  const days = new Map<number, string>();
  const times = new Map<number, string>();
  const iso = (ms: number) => {
    const d = Math.floor(ms / 86_400_000);
    let dt = days.get(d);
    if (dt === undefined) days.set(d, (dt = new Date(d * 86_400_000).toISOString().slice(0, 11)));
    const r = ms - d * 86_400_000;
    let tt = times.get(r);
    if (tt === undefined) times.set(r, (tt = new Date(r).toISOString().slice(11)));
    return dt + tt;
  };
  const t0 = performance.now();
  let check = 0;
  for (const v of SERIES) {
    const out = new Float64Array(n / 5);
    for (let p = 0; p < n / 5; p++) {
      let sum = 0;
      for (let j = p * 5; j < p * 5 + 5; j++) sum += v[j]!;
      out[p] = sum / 5;
    }
    if (output) {
      const stamps = new Array<string>(n / 5), values = new Array<number>(n / 5);
      for (let p = n / 5 - 1, j = 0; p >= 0; p--, j++) { stamps[j] = iso(START + p * 300_000); values[j] = out[p]!; }
      check += stamps.length + values[0]!;
    }
    check += out[0]!;
  }
  if (check < 0) throw new Error('unreachable');
  return performance.now() - t0;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCloudwatch(): Promise<Record<string, number | string>> {
  const first = engineRun(); // warm-up, also used for the query figures
  rawLoop(first.ids);
  const eng = median([engineRun().ms, engineRun().ms, first.ms]);
  const raws = [rawLoop(first.ids), rawLoop(first.ids), rawLoop(first.ids)];
  const raw = median(raws.map((r) => r.ms));
  const bare = median([rawLoop(first.ids, false).ms, rawLoop(first.ids, false).ms, rawLoop(first.ids, false).ms]);
  const cold = gmdRun(first.e, first.ids);
  rawScan(false); rawScan(true);
  const gmd = median([gmdRun(first.e, first.ids), gmdRun(first.e, first.ids), gmdRun(first.e, first.ids)]);
  const scan = median([rawScan(false), rawScan(false), rawScan(false)]);
  const scanOut = median([rawScan(true), rawScan(true), rawScan(true)]);
  const snapshot = JSON.stringify(first.e.snapshot()).length;
  return {
    'cloudwatch: advance 30 days, 50 detailed instances, 20 alarms (wall ms, target ≤ 1000)': Math.round(eng),
    'cloudwatch: hand-written loop, the alarms\' datapoints and checks (wall ms)': +raw.toFixed(1),
    'cloudwatch: advance / raw loop ratio (target ≤ 3)': +(eng / raw).toFixed(2),
    'cloudwatch: the same loop without its history records (wall ms)': +bare.toFixed(1),
    'cloudwatch: advance / raw loop without history ratio': +(eng / bare).toFixed(2),
    'cloudwatch: alarm state changes in the 30 days (raw loop)': raws[0]!.transitions,
    'cloudwatch: alarm datapoints computed per run (raw loop)': DAYS * 1440 * ALARMS,
    'cloudwatch: GetMetricData 30 days × 50 series @300 s, 5 calls, first after advance (wall ms)': +cold.toFixed(1),
    'cloudwatch: GetMetricData, the same repeated (wall ms)': +gmd.toFixed(1),
    'cloudwatch: raw typed-array scan of the same, numbers only (wall ms)': +scan.toFixed(1),
    'cloudwatch: raw scan with GetMetricData\'s timestamp/value arrays (wall ms)': +scanOut.toFixed(1),
    'cloudwatch: GetMetricData / raw scan ratio (target ≤ 3)': +(gmd / scan).toFixed(2),
    'cloudwatch: GetMetricData / raw scan with output ratio': +(gmd / scanOut).toFixed(2),
    'cloudwatch: snapshot after 30 days (JSON characters)': snapshot,
  };
}
