/**
 * EC2 Resource Health's pure part: colour bands from editable thresholds (the seed notes' default
 * 0–10 white, 10–50 orange, 50–100 red), grouping by AZ / tag / instance type / state, filtering
 * and sorting. https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ (EC2 Resource Health)
 */
import type { HealthTile } from './ports.ts';

export const HEALTH_METRICS = ['cpu', 'mem', 'status'] as const;
export type HealthMetric = (typeof HEALTH_METRICS)[number];
export const GROUP_BYS = ['none', 'az', 'type', 'state', 'tag'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const SORT_BYS = ['value-desc', 'value-asc', 'name', 'id'] as const;
export type SortBy = (typeof SORT_BYS)[number];

/** Band colours, lowest first. */
export type Band = 'low' | 'mid' | 'high' | 'none';

/** Upper bounds of the low and middle bands (percent). */
export interface Thresholds { low: number; mid: number }
export const DEFAULT_THRESHOLDS: Thresholds = { low: 10, mid: 50 };

export interface HealthOptions {
  metric: HealthMetric;
  thresholds: Thresholds;
  groupBy: GroupBy;
  /** tag key when grouping by tag */
  tagKey: string;
  /** text that must appear in the name, id, type, AZ or state (case-insensitive) */
  filter: string;
  /** only these instance states ('' = all) */
  state: string;
  sortBy: SortBy;
}

export const DEFAULT_HEALTH: HealthOptions = {
  metric: 'cpu', thresholds: DEFAULT_THRESHOLDS, groupBy: 'none', tagKey: 'Name', filter: '', state: '', sortBy: 'value-desc',
};

/** Whether the thresholds make bands: 0 ≤ low < mid ≤ 100. */
export const validThresholds = (t: Thresholds) => Number.isFinite(t.low) && Number.isFinite(t.mid) && t.low >= 0 && t.low < t.mid && t.mid <= 100;

/** The tile's value for a metric (status check: 0 passed, 100 failed, to share the bands). */
export function valueOf(tile: HealthTile, metric: HealthMetric): number | null {
  if (metric === 'cpu') return tile.cpu;
  if (metric === 'mem') return tile.mem;
  return tile.statusFailed === null ? null : tile.statusFailed > 0 ? 100 : 0;
}

/** [0, low) low, [low, mid) mid, [mid, 100] high; no data: none. */
export function bandOf(value: number | null, t: Thresholds): Band {
  if (value === null || Number.isNaN(value)) return 'none';
  return value < t.low ? 'low' : value < t.mid ? 'mid' : 'high';
}

export interface HealthGroup { key: string; tiles: (HealthTile & { value: number | null; band: Band })[] }

export function groupKey(tile: HealthTile, o: HealthOptions): string {
  switch (o.groupBy) {
    case 'none': return '';
    case 'az': return tile.availabilityZone;
    case 'type': return tile.instanceType;
    case 'state': return tile.state;
    case 'tag': return tile.tags[o.tagKey] ?? '';
  }
}

/** Filters, bands, sorts and groups the tiles (groups in key order; '' sorts last as "no value"). */
export function arrangeHealth(tiles: readonly HealthTile[], o: HealthOptions): HealthGroup[] {
  const needle = o.filter.trim().toLowerCase();
  const rows = tiles
    .filter((t) => !o.state || t.state === o.state)
    .filter((t) => !needle || [t.name ?? '', t.instanceId, t.instanceType, t.availabilityZone, t.state, ...Object.values(t.tags)].some((s) => s.toLowerCase().includes(needle)))
    .map((t) => { const value = valueOf(t, o.metric); return { ...t, value, band: bandOf(value, o.thresholds) }; });
  const cmpValue = (a: number | null, b: number | null, dir: 1 | -1) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : (a - b) * dir);
  rows.sort((a, b) => {
    switch (o.sortBy) {
      case 'value-desc': return cmpValue(a.value, b.value, -1) || a.instanceId.localeCompare(b.instanceId);
      case 'value-asc': return cmpValue(a.value, b.value, 1) || a.instanceId.localeCompare(b.instanceId);
      case 'name': return (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.instanceId.localeCompare(b.instanceId);
      case 'id': return a.instanceId.localeCompare(b.instanceId);
    }
  });
  const groups = new Map<string, HealthGroup>();
  for (const r of rows) {
    const k = groupKey(r, o);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: k, tiles: [] }));
    g.tiles.push(r);
  }
  return [...groups.values()].sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : a.key.localeCompare(b.key)));
}
