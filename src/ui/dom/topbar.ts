/**
 * The top bar, present on every screen: the brand, the language switch (ko/en, changes every
 * visible text at once), and in the console the simulated clock, time controls and score.
 * Also the save-problem banner, in the learner's language.
 */
import type { Language } from '../../i18n/index.ts';
import { SPEEDS, type ConsoleModel, type SaveProblem, type Speed, type UiPort } from '../ports.ts';
import { formatTime, h, replace, TextBinder } from './dom.ts';

export class Topbar {
  private readonly texts = new TextBinder();
  private readonly clock: HTMLElement;
  private readonly score: HTMLElement;
  private readonly speedBox: HTMLElement;
  private readonly runBox: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly speedButtons = new Map<Speed, HTMLButtonElement>();
  private model: ConsoleModel | null = null;
  private problem: SaveProblem | null = null;
  private lastClock = '';
  private lastScore: number | null = null;
  private clockTitleLang = '';

  constructor(private readonly root: HTMLElement, private readonly port: UiPort, onMenu: () => void) {
    const t = port.t;
    this.clock = h('span', { id: 'sim-clock', class: 'clock' });
    this.score = h('span', { id: 'score', class: 'score' });
    this.speedBox = h('div', { role: 'group', id: 'speed-controls', class: 'speed' });
    this.texts.bind(() => this.speedBox.setAttribute('aria-label', t('console.timeControls')));
    for (const s of SPEEDS) {
      const b = h('button', { type: 'button', id: `speed-${s}`, class: 'speed-btn', 'aria-pressed': 'false', onclick: () => port.setSpeed(s) });
      this.texts.bind(() => { b.textContent = s === 0 ? t('console.pause') : `${s}x`; b.title = t(s === 0 ? 'console.pause' : 'console.speedTitle', { n: s }); });
      this.speedButtons.set(s, b);
      this.speedBox.append(b);
    }
    const menu = h('button', { type: 'button', id: 'to-title', class: 'small', onclick: onMenu });
    this.texts.bind(() => { menu.textContent = t('console.toTitle'); });
    this.runBox = h('div', { class: 'runbox', hidden: true }, this.clock, this.speedBox, this.score, menu);
    const langs = h('div', { role: 'group', class: 'langs', id: 'lang-switch' });
    this.texts.bind(() => langs.setAttribute('aria-label', t('lang.switch')));
    for (const [lng, label] of [['ko', '한국어'], ['en', 'English']] as [Language, string][]) {
      const b = h('button', { type: 'button', id: `lang-${lng}`, lang: lng, class: 'small', onclick: () => port.setLanguage(lng) }, label);
      this.texts.bind(() => b.setAttribute('aria-pressed', String(port.lang() === lng)));
      langs.append(b);
    }
    this.banner = h('div', { id: 'save-problem', role: 'alert', class: 'banner', hidden: true });
    replace(root, h('div', { class: 'brand', 'aria-hidden': 'true' }, 'Opsroom'), this.runBox, langs, this.banner);
    this.texts.bind(() => this.renderRun(true));
    this.texts.bind(() => this.renderBanner());
  }

  applyLanguage(): void { this.texts.apply(); }

  setConsole(model: ConsoleModel | null): void {
    this.model = model;
    this.renderRun(false);
  }

  setSaveProblem(p: SaveProblem | null): void { this.problem = p; this.renderBanner(); }

  private renderRun(force: boolean): void {
    const m = this.model;
    this.runBox.hidden = !m;
    if (!m) { this.lastScore = null; return; } // the next run's score is written again (the language may change meanwhile)
    const t = this.port.t;
    const lang = this.port.lang();
    const clock = formatTime(m.view.now, lang);
    if (force || clock !== this.lastClock) {
      this.lastClock = clock;
      this.clock.textContent = clock;
      this.clock.setAttribute('data-now', m.view.now);
      if (force || this.clockTitleLang !== lang) { this.clockTitleLang = lang; this.clock.title = t('console.simClock'); }
    }
    if (force || m.view.score !== this.lastScore) {
      this.lastScore = m.view.score;
      this.score.textContent = t('console.score', { score: m.view.score });
    }
    for (const [s, b] of this.speedButtons) {
      const on = String(m.speed === s);
      if (b.getAttribute('aria-pressed') !== on) b.setAttribute('aria-pressed', on);
    }
  }

  private renderBanner(): void {
    this.banner.hidden = !this.problem;
    this.banner.textContent = this.problem ? this.port.t(`save.problem.${this.problem}`) : '';
  }
}
