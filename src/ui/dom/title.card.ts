/**
 * The title screen's DOM part: the scenario list (title, summary, difficulty in the current
 * language), continue, loading a scenario file from disk, and the update notice.
 */
import { loc, type ScenarioCard, type UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

export class TitleCard {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly list: HTMLElement;
  private readonly cont: HTMLElement;
  private readonly update: HTMLElement;
  private readonly fileProblems: HTMLElement;
  private readonly builtinProblems: HTMLElement;
  private problems: string[] | null = null;
  private lastFile: { name: string; text: string } | null = null;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const text = <E extends HTMLElement>(el: E, key: string) => { this.texts.bind(() => { el.textContent = t(key); }); return el; };
    this.list = h('ul', { id: 'scenario-list', class: 'cards' });
    this.cont = h('div', { id: 'continue-box' });
    this.update = h('div', { id: 'update-notice', class: 'notice', role: 'status', hidden: true });
    this.fileProblems = h('div', { id: 'file-problems', role: 'alert' });
    this.builtinProblems = h('div', { id: 'builtin-problems' });
    // The native file input labels itself in the browser's language; a button of ours opens it instead.
    const input = h('input', { type: 'file', id: 'scenario-file', accept: '.yaml,.yml,.json,application/json,text/yaml', class: 'sr-only', tabindex: -1,
      'aria-hidden': 'true', onchange: (ev: Event) => void this.onFile(ev.target as HTMLInputElement) });
    const pick = h('button', { type: 'button', id: 'scenario-file-button', onclick: () => input.click() });
    this.texts.bind(() => { pick.textContent = t('title.loadFileButton'); });
    this.el = h('section', { id: 'title-card', class: 'title-card', 'aria-labelledby': 'title-heading' },
      h('h1', { id: 'title-heading' }, 'Opsroom'),
      text(h('p', { class: 'tagline' }), 'title.tagline'),
      this.update,
      this.cont,
      text(h('h2', {}), 'title.scenarios'),
      this.list,
      this.builtinProblems,
      h('div', { class: 'file-box' },
        text(h('p', { id: 'scenario-file-label' }), 'title.loadFile'),
        h('div', {}, pick), input,
        this.fileProblems));
    this.texts.bind(() => this.render());
  }

  applyLanguage(): void { this.texts.apply(); }

  render(): void {
    const t = this.port.t;
    const lang = this.port.lang();
    const cards = this.port.catalogue();
    replace(this.list, ...cards.map((c) => this.cardItem(c)));
    const broken = this.port.catalogueProblems();
    replace(this.builtinProblems, ...(broken.length ? [h('ul', { class: 'problems' }, ...broken.map((p) => h('li', {}, p)))] : []));
    const r = this.port.resumable();
    replace(this.cont, r ? h('button', { type: 'button', id: 'continue', class: 'primary big', onclick: () => this.port.continueRun(r.scenarioId) },
      t('title.continue', { title: loc(r.title, lang), time: formatTime(r.simTime, lang, false) })) : null);
    this.update.hidden = !this.port.updateAvailable();
    replace(this.update, ...(this.port.updateAvailable() ? [
      h('span', {}, t('title.updateAvailable')),
      h('button', { type: 'button', id: 'apply-update', onclick: () => this.port.applyUpdate() }, t('title.updateNow')),
    ] : []));
    replace(this.fileProblems, ...(this.problems ? [
      h('p', {}, t('title.fileProblems', { count: this.problems.length })),
      h('ul', { class: 'problems' }, ...this.problems.map((p) => h('li', {}, p))),
    ] : []));
  }

  private cardItem(c: ScenarioCard): HTMLElement {
    const t = this.port.t;
    const lang = this.port.lang();
    const stars = '★'.repeat(Math.max(0, Math.min(5, c.difficulty))) + '☆'.repeat(Math.max(0, 5 - c.difficulty));
    const status = c.progress?.status === 'finished'
      ? t('title.finished', { score: c.progress.score ?? '—' })
      : c.progress?.status === 'playing' ? t('title.inProgress') : '';
    return h('li', { class: 'card', 'data-scenario': c.id },
      h('h3', {}, loc(c.title, lang)),
      h('p', {}, loc(c.summary, lang)),
      h('p', { class: 'meta' },
        h('span', { class: 'sr-only' }, t('title.difficulty', { n: c.difficulty })),
        h('span', { 'aria-hidden': 'true', title: t('title.difficulty', { n: c.difficulty }) }, stars),
        ' · ', t('title.minutes', { n: c.estimatedMinutes }),
        c.source === 'file' ? ` · ${t('title.fromFile')}` : ''),
      status ? h('p', { class: `progress ${c.progress?.status ?? ''}`, 'data-progress': c.progress?.status ?? '' }, status) : null,
      h('button', { type: 'button', class: 'primary start', 'data-start': c.id, onclick: () => this.port.startScenario(c.id) },
        t('title.start'), h('span', { class: 'sr-only' }, `: ${loc(c.title, lang)}`)));
  }

  private async onFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    this.lastFile = { name: file.name, text: await file.text() };
    await this.check();
    input.value = '';
  }

  private async check(): Promise<void> {
    if (!this.lastFile) return;
    const res = await this.port.loadScenarioFile(this.lastFile.name, this.lastFile.text);
    this.problems = res.ok ? null : res.problems;
    this.render();
  }

  /** Problems are formatted in a language: check again when it changes. */
  async relocalize(): Promise<void> { if (this.problems) await this.check(); }
}
