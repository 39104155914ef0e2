/**
 * Dashboards (대시보드): a picker over the account's dashboards and their widgets rendered as
 * line / stacked area graphs, numbers, gauges, alarm status lights and text, each graph with its
 * data table.
 */
import type { ConsoleModel, DashboardView, UiPort, WidgetView } from '../ports.ts';
import { stateLight } from './alarms.panel.ts';
import { formatValue, graphFigure } from './chart.svg.ts';
import { h, paragraphs, replace, TextBinder } from './dom.ts';

export class DashboardsPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly picker: HTMLSelectElement;
  private readonly pickBox: HTMLElement;
  private readonly body: HTMLElement;
  private last: unknown = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const label = h('label', { for: 'db-name' });
    this.texts.bind(() => { label.textContent = t('dashboards.pick'); });
    this.picker = h('select', { id: 'db-name', onchange: () => port.setView({ dashboard: this.picker.value }) });
    this.pickBox = h('div', { class: 'field' }, label, this.picker);
    this.body = h('div', { id: 'db-body' });
    this.el = h('div', { id: 'dashboards' }, this.pickBox, this.body);
    this.texts.bind(() => { this.last = null; });
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    if (!m.dashboards || m.dashboards === this.last) return;
    this.last = m.dashboards;
    const t = this.port.t;
    const { names, current } = m.dashboards;
    this.pickBox.hidden = names.length === 0;
    replace(this.picker, ...names.map((n) => h('option', { value: n }, n)));
    if (current) this.picker.value = current.name;
    replace(this.body, names.length === 0 ? h('p', { class: 'muted', id: 'db-empty' }, t('dashboards.none'))
      : current ? this.render(current) : h('p', { class: 'muted' }, t('dashboards.unavailable')));
  }

  private render(d: DashboardView): HTMLElement {
    return h('div', { class: 'widgets' }, ...d.widgets.map((w, i) => h('section', { class: `widget widget-${w.kind}`, 'data-widget': i }, this.widget(w))));
  }

  private widget(w: WidgetView): HTMLElement {
    const t = this.port.t, lang = this.port.lang();
    switch (w.kind) {
      case 'line': case 'stacked':
        return graphFigure(w.graph, t, lang, { stacked: w.kind === 'stacked', caption: w.title || w.graph.title });
      case 'number':
        return h('div', {}, h('h3', {}, w.title), h('ul', { class: 'numbers' }, ...w.items.map((it) =>
          h('li', {}, h('span', { class: 'big-number' }, it.value === null ? '—' : formatValue(it.value)), ' ', it.unit, h('br'), h('span', { class: 'muted' }, it.label)))));
      case 'gauge':
        return h('div', {}, h('h3', {}, w.title), ...w.items.map((it) => h('div', { class: 'gauge' },
          h('label', {}, it.label, ' ', h('meter', { min: w.min, max: w.max, value: it.value ?? w.min }), ' ', it.value === null ? '—' : formatValue(it.value)))));
      case 'alarm':
        return h('div', {}, h('h3', {}, w.title || t('dashboards.alarmStatus')), h('ul', { class: 'alarm-lights' },
          ...w.alarms.map((a) => h('li', {}, stateLight(a.state, t(`alarms.stateLabel.${a.state}`)), ' ', a.name))));
      case 'text':
        return h('div', { class: 'text-widget' }, w.title ? h('h3', {}, w.title) : null, ...paragraphs(w.markdown));
    }
  }
}
