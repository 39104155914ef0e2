import { expect, test } from 'vitest';
import { Catalogue } from '../../src/app/catalogue.ts';
import { RunHost, type HostReply } from '../../src/app/run-host.ts';
import { localTransport, RunProxy } from '../../src/app/run-proxy.ts';
import { DEFAULT_VIEW_REQUEST } from '../../src/ui/ports.ts';

const tutorial = new Catalogue().get('tutorial-who-terminated')!.scenario;
const ok = (r: HostReply) => { if (!r.ok) throw new Error(r.error); return r.result; };
const saved = (h: RunHost) => JSON.stringify(ok(h.handle({ op: 'save' })));

function started(clock?: () => number): RunHost {
  const h = new RunHost(clock);
  ok(h.handle({ op: 'start', scenario: tutorial }));
  ok(h.handle({ op: 'begin' }));
  return h;
}

test('advancing in frame-sized pieces gives the same run as one advance (determinism across the worker boundary)', () => {
  const one = started();
  expect(ok(one.handle({ op: 'advance', ms: 3 * 3_600_000, budgetMs: Infinity }))).toEqual({ advanced: 3 * 3_600_000, halted: false });
  const many = started();
  let left = 3 * 3_600_000;
  for (let i = 0; left > 0; i++) {
    const ms = Math.min(left, [57_600, 16_700, 360_000, 1][i % 4]!);
    const r = ok(many.handle({ op: 'advance', ms, budgetMs: Infinity })) as { advanced: number };
    left -= r.advanced;
  }
  expect(saved(many)).toBe(saved(one));
});

test('an advance stops at its wall-clock budget and reports what it did', () => {
  let now = 0;
  const h = started(() => (now += 5));
  const r = ok(h.handle({ op: 'advance', ms: 3_600_000, budgetMs: 12 })) as { advanced: number; halted: boolean };
  // clock: t0=5, after chunk 1 → 10 (5 ms spent), chunk 2 → 15 (10 ms), chunk 3 → 20 (15 ms ≥ 12): three chunks.
  expect(r).toEqual({ advanced: 3 * 60_000, halted: false });
  expect(h.model().view.now).toBe('2026-03-02T00:03:00.000Z');
});

test('the clock stops when a checkpoint opens during an advance', () => {
  // The tutorial, except that its question opens 10 simulated minutes after the start.
  const timed = structuredClone(tutorial);
  timed.states.investigate = { after: { '+10m': [{ target: 'question' }] } } as NonNullable<typeof timed.states.investigate>;
  const h = new RunHost();
  ok(h.handle({ op: 'start', scenario: timed }));
  ok(h.handle({ op: 'begin' }));
  const r = ok(h.handle({ op: 'advance', ms: 3_600_000, budgetMs: Infinity })) as { advanced: number; halted: boolean };
  expect(r).toEqual({ advanced: 10 * 60_000, halted: true });
  expect(h.model().view.checkpoint?.id).toBe('who-terminated');
  // Paused at the question: the next advance goes on from there.
  expect(ok(h.handle({ op: 'advance', ms: 60_000, budgetMs: Infinity }))).toEqual({ advanced: 60_000, halted: false });
});

test('replies carry only the parts that changed; hidden tabs cost nothing', () => {
  const h = new RunHost();
  const first = h.handle({ op: 'start', scenario: tutorial });
  expect(Object.keys(first.delta)).toEqual(expect.arrayContaining(['view', 'instances', 'graphs', 'alarms']));
  expect(first.delta.alarms).toBeNull();
  expect(h.handle({ op: 'view', request: { ...DEFAULT_VIEW_REQUEST } }).delta).toEqual({});
  const alarms = h.handle({ op: 'view', request: { ...DEFAULT_VIEW_REQUEST, tab: 'alarms' } }).delta;
  expect(Object.keys(alarms)).toEqual(['request', 'alarms']);
  expect(alarms.alarms).toEqual([]);
  const act = h.handle({ op: 'act', service: 'cloudwatch', action: 'PutMetricAlarm', params: {
    AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Period: 300, EvaluationPeriods: 1, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold',
  } });
  expect(act.ok && act.result).toEqual({ ok: true, output: {} });
  expect(act.delta.alarms?.map((a) => [a.name, a.state, a.history[0]?.type])).toEqual([['cpu', 'INSUFFICIENT_DATA', 'ConfigurationUpdate']]);
  const health = h.handle({ op: 'view', request: { ...DEFAULT_VIEW_REQUEST, tab: 'health' } }).delta;
  expect(health.alarms).toBeNull();
  expect(health.health?.map((t) => t.name)).toEqual(['web-1', 'web-2']);
  const bad = h.handle({ op: 'answer', checkpointId: 'nope', choice: 'x' });
  expect(bad.ok).toBe(false);
});

test('the proxy merges deltas: unchanged parts keep their identity, changed ones are new', async () => {
  const p = await RunProxy.open(localTransport(() => 0), tutorial, { ...DEFAULT_VIEW_REQUEST });
  await p.begin();
  const before = p.model;
  await p.advance(60_000);
  expect(p.model.instances).toBe(before.instances);
  expect(p.model.view).not.toBe(before.view);
  expect(p.model.view.now).toBe('2026-03-02T00:01:00.000Z');
  const saves = await p.save();
  expect(saves.scenarioId).toBe('tutorial-who-terminated');
  const res = await p.act('cloudtrail', 'LookupEvents', { MaxResults: 1 });
  expect(res.ok).toBe(true);
  p.close();
});
