/**
 * "알람이 늘린 서버 / The alarm that scaled": setup, the tuning objectives, the checkpoints'
 * claims checked against the engine, the flapping, the sale, and save/resume.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { listGroups, groupActivities, type AutoScalingState } from '../../src/engine/services/autoscaling/index.ts';
import { resumeScenario, runSolution, startScenario, type ScenarioRun } from '../../src/scenario/index.ts';
import { SCALING, loadScenario } from './helpers.ts';

const MIN = 60_000;
const s = loadScenario(SCALING);
const roundTrip = (run: ScenarioRun): ScenarioRun => resumeScenario(run.scenario, JSON.parse(JSON.stringify(run.save())));

function ok<O = Record<string, any>>(r: { ok: true; output: O } | { ok: false; error: { code: string; message: string } }): O {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}
const group = (e: Engine) => listGroups(e.read<AutoScalingState>('autoscaling')).find((g) => g.name === 'shop-web')!;
const done = (run: ScenarioRun, id: string) => run.view().objectives.find((o) => o.id === id)!.done;

/** The solution's PutMetricAlarm for an alarm, with overrides. */
function tunedAlarm(run: ScenarioRun, name: 'shop-web-cpu-high' | 'shop-web-cpu-low', over: Record<string, unknown> = {}) {
  const step = s.solution.find((x) => 'call' in x && x.call === 'cloudwatch:PutMetricAlarm' && x.with?.AlarmName === name) as { with: Record<string, unknown> };
  const policy = name === 'shop-web-cpu-high' ? 'scale-out' : 'scale-in';
  const arn = group(run.engine).policies.find((p) => p.name === policy)!.arn;
  const params: Record<string, unknown> = { ...step.with, AlarmActions: [arn], ...over };
  for (const [k, v] of Object.entries(params)) if (v === undefined) delete params[k];
  return ok(run.act('cloudwatch', 'PutMetricAlarm', params));
}

describe('the-alarm-that-scaled: setup', () => {
  it('starts with two InService instances, two step policies and two 1-of-1 alarms wired to them (policy: references)', () => {
    const run = startScenario(s);
    const g = group(run.engine);
    expect(g).toMatchObject({ minSize: 2, maxSize: 6, desiredCapacity: 2, counts: { inService: 2 } });
    expect(g.policies.map((p) => [p.name, p.type])).toEqual([['scale-out', 'StepScaling'], ['scale-in', 'StepScaling']]);
    const alarms = ok(run.engine.callSync<{ MetricAlarms: Record<string, any>[] }>('cloudwatch', 'DescribeAlarms', {})).MetricAlarms;
    const byName = Object.fromEntries(alarms.map((a) => [a.AlarmName, a]));
    expect(byName['shop-web-cpu-high']).toMatchObject({ EvaluationPeriods: 1, Period: 60, Threshold: 55, AlarmActions: [g.policies[0]!.arn] });
    expect(byName['shop-web-cpu-low']).toMatchObject({ EvaluationPeriods: 1, Threshold: 40, AlarmActions: [g.policies[1]!.arn] });
    expect(g.policies[0]!.arn).toMatch(/^arn:aws:autoscaling:ap-northeast-2:444455556666:scalingPolicy:/);
  });

  it('the shared load is 106 % of one instance, whatever the number of running instances (the signals section)', () => {
    const run = startScenario(s);
    run.start();
    run.advance(20 * MIN);
    const sums = new Map<string, number>();
    const all = ok(run.engine.callSync<{ Reservations: { Instances: { InstanceId: string }[] }[] }>('ec2', 'DescribeInstances', {}));
    for (const id of all.Reservations.flatMap((x) => x.Instances).map((i) => i.InstanceId)) { // terminated ones too
      const d = ok(run.engine.callSync<{ Datapoints: { Timestamp: string; Average: number }[] }>('cloudwatch', 'GetMetricStatistics', {
        Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
        StartTime: '2026-03-20T00:00:00Z', EndTime: '2026-03-20T00:20:00Z', Period: 60, Statistics: ['Average'],
      })).Datapoints;
      for (const p of d) sums.set(p.Timestamp, (sums.get(p.Timestamp) ?? 0) + p.Average);
    }
    expect(sums.size).toBe(20);
    const mean = [...sums.values()].reduce((a, b) => a + b, 0) / sums.size;
    expect(Math.abs(mean - 106)).toBeLessThan(6); // noise ±12 per instance averages out
  });
});

