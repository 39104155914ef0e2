/**
 * The Event history panel (이벤트 기록), as a DOM overlay: a real form, a real table and
 * buttons, so it works with a keyboard and a screen reader. It asks the port to run
 * `cloudtrail:LookupEvents` as the learner; all filtering and paging is the engine's.
 */
import {
  buildLookupParams, DEFAULT_FILTER, LOOKUP_ATTRIBUTES, rowsFromOutput, TIME_RANGES,
  type EventHistoryFilter, type EventRow, type LookupAttribute, type TimeRange,
} from '../event-history.model.ts';
import type { LookupResult, UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

export class EventHistoryPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private filter: EventHistoryFilter = { ...DEFAULT_FILTER };
  /** the params of the current query's first page; later pages add a NextToken */
  private baseParams: Record<string, unknown> | null = null;
  /** tokens[i] is the NextToken that fetches page i (page 0 has none) */
  private tokens: (string | null)[] = [null];
  private page = 0;
  private rows: EventRow[] = [];
  private nextToken: string | null = null;
  private selected: string | null = null;
  private status: { key: string; opts?: Record<string, unknown> } | null = null;
  private seq = 0;

  private readonly attr: HTMLSelectElement;
  private readonly value: HTMLInputElement;
  private readonly valueBool: HTMLSelectElement;
  private readonly range: HTMLSelectElement;
  private readonly start: HTMLInputElement;
  private readonly end: HTMLInputElement;
  private readonly customBox: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly pageEl: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly json: HTMLPreElement;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const label = (forId: string, key: string) => { const l = h('label', { for: forId }); this.texts.bind(() => { l.textContent = t(key); }); return l; };
    const text = <E extends HTMLElement>(el: E, key: string, opts?: () => Record<string, unknown>) => { this.texts.bind(() => { el.textContent = t(key, opts?.()); }); return el; };

    this.attr = h('select', { id: 'eh-attr', onchange: () => this.onAttrChange() });
    for (const a of LOOKUP_ATTRIBUTES) this.attr.append(text(h('option', { value: a }), `eventHistory.attr.${a}`));
    this.value = h('input', { id: 'eh-value', type: 'text', autocomplete: 'off', spellcheck: 'false' });
    this.valueBool = h('select', { id: 'eh-value-bool' });
    for (const v of ['false', 'true']) this.valueBool.append(h('option', { value: v, text: v }));
    this.range = h('select', { id: 'eh-range', onchange: () => this.syncCustom() });
    for (const r of TIME_RANGES) this.range.append(text(h('option', { value: r }), `eventHistory.range.${r}`));
    this.start = h('input', { id: 'eh-start', type: 'datetime-local' });
    this.end = h('input', { id: 'eh-end', type: 'datetime-local' });
    this.customBox = h('div', { class: 'eh-custom' },
      h('div', { class: 'field' }, label('eh-start', 'eventHistory.start'), this.start),
      h('div', { class: 'field' }, label('eh-end', 'eventHistory.end'), this.end));
    const valueLabel = h('label', { for: 'eh-value', id: 'eh-value-label' });
    this.texts.bind(() => { valueLabel.textContent = t('eventHistory.value'); });

    const form = h('form', { id: 'eh-form', role: 'search', onsubmit: (ev: Event) => { ev.preventDefault(); this.lookup(); } },
      h('div', { class: 'field' }, label('eh-attr', 'eventHistory.attribute'), this.attr),
      h('div', { class: 'field' }, valueLabel, this.value, this.valueBool),
      h('div', { class: 'field' }, label('eh-range', 'eventHistory.timeRange'), this.range),
      this.customBox,
      text(h('button', { type: 'submit', id: 'eh-lookup', class: 'primary' }), 'eventHistory.lookup'));

    this.statusEl = h('p', { id: 'eh-status', role: 'status', class: 'status' });
    this.tbody = h('tbody');
    const th = (key: string) => text(h('th', { scope: 'col' }), key);
    const table = h('table', { id: 'eh-table', class: 'data' },
      text(h('caption', { class: 'sr-only' }), 'eventHistory.caption'),
      h('thead', {}, h('tr', {}, th('eventHistory.col.time'), th('eventHistory.col.user'), th('eventHistory.col.event'), th('eventHistory.col.resource'))),
      this.tbody);
    this.prev = h('button', { type: 'button', id: 'eh-prev', onclick: () => this.goPage(this.page - 1) });
    this.next = h('button', { type: 'button', id: 'eh-next', onclick: () => this.goPage(this.page + 1) });
    this.pageEl = h('span', { id: 'eh-page' });
    text(this.prev, 'eventHistory.prev');
    text(this.next, 'eventHistory.next');
    this.json = h('pre', { id: 'eh-json', tabindex: 0, class: 'json' });
    const detailTitle = text(h('h3', { id: 'eh-detail-title' }), 'eventHistory.record');
    this.json.setAttribute('aria-labelledby', 'eh-detail-title');
    this.detail = h('section', { id: 'eh-detail', hidden: true }, detailTitle, this.json);

    const title = text(h('h2', { id: 'eh-title' }), 'eventHistory.title');
    const about = text(h('p', { class: 'muted' }), 'eventHistory.about');
    this.el = h('section', { id: 'event-history', class: 'panel', 'aria-labelledby': 'eh-title' },
      title, about, form, this.statusEl,
      h('div', { class: 'table-scroll' }, table),
      h('nav', { class: 'pager', 'aria-labelledby': 'eh-title' }, this.prev, this.pageEl, this.next),
      this.detail);
    this.writeForm();
    this.texts.bind(() => this.renderRows());
  }

  /** Re-renders every text in the current language. */
  applyLanguage(): void { this.texts.apply(); }

  /** Opening the panel loads the newest events with the current filter, as the console does. */
  open(): void {
    this.lookup();
    this.attr.focus();
  }

  private writeForm(): void {
    this.attr.value = this.filter.attribute;
    if (this.filter.attribute === 'ReadOnly') this.valueBool.value = this.filter.value === 'true' ? 'true' : 'false';
    else this.value.value = this.filter.value;
    this.range.value = this.filter.range;
    this.start.value = this.filter.customStart;
    this.end.value = this.filter.customEnd;
    this.syncValueField();
    this.syncCustom();
  }

  private readForm(): EventHistoryFilter {
    const attribute = this.attr.value as LookupAttribute;
    return {
      attribute,
      value: attribute === 'ReadOnly' ? this.valueBool.value : this.value.value,
      range: this.range.value as TimeRange,
      customStart: this.start.value,
      customEnd: this.end.value,
    };
  }

  private onAttrChange(): void {
    this.syncValueField();
    if (this.attr.value !== 'ReadOnly') this.value.focus();
  }

  private syncValueField(): void {
    const bool = this.attr.value === 'ReadOnly';
    this.valueBool.hidden = !bool;
    this.value.hidden = bool;
    document.getElementById('eh-value-label')?.setAttribute('for', bool ? 'eh-value-bool' : 'eh-value');
  }

  private syncCustom(): void { this.customBox.hidden = this.range.value !== 'custom'; }

  /** Runs a new query from the form (page 1). */
  lookup(): void {
    this.filter = this.readForm();
    const model = this.port.console();
    const nowMs = model ? Date.parse(model.view.now) : 0;
    const built = buildLookupParams(this.filter, nowMs);
    if ('problem' in built) { this.setStatus('eventHistory.badRange'); return; }
    this.baseParams = built.params;
    this.tokens = [null];
    this.page = 0;
    this.fetch();
  }

  private goPage(page: number): void {
    if (page < 0 || page >= this.tokens.length || !this.baseParams) return;
    this.page = page;
    this.fetch();
  }

  /** Runs LookupEvents for the current page; only the newest request's answer is shown. */
  private fetch(): void {
    if (!this.baseParams) return;
    const token = this.tokens[this.page];
    const seq = ++this.seq;
    void this.port.lookupEvents(token ? { ...this.baseParams, NextToken: token } : { ...this.baseParams })
      .then((res) => { if (seq === this.seq) this.show(res); });
  }

  private show(res: LookupResult): void {
    if (!res.ok) {
      this.rows = []; this.nextToken = null;
      this.setStatus('eventHistory.error', { code: res.error?.code ?? '', message: res.error?.message ?? '' });
    } else {
      const { rows, nextToken } = rowsFromOutput(res.output);
      this.rows = rows; this.nextToken = nextToken;
      if (nextToken) this.tokens[this.page + 1] = nextToken;
      this.tokens.length = this.page + (nextToken ? 2 : 1);
      this.setStatus(rows.length ? 'eventHistory.count' : 'eventHistory.empty', { count: rows.length, page: this.page + 1 });
    }
    if (this.selected && !this.rows.some((r) => r.eventId === this.selected)) this.selected = null;
    this.renderRows();
  }

  private setStatus(key: string, opts?: Record<string, unknown>): void {
    this.status = { key, opts };
    this.statusEl.textContent = this.port.t(key, opts);
  }

  private renderRows(): void {
    const lang = this.port.lang();
    const t = this.port.t;
    if (this.status) this.statusEl.textContent = t(this.status.key, this.status.opts);
    replace(this.tbody, ...this.rows.map((r) => {
      const isSel = r.eventId === this.selected;
      const btn = h('button', { type: 'button', class: 'link', 'aria-expanded': String(isSel), 'aria-controls': 'eh-detail',
        onclick: () => this.select(r.eventId) }, r.eventName);
      return h('tr', { 'data-event-id': r.eventId, class: isSel ? 'selected' : null },
        h('td', {}, formatTime(r.time, lang)),
        h('td', {}, r.userName || '—'),
        h('td', {}, btn),
        h('td', {}, r.resourceNames.join(', ') || '—'));
    }));
    this.prev.disabled = this.page === 0;
    this.next.disabled = !this.nextToken;
    this.pageEl.textContent = t('eventHistory.page', { page: this.page + 1 });
    const sel = this.rows.find((r) => r.eventId === this.selected);
    this.detail.hidden = !sel;
    this.json.textContent = sel ? sel.recordJson : '';
  }

  private select(eventId: string): void {
    this.selected = this.selected === eventId ? null : eventId;
    this.renderRows();
    if (this.selected) this.json.focus();
  }
}
