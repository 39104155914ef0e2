/**
 * Golden equivalence for the CloudWatch read paths (issue #4 performance work): the answers of a
 * fixed 20-day scenario were recorded from the materialising implementation into
 * __snapshots__/golden.test.ts.snap; any storage change must reproduce them exactly.
 * Set GOLDEN_DUMP=/some/file.json to write the full answers for a diff.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, createEngine, hashValue, type Engine, type EngineEvent } from '../../../src/engine/index.ts';
import { listableMetrics, metricSeries, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';

const MIN = 60_000;
const HOUR = 3600_000;
const DAY = 86_400_000;

type Answer = { n: number; hash: string; head: string };
const full: Record<string, unknown> = {};

function record(out: Record<string, Answer>, name: string, value: unknown): void {
  full[name] = value;
  const list = Array.isArray(value) ? value : null;
  out[name] = { n: list ? list.length : 1, hash: hashValue(value), head: canonicalJson(value).slice(0, 160) };
}

function call(e: Engine, service: string, action: string, params: Record<string, unknown>): unknown {
  const r = e.callSync(service, action, params);
  return r.ok ? r.output : { error: r.error };
}

const STATS = ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'];
const EXT = ['p50', 'p90', 'p99', 'TM(10%:90%)', 'WM(5%:95%)', 'TC(10%:90%)', 'TS(10%:90%)', 'PR(:50)', 'IQM', 'p0'];

function checkpoint(e: Engine, label: string, ids: Record<string, string>, out: Record<string, Answer>): void {
  const now = e.nowMs();
  const iso = (t: number) => new Date(t).toISOString();
  const ranges: [string, number, number, number][] = [
    ['3h@60', now - 3 * HOUR, now, 60],
    ['3h@300', now - 3 * HOUR - 17_000, now, 300],
    ['1d@300', now - DAY, now, 300],
    ['1d@3600-offset', now - DAY - 7 * MIN, now - 13 * MIN, 3600],
    ['7d@3600', now - 7 * DAY, now, 3600],
    ['all@86400', now - 20 * DAY, now + HOUR, 86_400],
    ['old@300', now - 19 * DAY, now - 16 * DAY, 300],
    ['old@60', now - 19 * DAY, now - 18 * DAY, 60],
    ['old@3600', now - 19 * DAY - 30 * MIN, now - 14 * DAY, 3600],
    ['edge@300', now - 15 * DAY - 2 * HOUR, now - 14 * DAY, 300],
  ];
  for (const [name, id] of Object.entries(ids)) {
    for (const metric of ['CPUUtilization', 'NetworkIn', 'NetworkOut', 'StatusCheckFailed']) {
      for (const [rn, s, en, period] of ranges) {
        const base = { Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: id }], StartTime: iso(s), EndTime: iso(en), Period: period };
        record(out, `${label} gms ${name} ${metric} ${rn}`, call(e, 'cloudwatch', 'GetMetricStatistics', { ...base, Statistics: STATS }));
        if (metric === 'CPUUtilization' || metric === 'NetworkOut')
          record(out, `${label} gms-ext ${name} ${metric} ${rn}`, call(e, 'cloudwatch', 'GetMetricStatistics', { ...base, ExtendedStatistics: EXT }));
      }
    }
    const st = e.read<CloudWatchState>('cloudwatch');
    for (const [stat, period, span] of [['Average', 300, 3 * HOUR], ['SampleCount', 60, 20 * DAY], ['p90', 300, 2 * DAY], ['Maximum', 3600, 20 * DAY]] as const) {
      const start = Math.floor((now - span) / (period * 1000)) * period * 1000;
      record(out, `${label} series ${name} ${stat}@${period}`, metricSeries(st, {
        namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: id }], start, end: now, period, stat,
      }));
    }
  }
  for (const [rn, s, en, period] of [['20d@300', now - 20 * DAY, now, 300], ['2d@60', now - 2 * DAY, now, 60], ['old@3600', now - 25 * DAY, now - 15 * DAY, 3600]] as const) {
    const q = (id: string, key: string, metric: string, stat: string) => ({ Id: key, MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: period, Stat: stat } });
    const queries = [
      q(ids.d1!, 'a', 'CPUUtilization', 'Average'), q(ids.b1!, 'b', 'CPUUtilization', 'Maximum'), q(ids.b2!, 'c', 'CPUUtilization', 'p90'),
      q(ids.d2!, 'd', 'NetworkIn', 'Sum'), { Id: 'e', Expression: 'a + b', Label: 'sum' },
    ];
    record(out, `${label} gmd ${rn}`, call(e, 'cloudwatch', 'GetMetricData', { StartTime: iso(s), EndTime: iso(en), MetricDataQueries: queries }));
    record(out, `${label} gmd-asc ${rn}`, call(e, 'cloudwatch', 'GetMetricData', { StartTime: iso(s), EndTime: iso(en), ScanBy: 'TimestampAscending', MaxDatapoints: 700, MetricDataQueries: queries.slice(0, 3) }));
  }
  const appQ = (metric: string, period: number, stat: string) => ({ Id: `x${period}`, MetricStat: { Metric: { Namespace: 'App', MetricName: metric, Dimensions: [{ Name: 'Host', Value: 'h1' }] }, Period: period, Stat: stat } });
  for (const [stat, period] of [['Average', 60], ['p90', 300], ['Sum', 3600], ['TM(10%:90%)', 300]] as const) {
    record(out, `${label} app gmd ${stat}@${period}`, call(e, 'cloudwatch', 'GetMetricData', { StartTime: iso(now - 20 * DAY), EndTime: iso(now), MetricDataQueries: [appQ('mem_used_percent', period, stat)] }));
  }
  record(out, `${label} app gms latency`, call(e, 'cloudwatch', 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', StartTime: iso(now - 2 * DAY), EndTime: iso(now), Period: 3600, Statistics: STATS }));
  record(out, `${label} app gms hires`, call(e, 'cloudwatch', 'GetMetricStatistics', { Namespace: 'App', MetricName: 'HiRes', StartTime: iso(now - 3 * HOUR), EndTime: iso(now), Period: 10, Statistics: STATS }));
  record(out, `${label} list all`, call(e, 'cloudwatch', 'ListMetrics', {}));
  record(out, `${label} list recent`, call(e, 'cloudwatch', 'ListMetrics', { RecentlyActive: 'PT3H' }));
  record(out, `${label} list ec2`, call(e, 'cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' }));
  record(out, `${label} listable`, listableMetrics(e.read<CloudWatchState>('cloudwatch'), now));
  record(out, `${label} alarms`, call(e, 'cloudwatch', 'DescribeAlarms', {}));
  record(out, `${label} history`, call(e, 'cloudwatch', 'DescribeAlarmHistory', { MaxRecords: 100 }));
  let token: unknown;
  const pages: unknown[] = [];
  do {
    const r = e.callSync<{ AlarmHistoryItems: unknown[]; NextToken?: string }>('cloudwatch', 'DescribeAlarmHistory', { MaxRecords: 100, ...(token ? { NextToken: token } : {}) });
    if (!r.ok) break;
    pages.push(...r.output.AlarmHistoryItems);
    token = r.output.NextToken;
  } while (token);
  record(out, `${label} history all`, pages);
}

function scenario(): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  const e = createEngine({ seed: 424242, startTime: '2026-03-01T00:00:00Z' });
  const events: EngineEvent[] = [];
  e.subscribe((ev) => { if (ev.type.startsWith('cloudwatch/alarm')) events.push(ev); });
  const launch = (detailed: boolean, n = 1) => {
    const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0gold', MinCount: n, MaxCount: n, InstanceType: 't3.micro', Monitoring: { Enabled: detailed } });
    if (!r.ok) throw new Error(r.error.message);
    return r.output.Instances.map((i) => i.InstanceId);
  };
  const [d1, d2] = launch(true, 2);
  const [b1] = launch(false);
  e.advanceSync(2 * MIN + 13_000);
  const [b2] = launch(false);
  const ids = { d1: d1!, d2: d2!, b1: b1!, b2: b2! };
  const t0 = e.startTime;
  const iso = (t: number) => new Date(t).toISOString();
  expect(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: d1, Baseline: 60, Wave: 15, Noise: 6, Incidents: [{ From: iso(t0 + DAY + 10 * HOUR), To: iso(t0 + DAY + 10 * HOUR + 30 * MIN), Level: 97 }, { From: iso(t0 + 3 * DAY), To: iso(t0 + 3 * DAY + 4 * HOUR), Add: 25 }] }).ok).toBe(true);
  expect(e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: b1, Incidents: [{ From: iso(t0 + 2 * HOUR), To: iso(t0 + 2 * HOUR + 40 * MIN), Level: 99 }] }).ok).toBe(true);
  const alarm = (p: Record<string, unknown>) => expect(e.callSync('cloudwatch', 'PutMetricAlarm', { ComparisonOperator: 'GreaterThanThreshold', ...p }).ok).toBe(true);
  const dim = (id: string) => [{ Name: 'InstanceId', Value: id }];
  const asg = 'arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:x:autoScalingGroupName/web:policyName/up';
  alarm({ AlarmName: 'd1-hot', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dim(d1!), Statistic: 'Average', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 75, AlarmActions: [asg] });
  alarm({ AlarmName: 'b1-hot', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dim(b1!), Statistic: 'Average', Period: 300, EvaluationPeriods: 2, Threshold: 30, TreatMissingData: 'breaching' });
  alarm({ AlarmName: 'b2-p90', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dim(b2!), ExtendedStatistic: 'p90', Period: 300, EvaluationPeriods: 1, Threshold: 25, EvaluateLowSampleCountPercentile: 'ignore' });
  alarm({ AlarmName: 'd2-net', Namespace: 'AWS/EC2', MetricName: 'NetworkIn', Dimensions: dim(d2!), Statistic: 'Sum', Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 2_800_000, TreatMissingData: 'notBreaching' });
  alarm({ AlarmName: 'd2-gone', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dim(d2!), Statistic: 'Maximum', Period: 60, EvaluationPeriods: 2, Threshold: 10 });
  alarm({ AlarmName: 'b2-status', Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed', Dimensions: dim(b2!), Statistic: 'Maximum', Period: 60, EvaluationPeriods: 2, Threshold: 0, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'ignore' });
  alarm({ AlarmName: 'b1-low', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dim(b1!), Statistic: 'Minimum', Period: 3600, EvaluationPeriods: 2, Threshold: 15, ComparisonOperator: 'LessThanThreshold', AlarmActions: [asg] });
  alarm({ AlarmName: 'app-mem', Namespace: 'App', MetricName: 'mem_used_percent', Dimensions: [{ Name: 'Host', Value: 'h1' }], Statistic: 'Average', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 3, Threshold: 55, TreatMissingData: 'notBreaching' });
  expect(e.callSync('cloudwatch', 'PutCompositeAlarm', { AlarmName: 'combo', AlarmRule: 'ALARM("d1-hot") OR (ALARM("b1-hot") AND NOT OK("d2-net"))' }).ok).toBe(true);

  // Custom metrics: agent-like per-minute memory for the first 2 days, plus a few mixed puts.
  let k = 0;
  const agentUntil = t0 + 2 * DAY;
  const putMem = () => {
    const v = Math.round((50 + 10 * Math.sin(k / 40) + (k % 7)) * 100) / 100;
    k++;
    e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'mem_used_percent', Dimensions: [{ Name: 'Host', Value: 'h1' }], Value: v, Unit: 'Percent' }] });
  };
  const mixed = (i: number) => {
    e.callSync('cloudwatch', 'PutMetricData', {
      Namespace: 'App', MetricData: [
        { MetricName: 'Latency', Values: [10 + i, 20, 30 + (i % 5)], Counts: [1, 2 + (i % 3), 1], Unit: 'Milliseconds' },
        { MetricName: 'Latency', StatisticValues: { SampleCount: 4, Sum: 400 + i, Minimum: 50, Maximum: 150 }, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Value: 40 + i, Unit: 'Seconds' },
        { MetricName: 'HiRes', Value: i * 1.5, StorageResolution: 1 },
      ],
    });
  };
  // Day 0 – 2: minute by minute (agent), with lifecycle changes on the way.
  let step = 0;
  while (e.nowMs() < agentUntil) {
    putMem();
    if (step % 97 === 0) mixed(step);
    if (step === 100) e.callSync('ec2', 'StopInstances', { InstanceIds: [b2] });
    if (step === 160) e.callSync('ec2', 'StartInstances', { InstanceIds: [b2] });
    if (step === 400) e.callSync('ec2', 'StopInstances', { InstanceIds: [d1] });
    if (step === 403) e.callSync('ec2', 'StartInstances', { InstanceIds: [d1] });
    if (step === 150) checkpoint(e, 'h2.5', ids, out);
    e.advanceSync(step % 11 === 0 ? MIN + 7_000 : MIN);
    step++;
  }
  checkpoint(e, 'd2', ids, out);
  e.advanceSync(3 * DAY + 13 * HOUR + 7_000);
  e.callSync('ec2', 'TerminateInstances', { InstanceIds: [d2] });
  e.advanceSync(2 * HOUR + 31_000);
  mixed(1000);
  e.callSync('ec2', 'StopInstances', { InstanceIds: [b1] });
  e.advanceSync(DAY);
  e.callSync('ec2', 'StartInstances', { InstanceIds: [b1] });
  e.advanceSync(7 * DAY + 3 * HOUR);
  mixed(2000);
  checkpoint(e, 'd13', ids, out);
  e.advanceSync(7 * DAY - 1 * HOUR + 45_000);
  checkpoint(e, 'd20', ids, out);
  record(out, 'events', events.map((ev) => ({ type: ev.type, time: ev.time, payload: ev.payload })));
  if (process.env.GOLDEN_DUMP) fs.writeFileSync(process.env.GOLDEN_DUMP, JSON.stringify(full, null, 1));
  return out;
}

describe('cloudwatch golden answers (storage-independent)', () => {
  it('reproduces the recorded answers of the 20-day scenario', () => {
    const out = scenario();
    expect(Object.keys(out).length).toBeGreaterThan(500);
    expect(out).toMatchSnapshot();
  }, 120_000);
});
