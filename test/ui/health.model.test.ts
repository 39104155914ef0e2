import { expect, test } from 'vitest';
import { arrangeHealth, bandOf, DEFAULT_HEALTH, DEFAULT_THRESHOLDS, validThresholds, valueOf } from '../../src/ui/health.model.ts';
import type { HealthTile } from '../../src/ui/ports.ts';

test('bands: the seed notes default 0–10 / 10–50 / 50–100, edges belong to the upper band', () => {
  const table: [number | null, string][] = [[0, 'low'], [9.99, 'low'], [10, 'mid'], [49.9, 'mid'], [50, 'high'], [100, 'high'], [null, 'none'], [Number.NaN, 'none']];
  for (const [v, band] of table) expect([v, bandOf(v, DEFAULT_THRESHOLDS)]).toEqual([v, band]);
  expect(bandOf(7, { low: 5, mid: 6 })).toBe('high');
  expect(validThresholds({ low: 10, mid: 50 })).toBe(true);
  expect(validThresholds({ low: 50, mid: 50 })).toBe(false);
  expect(validThresholds({ low: -1, mid: 50 })).toBe(false);
  expect(validThresholds({ low: 10, mid: 101 })).toBe(false);
});

const tile = (id: string, over: Partial<HealthTile>): HealthTile => ({
  instanceId: id, name: null, instanceType: 't3.micro', availabilityZone: 'ap-northeast-2a', state: 'running', tags: {}, cpu: null, mem: null, statusFailed: null, ...over,
});
const tiles = [
  tile('i-1', { name: 'web-1', cpu: 70, tags: { team: 'web' } }),
  tile('i-2', { name: 'web-2', cpu: 5, availabilityZone: 'ap-northeast-2c', tags: { team: 'web' }, mem: 42 }),
  tile('i-3', { name: 'batch', cpu: 20, instanceType: 'm5.large', statusFailed: 1 }),
  tile('i-4', { name: 'old', state: 'stopped' }),
];

test('sort by value puts missing data last; filter and state narrow; groups by AZ / tag / type', () => {
  const ids = (o: Partial<typeof DEFAULT_HEALTH>) => arrangeHealth(tiles, { ...DEFAULT_HEALTH, ...o }).map((g) => [g.key, g.tiles.map((t) => t.instanceId)]);
  expect(ids({})).toEqual([['', ['i-1', 'i-3', 'i-2', 'i-4']]]);
  expect(ids({ sortBy: 'value-asc' })).toEqual([['', ['i-2', 'i-3', 'i-1', 'i-4']]]);
  expect(ids({ sortBy: 'name' })).toEqual([['', ['i-3', 'i-4', 'i-1', 'i-2']]]);
  expect(ids({ filter: 'WEB' })).toEqual([['', ['i-1', 'i-2']]]);
  expect(ids({ state: 'stopped' })).toEqual([['', ['i-4']]]);
  expect(ids({ groupBy: 'az' })).toEqual([['ap-northeast-2a', ['i-1', 'i-3', 'i-4']], ['ap-northeast-2c', ['i-2']]]);
  expect(ids({ groupBy: 'tag', tagKey: 'team' })).toEqual([['web', ['i-1', 'i-2']], ['', ['i-3', 'i-4']]]);
  expect(ids({ groupBy: 'type' })).toEqual([['m5.large', ['i-3']], ['t3.micro', ['i-1', 'i-2', 'i-4']]]);
  const bands = arrangeHealth(tiles, { ...DEFAULT_HEALTH, sortBy: 'id' })[0]!.tiles.map((t) => t.band);
  expect(bands).toEqual(['high', 'low', 'mid', 'none']);
});

test('memory only where the agent publishes it; status checks map to 0 / 100', () => {
  expect(tiles.map((t) => valueOf(t, 'mem'))).toEqual([null, 42, null, null]);
  expect(tiles.map((t) => valueOf(t, 'status'))).toEqual([null, null, 100, null]);
  const status = arrangeHealth(tiles, { ...DEFAULT_HEALTH, metric: 'status', sortBy: 'id' })[0]!.tiles.map((t) => t.band);
  expect(status).toEqual(['none', 'none', 'high', 'none']);
});
