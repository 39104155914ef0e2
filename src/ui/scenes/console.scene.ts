/**
 * Console: the simulated account drawn on the canvas (account and Region frame, instance tiles
 * with state lights, CPU graphs), with the DOM panels beside it. Thin: it keeps the newest
 * ConsoleModel the app publishes and draws it in the scene's update (once per frame at most),
 * redrawing only what changed, and turns clicks into port calls.
 *
 * What stays still (background, Region frame, instance lights or tiles, graph frames, axes and
 * titles) is painted once into one backdrop texture; per frame only the graph lines (ropes, which
 * reuse their vertex arrays), their time labels (bitmap text) and the lights that blink are drawn
 * as objects (issue #4).
 */
import * as Phaser from 'phaser';
import { ConsolePanels } from '../dom/console.panels.ts';
import type { ConsoleModel, GraphSeries, InstanceTile } from '../ports.ts';
import { Backdrop, cssColor } from './backdrop.ts';
import type { SceneContext } from './context.ts';
import { ensureLabelFont } from './label-font.ts';
import { COLORS, FONT, stateColor, TRANSIENT } from './theme.ts';

const TILE_W = 168, TILE_H = 78, GAP = 12, PAD = 16;
/** Above this many instances the map shows small lights instead of labelled tiles. */
const COMPACT_OVER = 12;
const DOT = 22, DOT_GAP = 6;
const REGION_Y = 34;
const BACKDROP_KEY = 'console-backdrop';
/** The graphs' time labels ('23:15', '02:19 UTC'): a bitmap font of these characters, so a new time costs no texture upload. */
const AXIS_FONT = 'console-axis-10';
const AXIS_CHARS = '0123456789: UTC';
/** A 2 × 2 white texture: a rope of it tinted orange is a 2 px graph line. */
const LINE_TEXTURE = 'console-line-2px';

/** Where the map puts each instance, and where the graphs start below it. */
interface MapLayout { compact: boolean; regionH: number; cells: { inst: InstanceTile; x: number; y: number; selected: boolean }[]; graphTop: number }

function mapLayout(m: ConsoleModel, width: number): MapLayout {
  const compact = m.instances.length > COMPACT_OVER;
  const cw = compact ? DOT : TILE_W, ch = compact ? DOT : TILE_H, gap = compact ? DOT_GAP : GAP;
  const cols = Math.max(1, Math.floor((width - PAD * 2 - 16 + gap) / (cw + gap)));
  const rows = Math.max(1, Math.ceil(m.instances.length / cols));
  const regionH = 40 + rows * (ch + gap);
  const cells = m.instances.map((inst, i) => ({
    inst, x: PAD + 8 + (i % cols) * (cw + gap), y: REGION_Y + 34 + Math.floor(i / cols) * (ch + gap), selected: inst.instanceId === m.selectedInstanceId,
  }));
  return { compact, regionH, cells, graphTop: REGION_Y + regionH + 12 };
}

/**
 * One graph on the canvas: its frame, axes and title are on the backdrop; the line and the time
 * labels are objects, redrawn when the data changes.
 */
interface GraphSlot { x: number; y: number; w: number; h: number; px: number; py: number; pw: number; ph: number;
  /**
   * the line through the datapoints: a rope whose points are moved in place (WebGL), or a path
   * (the Canvas renderer, which draws no ropes); a lone datapoint is a dot
   */
  line: Phaser.GameObjects.Rope | Phaser.GameObjects.Graphics; points: { x: number; y: number }[]; dot: Phaser.GameObjects.Arc;
  from: Phaser.GameObjects.BitmapText; to: Phaser.GameObjects.BitmapText; empty: Phaser.GameObjects.Text;
  title: string; titleKey: string | null; key: string }

export class ConsoleScene extends Phaser.Scene {
  private panels: ConsolePanels | null = null;
  private offs: (() => void)[] = [];
  private model: ConsoleModel | null = null;
  private pending: ConsoleModel | null = null;
  private backdrop: Backdrop | null = null;
  private backdropDirty = true;
  private mapLayer: Phaser.GameObjects.Container | null = null;
  /** graph lines, then graph labels: each layer draws as one batch (same texture), not one per graph */
  private graphLines: Phaser.GameObjects.Container | null = null;
  private graphLabels: Phaser.GameObjects.Container | null = null;
  private layout: MapLayout | null = null;
  private slots: GraphSlot[] = [];
  private mapKey: unknown[] = [];
  private layoutKey = '';
  private graphTop = 0;

