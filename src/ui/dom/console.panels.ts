/**
 * The console's DOM side, organised in tabs: the overview (briefing, objectives, messages from
 * actors, hints, the Event history panel, the text/table alternatives of what the canvas draws),
 * the metric explorer, alarms, dashboards, EC2 Resource Health, SNS inboxes, Auto Scaling and the
 * AWS CLI terminal; and
 * the quiz overlay. Each part re-renders only when its slice of the model changed (unchanged
 * slices keep their identity, so most checks compare references).
 */
import { CONSOLE_TABS, loc, type ConsoleModel, type ConsoleTab, type UiPort } from '../ports.ts';
import { AlarmsPanel } from './alarms.panel.ts';
import { AsgPanel } from './asg.panel.ts';
import { DashboardsPanel } from './dashboards.panel.ts';
import { HealthPanel } from './health.panel.ts';
import { MetricsPanel } from './metrics.panel.ts';
import { SnsPanel } from './sns.panel.ts';
import { Tabs } from './tabs.ts';
import { TerminalPanel } from './terminal.panel.ts';
import { EventHistoryPanel } from './event-history.panel.ts';
import { formatTime, h, paragraphs, replace, TextBinder } from './dom.ts';
import { QuizOverlay } from './quiz.overlay.ts';

export class ConsolePanels {
  readonly quiz: QuizOverlay;
  private readonly texts = new TextBinder();
  private readonly history: EventHistoryPanel;
  private readonly briefing: HTMLElement;
  private readonly objectives: HTMLElement;
  private readonly messages: HTMLElement;
  private readonly hints: HTMLElement;
  private readonly instances: HTMLElement;
  private readonly cpu: HTMLElement;
  private readonly ehToggle: HTMLButtonElement;
  private readonly keys = new Map<string, string>();
  private readonly refs = new Map<string, unknown>();
  private model: ConsoleModel | null = null;
  private cpuStale = false;
  private readonly tabs: Tabs<ConsoleTab>;
  private readonly tabPanels: { update(m: ConsoleModel): void; applyLanguage(): void }[];

  constructor(private readonly panelsRoot: HTMLElement, private readonly overlayRoot: HTMLElement, private readonly port: UiPort,
    onQuizDone: () => void) {
    const t = port.t;
    const text = <E extends HTMLElement>(el: E, key: string) => { this.texts.bind(() => { el.textContent = t(key); }); return el; };
    this.briefing = h('section', { id: 'briefing', class: 'overlay-card briefing', role: 'dialog', 'aria-labelledby': 'briefing-title', hidden: true });
    this.objectives = h('ul', { id: 'objectives', class: 'checklist' });
    this.messages = h('ol', { id: 'messages', class: 'messages', 'aria-live': 'polite' });
    this.hints = h('ul', { id: 'hints', class: 'hints' });
    this.instances = h('div', { id: 'instances-table' });
    this.cpu = h('div', { id: 'cpu-table' });
    this.history = new EventHistoryPanel(port);
    this.history.el.hidden = true;
    this.ehToggle = h('button', { type: 'button', id: 'eh-open', class: 'primary', 'aria-expanded': 'false', 'aria-controls': 'event-history',
      onclick: () => this.toggleHistory() });
    this.texts.bind(() => { this.ehToggle.textContent = t(this.history.el.hidden ? 'eventHistory.open' : 'eventHistory.close'); });
    this.quiz = new QuizOverlay(port, onQuizDone);
    const metrics = new MetricsPanel(port), alarms = new AlarmsPanel(port), dashboards = new DashboardsPanel(port);
    const health = new HealthPanel(port), sns = new SnsPanel(port), asg = new AsgPanel(port), terminal = new TerminalPanel(port);
    this.tabPanels = [metrics, alarms, dashboards, health, sns, asg, terminal];
    this.tabs = new Tabs<ConsoleTab>('console', CONSOLE_TABS, port.viewRequest().tab, (tab) => port.setView({ tab }));
    this.tabs.list.setAttribute('aria-label', t('console.tabs'));
    this.texts.bind(() => {
      this.tabs.list.setAttribute('aria-label', t('console.tabs'));
      for (const k of CONSOLE_TABS) this.tabs.label(k, t(`console.tab.${k}`));
    });
    const titled = (k: ConsoleTab, el: HTMLElement) => this.tabs.panel(k, h('section', { class: 'panel' }, text(h('h2', {}), `console.tab.${k}`), el));
    const overview = this.tabs.panel('overview',
      h('section', { class: 'panel', 'aria-labelledby': 'obj-title' }, text(h('h2', { id: 'obj-title' }), 'console.objectives'), this.objectives),
      h('section', { class: 'panel', 'aria-labelledby': 'msg-title' }, text(h('h2', { id: 'msg-title' }), 'console.messages'), this.messages),
      h('section', { class: 'panel tools' }, this.ehToggle),
      this.history.el,
      h('section', { class: 'panel', 'aria-labelledby': 'hint-title' }, text(h('h2', { id: 'hint-title' }), 'console.hints'), this.hints),
      h('section', { class: 'panel', 'aria-labelledby': 'inst-title' }, text(h('h2', { id: 'inst-title' }), 'console.instances'), this.instances),
      h('section', { class: 'panel', 'aria-labelledby': 'cpu-title' }, text(h('h2', { id: 'cpu-title' }), 'console.cpuGraph'), this.cpu));
    replace(panelsRoot, this.tabs.list, overview,
      titled('metrics', metrics.el), titled('alarms', alarms.el), titled('dashboards', dashboards.el),
      titled('health', health.el), titled('sns', sns.el), titled('asg', asg.el), titled('terminal', terminal.el));
    replace(overlayRoot, this.briefing, this.quiz.el);
    this.texts.bind(() => { this.keys.clear(); this.refs.clear(); if (this.model) this.update(this.model); });
  }

