import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapPop, heapPush, type ScheduledEntry } from '../../src/engine/kernel/scheduler.ts';
import { nextUint32, seedStream } from '../../src/engine/kernel/rng.ts';
import { parseIso, toIso } from '../../src/engine/kernel/time.ts';
import { createEngine, restoreEngine } from '../../src/engine/index.ts';

describe('time', () => {
  it('formats and parses ISO-8601 without Date, matching Date for any instant', () => {
    fc.assert(fc.property(fc.integer({ min: -2_000_000_000_000, max: 8_000_000_000_000 }), (ms) => {
      const iso = toIso(ms);
      expect(iso).toBe(new Date(ms).toISOString());
      expect(parseIso(iso)).toBe(ms);
    }), { numRuns: 500 });
  });

  it('accepts offsets and date-only forms, rejects impossible dates', () => {
    expect(parseIso('2026-03-01T09:00:00+09:00')).toBe(Date.UTC(2026, 2, 1, 0, 0, 0));
    expect(parseIso('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(parseIso('2026-02-30T00:00:00Z')).toBeNaN();
    expect(parseIso('yesterday')).toBeNaN();
  });
});

describe('scheduler', () => {
  it('pops entries in (due, sequence) order whatever the push order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (dues) => {
      const heap: ScheduledEntry[] = [];
      dues.forEach((due, seq) => heapPush(heap, { due, seq, kind: 'x/y', payload: null }));
      const out: [number, number][] = [];
      for (let e = heapPop(heap); e; e = heapPop(heap)) out.push([e.due, e.seq]);
      const expected = dues.map((d, s) => [d, s] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(out).toEqual(expected);
    }));
  });

  it('fires outside timers due at the same instant in the order they were scheduled', async () => {
    const e = createEngine({ seed: 1, startTime: '2026-03-01T00:00:00Z' });
    const seen: string[] = [];
    e.subscribe((ev) => { if (ev.type === 'scheduler/timer-fired') seen.push((ev.payload as { payload: string }).payload); });
    const t = e.nowMs() + 60_000;
    e.schedule(t, 'test', 'b-first');
    e.schedule(t - 1000, 'test', 'a-earlier');
    e.schedule(t, 'test', 'c-second');
    await e.advance(30_000);
    expect(seen).toEqual([]);
    await e.advance(30_000);
    expect(seen).toEqual(['a-earlier', 'b-first', 'c-second']);
  });
});

describe('seeded streams', () => {
  it('are reproducible and independent per name', () => {
    const a1 = seedStream(42, 'ec2'), a2 = seedStream(42, 'ec2'), b = seedStream(42, 's3'), c = seedStream(43, 'ec2');
    const draw = (s: ReturnType<typeof seedStream>) => Array.from({ length: 5 }, () => nextUint32(s));
    const x = draw(a1);
    expect(draw(a2)).toEqual(x);
    expect(draw(b)).not.toEqual(x);
    expect(draw(c)).not.toEqual(x);
  });
});

describe('createEngine', () => {
  it('rejects a malformed configuration with a clear message', () => {
    expect(() => createEngine({ seed: 1.5, startTime: '2026-03-01T00:00:00Z' })).toThrow(/seed/);
    expect(() => createEngine({ seed: 1, startTime: 'soon' })).toThrow(/startTime/);
    expect(() => createEngine({ seed: 1, startTime: 0, accountId: '12' })).toThrow(/accountId/);
  });

  it('reports simulated time and accepts ISO, epoch ms and Date for advanceTo', async () => {
    const e = createEngine({ seed: 1, startTime: '2026-03-01T00:00:00Z', region: 'ap-northeast-2' });
    expect(e.now()).toBe('2026-03-01T00:00:00.000Z');
    await e.advance(90_000);
    expect(e.now()).toBe('2026-03-01T00:01:30.000Z');
    await e.advanceTo('2026-03-01T01:00:00Z');
    await e.advanceTo(Date.UTC(2026, 2, 1, 2));
    await e.advanceTo(new Date(Date.UTC(2026, 2, 1, 3)));
    expect(e.now()).toBe('2026-03-01T03:00:00.000Z');
    await e.advanceTo('2026-03-01T00:00:00Z'); // the clock never goes back
    expect(e.now()).toBe('2026-03-01T03:00:00.000Z');
  });
});