  constructor(private readonly ctx: SceneContext) { super('console'); }

  create(): void {
    const { port, bus, panels, overlays, topbar } = this.ctx;
    this.mapKey = []; this.layoutKey = ''; this.slots = []; this.layout = null; this.backdropDirty = true;
    this.panels = new ConsolePanels(panels, overlays, port, () => this.maybeDebrief());
    this.backdrop = new Backdrop(this, BACKDROP_KEY, FONT);
    ensureLabelFont(this, AXIS_FONT, { fontFamily: FONT, size: 10, color: COLORS.muted }, AXIS_CHARS);
    if (!this.textures.exists(LINE_TEXTURE)) this.textures.addUint8Array(LINE_TEXTURE, new Uint8Array(2 * 2 * 4).fill(255), 2, 2);
    this.mapLayer = this.add.container(0, 0);
    this.graphLines = this.add.container(0, 0);
    this.graphLabels = this.add.container(0, 0);
    this.offs = [
      bus.on('console-changed', (m) => { this.pending = m; }),
      bus.on('language-changed', () => { this.panels?.applyLanguage(); this.invalidate(); }),
    ];
    this.scale.on('resize', this.invalidate, this);
    this.events.once('shutdown', () => {
      this.offs.forEach((off) => off());
      this.scale.off('resize', this.invalidate, this);
      this.panels?.destroy();
      this.panels = null;
      this.slots = [];
      this.backdrop?.destroy();
      this.backdrop = null;
      topbar.setConsole(null);
    });
    const m = port.console();
    if (m) this.render(m);
  }

  override update(): void {
    const m = this.pending;
    if (!m) return;
    this.pending = null;
    this.render(m);
  }

  private invalidate(): void {
    this.mapKey = []; this.layoutKey = '';
    if (this.model) this.pending ??= this.model;
  }

  private maybeDebrief(): void {
    const m = this.model;
    if (m?.view.finished && !this.panels?.quiz.holding) this.ctx.bus.emit('show', { scene: 'debrief' });
  }

  private render(m: ConsoleModel): void {
    this.model = m;
    this.ctx.topbar.setConsole(m);
    this.panels?.update(m);
    // Parts that did not change keep their identity (the run proxy merges deltas), so references compare.
    const mapKey = [m.instances, m.selectedInstanceId, m.accountId, this.scale.width, this.scale.height];
    if (mapKey.some((v, i) => v !== this.mapKey[i])) { this.mapKey = mapKey; this.drawMap(m); this.layoutKey = ''; }
    this.drawGraphs(m.graphs);
    if (this.backdropDirty) this.paintBackdrop(m);
    this.maybeDebrief();
  }

  private text(x: number, y: number, s: string, size: number, color: string = COLORS.text, bold = false): Phaser.GameObjects.Text {
    return this.add.text(x, y, s, { fontFamily: FONT, fontSize: `${size}px`, color, fontStyle: bold ? 'bold' : 'normal' });
  }

  /** The map's live objects: a click zone per instance, and the blinking state lights of tiles. */
  private drawMap(m: ConsoleModel): void {
    const layer = this.mapLayer!;
    layer.removeAll(true);
    this.tweens.killAll();
    const layout = mapLayout(m, this.scale.width);
    this.layout = layout;
    this.backdropDirty = true;
    for (const { inst, x, y } of layout.cells) {
      const w = layout.compact ? DOT : TILE_W, h = layout.compact ? DOT : TILE_H;
      if (!layout.compact) {
        const light = this.add.circle(x + TILE_W - 14, y + 14, 6, stateColor(inst.state));
        if (TRANSIENT.has(inst.state) && !this.ctx.port.reducedMotion()) this.tweens.add({ targets: light, alpha: 0.25, duration: 500, yoyo: true, repeat: -1 });
        layer.add(light);
      }
      const hit = this.add.zone(x, y, w, h).setOrigin(0, 0).setInteractive({ useHandCursor: true });
      hit.on('pointerdown', (p: Phaser.Input.Pointer) => this.select(p, inst.instanceId));
      layer.add(hit);
    }
    this.graphTop = layout.graphTop;
  }

