/**
 * A bitmap font made at run time from the UI font, for short canvas labels that change every frame
 * (the graphs' time axis at 3600x). Setting a BitmapText's text only lays out quads from one
 * texture, where setting a Text's text draws its canvas again and uploads it as a texture: about
 * 0.6 ms per label per frame in Chromium (issue #4). Glyphs are drawn as Phaser's Text draws them
 * (baseline at the font's measured ascent), with whole-pixel advances so every glyph lands on the
 * pixel grid and stays sharp.
 */
import * as Phaser from 'phaser';

/** Phaser Text's default test string for a font's ascent and descent (TextStyle.testString, as Phaser spells it). */
export const METRICS_TEXT = '|MÃ‰qgy';

export interface LabelFontStyle { fontFamily: string; size: number; color: string; bold?: boolean }

/** A glyph as Phaser's BitmapText reads it (its typings leave out `xAdvance`). */
type Glyph = Phaser.Types.GameObjects.BitmapText.BitmapFontCharacterData & { xAdvance: number };

/**
 * Registers bitmap font `key` (texture and font data) with `chars` drawn in `style`, once per
 * game; later calls with the same key reuse it. Returns the key, for `scene.add.bitmapText`.
 */
export function ensureLabelFont(scene: Phaser.Scene, key: string, style: LabelFontStyle, chars: string): string {
  if (scene.cache.bitmapFont.exists(key) && scene.textures.exists(key)) return key;
  const font = `${style.bold ? 'bold' : 'normal'} ${style.size}px ${style.fontFamily}`;
  const probe = document.createElement('canvas').getContext('2d')!;
  probe.font = font;
  const tm = probe.measureText(METRICS_TEXT);
  const ascent = tm.actualBoundingBoxAscent, descent = tm.actualBoundingBoxDescent;
  const lineHeight = Math.ceil(ascent + descent);
  const PADDING = 1;
  const glyphs = [...new Set(chars)].map((ch) => {
    const m = probe.measureText(ch);
    const left = Math.ceil(Math.max(0, m.actualBoundingBoxLeft)) + PADDING;
    const width = left + Math.ceil(Math.max(m.width, m.actualBoundingBoxRight)) + PADDING;
    return { ch, advance: Math.round(m.width), left, width };
  });
  const cellH = lineHeight + 2 * PADDING;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, glyphs.reduce((s, g) => s + g.width, 0));
  canvas.height = cellH;
  const ctx = canvas.getContext('2d')!;
  ctx.font = font;
  ctx.fillStyle = style.color;
  ctx.textBaseline = 'alphabetic';
  const glyphData: Record<number, Glyph> = {};
  let x = 0;
  for (const g of glyphs) {
    ctx.fillText(g.ch, x + g.left, PADDING + ascent);
    // v is flipped: Phaser uploads canvas textures with UNPACK_FLIP_Y (as ParseXMLBitmapFont computes it)
    glyphData[g.ch.charCodeAt(0)] = {
      x, y: 0, width: g.width, height: cellH, centerX: Math.floor(g.width / 2), centerY: Math.floor(cellH / 2),
      xOffset: -g.left, yOffset: -PADDING, xAdvance: g.advance, data: {}, kerning: {},
      u0: x / canvas.width, v0: 1, u1: (x + g.width) / canvas.width, v1: 1 - cellH / canvas.height,
    };
    x += g.width;
  }
  if (scene.textures.exists(key)) scene.textures.remove(key);
  scene.textures.addCanvas(key, canvas);
  const data = { font: key, size: style.size, lineHeight, retroFont: false, chars: glyphData };
  scene.cache.bitmapFont.add(key, { data, texture: key, frame: null });
  return key;
}
