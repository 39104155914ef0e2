/**
 * The monitoring vocabulary (process, agent, Run Command, metric, alarm and Auto Scaling guards),
 * scenario signals, and "프로세스 살리기 / Bring the process back".
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, resumeScenario, runSolution, startScenario, type ScenarioProblem, type ScenarioRun } from '../../src/scenario/index.ts';
import { breaches, numberMatches } from '../../src/scenario/views.ts';
import { PROCESS, loadScenario, minimalYaml } from './helpers.ts';

const MIN = 60_000;
const roundTrip = (run: ScenarioRun): ScenarioRun => resumeScenario(run.scenario, JSON.parse(JSON.stringify(run.save())));
const problemsOf = (text: string): string[] => {
  const r = parseScenario(text, 'x.yaml');
  return r.ok ? [] : r.problems.map((p: ScenarioProblem) => `${p.path} ${p.code}`);
};

function instanceId(run: ScenarioRun, name: string): string {
  const r = run.engine.callSync<{ Reservations: { Instances: { InstanceId: string; Tags: { Key: string; Value: string }[] }[] }[] }>('ec2', 'DescribeInstances', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Reservations.flatMap((x) => x.Instances).find((i) => i.Tags.some((t) => t.Key === 'Name' && t.Value === name))!.InstanceId;
}

function ok<O>(r: { ok: true; output: O } | { ok: false; error: { code: string; message: string } }): O {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}

describe('vocabulary: number matches and guard parameters', () => {
  it.each([
    [3, 3, true], [3, 4, false], [3, { atLeast: 3 }, true], [2, { atLeast: 3 }, false],
    [5, { atMost: 5 }, true], [6, { atMost: 5 }, false], [4, { atLeast: 3, atMost: 5 }, true], [undefined, 1, false], [undefined, undefined, true],
  ] as const)('%s against %j → %s', (v, m, want) => {
    expect(numberMatches(v, m as never)).toBe(want);
  });

  it.each([
    ['GreaterThanThreshold', 70, 70, false], ['GreaterThanThreshold', 70.1, 70, true],
    ['GreaterThanOrEqualToThreshold', 70, 70, true], ['GreaterThanOrEqualToThreshold', 69.9, 70, false],
    ['LessThanThreshold', 1, 1, false], ['LessThanThreshold', 0, 1, true],
    ['LessThanOrEqualToThreshold', 0, 0, true], ['LessThanOrEqualToThreshold', 1, 0, false],
    ['LessThanLowerOrGreaterThanUpperThreshold', 100, 0, false],
  ] as const)('breachesAt/okAt: %s, %d against %d → %s', (op, v, t, want) => {
    expect(breaches(op, v, t)).toBe(want);
  });

  it('checks the new guards’ parameters with paths', () => {
    const text = minimalYaml({
      states: [
        'states:', '  briefing:', '    on: { START: investigate }', '  investigate:', '    always:',
        '      - guard: { alarmState: { metric: CPUUtilization } }', '        target: debrief',
        '      - guard: { alarmExists: { evaluationPeriods: { atLeast: "3" }, treatMissingData: sometimes } }', '        target: debrief',
        '      - guard: { asgCapacity: { desired: 2 } }', '        target: debrief',
        '      - guard: { processRunning: { instance: "tag:Name=web-1", name: nginx, pid: 3 } }', '        target: debrief',
        '    on:', '      ANSWER:', '        - guard: { answer: { checkpoint: q, correct: true } }', '          target: debrief',
        '  debrief:', '    type: final',
      ].join('\n'),
    });
    expect(problemsOf(text)).toEqual(expect.arrayContaining([
      'states.investigate.always[0].guard.alarmState.is schema.invalidValue',
      'states.investigate.always[1].guard.alarmExists.evaluationPeriods schema.invalidType',
      'states.investigate.always[1].guard.alarmExists.treatMissingData schema.invalidValue',
      'states.investigate.always[2].guard.asgCapacity.group schema.required',
      'states.investigate.always[3].guard.processRunning.pid schema.unknownKey',
    ]));
  });
});

describe('signals', () => {
  const yaml = (signals: string, extra = '') => minimalYaml({
    identities: 'identities:\n  learner: { type: IAMUser, userName: you }\n  admin: { type: IAMUser, userName: minji }',
    meta: `difficulty: 1\nestimatedMinutes: 5\nseed: 7\nclock: { start: "2026-03-01T00:00:00Z" }\nsetup:\n${[1, 2].map((n) =>
      `  - { at: "-1h", as: admin, call: "ec2:RunInstances", with: { ImageId: ami-0abc1234, MinCount: 1, MaxCount: 1, Monitoring: { Enabled: true }, TagSpecifications: [{ ResourceType: instance, Tags: [{ Key: Name, Value: web-${n} }, { Key: Role, Value: web }] }] } }`).join('\n')}\n${signals}${extra}`,
  });
  const shared = 'signals:\n  - instances: "tag:Role=web"\n    share: true\n    noise: 0\n    cpu:\n      - { at: "+0m", value: 100 }\n      - { at: "+10m", value: 90 }\n';
  /** web-1's 1-minute CPUUtilization Maximum over [from, to) (noise 0: exactly the signal). */
  const cpu = (run: ScenarioRun, id: string, from: string, to: string) => ok(run.engine.callSync<{ Datapoints: { Timestamp: string; Maximum: number }[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
    StartTime: `2026-03-01T${from}:00Z`, EndTime: `2026-03-01T${to}:00Z`, Period: 60, Statistics: ['Maximum'],
  })).Datapoints.map((d) => Math.round(d.Maximum * 1000) / 1000);

  it('a shared load is divided among the running instances, follows its steps and moves when one leaves', () => {
    const r = parseScenario(yaml(shared), 'sig.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const run = startScenario(r.scenario);
    run.start();
    const [a, b] = [instanceId(run, 'web-1'), instanceId(run, 'web-2')];
    run.advance(20 * MIN);
    expect(cpu(run, a, '00:02', '00:08')).toEqual([50, 50, 50, 50, 50, 50]); // 100 % of work on two instances
    expect(cpu(run, b, '00:12', '00:18')).toEqual([45, 45, 45, 45, 45, 45]); // the +10m step
    run.act('ec2', 'TerminateInstances', { InstanceIds: [b] });
    run.advance(6 * MIN);
    expect(cpu(run, a, '00:22', '00:26')).toEqual([90, 90, 90, 90]); // re-applied when web-2 left: one instance carries it all
  });

  it('a saved run resumes with the signal steps still scheduled', () => {
    const r = parseScenario(yaml(shared), 'sig.yaml');
    if (!r.ok) throw new Error('parse');
    const play = (split: (x: ScenarioRun) => ScenarioRun) => {
      let run = startScenario(r.scenario);
      run.start();
      run.advance(5 * MIN);
      run = split(run);
      run.advance(10 * MIN);
      return run;
    };
    const a = play((x) => x);
    const b = play(roundTrip);
    expect(b.engine.stateHash()).toBe(a.engine.stateHash());
    expect(cpu(b, instanceId(b, 'web-1'), '00:12', '00:14')).toEqual([45, 45]);
  });

  it('the checker refuses steps before the start or out of order, and malformed selectors', () => {
    const bad = 'signals:\n  - instances: "web-1"\n    cpu:\n      - { at: "+10m", value: 50 }\n      - { at: "+5m", value: 60 }\n  - instances: "group:shop"\n    cpu:\n      - { at: "-5m", value: 50 }\n';
    expect(problemsOf(yaml(bad))).toEqual(['signals[0].instances schema.invalidFormat']);
    const order = bad.replace('"web-1"', '"tag:Name=web-1"');
    expect(problemsOf(yaml(order))).toEqual(['signals[0].cpu[1].at signal.outOfOrder', 'signals[1].cpu[0].at signal.beforeStart']);
  });
});

