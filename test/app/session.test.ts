import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { Catalogue } from '../../src/app/catalogue.ts';
import { Session, slotId } from '../../src/app/session.ts';
import { getSave, openDatabase } from '../../src/persistence/index.ts';
import { resumeScenario, startScenario } from '../../src/scenario/index.ts';
import type { SaveProblem } from '../../src/ui/ports.ts';

(globalThis as Record<string, unknown>).__OPSROOM_BUILD__ = 'test-build';
const scenario = new Catalogue().get('tutorial-who-terminated')!.scenario;

function hooks() {
  const results: (SaveProblem | null)[] = [];
  return { results, hooks: { onSaveResult: (p: SaveProblem | null) => { results.push(p); }, onChange: () => {} } };
}

test('a run is saved after changes and resumes to the same view', async () => {
  const db = openDatabase(`session-${Math.random()}`);
  const h = hooks();
  const run = startScenario(scenario);
  const s = new Session(scenario, run, db, h.hooks);
  run.start();
  run.advance(12 * 60_000);
  await s.flush();
  expect(h.results.at(-1)).toBeNull();
  const slot = await getSave(db, slotId(scenario.id));
  expect(slot?.status).toBe('playing');
  expect(slot?.build).toBe('test-build');
  expect(slot?.simTime).toBe(run.view().now);
  const resumed = resumeScenario(scenario, { scenarioId: slot!.scenarioId, scenarioVersion: slot!.scenarioVersion, engineSnapshot: slot!.engineSnapshot as never, runState: slot!.runState });
  expect(resumed.view()).toEqual(run.view());
  expect(resumed.engine.stateHash()).toBe(run.engine.stateHash());
  await s.close();
});

test('a checkpoint opening stops the clock; a failed save is reported and the old save kept', async () => {
  const db = openDatabase(`session-${Math.random()}`);
  const h = hooks();
  const run = startScenario(scenario);
  const s = new Session(scenario, run, db, h.hooks);
  run.start();
  s.speed = 3600;
  run.advance(11 * 60_000);
  run.act('cloudtrail', 'LookupEvents', {});
  expect(run.view().checkpoint?.id).toBe('who-terminated');
  expect(s.speed).toBe(0);
  await s.flush();
  const before = await getSave(db, slotId(scenario.id));
  db.close();
  run.advance(60_000);
  await s.flush().catch(() => {});
  expect(h.results.at(-1)).toBe('write');
  await db.open();
  expect((await getSave(db, slotId(scenario.id)))?.simTime).toBe(before?.simTime);
  await s.close();
});