describe('the-alarm-that-scaled: tuning objectives', () => {
  const inTune = () => {
    const run = startScenario(s);
    run.start();
    return run;
  };

  it('the solution’s tuned alarms complete both objectives', () => {
    const run = inTune();
    tunedAlarm(run, 'shop-web-cpu-high');
    tunedAlarm(run, 'shop-web-cpu-low');
    expect([done(run, 'tune-high'), done(run, 'tune-low')]).toEqual([true, true]);
  });

  it.each([
    ['still 1 of 1', { EvaluationPeriods: 1, DatapointsToAlarm: 1 }],
    ['M of N with M = 1', { DatapointsToAlarm: 1 }],
    ['missing data counted as breaching', { TreatMissingData: 'breaching' }],
    ['missing data ignored (keeps ALARM, and Auto Scaling repeats)', { TreatMissingData: 'ignore' }],
    ['threshold 60 (fires at 65 %, two instances on a busy minute)', { Threshold: 60 }],
    ['threshold too high (misses 90 %)', { Threshold: 95 }],
    ['a 1-hour period (misses a sale)', { Period: 3600 }],
    ['no scaling action', { AlarmActions: [] }],
    ['actions disabled', { ActionsEnabled: false }],
    ['another metric', { MetricName: 'NetworkIn' }],
  ])('the high alarm does not pass: %s', (_, over) => {
    const run = inTune();
    tunedAlarm(run, 'shop-web-cpu-high', over);
    expect(done(run, 'tune-high')).toBe(false);
  });

  it.each([
    ['1 of 1', { EvaluationPeriods: 1, DatapointsToAlarm: 1 }],
    ['threshold 40 (flaps with three instances at 35 %)', { Threshold: 40 }],
    ['threshold 34 (three instances at about 35 % still cross it)', { Threshold: 34 }],
    ['threshold 20 (never gets back from four instances at 25 %)', { Threshold: 20 }],
    ['the wrong direction', { ComparisonOperator: 'GreaterThanThreshold' }],
  ])('the low alarm does not pass: %s', (_, over) => {
    const run = inTune();
    tunedAlarm(run, 'shop-web-cpu-low', over);
    expect(done(run, 'tune-low')).toBe(false);
  });
});

