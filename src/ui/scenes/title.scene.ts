/** Title: a drawn backdrop (racks with lights) behind the DOM scenario list. */
import * as Phaser from 'phaser';
import { TitleCard } from '../dom/title.card.ts';
import type { SceneContext } from './context.ts';
import { COLORS } from './theme.ts';

export class TitleScene extends Phaser.Scene {
  private card: TitleCard | null = null;
  private offs: (() => void)[] = [];

  constructor(private readonly ctx: SceneContext) { super('title'); }

  create(): void {
    const { port, bus, overlays } = this.ctx;
    this.card = new TitleCard(port);
    overlays.replaceChildren(this.card.el);
    this.offs = [
      bus.on('language-changed', () => { this.card?.applyLanguage(); void this.card?.relocalize(); }),
      bus.on('catalogue-changed', () => this.card?.render()),
      bus.on('update-available', () => this.card?.render()),
    ];
    this.draw();
    this.scale.on('resize', this.draw, this);
    this.events.once('shutdown', () => {
      this.offs.forEach((off) => off());
      this.scale.off('resize', this.draw, this);
      overlays.replaceChildren();
      this.card = null;
    });
  }

  private draw(): void {
    this.children.removeAll(true);
    const { width, height } = this.scale;
    const g = this.add.graphics();
    g.fillStyle(COLORS.bg, 1).fillRect(0, 0, width, height);
    g.lineStyle(1, COLORS.grid, 1);
    for (let x = 0; x < width; x += 32) g.lineBetween(x, 0, x, height);
    for (let y = 0; y < height; y += 32) g.lineBetween(0, y, width, y);
    // Racks along the bottom, each with a few lights.
    const rackW = 56, gap = 18, rows = 5;
    const count = Math.ceil(width / (rackW + gap));
    const baseY = height - rows * 18 - 24;
    const motion = !this.ctx.port.reducedMotion();
    for (let i = 0; i < count; i++) {
      const x = i * (rackW + gap) + 8;
      g.fillStyle(COLORS.panel, 1).fillRoundedRect(x, baseY, rackW, rows * 18 + 12, 4);
      for (let r = 0; r < rows; r++) {
        const color = (i * 7 + r * 3) % 11 === 0 ? COLORS.red : (i + r) % 4 === 0 ? COLORS.amber : COLORS.green;
        const light = this.add.circle(x + rackW - 10, baseY + 12 + r * 18, 3.5, color);
        g.fillStyle(COLORS.panelLine, 1).fillRect(x + 6, baseY + 9 + r * 18, rackW - 26, 6);
        if (motion && color !== COLORS.green) this.tweens.add({ targets: light, alpha: 0.2, duration: 700 + ((i * 131 + r * 71) % 900), yoyo: true, repeat: -1 });
      }
    }
  }
}
