/**
 * EC2 Resource Health: a colour map of instances by CPU, memory (when the CloudWatch agent
 * publishes it) or status checks, with editable thresholds (default 0–10 / 10–50 / 50–100 as in
 * the source notes), grouping, filtering and sorting. Each cell also says its value and band in
 * text, so the map reads without colour.
 */
import {
  arrangeHealth, DEFAULT_HEALTH, GROUP_BYS, HEALTH_METRICS, SORT_BYS, validThresholds,
  type GroupBy, type HealthMetric, type HealthOptions, type SortBy,
} from '../health.model.ts';
import type { ConsoleModel, HealthTile, UiPort } from '../ports.ts';
import { h, replace, TextBinder } from './dom.ts';

const STATES = ['', 'pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];

export class HealthPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private opts: HealthOptions = { ...DEFAULT_HEALTH, thresholds: { ...DEFAULT_HEALTH.thresholds } };
  private readonly map: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly status: HTMLElement;
  private readonly tagKey: HTMLElement;
  private tiles: HealthTile[] | null = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const tx = <E extends HTMLElement>(el: E, key: string) => { this.texts.bind(() => { el.textContent = t(key); }); return el; };
    const field = (id: string, key: string, input: HTMLElement) => h('div', { class: 'field' }, tx(h('label', { for: id }), key), input);
    const options = (sel: HTMLSelectElement, values: readonly string[], key: (v: string) => string) => {
      for (const v of values) sel.append(tx(h('option', { value: v }), key(v || 'all')));
      return sel;
    };
    const metric = options(h('select', { id: 'rh-metric', onchange: (e: Event) => this.set({ metric: (e.target as HTMLSelectElement).value as HealthMetric }) }), HEALTH_METRICS, (v) => `health.metric.${v}`);
    const low = h('input', { id: 'rh-low', type: 'number', min: 0, max: 100, step: 'any', value: this.opts.thresholds.low,
      onchange: (e: Event) => this.setThreshold('low', (e.target as HTMLInputElement).valueAsNumber) });
    const mid = h('input', { id: 'rh-mid', type: 'number', min: 0, max: 100, step: 'any', value: this.opts.thresholds.mid,
      onchange: (e: Event) => this.setThreshold('mid', (e.target as HTMLInputElement).valueAsNumber) });
    const group = options(h('select', { id: 'rh-group', onchange: (e: Event) => this.set({ groupBy: (e.target as HTMLSelectElement).value as GroupBy }) }), GROUP_BYS, (v) => `health.group.${v}`);
    const tag = h('input', { id: 'rh-tag', value: this.opts.tagKey, autocomplete: 'off', spellcheck: 'false', onchange: (e: Event) => this.set({ tagKey: (e.target as HTMLInputElement).value.trim() || 'Name' }) });
    this.tagKey = field('rh-tag', 'health.tagKey', tag);
    const state = options(h('select', { id: 'rh-state', onchange: (e: Event) => this.set({ state: (e.target as HTMLSelectElement).value }) }), STATES, (v) => `health.state.${v}`);
    const filter = h('input', { id: 'rh-filter', type: 'search', autocomplete: 'off', spellcheck: 'false', oninput: (e: Event) => this.set({ filter: (e.target as HTMLInputElement).value }) });
    const sort = options(h('select', { id: 'rh-sort', onchange: (e: Event) => this.set({ sortBy: (e.target as HTMLSelectElement).value as SortBy }) }), SORT_BYS, (v) => `health.sort.${v}`);
    this.status = h('p', { id: 'rh-status', role: 'status', class: 'status' });
    this.legend = h('ul', { id: 'rh-legend', class: 'legend' });
    this.map = h('div', { id: 'rh-map' });
    this.el = h('div', { id: 'health' },
      tx(h('p', { class: 'muted' }), 'health.about'),
      h('div', { class: 'form-grid' },
        field('rh-metric', 'health.metricLabel', metric),
        field('rh-low', 'health.low', low),
        field('rh-mid', 'health.mid', mid),
        field('rh-group', 'health.groupBy', group),
        this.tagKey,
        field('rh-state', 'health.stateFilter', state),
        field('rh-filter', 'health.filter', filter),
        field('rh-sort', 'health.sortBy', sort)),
      this.status, this.legend, this.map);
    this.texts.bind(() => this.render());
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    if (!m.health || m.health === this.tiles) return;
    this.tiles = m.health;
    this.render();
  }

  private set(change: Partial<HealthOptions>): void { this.opts = { ...this.opts, ...change }; this.render(); }

  private setThreshold(which: 'low' | 'mid', value: number): void {
    const next = { ...this.opts.thresholds, [which]: value };
    if (!validThresholds(next)) { this.status.textContent = this.port.t('health.badThresholds'); return; }
    this.status.textContent = this.port.t('health.thresholdsSet', { low: next.low, mid: next.mid });
    this.set({ thresholds: next });
  }

  private render(): void {
    const t = this.port.t;
    const { low, mid } = this.opts.thresholds;
    this.tagKey.hidden = this.opts.groupBy !== 'tag';
    replace(this.legend,
      h('li', { class: 'band-low' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t('health.band.low', { from: 0, to: low })),
      h('li', { class: 'band-mid' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t('health.band.mid', { from: low, to: mid })),
      h('li', { class: 'band-high' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t('health.band.high', { from: mid, to: 100 })),
      h('li', { class: 'band-none' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t('health.band.none')));
    const tiles = this.tiles ?? [];
    if (tiles.length === 0) { replace(this.map, h('p', { class: 'muted' }, t('console.noInstances'))); return; }
    const groups = arrangeHealth(tiles, this.opts);
    const fmt = (v: number | null) => (v === null ? t('health.noData') : this.opts.metric === 'status' ? t(v > 0 ? 'health.statusFailed' : 'health.statusOk') : `${v.toFixed(1)}%`);
    replace(this.map, ...(groups.length === 0 ? [h('p', { class: 'muted' }, t('health.noMatch'))] : groups.map((g) => h('section', { class: 'rh-group', 'data-group': g.key },
      this.opts.groupBy === 'none' ? null : h('h3', {}, g.key || t('health.noGroupValue')),
      h('ul', { class: 'rh-cells' }, ...g.tiles.map((c) => h('li', { class: `rh-cell band-${c.band}`, 'data-instance': c.instanceId, 'data-band': c.band,
        title: `${c.name ?? ''} ${c.instanceId} · ${c.instanceType} · ${c.availabilityZone}` },
        h('span', { class: 'rh-name' }, c.name ?? c.instanceId),
        h('span', { class: 'rh-value' }, fmt(c.value)),
        h('span', { class: 'sr-only' }, ` ${t(`health.bandName.${c.band}`)}, ${c.instanceId}, ${t(`ec2.state.${c.state}`)}`))))))));
  }
}