describe('the-alarm-that-scaled: what the checkpoints claim is what the engine does', () => {
  const as = { identity: { type: 'IAMUser' as const, userName: 'check' } };
  const put = (e: Engine, v: number) => ok(e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'Shop', MetricData: [{ MetricName: 'Cpu', Value: v, Timestamp: e.nowMs() }] }, as));
  const state = (e: Engine, name: string) => ok(e.callSync<{ MetricAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: [name] }, as)).MetricAlarms[0]!.StateValue;
  const alarm = (e: Engine, name: string, extra: Record<string, unknown>) => ok(e.callSync('cloudwatch', 'PutMetricAlarm', {
    AlarmName: name, Namespace: 'Shop', MetricName: 'Cpu', Statistic: 'Average', Period: 60, Threshold: 70, ComparisonOperator: 'GreaterThanThreshold', ...extra,
  }, as));

  it('m-of-n: 72, 65, 75, 68, 71 against 70 with 3 of 5 is ALARM; a new alarm starts in INSUFFICIENT_DATA', () => {
    const cp = s.checkpoints!['m-of-n']!;
    expect(cp.options.find((o) => o.correct)!.id).toBe('alarm');
    const e = createEngine({ seed: 3, startTime: '2026-03-01T00:00:00Z' });
    e.advanceSync(30_000);
    alarm(e, 'm-of-n', { EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(state(e, 'm-of-n')).toBe('INSUFFICIENT_DATA');
    expect(s.checkpoints!['new-alarm']!.options.find((o) => o.correct)!.id).toBe('insufficient');
    for (const v of [72, 65, 75, 68]) { put(e, v); e.advanceSync(MIN); }
    expect(state(e, 'm-of-n')).not.toBe('ALARM'); // 2 of the 4 so far
    put(e, 71);
    e.advanceSync(MIN);
    expect(state(e, 'm-of-n')).toBe('ALARM');
  });

  it('missing-data: with ignore an alarm stays in ALARM when data stops; with breaching a gap alone goes to ALARM', () => {
    const cp = s.checkpoints!['missing-data']!;
    expect(cp.options.filter((o) => o.correct).map((o) => o.id).sort()).toEqual(['missing', 'notBreaching']);
    const e = createEngine({ seed: 3, startTime: '2026-03-01T00:00:00Z' });
    e.advanceSync(30_000);
    alarm(e, 'ign', { EvaluationPeriods: 1, TreatMissingData: 'ignore' });
    alarm(e, 'brc', { EvaluationPeriods: 1, TreatMissingData: 'breaching' });
    alarm(e, 'nb', { EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    put(e, 90);
    e.advanceSync(MIN);
    put(e, 50);
    e.advanceSync(MIN);
    expect([state(e, 'brc'), state(e, 'nb')]).toEqual(['OK', 'OK']);
    put(e, 90);
    e.advanceSync(MIN);
    expect(state(e, 'ign')).toBe('ALARM');
    e.advanceSync(10 * MIN); // no more data
    expect([state(e, 'ign'), state(e, 'brc'), state(e, 'nb')]).toEqual(['ALARM', 'ALARM', 'OK']);
  });

  it('target-tracking: Auto Scaling creates its own alarms, high 3 of 3 and low 15 of 15', () => {
    const cp = s.checkpoints!['target-tracking']!;
    expect(cp.options.find((o) => o.correct)!.en).toContain('3 of 3');
    const run = startScenario(s);
    const r = ok(run.engine.callSync<{ Alarms: { AlarmName: string }[] }>('autoscaling', 'PutScalingPolicy', {
      AutoScalingGroupName: 'shop-web', PolicyName: 'cpu50', PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 50 },
    }, as));
    const alarms = ok(run.engine.callSync<{ MetricAlarms: { AlarmName: string; EvaluationPeriods: number; DatapointsToAlarm?: number }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: r.Alarms.map((a) => a.AlarmName) }, as)).MetricAlarms;
    expect(alarms.map((a) => [/Alarm(High|Low)/.exec(a.AlarmName)?.[0], a.EvaluationPeriods, a.DatapointsToAlarm ?? a.EvaluationPeriods])).toEqual([['AlarmHigh', 3, 3], ['AlarmLow', 15, 15]]);
  });
});

describe('the-alarm-that-scaled: on the clock (AWS/EC2 CPUUtilization by AutoScalingGroupName)', () => {
  const straight = runSolution(s, SCALING);

  it('the solution finishes in the debrief with every objective done, visiting every state on the way', () => {
    expect(straight.problems).toEqual([]);
    const seen = new Set<string>();
    runSolution(s, SCALING, (run) => { seen.add(run.view().stateId); return run; });
    expect([...seen].sort()).toEqual(['after-sale', 'debrief', 'investigate', 'sale', 'tune']);
  });

  it('before tuning, the 1-of-1 alarms make the group scale out and back in more than once in 30 minutes', () => {
    const run = startScenario(s);
    run.start();
    run.advance(30 * MIN);
    const acts = groupActivities(run.engine.read<AutoScalingState>('autoscaling'), 'shop-web');
    const out = acts.filter((a) => a.Cause.includes('shop-web-cpu-high'));
    const back = acts.filter((a) => a.Cause.includes('shop-web-cpu-low'));
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(back.length).toBeGreaterThanOrEqual(2);
  });

  it('after tuning, no scaling before the sale; it scales out for the sale and back in after it', () => {
    const run = startScenario(s);
    run.start();
    tunedAlarm(run, 'shop-web-cpu-high');
    tunedAlarm(run, 'shop-web-cpu-low');
    run.advance(55 * MIN);
    expect(group(run.engine).desiredCapacity).toBe(2);
    run.advance(30 * MIN);
    expect(group(run.engine).counts.inService).toBeGreaterThanOrEqual(4);
    run.advance(90 * MIN);
    expect(group(run.engine).desiredCapacity).toBeLessThanOrEqual(3);
  });

  it('resuming after any solution step reaches the same hash trace', () => {
    for (let at = 0; at < s.solution.length; at++) {
      const resumed = runSolution(s, SCALING, (run, i) => (i === at ? roundTrip(run) : run));
      expect(resumed.problems).toEqual([]);
      expect(resumed.hashes).toEqual(straight.hashes);
    }
  });
});