  private select(p: Phaser.Input.Pointer, id: string): void {
    // Phaser also hears clicks on DOM overlays above the canvas; only a click on the canvas selects.
    if (p.downElement === this.game.canvas) this.ctx.port.selectInstance(id);
  }

  /** Paints everything that stays still (map and graph frames) into the backdrop, then uploads it once. */
  private paintBackdrop(m: ConsoleModel): void {
    const b = this.backdrop;
    const layout = this.layout;
    if (!b || !layout) return;
    this.backdropDirty = false;
    const t = this.ctx.port.t;
    const { width, height } = this.scale;
    b.begin(width, height).fillRect(0, 0, width, height, COLORS.bg);
    b.text(PAD, 10, t('console.account', { account: m.accountId }), { size: 14, color: COLORS.muted });
    b.strokeRoundedRect(PAD, REGION_Y, width - PAD * 2, layout.regionH, 6, 1, COLORS.panelLine);
    b.text(PAD + 10, REGION_Y + 8, t('console.region', { region: m.region }), { size: 13, color: COLORS.orangeCss, bold: true });
    if (layout.cells.length === 0) b.text(PAD + 10, REGION_Y + 40, t('console.noInstances'), { size: 13, color: COLORS.muted });
    for (const { inst, x, y, selected } of layout.cells) {
      const color = stateColor(inst.state);
      if (layout.compact) {
        b.fillRoundedRect(x, y, DOT, DOT, 4, COLORS.panel)
          .strokeRoundedRect(x, y, DOT, DOT, 4, selected ? 2 : 1, selected ? COLORS.orange : COLORS.panelLine)
          .fillCircle(x + DOT / 2, y + DOT / 2, 5, color);
      } else {
        // the tile's light is a live object (it blinks while the state is changing)
        b.fillRoundedRect(x, y, TILE_W, TILE_H, 6, COLORS.panel)
          .strokeRoundedRect(x, y, TILE_W, TILE_H, 6, selected ? 2 : 1, selected ? COLORS.orange : COLORS.panelLine)
          .text(x + 10, y + 8, inst.name ?? '—', { size: 14, color: COLORS.text, bold: true })
          .text(x + 10, y + 28, inst.instanceId, { size: 11, color: COLORS.muted })
          .text(x + 10, y + 52, `${t(`ec2.state.${inst.state}`)} · ${inst.instanceType}`, { size: 12, color: cssColor(color) });
      }
    }
    for (const s of this.slots) {
      b.fillRoundedRect(s.x, s.y, s.w, s.h, 6, COLORS.panel);
      for (const pct of [0, 50, 100]) {
        const ly = s.py + s.ph - (pct / 100) * s.ph;
        b.line(s.px, ly, s.px + s.pw, ly, 1, COLORS.panelLine).text(s.x + 6, ly - 7, `${pct}%`, { size: 10, color: COLORS.muted });
      }
      b.text(s.x + 10, s.y + 7, s.title, { size: 12, color: COLORS.text, bold: true });
    }
    b.commit();
  }

  /** Lays the graph slots out (one wide graph, or two columns), then redraws lines whose data changed. */
  private drawGraphs(graphs: GraphSeries[]): void {
    const t = this.ctx.port.t;
    const { width, height } = this.scale;
    const count = Math.max(1, graphs.length);
    const layoutKey = `${count}|${this.graphTop}|${width}|${height}|${this.ctx.port.lang()}`;
    if (layoutKey !== this.layoutKey) {
      this.layoutKey = layoutKey;
      this.graphLines!.removeAll(true);
      this.graphLabels!.removeAll(true);
      this.slots = [];
      this.backdropDirty = true;
      const cols = count === 1 ? 1 : 2;
      const rows = Math.ceil(count / cols);
      const areaW = width - PAD * 2, areaH = Math.max(90 * rows, height - this.graphTop - PAD);
      const w = (areaW - (cols - 1) * GAP) / cols, h = (areaH - (rows - 1) * GAP) / rows;
      for (let i = 0; i < count; i++) {
        const x = PAD + (i % cols) * (w + GAP), y = this.graphTop + Math.floor(i / cols) * (h + GAP);
        this.slots.push(this.makeSlot(x, y, w, h));
      }
    }
    this.slots.forEach((slot, i) => this.drawSlot(slot, graphs[i] ?? null, t));
  }

