/** Debrief: the end of a run, with the scenario's explanation, the score and the answers. */
import * as Phaser from 'phaser';
import { h, paragraphs, replace } from '../dom/dom.ts';
import { loc } from '../ports.ts';
import type { SceneContext } from './context.ts';
import { COLORS, FONT } from './theme.ts';

export class DebriefScene extends Phaser.Scene {
  private offs: (() => void)[] = [];

  constructor(private readonly ctx: SceneContext) { super('debrief'); }

  create(): void {
    const { bus, overlays } = this.ctx;
    const card = h('section', { id: 'debrief', class: 'overlay-card debrief', 'aria-labelledby': 'debrief-title' });
    overlays.replaceChildren(card);
    const render = () => { this.renderCard(card); this.draw(); };
    render();
    this.offs = [bus.on('language-changed', render)];
    this.scale.on('resize', this.draw, this);
    this.events.once('shutdown', () => { this.offs.forEach((off) => off()); this.scale.off('resize', this.draw, this); overlays.replaceChildren(); });
    queueMicrotask(() => card.querySelector<HTMLElement>('#debrief-title')?.focus());
  }

  private renderCard(card: HTMLElement): void {
    const { port } = this.ctx;
    const t = port.t, lang = port.lang();
    const m = port.console();
    if (!m) { replace(card, h('button', { type: 'button', onclick: () => port.backToTitle() }, t('debrief.toTitle'))); return; }
    const v = m.view;
    const answers = Object.entries(v.answered);
    replace(card,
      h('h2', { id: 'debrief-title', tabindex: -1 }, t('debrief.title', { title: loc(v.title, lang) })),
      h('p', { id: 'debrief-score', class: 'big-score' }, t('debrief.score', { score: v.score })),
      v.debrief ? h('div', { id: 'debrief-text' }, ...paragraphs(loc(v.debrief, lang))) : null,
      answers.length ? h('ul', {}, ...answers.map(([id, a]) => h('li', {}, t(a.correct ? 'debrief.answerOk' : 'debrief.answerBad', { id, attempts: a.attempts })))) : null,
      h('button', { type: 'button', id: 'debrief-to-title', class: 'primary big', onclick: () => port.backToTitle() }, t('debrief.toTitle')));
  }

  private draw(): void {
    this.children.removeAll(true);
    const { width, height } = this.scale;
    const g = this.add.graphics();
    g.fillStyle(COLORS.bg, 1).fillRect(0, 0, width, height);
    this.add.text(width / 2, 40, this.ctx.port.t('debrief.banner'), { fontFamily: FONT, fontSize: '28px', color: COLORS.orangeCss, fontStyle: 'bold' }).setOrigin(0.5, 0);
  }
}
