/**
 * SNS inboxes (알림): what the simulated endpoints received — e-mail boxes and the https webhooks
 * that stand for Slack or Telegram — newest first, filterable by endpoint.
 */
import type { ConsoleModel, InboxRow, UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

/** A friendly name for an endpoint: Slack and Telegram webhooks by their host. */
export function endpointKind(row: Pick<InboxRow, 'protocol' | 'endpoint'>): 'email' | 'slack' | 'telegram' | 'https' | 'other' {
  if (row.protocol === 'email' || row.protocol === 'email-json') return 'email';
  if (/slack\.com/i.test(row.endpoint)) return 'slack';
  if (/telegram\.org/i.test(row.endpoint)) return 'telegram';
  if (row.protocol === 'https' || row.protocol === 'http') return 'https';
  return 'other';
}

export class SnsPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly filter: HTMLSelectElement;
  private readonly list: HTMLElement;
  private rows: InboxRow[] | null = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const label = h('label', { for: 'sns-endpoint' });
    this.texts.bind(() => { label.textContent = t('sns.endpoint'); });
    this.filter = h('select', { id: 'sns-endpoint', onchange: () => this.render() });
    this.list = h('ol', { id: 'sns-inbox', class: 'messages' });
    const about = h('p', { class: 'muted' });
    this.texts.bind(() => { about.textContent = t('sns.about'); });
    this.el = h('div', { id: 'sns' }, about, h('div', { class: 'field' }, label, this.filter), this.list);
    this.texts.bind(() => this.render());
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void {
    if (!m.inbox || m.inbox === this.rows) return;
    this.rows = m.inbox;
    this.render();
  }

  private render(): void {
    const t = this.port.t, lang = this.port.lang();
    const rows = this.rows ?? [];
    const keep = this.filter.value;
    const endpoints = [...new Map(rows.map((r) => [r.endpoint, r])).values()];
    replace(this.filter, h('option', { value: '' }, t('sns.all')),
      ...endpoints.map((r) => h('option', { value: r.endpoint }, `${t(`sns.kind.${endpointKind(r)}`)}: ${r.endpoint}`)));
    this.filter.value = endpoints.some((r) => r.endpoint === keep) ? keep : '';
    const shown = rows.filter((r) => !this.filter.value || r.endpoint === this.filter.value);
    replace(this.list, ...(shown.length === 0 ? [h('li', { class: 'muted', id: 'sns-empty' }, t('sns.none'))] : shown.map((r) =>
      h('li', { class: 'message', 'data-endpoint': r.endpoint, 'data-kind': endpointKind(r) },
        h('span', { class: 'from' }, `${t(`sns.kind.${endpointKind(r)}`)} · ${r.endpoint}`), ' ',
        h('time', { class: 'muted', datetime: new Date(r.time).toISOString() }, formatTime(r.time, lang)),
        r.subject ? h('p', { class: 'subject' }, r.subject) : null,
        h('details', {}, h('summary', {}, t('sns.body')), h('pre', { class: 'json' }, r.message))))));
  }
}
