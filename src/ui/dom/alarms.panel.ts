/**
 * Alarms (경보): every alarm with its state as a coloured light and a text label (OK green, ALARM
 * red, INSUFFICIENT_DATA grey), its condition and its history with AWS's StateReason ("why"),
 * plus small forms for PutMetricAlarm and SetAlarmState, sent as the learner through the run.
 */
import type { AlarmView, ConsoleModel, LookupResult, UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

export const OPERATORS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export const OP_SYMBOL: Record<string, string> = {
  GreaterThanThreshold: '>', GreaterThanOrEqualToThreshold: '>=', LessThanThreshold: '<', LessThanOrEqualToThreshold: '<=',
};
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
const STATS = ['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount', 'p90', 'p99'];
const PERIODS = [10, 30, 60, 300, 900, 3600];
const TREATMENTS = ['missing', 'ignore', 'breaching', 'notBreaching'];

/** A state light: the colour is decoration; the text label carries the meaning. */
export function stateLight(state: string, label: string): HTMLElement {
  return h('span', { class: `alarm-state state-${state}`, 'data-state': state },
    h('span', { class: 'light', 'aria-hidden': 'true' }), label);
}

export class AlarmsPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly list: HTMLElement;
  private readonly createStatus: HTMLElement;
  private readonly setStatus: HTMLElement;
  private readonly setAlarm: HTMLSelectElement;
  private readonly dimValues: HTMLDataListElement;
  private readonly dimValue: HTMLInputElement;
  private alarms: AlarmView[] | null = null;
  private instancesRef: unknown = null;
  private open = new Set<string>();
  private model: ConsoleModel | null = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const tx = <E extends HTMLElement>(el: E, key: string) => { this.texts.bind(() => { el.textContent = t(key); }); return el; };
    const field = (id: string, key: string, input: HTMLElement) => h('div', { class: 'field' }, tx(h('label', { for: id }), key), input);
    const select = (id: string, values: readonly (string | number)[], value: string | number) => {
      const s = h('select', { id, name: id }, ...values.map((v) => h('option', { value: v }, String(v))));
      s.value = String(value);
      return s;
    };
    this.list = h('div', { id: 'alarm-list' });
    this.dimValues = h('datalist', { id: 'al-dim-values' });
    this.dimValue = h('input', { id: 'al-dim-value', name: 'al-dim-value', list: 'al-dim-values', autocomplete: 'off', spellcheck: 'false' });
    const ops = h('select', { id: 'al-op', name: 'al-op' });
    for (const o of OPERATORS) ops.append(tx(h('option', { value: o }), `alarms.op.${o}`));
    const treat = h('select', { id: 'al-missing', name: 'al-missing' });
    for (const m of TREATMENTS) treat.append(tx(h('option', { value: m }), `alarms.missing.${m}`));
    const input = (id: string, value: string, type = 'text', extra: Record<string, string | number> = {}) =>
      h('input', { id, name: id, type, value, autocomplete: 'off', spellcheck: 'false', ...extra });
    this.createStatus = h('p', { id: 'al-create-status', role: 'status', class: 'status' });
    const createForm = h('form', { id: 'alarm-create', class: 'form-grid', onsubmit: (ev: Event) => { ev.preventDefault(); void this.create(ev.target as HTMLFormElement); } },
      field('al-name', 'alarms.name', input('al-name', '', 'text', { required: 'true' })),
      field('al-namespace', 'metrics.namespace', input('al-namespace', 'AWS/EC2')),
      field('al-metric', 'metrics.metric', input('al-metric', 'CPUUtilization')),
      field('al-dim-name', 'alarms.dimName', input('al-dim-name', 'InstanceId')),
      field('al-dim-value', 'alarms.dimValue', this.dimValue),
      field('al-stat', 'metrics.statistic', select('al-stat', STATS, 'Average')),
      field('al-period', 'alarms.periodSeconds', select('al-period', PERIODS, 300)),
      field('al-op', 'alarms.operator', ops),
      field('al-threshold', 'alarms.threshold', input('al-threshold', '80', 'number', { step: 'any', required: 'true' })),
      field('al-n', 'alarms.evaluationPeriods', input('al-n', '1', 'number', { min: 1, step: 1 })),
      field('al-m', 'alarms.datapointsToAlarm', input('al-m', '1', 'number', { min: 1, step: 1 })),
      field('al-missing', 'alarms.treatMissing', treat),
      tx(h('button', { type: 'submit', id: 'al-create', class: 'primary' }), 'alarms.create'));
    this.setAlarm = h('select', { id: 'al-set-name', name: 'al-set-name' });
    const setState = h('select', { id: 'al-set-state', name: 'al-set-state' }, ...ALARM_STATES.map((s) => h('option', { value: s }, s)));
    this.setStatus = h('p', { id: 'al-set-status', role: 'status', class: 'status' });
    const setForm = h('form', { id: 'alarm-set', class: 'form-grid', onsubmit: (ev: Event) => { ev.preventDefault(); void this.set(ev.target as HTMLFormElement); } },
      field('al-set-name', 'alarms.name', this.setAlarm),
      field('al-set-state', 'alarms.state', setState),
      field('al-set-reason', 'alarms.reason', input('al-set-reason', '', 'text', { required: 'true' })),
      tx(h('button', { type: 'submit', id: 'al-set' }), 'alarms.setState'));
    this.el = h('div', { id: 'alarms' },
      tx(h('p', { class: 'muted' }), 'alarms.about'),
      this.list,
      h('details', { id: 'alarm-create-box', class: 'box' }, tx(h('summary', { id: 'al-create-open' }), 'alarms.createTitle'), createForm, this.createStatus, this.dimValues),
      h('details', { id: 'alarm-set-box', class: 'box' }, tx(h('summary', { id: 'al-set-open' }), 'alarms.setTitle'), tx(h('p', { class: 'muted' }), 'alarms.setAbout'), setForm, this.setStatus));
    this.texts.bind(() => { this.alarms = null; if (this.model) this.update(this.model); });
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    this.model = m;
    if (m.instances !== this.instancesRef) {
      this.instancesRef = m.instances;
      replace(this.dimValues, ...m.instances.map((i) => h('option', { value: i.instanceId }, i.name ?? i.instanceId)));
      if (!this.dimValue.value && m.selectedInstanceId) this.dimValue.value = m.selectedInstanceId;
    }
    if (!m.alarms || m.alarms === this.alarms) return;
    this.alarms = m.alarms;
    this.renderList(m.alarms);
    const keep = this.setAlarm.value;
    replace(this.setAlarm, ...m.alarms.map((a) => h('option', { value: a.name }, a.name)));
    if (m.alarms.some((a) => a.name === keep)) this.setAlarm.value = keep;
  }

  private conditionText(a: AlarmView): string {
    const t = this.port.t;
    if (!a.condition) return t('alarms.composite', { rule: a.rule ?? '' });
    const c = a.condition;
    if (a.band) {
      return t('alarms.conditionBand', { metric: a.metricName ?? '', side: t(`alarms.bandSide.${c.op}`), width: a.band.width, m: c.m, n: c.n,
        minutes: (c.n * c.period) / 60, stat: c.stat, missing: c.treatMissing });
    }
    if (a.expression !== null) {
      return t('alarms.conditionMath', { expression: a.expression, op: OP_SYMBOL[c.op] ?? c.op, threshold: c.threshold, m: c.m, n: c.n,
        minutes: (c.n * c.period) / 60, missing: c.treatMissing });
    }
    return t('alarms.condition', { metric: a.metricName ?? '', op: OP_SYMBOL[c.op] ?? c.op, threshold: c.threshold, m: c.m, n: c.n,
      minutes: (c.n * c.period) / 60, stat: c.stat, missing: c.treatMissing });
  }

  /** Opening an alarm's history asks for it as the AWS console does (DescribeAlarmHistory, as the learner). */
  private fetchHistory(name: string): void {
    void this.port.act('cloudwatch', 'DescribeAlarmHistory', { AlarmName: name });
  }

  private renderList(alarms: AlarmView[]): void {
    const t = this.port.t, lang = this.port.lang();
    if (alarms.length === 0) { replace(this.list, h('p', { class: 'muted', id: 'alarms-empty' }, t('alarms.none'))); return; }
    const th = (k: string) => h('th', { scope: 'col' }, t(k));
    replace(this.list, h('div', { class: 'table-scroll' }, h('table', { class: 'data', id: 'alarms-table' },
      h('caption', { class: 'sr-only' }, t('alarms.caption')),
      h('thead', {}, h('tr', {}, th('alarms.col.state'), th('alarms.col.name'), th('alarms.col.condition'), th('alarms.col.updated'))),
      h('tbody', {}, ...alarms.flatMap((a) => {
        const shown = this.open.has(a.name);
        const toggle = h('button', { type: 'button', class: 'link', 'aria-expanded': String(shown), 'aria-controls': `alarm-history-${cssId(a.name)}`,
          onclick: () => { if (shown) this.open.delete(a.name); else { this.open.add(a.name); this.fetchHistory(a.name); } this.renderList(alarms); this.list.querySelector<HTMLElement>(`[data-alarm="${cssId(a.name)}"] button`)?.focus(); } }, a.name);
        const row = h('tr', { 'data-alarm': cssId(a.name), 'data-state': a.state },
          h('td', {}, stateLight(a.state, t(`alarms.stateLabel.${a.state}`))),
          h('td', {}, toggle),
          h('td', {}, this.conditionText(a)),
          h('td', {}, formatTime(a.updated, lang)));
        const why = h('p', { class: 'why' }, h('strong', {}, `${t('alarms.why')} `), h('span', { lang: 'en' }, a.reason));
        const history = h('tr', { id: `alarm-history-${cssId(a.name)}`, class: 'alarm-history', hidden: !shown },
          h('td', { colspan: 4 }, why,
            a.history.length === 0 ? h('p', { class: 'muted' }, t('alarms.noHistory')) :
              h('table', { class: 'data history' },
                h('caption', {}, t('alarms.historyCaption', { name: a.name })),
                h('thead', {}, h('tr', {}, th('alarms.col.time'), th('alarms.col.type'), th('alarms.col.summary'), th('alarms.col.reason'))),
                h('tbody', {}, ...a.history.map((r) => h('tr', {},
                  h('td', {}, formatTime(r.time, lang)), h('td', {}, t(`alarms.type.${r.type}`)),
                  h('td', { lang: 'en' }, r.summary), h('td', { class: 'reason', lang: 'en' }, r.reason ?? '—')))))));
        return [row, history];
      })))));
  }

  private async create(form: HTMLFormElement): Promise<void> {
    const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
    const dimName = v('al-dim-name'), dimValue = v('al-dim-value');
    const params: Record<string, unknown> = {
      AlarmName: v('al-name'), Namespace: v('al-namespace'), MetricName: v('al-metric'),
      Period: Number(v('al-period')), Threshold: Number(v('al-threshold')), ComparisonOperator: v('al-op'),
      EvaluationPeriods: Number(v('al-n')), DatapointsToAlarm: Number(v('al-m')), TreatMissingData: v('al-missing'),
      ...(dimName && dimValue ? { Dimensions: [{ Name: dimName, Value: dimValue }] } : {}),
    };
    const stat = v('al-stat');
    if (/^p\d/.test(stat)) params.ExtendedStatistic = stat; else params.Statistic = stat;
    this.report(this.createStatus, await this.port.act('cloudwatch', 'PutMetricAlarm', params), 'alarms.created', { name: params.AlarmName });
  }

  private async set(form: HTMLFormElement): Promise<void> {
    const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';
    const params = { AlarmName: v('al-set-name'), StateValue: v('al-set-state'), StateReason: v('al-set-reason') };
    this.report(this.setStatus, await this.port.act('cloudwatch', 'SetAlarmState', params), 'alarms.stateSet', { name: params.AlarmName, state: params.StateValue });
  }

  private report(el: HTMLElement, res: LookupResult, okKey: string, opts: Record<string, unknown>): void {
    el.classList.toggle('error', !res.ok);
    el.textContent = res.ok ? this.port.t(okKey, opts) : this.port.t('alarms.failed', { code: res.error?.code ?? '', message: res.error?.message ?? '' });
  }
}

/** An alarm name as a safe id/attribute fragment. */
export const cssId = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
