/**
 * The still part of a canvas scene (background, frames, outlines, lights, fixed labels), painted
 * with Canvas 2D into one texture and shown as one image. Phaser's WebGL Graphics rebuilds every
 * path on every frame (each rounded corner or circle ~100 points, then triangulated); with 50
 * instance lights and 8 graph frames that was most of the console's frame step at 3600x (issue #4).
 * Painted again only when the scene says something in it changed, then uploaded once.
 *
 * Texts are placed the way Phaser's Text places them (top-left at the origin, the baseline at the
 * font's measured ascent of Phaser's test string), so a label moved here from a Text object keeps
 * its place.
 */
import * as Phaser from 'phaser';
import { METRICS_TEXT } from './label-font.ts';

/** A Phaser colour (0xrrggbb) as CSS. */
export const cssColor = (color: number): string => `#${color.toString(16).padStart(6, '0')}`;

export interface LabelStyle { size: number; color: string; bold?: boolean; originX?: number; originY?: number }

export class Backdrop {
  readonly image: Phaser.GameObjects.Image;
  private readonly texture: Phaser.Textures.CanvasTexture;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly metrics = new Map<string, { ascent: number; descent: number }>();

  constructor(private readonly scene: Phaser.Scene, private readonly key: string, private readonly fontFamily: string) {
    if (scene.textures.exists(key)) scene.textures.remove(key);
    const texture = scene.textures.createCanvas(key, Math.max(1, Math.round(scene.scale.width)), Math.max(1, Math.round(scene.scale.height)));
    if (!texture) throw new Error(`backdrop texture ${key} could not be made`);
    this.texture = texture;
    this.ctx = texture.getContext();
    this.image = scene.add.image(0, 0, key).setOrigin(0, 0);
  }

  /** Starts a repaint of the whole backdrop at this size (what was painted before is cleared). */
  begin(width: number, height: number): this {
    const w = Math.max(1, Math.round(width)), h = Math.max(1, Math.round(height));
    if (this.texture.width !== w || this.texture.height !== h) {
      this.texture.setSize(w, h);
      this.image.setTexture(this.key);
    }
    this.ctx.setTransform(1, 0, 0, 1, 0, 0);
    this.ctx.clearRect(0, 0, w, h);
    return this;
  }

  fillRect(x: number, y: number, w: number, h: number, color: number): this {
    this.ctx.fillStyle = cssColor(color);
    this.ctx.fillRect(x, y, w, h);
    return this;
  }

  fillRoundedRect(x: number, y: number, w: number, h: number, r: number, color: number): this {
    const c = this.ctx;
    this.roundRect(x, y, w, h, r);
    c.fillStyle = cssColor(color);
    c.fill();
    return this;
  }

  strokeRoundedRect(x: number, y: number, w: number, h: number, r: number, lineWidth: number, color: number): this {
    const c = this.ctx;
    this.roundRect(x, y, w, h, r);
    c.lineWidth = lineWidth;
    c.strokeStyle = cssColor(color);
    c.stroke();
    return this;
  }

  fillCircle(x: number, y: number, r: number, color: number): this {
    const c = this.ctx;
    c.beginPath();
    c.arc(x, y, r, 0, Math.PI * 2);
    c.fillStyle = cssColor(color);
    c.fill();
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number, lineWidth: number, color: number): this {
    const c = this.ctx;
    c.beginPath();
    c.moveTo(x1, y1);
    c.lineTo(x2, y2);
    c.lineWidth = lineWidth;
    c.strokeStyle = cssColor(color);
    c.stroke();
    return this;
  }

  /** One line of text, placed as a Phaser Text with the same style and origin would be. */
  text(x: number, y: number, s: string, style: LabelStyle): this {
    if (!s) return this;
    const c = this.ctx;
    const font = `${style.bold ? 'bold' : 'normal'} ${style.size}px ${this.fontFamily}`;
    c.font = font;
    let m = this.metrics.get(font);
    if (!m) {
      const tm = c.measureText(METRICS_TEXT);
      m = { ascent: tm.actualBoundingBoxAscent, descent: tm.actualBoundingBoxDescent };
      this.metrics.set(font, m);
    }
    const width = c.measureText(s).width, height = m.ascent + m.descent;
    c.fillStyle = style.color;
    c.textBaseline = 'alphabetic';
    c.textAlign = 'left';
    c.fillText(s, x - (style.originX ?? 0) * width, y - (style.originY ?? 0) * height + m.ascent);
    return this;
  }

  /** A new path of one rounded rectangle (square corners where Canvas 2D has no roundRect). */
  private roundRect(x: number, y: number, w: number, h: number, r: number): void {
    const c = this.ctx;
    c.beginPath();
    if (typeof c.roundRect === 'function') c.roundRect(x, y, w, h, r); else c.rect(x, y, w, h);
  }

  /** Uploads what was painted since `begin` (one texture upload). */
  commit(): void { this.texture.refresh(); }

  destroy(): void {
    this.image.destroy();
    if (this.scene.textures.exists(this.key)) this.scene.textures.remove(this.key);
  }
}
