import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../../src/engine/index.ts';
import {
  DB_VERSION, SaveError, createAutosaver, deleteSave, getSave, getSetting, listSaves, openDatabase, putSave, setSetting,
  type SaveSlot,
} from '../../src/persistence/index.ts';

let n = 0;
const dbName = () => `opsroom-test-${++n}`;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) { db.close(); await Dexie.delete(db.name); }
});

function slot(id: string, updatedAt: number, extra: Partial<SaveSlot> = {}): SaveSlot {
  const engine = createEngine({ seed: 7, startTime: '2026-03-01T00:00:00Z' });
  return {
    id, scenarioId: 'tutorial-who-terminated', scenarioVersion: 1, title: { ko: '튜토리얼', en: 'Tutorial' },
    build: 'test', status: 'playing', updatedAt, simTime: engine.now(),
    engineSnapshot: engine.snapshot(), runState: { value: 'investigate', score: 90 }, ...extra,
  };
}

describe('save slots', () => {
  it('round-trips a slot with its engine snapshot and lists newest first', async () => {
    const db = openDatabase(dbName()); opened.push(db);
    await putSave(db, slot('a', 100));
    await putSave(db, slot('b', 300));
    await putSave(db, slot('a', 200, { runState: { value: 'debrief', score: 80 }, status: 'finished' }));
    const a = await getSave(db, 'a');
    expect(a?.runState).toEqual({ value: 'debrief', score: 80 });
    expect(a?.status).toBe('finished');
    expect((a?.engineSnapshot as { format: string }).format).toBe('opsroom-engine');
    expect((await listSaves(db)).map((s) => s.id)).toEqual(['b', 'a']);
    // Only the newest blob of slot a remains.
    expect(await db.saveBlobs.count()).toBe(2);
    await deleteSave(db, 'a');
    expect(await getSave(db, 'a')).toBeUndefined();
    expect(await db.saveBlobs.count()).toBe(1);
  });

  it('keeps the previous save when a write fails (disk full), and says why', async () => {
    const db = openDatabase(dbName()); opened.push(db);
    await putSave(db, slot('a', 100));
    const spy = vi.spyOn(db.saveBlobs, 'put').mockImplementation(() =>
      Dexie.Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) as never);
    const err = await putSave(db, slot('a', 200, { runState: { value: 'lost' } })).catch((e: unknown) => e);
    spy.mockRestore();
    expect(err).toBeInstanceOf(SaveError);
    expect((err as SaveError).code).toBe('quota');
    const kept = await getSave(db, 'a');
    expect(kept?.updatedAt).toBe(100);
    expect(kept?.runState).toEqual({ value: 'investigate', score: 90 });
  });

  it('reports a corrupt row as a corrupt SaveError and skips it in the list', async () => {
    const db = openDatabase(dbName()); opened.push(db);
    await putSave(db, slot('good', 100));
    await db.saves.put({ id: 'bad', scenarioId: 5 } as never);
    await expect(getSave(db, 'bad')).rejects.toMatchObject({ code: 'corrupt' });
    expect((await listSaves(db)).map((s) => s.id)).toEqual(['good']);
  });

  it('stores settings', async () => {
    const db = openDatabase(dbName()); opened.push(db);
    expect(await getSetting(db, 'language')).toBeUndefined();
    await setSetting(db, 'language', 'ko');
    expect(await getSetting<string>(db, 'language')).toBe('ko');
  });
});

describe('schema upgrade', () => {
  it('migrates a version-1 database (snapshot inline) without losing the save', async () => {
    const name = dbName();
    const old = new Dexie(name);
    old.version(1).stores({ saves: '&id, scenarioId, updatedAt', settings: '&key' });
    const fixture = slot('legacy', 50);
    const { status: _s, build: _b, simTime: _t, ...v1row } = fixture;
    await old.table('saves').put(v1row);
    await old.table('settings').put({ key: 'language', value: 'en' });
    old.close();

    const db = openDatabase(name); opened.push(db);
    await db.open();
    expect(db.verno).toBe(DB_VERSION);
    const s = await getSave(db, 'legacy');
    expect(s?.engineSnapshot).toEqual(fixture.engineSnapshot);
    expect(s?.runState).toEqual(fixture.runState);
    expect(s?.status).toBe('playing');
    expect(await getSetting(db, 'language')).toBe('en');
    const raw = await db.saves.get('legacy');
    expect(raw).not.toHaveProperty('engineSnapshot');
  });
});

describe('autosave', () => {
  it('coalesces notifications into one save and reports failures without throwing', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      let fail = false;
      const saver = createAutosaver(async () => { calls++; if (fail) throw new SaveError('quota', 'full'); }, { debounceMs: 100, maxIntervalMs: 1000 });
      saver.notify(); saver.notify(); saver.notify();
      await vi.advanceTimersByTimeAsync(150);
      expect(calls).toBe(1);
      // Changes that keep coming still save at least every maxIntervalMs.
      for (let i = 0; i < 30; i++) { saver.notify(); await vi.advanceTimersByTimeAsync(50); }
      expect(calls).toBeGreaterThanOrEqual(2);
      fail = true;
      saver.notify();
      await saver.flush();
      expect(saver.lastError?.code).toBe('quota');
      saver.stop();
      const before = calls;
      saver.notify();
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});
