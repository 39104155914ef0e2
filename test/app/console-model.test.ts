import { expect, test } from 'vitest';
import { buildConsoleModel, GRAPH_PERIOD_S } from '../../src/app/console-model.ts';
import { Catalogue } from '../../src/app/catalogue.ts';
import { startScenario } from '../../src/scenario/index.ts';
import type { RunViewLike } from '../../src/ui/ports.ts';

function tutorialRun() {
  const entry = new Catalogue().get('tutorial-who-terminated');
  if (!entry) throw new Error('tutorial missing from the built-in catalogue');
  return startScenario(entry.scenario);
}

test('the console model shows both web servers, then web-2 going away', () => {
  const run = tutorialRun();
  const model = () => buildConsoleModel({ scenarioId: 'tutorial-who-terminated', engine: run.engine, view: run.view() as RunViewLike, speed: 60, selected: null });
  const before = model();
  expect(before.instances.map((i) => [i.name, i.state])).toEqual([['web-1', 'running'], ['web-2', 'running']]);
  expect(before.accountId).toBe('111122223333');
  expect(before.selectedInstanceId).toBe(before.instances[0]!.instanceId);
  run.start();
  run.advance(15 * 60_000);
  const after = model();
  expect(after.instances.find((i) => i.name === 'web-2')?.state).toMatch(/^(shutting-down|terminated)$/);
  expect(after.speed).toBe(60);
});

test('the CPU graph reads CloudWatch at 5-minute periods for the selected instance', () => {
  const run = tutorialRun();
  run.start();
  run.advance(60 * 60_000);
  const web2 = buildConsoleModel({ scenarioId: 'x', engine: run.engine, view: run.view() as RunViewLike, speed: 0, selected: null }).instances[1]!;
  const m = buildConsoleModel({ scenarioId: 'x', engine: run.engine, view: run.view() as RunViewLike, speed: 0, selected: web2.instanceId });
  expect(m.selectedInstanceId).toBe(web2.instanceId);
  expect(m.cpu?.instanceId).toBe(web2.instanceId);
  expect(m.cpu!.periodSeconds).toBe(GRAPH_PERIOD_S);
  expect(m.cpu!.values.length).toBeGreaterThan(0);
  expect(m.cpu!.timestamps.every((t) => t % (GRAPH_PERIOD_S * 1000) === 0)).toBe(true);
  expect(m.cpu!.values.every((v) => v >= 0 && v <= 100)).toBe(true);
  // web-2 was terminated 10 minutes in: no datapoints long after that.
  expect(m.cpu!.timestamps.at(-1)!).toBeLessThan(run.engine.nowMs() - 30 * 60_000);
});
