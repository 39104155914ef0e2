/**
 * Metric explorer (지표): namespace → metric → dimension set pickers over ListMetrics-like data,
 * statistic and period pickers, and a line graph of the chosen series with its data table.
 */
import type { ConsoleModel, MetricEntry, MetricPick, UiPort } from '../ports.ts';
import { graphFigure } from './chart.svg.ts';
import { h, replace, TextBinder } from './dom.ts';

export const EXPLORER_STATS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'] as const;
export const EXPLORER_PERIODS = [60, 300, 900, 3600] as const;

const dimsKey = (d: MetricEntry['dimensions']) => d.map((x) => `${x.Name}=${x.Value}`).join(', ');

export class MetricsPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly ns: HTMLSelectElement;
  private readonly metric: HTMLSelectElement;
  private readonly dims: HTMLSelectElement;
  private readonly stat: HTMLSelectElement;
  private readonly period: HTMLSelectElement;
  private readonly graph: HTMLElement;
  private catalogue: MetricEntry[] | null = null;
  private lastGraph: unknown = null;
  private model: ConsoleModel | null = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const label = (forId: string, key: string) => { const l = h('label', { for: forId }); this.texts.bind(() => { l.textContent = t(key); }); return l; };
    this.ns = h('select', { id: 'mx-namespace', onchange: () => { this.fillMetrics(); this.fillDims(); this.pick(); this.query(); } });
    this.metric = h('select', { id: 'mx-metric', onchange: () => { this.fillDims(); this.pick(); this.query(); } });
    this.dims = h('select', { id: 'mx-dims', onchange: () => { this.pick(); this.query(); } });
    this.stat = h('select', { id: 'mx-stat', onchange: () => { this.pick(); this.query(); } }, ...EXPLORER_STATS.map((s) => h('option', { value: s }, s)));
    this.period = h('select', { id: 'mx-period', onchange: () => { this.pick(); this.query(); } });
    for (const p of EXPLORER_PERIODS) {
      const o = h('option', { value: p });
      this.texts.bind(() => { o.textContent = p < 3600 ? t('metrics.minutes', { n: p / 60 }) : t('metrics.hours', { n: p / 3600 }); });
      this.period.append(o);
    }
    this.period.value = '300';
    this.graph = h('div', { id: 'mx-graph', 'aria-live': 'off' });
    const about = h('p', { class: 'muted' });
    this.texts.bind(() => { about.textContent = t('metrics.about'); });
    this.el = h('div', { id: 'metrics' }, about,
      h('div', { class: 'form-grid' },
        h('div', { class: 'field' }, label('mx-namespace', 'metrics.namespace'), this.ns),
        h('div', { class: 'field' }, label('mx-metric', 'metrics.metric'), this.metric),
        h('div', { class: 'field' }, label('mx-dims', 'metrics.dimensions'), this.dims),
        h('div', { class: 'field' }, label('mx-stat', 'metrics.statistic'), this.stat),
        h('div', { class: 'field' }, label('mx-period', 'metrics.period'), this.period)),
      this.graph);
    this.texts.bind(() => { this.lastGraph = null; if (this.model) this.update(this.model); });
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    this.model = m;
    if (m.metricCatalogue && m.metricCatalogue !== this.catalogue) {
      this.catalogue = m.metricCatalogue;
      const had = this.ns.value;
      this.fillNamespaces();
      this.fillMetrics();
      this.fillDims();
      if (!m.request.explorer || !had) this.pick();
    }
    if (m.explorer !== this.lastGraph) {
      this.lastGraph = m.explorer;
      const g = m.explorer;
      replace(this.graph, !this.catalogue?.length ? h('p', { class: 'muted' }, this.port.t('metrics.none'))
        : g ? graphFigure(g, this.port.t, this.port.lang(), { id: 'mx-figure',
          caption: this.port.t('metrics.caption', { metric: g.title, stat: g.stat, period: g.periodSeconds / 60 }) }) : null);
    }
  }

  private fillSelect(sel: HTMLSelectElement, values: string[], prefer: string[], text: (v: string) => string = (v) => v): void {
    const keep = sel.value;
    replace(sel, ...values.map((v) => h('option', { value: v }, text(v))));
    const pick = values.includes(keep) ? keep : prefer.find((p) => values.includes(p)) ?? values[0] ?? '';
    sel.value = pick;
  }

  private fillNamespaces(): void {
    this.fillSelect(this.ns, [...new Set((this.catalogue ?? []).map((e) => e.namespace))], ['AWS/EC2']);
  }

  private fillMetrics(): void {
    const ns = this.ns.value;
    this.fillSelect(this.metric, [...new Set((this.catalogue ?? []).filter((e) => e.namespace === ns).map((e) => e.metricName))], ['CPUUtilization']);
  }

  private fillDims(): void {
    const ns = this.ns.value, name = this.metric.value;
    const sel = this.model?.selectedInstanceId;
    const sets = (this.catalogue ?? []).filter((e) => e.namespace === ns && e.metricName === name).map((e) => dimsKey(e.dimensions));
    // a metric with no dimensions (AWS/EC2 across all instances) gets a name instead of a blank option
    this.fillSelect(this.dims, sets, sel ? [`InstanceId=${sel}`] : [], (v) => v || this.port.t('metrics.noDimensions'));
  }

  /**
   * When the learner picks a graph, the console fetches it with GetMetricData as the AWS console
   * does (a CloudTrail data event, so it never fills Event history); scenarios can see that the
   * learner looked. Drawing afterwards reads views, not calls.
   */
  private query(): void {
    const entry = (this.catalogue ?? []).find((e) => e.namespace === this.ns.value && e.metricName === this.metric.value && dimsKey(e.dimensions) === this.dims.value);
    const now = this.model ? Date.parse(this.model.view.now) : Number.NaN;
    if (!entry || Number.isNaN(now)) return;
    const windowMs = this.model?.request.windowMs ?? 3 * 3_600_000;
    void this.port.act('cloudwatch', 'GetMetricData', {
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: entry.namespace, MetricName: entry.metricName, Dimensions: entry.dimensions }, Period: Number(this.period.value), Stat: this.stat.value } }],
      StartTime: now - windowMs, EndTime: now,
    });
  }

  /** Sends the current pickers as the explorer's series. */
  private pick(): void {
    const entry = (this.catalogue ?? []).find((e) => e.namespace === this.ns.value && e.metricName === this.metric.value && dimsKey(e.dimensions) === this.dims.value);
    const pick: MetricPick | null = entry ? { ...entry, stat: this.stat.value, period: Number(this.period.value) } : null;
    this.port.setView({ explorer: pick });
  }
}