  applyLanguage(): void {
    this.texts.apply();
    this.history.applyLanguage();
    this.quiz.applyLanguage();
    for (const p of this.tabPanels) p.applyLanguage();
  }

  destroy(): void {
    this.panelsRoot.replaceChildren();
    this.overlayRoot.replaceChildren();
  }

  private changed(part: string, key: unknown): boolean {
    const k = JSON.stringify(key);
    if (this.keys.get(part) === k) return false;
    this.keys.set(part, k);
    return true;
  }

  /** Reference check for slices the run proxy keeps identical while unchanged. */
  private changedRef(part: string, ...values: unknown[]): boolean {
    const prev = this.refs.get(part) as unknown[] | undefined;
    if (prev && prev.length === values.length && prev.every((v, i) => v === values[i])) return false;
    this.refs.set(part, values);
    return true;
  }

  private toggleHistory(): void {
    const opening = this.history.el.hidden;
    this.history.el.hidden = !opening;
    this.ehToggle.setAttribute('aria-expanded', String(opening));
    this.ehToggle.textContent = this.port.t(opening ? 'eventHistory.close' : 'eventHistory.open');
    if (opening) this.history.open();
  }

  update(m: ConsoleModel): void {
    this.model = m;
    const t = this.port.t;
    const lang = this.port.lang();
    const v = m.view;
    if (this.changed('briefing', [v.phase, v.briefing, v.title])) {
      const show = v.phase === 'briefing' && !v.finished;
      this.briefing.hidden = !show;
      replace(this.briefing, ...(show ? [
        h('h2', { id: 'briefing-title' }, loc(v.title, lang)),
        h('div', { id: 'briefing-text' }, ...paragraphs(loc(v.briefing, lang))),
        h('button', { type: 'button', id: 'begin', class: 'primary big', onclick: () => this.port.beginRun() }, t('console.begin')),
      ] : []));
      if (show) queueMicrotask(() => this.briefing.querySelector<HTMLElement>('#begin')?.focus());
    }
    if (this.changed('objectives', v.objectives)) {
      replace(this.objectives, ...v.objectives.map((o) => h('li', { class: o.done ? 'done' : '', 'data-objective': o.id },
        h('span', { 'aria-hidden': 'true', class: 'mark' }, o.done ? '✔' : '○'),
        h('span', { class: 'sr-only' }, t(o.done ? 'console.done' : 'console.notDone')),
        ' ', loc(o.text, lang))));
    }
    if (this.changed('messages', v.messages)) {
      replace(this.messages, ...(v.messages.length ? v.messages.map((msg) => h('li', { class: 'message', 'data-from': msg.from },
        h('span', { class: 'from' }, msg.from), ' ', h('time', { datetime: msg.at, class: 'muted' }, formatTime(msg.at, lang, false)),
        h('p', {}, loc(msg.text, lang)))) : [h('li', { class: 'muted' }, t('console.noMessages'))]));
    }
    if (this.changed('hints', v.hints)) {
      replace(this.hints, ...(v.hints.length ? v.hints.map((hint, i) => h('li', {},
        hint.used && hint.text ? h('p', {}, loc(hint.text, lang))
          : h('button', { type: 'button', 'data-hint': hint.id, onclick: () => this.port.useHint(hint.id) },
            t('console.useHint', { n: i + 1, cost: hint.cost })))) : [h('li', { class: 'muted' }, t('console.noHints'))]));
    }
    if (this.changedRef('instances', m.instances)) this.renderInstances(m);
    if (this.changedRef('cpu', m.cpu, m.selectedInstanceId, m.instances)) {
      // The table behind a closed disclosure is rebuilt when it is opened, not on every new datapoint.
      const details = this.cpu.querySelector<HTMLDetailsElement>('#cpu-details');
      const sameShape = this.changedRef('cpu-shape', m.selectedInstanceId, m.instances, m.cpu === null, (m.cpu?.values.length ?? 0) === 0) === false;
      if (details && !details.open && sameShape) this.cpuStale = true; else this.renderCpu(m);
    }
    if (this.tabs.selected !== 'overview') for (const p of this.tabPanels) p.update(m);
    this.quiz.update(v);
  }

