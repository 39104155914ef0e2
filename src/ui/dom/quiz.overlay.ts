/**
 * The quiz checkpoint overlay: prompt, options, submit, and feedback with the explanation.
 * Each question can be read in Korean or English on its own (a per-question switch), whatever
 * the interface language is. Non-modal, so the learner can still consult the console.
 */
import type { Language } from '../../i18n/index.ts';
import { loc, type Localized, type RunViewLike, type UiPort } from '../ports.ts';
import { h, replace, TextBinder } from './dom.ts';

type Checkpoint = NonNullable<RunViewLike['checkpoint']>;

export class QuizOverlay {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private checkpoint: Checkpoint | null = null;
  /** the question's own language, or null to follow the interface */
  private qLang: Language | null = null;
  private feedback: { correct: boolean; explain: Localized } | null = null;
  private chosen = new Set<string>();
  /** Folded to its title bar so the console beneath stays usable while investigating. */
  private folded = false;
  /** The newest run view, so a checkpoint that opened behind a shown explanation follows it. */
  private latest: RunViewLike | null = null;
  private readonly body: HTMLElement;

  constructor(private readonly port: UiPort, private readonly onDone: () => void) {
    this.body = h('div', { class: 'quiz-body' });
    this.el = h('section', { id: 'quiz', class: 'overlay-card quiz', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'quiz-title', hidden: true }, this.body);
    this.texts.bind(() => this.render());
  }

  /** True while a result is shown that the learner has not dismissed yet. */
  get holding(): boolean { return this.feedback !== null && !this.el.hidden; }

  applyLanguage(): void { this.texts.apply(); }

  /**
   * Follows the run: opens when a checkpoint opens; keeps the feedback of a closed one. While the
   * learner has not read a correct answer's explanation, the next checkpoint waits behind it.
   */
  update(view: RunViewLike): void {
    this.latest = view;
    const cp = view.checkpoint;
    if (cp && cp.id !== this.checkpoint?.id && this.feedback?.correct === true && !this.el.hidden) return;
    if (cp && cp.id !== this.checkpoint?.id) {
      this.checkpoint = cp; this.feedback = null; this.chosen.clear(); this.qLang = null; this.folded = false;
      this.el.hidden = false;
      this.render();
      queueMicrotask(() => this.el.querySelector<HTMLElement>('#quiz-title')?.focus());
    } else if (!cp && this.checkpoint && !this.feedback) {
      this.close();
    }
  }

  private lang(): Language { return this.qLang ?? this.port.lang(); }

  private close(): void {
    this.checkpoint = null; this.feedback = null; this.el.hidden = true;
    this.onDone();
    if (this.latest?.checkpoint) this.update(this.latest);
  }

  private render(): void {
    const cp = this.checkpoint;
    const t = this.port.t;
    if (!cp) { replace(this.body); return; }
    const lang = this.lang();
    const other: Language = lang === 'ko' ? 'en' : 'ko';
    const title = h('h2', { id: 'quiz-title', tabindex: -1 }, t('quiz.title'));
    const switcher = h('button', { type: 'button', id: 'quiz-lang', class: 'small', lang: other,
      onclick: () => { this.qLang = other; this.render(); this.el.querySelector<HTMLElement>('#quiz-lang')?.focus(); } },
      t(`quiz.readIn.${other}`));
    const answered = this.feedback?.correct === true;
    const inputType = cp.kind === 'multiple' ? 'checkbox' : 'radio';
    const options = cp.options.map((o) => {
      const input = h('input', { type: inputType, name: `quiz-${cp.id}`, value: o.id, id: `quiz-opt-${o.id}`,
        checked: this.chosen.has(o.id), disabled: answered,
        onchange: (ev: Event) => {
          const el = ev.target as HTMLInputElement;
          if (inputType === 'radio') this.chosen = new Set([o.id]);
          else if (el.checked) this.chosen.add(o.id); else this.chosen.delete(o.id);
        } });
      return h('li', {}, h('label', { for: `quiz-opt-${o.id}` }, input, h('span', { lang }, loc(o.text, lang))));
    });
    const legend = h('legend', { lang }, loc(cp.prompt, lang));
    const hint = cp.kind === 'multiple' ? h('p', { class: 'muted' }, t('quiz.multiple')) : null;
    const submit = h('button', { type: 'submit', id: 'quiz-submit', class: 'primary', disabled: answered }, t('quiz.submit'));
    const form = h('form', { onsubmit: (ev: Event) => { ev.preventDefault(); this.submit(); } },
      h('fieldset', {}, legend, hint, h('ul', { class: 'options' }, ...options)), submit);
    const fb = this.feedback;
    const feedback = h('div', { id: 'quiz-feedback', role: 'status', class: fb ? (fb.correct ? 'ok' : 'bad') : '' },
      fb ? h('p', { class: 'verdict' }, t(fb.correct ? 'quiz.correct' : 'quiz.incorrect')) : null,
      fb ? h('p', { lang }, loc(fb.explain, lang)) : null,
      fb && fb.correct ? h('button', { type: 'button', id: 'quiz-continue', class: 'primary', onclick: () => this.close() }, t('quiz.continue')) : null);
    const fold = h('button', { type: 'button', id: 'quiz-fold', class: 'small', 'aria-expanded': String(!this.folded), 'aria-controls': 'quiz-content',
      onclick: () => { this.folded = !this.folded; this.render(); this.el.querySelector<HTMLElement>('#quiz-fold')?.focus(); } },
      t(this.folded ? 'quiz.unfold' : 'quiz.fold'));
    this.el.classList.toggle('folded', this.folded);
    const content = h('div', { id: 'quiz-content', hidden: this.folded }, form, feedback);
    replace(this.body, h('div', { class: 'row spread' }, title, h('div', { class: 'row' }, switcher, fold)), content);
  }

  private submit(): void {
    const cp = this.checkpoint;
    if (!cp) return;
    if (this.chosen.size === 0) {
      this.feedback = null;
      this.render();
      const fb = this.el.querySelector('#quiz-feedback');
      if (fb) fb.textContent = this.port.t('quiz.choose');
      return;
    }
    const choice = cp.kind === 'multiple' ? [...this.chosen] : [...this.chosen][0]!;
    void this.port.answer(cp.id, choice).then((res) => {
      if (!res || this.checkpoint?.id !== cp.id) return;
      this.showResult(res);
    });
  }

  private showResult(res: { correct: boolean; explain: Localized }): void {
    this.feedback = res;
    this.render();
    this.el.querySelector<HTMLElement>(res.correct ? '#quiz-continue' : '#quiz-feedback')?.focus();
  }
}