  private makeSlot(x: number, y: number, w: number, h: number): GraphSlot {
    const px = x + 40, py = y + 28, pw = w - 52, ph = Math.max(20, h - 46);
    const line = (this.game.renderer.type === Phaser.WEBGL
      ? this.add.rope(0, 0, LINE_TEXTURE, undefined, [{ x: px, y: py }, { x: px + pw, y: py }]) : this.add.graphics()).setVisible(false);
    const dot = this.add.circle(px, py, 3, COLORS.orange).setVisible(false);
    // whole pixels: the glyphs stay sharp
    const from = this.add.bitmapText(Math.round(px), Math.round(py + ph + 2), AXIS_FONT, '', 10);
    const to = this.add.bitmapText(Math.round(px + pw), Math.round(py + ph + 2), AXIS_FONT, '', 10).setOrigin(1, 0);
    const empty = this.text(px + pw / 2, py + ph / 2, '', 12, COLORS.muted).setOrigin(0.5).setVisible(false);
    this.graphLines!.add([line, dot]);
    this.graphLabels!.add([from, to, empty]);
    return { x, y, w, h, px, py, pw, ph, line, points: [], dot, from, to, empty, title: '', titleKey: null, key: '' };
  }

  private drawSlot(slot: GraphSlot, graph: GraphSeries | null, t: (k: string, o?: Record<string, unknown>) => string): void {
    const titleKey = graph ? `${graph.title}|${graph.stat}|${graph.periodSeconds}` : '';
    if (titleKey !== slot.titleKey) {
      slot.titleKey = titleKey;
      const title = graph ? t('console.graphTitle', { title: graph.title, stat: graph.stat, period: graph.periodSeconds / 60 }) : t('console.cpuGraph');
      if (title !== slot.title) { slot.title = title; this.backdropDirty = true; }
    }
    const line0 = graph?.lines[0];
    const key = graph ? `${graph.id}|${line0?.timestamps.length}|${line0?.timestamps[0]}|${line0?.timestamps.at(-1)}|${line0?.values.at(-1)}` : 'none';
    if (key === slot.key) return;
    slot.key = key;
    const ts = line0?.timestamps ?? [], vs = line0?.values ?? [];
    const hasData = ts.length > 0;
    if (!hasData && slot.empty.text !== t('console.noMetrics')) slot.empty.setText(t('console.noMetrics'));
    slot.empty.setVisible(!hasData);
    slot.line.setVisible(ts.length > 1);
    slot.dot.setVisible(ts.length === 1);
    if (!hasData) { slot.from.setText(''); slot.to.setText(''); return; }
    const t0 = graph!.start, t1 = Math.max(graph!.end, t0 + 1);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const from = hhmm(t0), to = `${hhmm(t1)} UTC`;
    if (slot.from.text !== from) slot.from.setText(from);
    if (slot.to.text !== to) slot.to.setText(to);
    const { px, py, pw, ph } = slot;
    const gx = (tm: number) => px + ((tm - t0) / (t1 - t0)) * pw;
    const gy = (v: number) => py + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
    if (ts.length === 1) { slot.dot.setPosition(gx(ts[0]!), gy(vs[0]!)); return; }
    if (slot.line instanceof Phaser.GameObjects.Graphics) {
      const g = slot.line.clear().lineStyle(2, COLORS.orange, 1).beginPath();
      for (let i = 0; i < ts.length; i++) { if (i === 0) g.moveTo(gx(ts[i]!), gy(vs[i]!)); else g.lineTo(gx(ts[i]!), gy(vs[i]!)); }
      g.strokePath();
      return;
    }
    // Same number of datapoints: move the rope's points in place (no new arrays); else give it new ones.
    const fresh = slot.points.length !== ts.length;
    if (fresh) slot.points = ts.map(() => ({ x: 0, y: 0 }));
    const pts = slot.points;
    for (let i = 0; i < ts.length; i++) { pts[i]!.x = gx(ts[i]!); pts[i]!.y = gy(vs[i]!); }
    if (fresh) slot.line.setPoints(pts).setColors(COLORS.orange); else slot.line.setDirty();
  }
}
