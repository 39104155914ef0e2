import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, runSolution, scenarioJsonSchema, ScenarioRunError, startScenario } from '../../src/scenario/index.ts';
import { FLAGSHIP, PROCESS, SCALING, TUTORIAL, loadScenario } from './helpers.ts';

const MIN = 60_000;

describe('built-in scenarios', () => {
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`);

  it('includes the tutorial, the flagships and the monitoring scenarios', () => {
    expect(files).toEqual(expect.arrayContaining([TUTORIAL, FLAGSHIP, PROCESS, SCALING]));
  });

  for (const file of files) {
    it(`${file}: passes the checker (every state reachable, references resolve)`, () => {
      const r = parseScenario(readFileSync(file, 'utf8'), file);
      expect(r.ok ? [] : r.problems).toEqual([]);
    });
    it(`${file}: its solution finishes, the same way twice`, () => {
      const r = parseScenario(readFileSync(file, 'utf8'), file);
      if (!r.ok) throw new Error('does not parse');
      const o = runSolution(r.scenario, file);
      expect(o.problems).toEqual([]);
      expect(o.finished).toBe(true);
      expect(r.scenario.states[o.stateId]?.type).toBe('final');
      // Deterministic: a second run gives the same hash trace.
      expect(runSolution(r.scenario, file).hashes).toEqual(o.hashes);
    });
  }

  it('scenarios/scenario.schema.json is the generated JSON Schema (run `npm run scenario -- schema`)', () => {
    expect(JSON.parse(readFileSync('scenarios/scenario.schema.json', 'utf8'))).toEqual(scenarioJsonSchema());
  });
});

describe('tutorial-who-terminated', () => {
  const s = loadScenario(TUTORIAL);

  it('starts in the briefing with web-1 and web-2 running, launched by minji', () => {
    const run = startScenario(s);
    const v = run.view();
    expect(v).toMatchObject({ stateId: 'briefing', phase: 'briefing', finished: false, score: 100, now: '2026-03-02T00:00:00.000Z', checkpoint: null, debrief: null });
    const out = run.engine.callSync<{ Reservations: { Instances: { State: { Name: string }; Tags: { Key: string; Value: string }[] }[] }[] }>('ec2', 'DescribeInstances', {});
    if (!out.ok) throw new Error(out.error.message);
    const inst = out.output.Reservations.flatMap((r) => r.Instances).map((i) => [i.Tags.find((t) => t.Key === 'Name')?.Value, i.State.Name]);
    expect(inst).toEqual([['web-1', 'running'], ['web-2', 'running']]);
  });

  it('junho terminates web-2 about 10 minutes in and says so; the question opens after Event history', () => {
    const run = startScenario(s);
    run.start();
    expect(run.view().phase).toBe('investigate');
    run.advance(9 * MIN);
    expect(run.view().messages).toEqual([]);
    run.advance(2 * MIN);
    const v = run.view();
    expect(v.messages).toHaveLength(1);
    expect(v.messages[0]).toMatchObject({ at: '2026-03-02T00:10:00.000Z', from: 'junho' });
    const lookup = run.act('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'TerminateInstances' }] });
    if (!lookup.ok) throw new Error(lookup.error.message);
    expect((lookup.output as { Events: { Username: string }[] }).Events.map((e) => e.Username)).toEqual(['junho']);
    const after = run.view();
    expect(after.objectives).toEqual([{ id: 'open-history', text: expect.any(Object), done: true }]);
    expect(after).toMatchObject({ stateId: 'question', phase: 'checkpoint' });
    expect(after.checkpoint?.id).toBe('who-terminated');
    expect(after.checkpoint?.options.map((o) => o.id)).toEqual(['junho', 'minji', 'autoscaling', 'you']);
  });

  it('opening Event history before the termination does not complete the objective', () => {
    const run = startScenario(s);
    run.start();
    run.act('cloudtrail', 'LookupEvents', {});
    expect(run.view().objectives[0]!.done).toBe(false);
    expect(run.view().stateId).toBe('investigate');
  });

  it('a wrong answer costs score and keeps the checkpoint open; the right one finishes', () => {
    const run = startScenario(s);
    run.start();
    run.advance(11 * MIN);
    run.act('cloudtrail', 'LookupEvents', {});
    const seen: number[] = [];
    run.subscribe((v) => seen.push(v.score));
    const wrong = run.answer('who-terminated', 'minji');
    expect(wrong.correct).toBe(false);
    expect(wrong.explain.en).toContain('junho');
    expect(run.view()).toMatchObject({ score: 90, stateId: 'question', answered: { 'who-terminated': { correct: false, attempts: 1 } } });
    expect(run.view().checkpoint?.id).toBe('who-terminated');
    expect(run.answer('who-terminated', ['junho']).correct).toBe(true);
    const v = run.view();
    expect(v).toMatchObject({ finished: true, phase: 'debrief', score: 90, checkpoint: null, answered: { 'who-terminated': { correct: true, attempts: 2 } } });
    expect(v.debrief?.ko).toContain('CloudTrail');
    expect(seen).toEqual([90, 90]);
    expect(() => run.answer('who-terminated', 'junho')).toThrow(ScenarioRunError);
  });

  it('a hint costs its price once and reveals its text', () => {
    const run = startScenario(s);
    run.start();
    expect(run.view().hints).toEqual([{ id: 'filter', cost: 5, used: false, text: null }]);
    expect(run.useHint('filter').en).toContain('TerminateInstances');
    run.useHint('filter');
    expect(run.view().score).toBe(95);
    expect(run.view().hints[0]).toMatchObject({ used: true, text: { en: expect.stringContaining('Event name') } });
    expect(() => run.useHint('nope')).toThrow(ScenarioRunError);
  });

  it('the learner acts as the IAM user you', () => {
    const run = startScenario(s);
    run.act('ec2', 'DescribeInstances', {});
    const r = run.engine.callSync('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeInstances' }] });
    if (!r.ok) throw new Error(r.error.message);
    expect((r.output as { Events: { Username: string }[] }).Events[0]!.Username).toBe('you');
  });
});

describe('who-deleted-it', () => {
  const s = loadScenario(FLAGSHIP);
  const lookup = (run: ReturnType<typeof startScenario>, key: string, value: string) => {
    const r = run.act('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] });
    if (!r.ok) throw new Error(r.error.message);
    return (r.output as { Events: { Username: string; EventName: string; EventTime: string; CloudTrailEvent: string }[] }).Events
      .map((e) => ({ ...e, record: JSON.parse(e.CloudTrailEvent) as Record<string, any> }));
  };

  it('the evidence in Event history matches the correct answers', () => {
    const run = startScenario(s);
    run.start();
    const deletes = lookup(run, 'EventName', 'DeleteBucket');
    const bucket = deletes.find((e) => e.record.requestParameters?.bucketName === 'team-reports-2026')!;
    expect(bucket.Username).toBe('sora');
    expect(bucket.EventTime).toBe('2026-03-09T06:45:00.000Z');
    expect(bucket.record.sourceIPAddress).toBe('198.51.100.23');
    expect(bucket.record.userIdentity).toMatchObject({ type: 'AssumedRole', arn: 'arn:aws:sts::210987654321:assumed-role/OpsAdminRole/sora' });
    const herring = deletes.find((e) => e.record.requestParameters?.bucketName === 'analytics-raw')!;
    expect(herring).toMatchObject({ Username: 'hyun', EventTime: '2026-03-09T07:00:00.000Z' });
    expect(herring.record.errorCode).toBe('BucketNotEmpty');
    const asg = lookup(run, 'Username', 'AutoScaling');
    expect(asg.map((e) => e.EventName)).toEqual(['TerminateInstances']);
    expect(asg[0]!.record).toMatchObject({ sourceIPAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com', userIdentity: { invokedBy: 'autoscaling.amazonaws.com' } });
    const correct = Object.fromEntries(Object.entries(s.checkpoints!).map(([id, cp]) => [id, cp.options.find((o) => o.correct)!.en]));
    expect(correct['who-bucket']).toContain(bucket.Username);
    expect(correct['when-bucket']).toContain('2026-03-09 06:45 UTC');
    expect(correct['where-bucket']).toBe(bucket.record.sourceIPAddress);
    expect(correct['who-instance']).toContain('AutoScaling');
  });

  it('asks the investigation questions in order, then the concepts, then the trail question', () => {
    const run = startScenario(s);
    run.start();
    const order: string[] = [];
    for (const [id, choice] of [['who-bucket', 'sora'], ['when-bucket', 't0645'], ['where-bucket', 'ip-23'], ['who-instance', 'autoscaling'], ['cw-vs-ct', 'roles'], ['keep-evidence', 'trail']] as const) {
      const v = run.view();
      order.push(`${v.phase}:${v.checkpoint?.id}`);
      expect(run.answer(id, choice).correct).toBe(true);
    }
    expect(order).toEqual([
      'investigate:who-bucket', 'investigate:when-bucket', 'investigate:where-bucket', 'investigate:who-instance',
      'checkpoint:cw-vs-ct', 'remediate:keep-evidence',
    ]);
    expect(run.view()).toMatchObject({ finished: true, phase: 'debrief', score: 100 });
  });

  it('the role name is a wrong answer to who deleted the bucket', () => {
    const run = startScenario(s);
    run.start();
    expect(run.answer('who-bucket', 'ops-admin-role').correct).toBe(false);
    expect(run.view().score).toBe(90);
  });

  it('after 30 simulated minutes in the investigation a hidden hint is revealed (an engine-scheduled delay)', () => {
    const run = startScenario(s);
    run.start();
    run.advance(29 * MIN);
    expect(run.view().hints.map((h) => h.id)).not.toContain('session-name');
    run.advance(2 * MIN);
    expect(run.view().hints.map((h) => h.id)).toContain('session-name');
    expect(run.view().messages.map((m) => m.from)).toEqual(['minji', 'junho', 'hyun', 'minji']);
  });
});