  private renderInstances(m: ConsoleModel): void {
    const t = this.port.t;
    const th = (k: string) => h('th', { scope: 'col' }, t(k));
    replace(this.instances, m.instances.length === 0 ? h('p', { class: 'muted' }, t('console.noInstances')) :
      h('table', { class: 'data', id: 'instances' },
        h('caption', { class: 'sr-only' }, t('console.instancesCaption', { account: m.accountId, region: m.region })),
        h('thead', {}, h('tr', {}, th('console.col.name'), th('console.col.id'), th('console.col.state'), th('console.col.type'))),
        h('tbody', {}, ...m.instances.map((i) => h('tr', { 'data-instance': i.instanceId, 'data-state': i.state },
          h('td', {}, i.name ?? '—'), h('td', { class: 'mono' }, i.instanceId),
          h('td', {}, h('span', { class: `state state-${i.state}` }, t(`ec2.state.${i.state}`))), h('td', {}, i.instanceType))))));
  }

  private renderCpu(m: ConsoleModel): void {
    this.cpuStale = false;
    const t = this.port.t;
    const lang = this.port.lang();
    const select = h('select', { id: 'cpu-instance', onchange: (ev: Event) => this.port.selectInstance((ev.target as HTMLSelectElement).value) },
      ...m.instances.map((i) => h('option', { value: i.instanceId, selected: i.instanceId === m.selectedInstanceId }, `${i.name ?? ''} ${i.instanceId}`.trim())));
    const pick = m.instances.length ? h('div', { class: 'field' }, h('label', { for: 'cpu-instance' }, t('console.graphInstance')), select) : null;
    const cpu = m.cpu;
    const body = !cpu || cpu.values.length === 0 ? h('p', { class: 'muted', id: 'cpu-empty' }, t('console.noMetrics')) :
      h('details', { id: 'cpu-details', ontoggle: (ev: Event) => {
        if (!(ev.target as HTMLDetailsElement).open || !this.cpuStale || !this.model) return;
        this.renderCpu(this.model);
        this.cpu.querySelector<HTMLDetailsElement>('#cpu-details')?.setAttribute('open', '');
      } },
        h('summary', {}, t('console.graphAsTable')),
        h('div', { class: 'table-scroll' }, h('table', { class: 'data' },
          h('caption', {}, t('console.cpuCaption', { name: cpu.name ?? cpu.instanceId, period: cpu.periodSeconds / 60 })),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('console.col.time')), h('th', { scope: 'col' }, t('console.col.cpu')))),
          h('tbody', {}, ...cpu.timestamps.map((ts, i) => h('tr', {},
            h('td', {}, formatTime(ts, lang, false)), h('td', { class: 'num' }, `${(cpu.values[i] ?? 0).toFixed(1)}%`)))))));
    replace(this.cpu, pick, body);
  }
}
