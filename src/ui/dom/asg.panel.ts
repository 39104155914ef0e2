/**
 * Auto Scaling groups (Auto Scaling 그룹): minimum / desired / maximum capacity, the group's
 * instances with lifecycle and health, its scaling policies and its scaling activities.
 */
import type { AsgPanelGroup, ConsoleModel, UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

export class AsgPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private groups: AsgPanelGroup[] | null = null;
  /** Groups whose activities were fetched since the tab was last shown. */
  private readonly fetched = new Set<string>();

  constructor(private readonly port: UiPort) {
    this.el = h('div', { id: 'asg' });
    this.texts.bind(() => this.render());
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    if (m.request.tab !== 'asg') this.fetched.clear();
    else for (const g of m.groups ?? []) {
      // Showing a group's Activity list is a DescribeScalingActivities call in the AWS console too.
      if (this.fetched.has(g.name)) continue;
      this.fetched.add(g.name);
      void this.port.act('autoscaling', 'DescribeScalingActivities', { AutoScalingGroupName: g.name });
    }
    if (!m.groups || m.groups === this.groups) return;
    this.groups = m.groups;
    this.render();
  }

  private render(): void {
    const t = this.port.t, lang = this.port.lang();
    const groups = this.groups ?? [];
    const th = (k: string) => h('th', { scope: 'col' }, t(k));
    replace(this.el, ...(groups.length === 0 ? [h('p', { class: 'muted', id: 'asg-empty' }, t('asg.none'))] : groups.map((g) => h('section', { class: 'asg-group', 'data-group': g.name },
      h('h3', {}, g.name),
      h('dl', { class: 'capacity' },
        h('dt', {}, t('asg.min')), h('dd', { 'data-cap': 'min' }, String(g.minSize)),
        h('dt', {}, t('asg.desired')), h('dd', { 'data-cap': 'desired' }, String(g.desiredCapacity)),
        h('dt', {}, t('asg.max')), h('dd', { 'data-cap': 'max' }, String(g.maxSize))),
      h('p', { class: 'muted' }, t('asg.zones', { zones: g.availabilityZones.join(', ') })),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data' },
        h('caption', {}, t('asg.instances')),
        h('thead', {}, h('tr', {}, th('console.col.id'), th('asg.col.lifecycle'), th('asg.col.health'), th('asg.col.az'))),
        h('tbody', {}, ...g.instances.map((i) => h('tr', {}, h('td', { class: 'mono' }, i.instanceId), h('td', {}, i.lifecycleState), h('td', {}, i.healthStatus), h('td', {}, i.availabilityZone)))))),
      g.policies.length ? h('ul', { class: 'policies' }, ...g.policies.map((p) => h('li', {}, `${p.name} (${p.type})${p.alarms.length ? ` · ${t('asg.alarms')}: ${p.alarms.join(', ')}` : ''}`))) : null,
      h('div', { class: 'table-scroll' }, h('table', { class: 'data' },
        h('caption', {}, t('asg.activities')),
        h('thead', {}, h('tr', {}, th('asg.col.status'), th('asg.col.description'), th('asg.col.start'), th('asg.col.cause'))),
        h('tbody', {}, ...(g.activities.length === 0 ? [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, t('asg.noActivities')))] : g.activities.map((a) => h('tr', {},
          h('td', {}, a.status), h('td', { lang: 'en' }, a.description), h('td', {}, formatTime(a.time, lang)), h('td', { lang: 'en', class: 'reason' }, a.cause)))))))))));
  }
}