describe('bring-the-process-back', () => {
  const s = loadScenario(PROCESS);
  const straight = runSolution(s, PROCESS);

  it('starts with web-1 running and healthy by its EC2 metrics while nginx is dead', () => {
    const run = startScenario(s);
    run.start();
    run.advance(2 * MIN);
    const id = instanceId(run, 'web-1');
    const q = (metric: string, stat: string) => ok(run.engine.callSync<{ Datapoints: Record<string, number>[] }>('cloudwatch', 'GetMetricStatistics', {
      Namespace: 'AWS/EC2', MetricName: metric, Dimensions: [{ Name: 'InstanceId', Value: id }],
      StartTime: '2026-03-15T23:00:00Z', EndTime: '2026-03-16T00:02:00Z', Period: 300, Statistics: [stat],
    })).Datapoints.map((d) => d[stat]!);
    expect(Math.max(...q('StatusCheckFailed', 'Maximum'))).toBe(0);
    const cpu = q('CPUUtilization', 'Average');
    expect(cpu.length).toBeGreaterThan(5);
    expect(Math.min(...cpu)).toBeGreaterThan(1); // nothing looks dead from outside
    // No memory and no process metric without the agent (RAM is not a default EC2 metric).
    const names = ok(run.engine.callSync<{ Metrics: { Namespace: string; MetricName: string }[] }>('cloudwatch', 'ListMetrics', {})).Metrics.map((m) => `${m.Namespace}/${m.MetricName}`);
    expect(names.some((n) => n.startsWith('CWAgent/') || /mem/i.test(n))).toBe(false);
    expect(run.view().objectives.find((o) => o.id === 'restart-nginx')!.done).toBe(false);
    expect(run.view().objectives.find((o) => o.id === 'look-metrics')!.done).toBe(false); // the test's own calls are not the learner's
  });

  it('the solution visits every state; the process objective needs nginx running and a successful Run Command', () => {
    expect(straight.problems).toEqual([]);
    const seen = new Set<string>();
    runSolution(s, PROCESS, (run) => { seen.add(run.view().stateId); return run; });
    expect([...seen].sort()).toEqual(Object.keys(s.states).filter((x) => x !== 'briefing').sort());
  });

  it('a wrong Run Command does not restart nginx; a reboot-free restart completes the objective', () => {
    const run = startScenario(s);
    run.start();
    const id = instanceId(run, 'web-1');
    run.act('ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: ['sudo systemctl restart httpd'] } });
    run.advance(MIN);
    expect(run.view().objectives.find((o) => o.id === 'restart-nginx')!.done).toBe(false);
    run.act('ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: ['sudo systemctl restart nginx'] } });
    run.advance(MIN);
    expect(run.view().objectives.find((o) => o.id === 'restart-nginx')!.done).toBe(true);
  });

  it('only an alarm that breaches at 0 pids and not at 3, on the nginx procstat metric, completes the alarm objective', () => {
    const run = startScenario(s);
    run.start();
    const id = instanceId(run, 'web-1');
    const done = () => run.view().objectives.find((o) => o.id === 'pid-alarm')!.done;
    const alarm = (name: string, extra: Record<string, unknown>) => ok(run.act('cloudwatch', 'PutMetricAlarm', {
      AlarmName: name, Namespace: 'CWAgent', MetricName: 'procstat_lookup_pid_count', Statistic: 'Minimum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'LessThanThreshold',
      Dimensions: [{ Name: 'exe', Value: 'nginx' }, { Name: 'pid_finder', Value: 'native' }, { Name: 'InstanceId', Value: id }], ...extra,
    }) as never);
    alarm('wrong-way', { ComparisonOperator: 'GreaterThanThreshold' });
    alarm('wrong-process', { Dimensions: [{ Name: 'exe', Value: 'sshd' }, { Name: 'pid_finder', Value: 'native' }] });
    alarm('ec2-metric', { Namespace: 'AWS/EC2', MetricName: 'StatusCheckFailed', Dimensions: [{ Name: 'InstanceId', Value: id }] });
    alarm('too-high', { Threshold: 4 }); // 3 pids would breach
    expect(done()).toBe(false);
    alarm('right', { ComparisonOperator: 'LessThanOrEqualToThreshold', Threshold: 0 });
    expect(done()).toBe(true);
  });

  it('the drill does not pass until the alarm really goes to ALARM, nor end until it is OK again', () => {
    // Play the solution up to the drill, then stop nginx and watch the state step by step.
    const upToDrill = s.solution.findIndex((st) => 'expect' in st && st.expect.state === 'drill');
    const partial = { ...s, solution: s.solution.slice(0, upToDrill + 1) };
    let run: ScenarioRun | null = null;
    runSolution(partial, PROCESS, (r) => (run = r));
    const r = run! as ScenarioRun;
    expect(r.view().stateId).toBe('drill');
    const id = instanceId(r, 'web-1');
    r.act('ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: ['sudo systemctl stop nginx'] } });
    r.advance(MIN);
    expect(r.view().stateId).toBe('drill'); // nginx stopped, alarm not yet in ALARM (2 of 2 datapoints)
    const state = () => ok(r.engine.callSync<{ MetricAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['web-1-nginx-down'] })).MetricAlarms[0]!.StateValue;
    expect(state()).toBe('OK');
    r.advance(3 * MIN);
    expect(state()).toBe('ALARM');
    expect(r.view().stateId).toBe('recover');
    expect(r.view().checkpoint?.id).toBe('automate');
    expect(r.answer('automate', 'event-ssm').correct).toBe(true);
    expect(r.view().stateId).toBe('recover'); // nginx still down
    r.act('ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: ['sudo systemctl start nginx'] } });
    r.advance(3 * MIN);
    expect(state()).toBe('OK');
    expect(r.view()).toMatchObject({ stateId: 'debrief', finished: true });
    expect(r.view().objectives.every((o) => o.done)).toBe(true);
  });

  it('resuming after any solution step reaches the same hash trace', () => {
    for (let at = 0; at < s.solution.length; at++) {
      const resumed = runSolution(s, PROCESS, (run, i) => (i === at ? roundTrip(run) : run));
      expect(resumed.problems).toEqual([]);
      expect(resumed.hashes).toEqual(straight.hashes);
    }
  });
});
