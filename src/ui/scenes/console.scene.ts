/**
 * Console: the simulated account drawn on the canvas (account and Region frame, instance tiles
 * with state lights, CPU graphs), with the DOM panels beside it. Thin: it keeps the newest
 * ConsoleModel the app publishes and draws it in the scene's update (once per frame at most),
 * redrawing only what changed, and turns clicks into port calls.
 */
import * as Phaser from 'phaser';
import { ConsolePanels } from '../dom/console.panels.ts';
import type { ConsoleModel, GraphSeries, InstanceTile } from '../ports.ts';
import type { SceneContext } from './context.ts';
import { COLORS, FONT, stateColor, TRANSIENT } from './theme.ts';

const TILE_W = 168, TILE_H = 78, GAP = 12, PAD = 16;
/** Above this many instances the map shows small lights instead of labelled tiles. */
const COMPACT_OVER = 12;
const DOT = 22, DOT_GAP = 6;

/** One graph on the canvas: a frame and texts kept across frames, the line redrawn when its data changes. */
interface GraphSlot { frame: Phaser.GameObjects.Graphics; line: Phaser.GameObjects.Graphics; title: Phaser.GameObjects.Text;
  from: Phaser.GameObjects.Text; to: Phaser.GameObjects.Text; empty: Phaser.GameObjects.Text; px: number; py: number; pw: number; ph: number; key: string }

export class ConsoleScene extends Phaser.Scene {
  private panels: ConsolePanels | null = null;
  private offs: (() => void)[] = [];
  private model: ConsoleModel | null = null;
  private pending: ConsoleModel | null = null;
  private mapLayer: Phaser.GameObjects.Container | null = null;
  private graphLayer: Phaser.GameObjects.Container | null = null;
  private slots: GraphSlot[] = [];
  private mapKey: unknown[] = [];
  private layoutKey = '';
  private graphTop = 0;

  constructor(private readonly ctx: SceneContext) { super('console'); }

  create(): void {
    const { port, bus, panels, overlays, topbar } = this.ctx;
    this.mapKey = []; this.layoutKey = ''; this.slots = [];
    this.panels = new ConsolePanels(panels, overlays, port, () => this.maybeDebrief());
    this.mapLayer = this.add.container(0, 0);
    this.graphLayer = this.add.container(0, 0);
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
    this.maybeDebrief();
  }

  private text(x: number, y: number, s: string, size: number, color: string = COLORS.text, bold = false): Phaser.GameObjects.Text {
    return this.add.text(x, y, s, { fontFamily: FONT, fontSize: `${size}px`, color, fontStyle: bold ? 'bold' : 'normal' });
  }

  private drawMap(m: ConsoleModel): void {
    const layer = this.mapLayer!;
    layer.removeAll(true);
    this.tweens.killAll();
    const t = this.ctx.port.t;
    const { width } = this.scale;
    const g = this.add.graphics();
    layer.add(g);
    g.fillStyle(COLORS.bg, 1).fillRect(0, 0, width, this.scale.height);
    layer.add(this.text(PAD, 10, t('console.account', { account: m.accountId }), 14, COLORS.muted));
    const compact = m.instances.length > COMPACT_OVER;
    const cw = compact ? DOT : TILE_W, ch = compact ? DOT : TILE_H, gap = compact ? DOT_GAP : GAP;
    const cols = Math.max(1, Math.floor((width - PAD * 2 - 16 + gap) / (cw + gap)));
    const rows = Math.max(1, Math.ceil(m.instances.length / cols));
    const regionY = 34, regionH = 40 + rows * (ch + gap);
    g.lineStyle(1, COLORS.panelLine, 1).strokeRoundedRect(PAD, regionY, width - PAD * 2, regionH, 6);
    layer.add(this.text(PAD + 10, regionY + 8, t('console.region', { region: m.region }), 13, COLORS.orangeCss, true));
    if (m.instances.length === 0) layer.add(this.text(PAD + 10, regionY + 40, t('console.noInstances'), 13, COLORS.muted));
    m.instances.forEach((inst, i) => {
      const x = PAD + 8 + (i % cols) * (cw + gap), y = regionY + 34 + Math.floor(i / cols) * (ch + gap);
      const selected = inst.instanceId === m.selectedInstanceId;
      if (compact) this.drawDot(layer, g, inst, x, y, selected); else this.drawTile(layer, inst, x, y, selected);
    });
    this.graphTop = regionY + regionH + 12;
  }

  private select(p: Phaser.Input.Pointer, id: string): void {
    // Phaser also hears clicks on DOM overlays above the canvas; only a click on the canvas selects.
    if (p.downElement === this.game.canvas) this.ctx.port.selectInstance(id);
  }

  private drawDot(layer: Phaser.GameObjects.Container, g: Phaser.GameObjects.Graphics, inst: InstanceTile, x: number, y: number, selected: boolean): void {
    g.fillStyle(COLORS.panel, 1).fillRoundedRect(x, y, DOT, DOT, 4);
    g.lineStyle(selected ? 2 : 1, selected ? COLORS.orange : COLORS.panelLine, 1).strokeRoundedRect(x, y, DOT, DOT, 4);
    g.fillStyle(stateColor(inst.state), 1).fillCircle(x + DOT / 2, y + DOT / 2, 5);
    const hit = this.add.zone(x, y, DOT, DOT).setOrigin(0, 0).setInteractive({ useHandCursor: true });
    hit.on('pointerdown', (p: Phaser.Input.Pointer) => this.select(p, inst.instanceId));
    layer.add(hit);
  }

  private drawTile(layer: Phaser.GameObjects.Container, inst: InstanceTile, x: number, y: number, selected: boolean): void {
    const t = this.ctx.port.t;
    const g = this.add.graphics();
    g.fillStyle(COLORS.panel, 1).fillRoundedRect(x, y, TILE_W, TILE_H, 6);
    g.lineStyle(selected ? 2 : 1, selected ? COLORS.orange : COLORS.panelLine, 1).strokeRoundedRect(x, y, TILE_W, TILE_H, 6);
    const color = stateColor(inst.state);
    const light = this.add.circle(x + TILE_W - 14, y + 14, 6, color);
    if (TRANSIENT.has(inst.state) && !this.ctx.port.reducedMotion()) this.tweens.add({ targets: light, alpha: 0.25, duration: 500, yoyo: true, repeat: -1 });
    const hit = this.add.zone(x, y, TILE_W, TILE_H).setOrigin(0, 0).setInteractive({ useHandCursor: true });
    hit.on('pointerdown', (p: Phaser.Input.Pointer) => this.select(p, inst.instanceId));
    layer.add([g, light, hit,
      this.text(x + 10, y + 8, inst.name ?? '—', 14, COLORS.text, true),
      this.text(x + 10, y + 28, inst.instanceId, 11, COLORS.muted),
      this.text(x + 10, y + 52, `${t(`ec2.state.${inst.state}`)} · ${inst.instanceType}`, 12, `#${color.toString(16).padStart(6, '0')}`)]);
  }

  /** Lays the graph frames out (one wide graph, or two columns), then redraws lines whose data changed. */
  private drawGraphs(graphs: GraphSeries[]): void {
    const t = this.ctx.port.t;
    const { width, height } = this.scale;
    const count = Math.max(1, graphs.length);
    const layoutKey = `${count}|${this.graphTop}|${width}|${height}|${this.ctx.port.lang()}`;
    if (layoutKey !== this.layoutKey) {
      this.layoutKey = layoutKey;
      this.graphLayer!.removeAll(true);
      this.slots = [];
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
    const layer = this.graphLayer!;
    const frame = this.add.graphics();
    frame.fillStyle(COLORS.panel, 1).fillRoundedRect(x, y, w, h, 6);
    const px = x + 40, py = y + 28, pw = w - 52, ph = Math.max(20, h - 46);
    frame.lineStyle(1, COLORS.panelLine, 1);
    const labels: Phaser.GameObjects.Text[] = [];
    for (const pct of [0, 50, 100]) {
      const ly = py + ph - (pct / 100) * ph;
      frame.lineBetween(px, ly, px + pw, ly);
      labels.push(this.text(x + 6, ly - 7, `${pct}%`, 10, COLORS.muted));
    }
    const line = this.add.graphics();
    const title = this.text(x + 10, y + 7, '', 12, COLORS.text, true);
    const from = this.text(px, py + ph + 2, '', 10, COLORS.muted);
    const to = this.text(px + pw, py + ph + 2, '', 10, COLORS.muted).setOrigin(1, 0);
    const empty = this.text(px + pw / 2, py + ph / 2, '', 12, COLORS.muted).setOrigin(0.5);
    layer.add([frame, ...labels, line, title, from, to, empty]);
    return { frame, line, title, from, to, empty, px, py, pw, ph, key: '' };
  }

  private drawSlot(slot: GraphSlot, graph: GraphSeries | null, t: (k: string, o?: Record<string, unknown>) => string): void {
    const line0 = graph?.lines[0];
    const key = graph ? `${graph.id}|${graph.title}|${line0?.timestamps.length}|${line0?.timestamps[0]}|${line0?.timestamps.at(-1)}|${line0?.values.at(-1)}` : 'none';
    if (key === slot.key) return;
    slot.key = key;
    const title = graph ? t('console.graphTitle', { title: graph.title, stat: graph.stat, period: graph.periodSeconds / 60 }) : t('console.cpuGraph');
    if (slot.title.text !== title) slot.title.setText(title);
    const g = slot.line.clear();
    const ts = line0?.timestamps ?? [], vs = line0?.values ?? [];
    const hasData = ts.length > 0;
    slot.empty.setText(hasData ? '' : t('console.noMetrics'));
    if (!hasData) { slot.from.setText(''); slot.to.setText(''); return; }
    const t0 = graph!.start, t1 = Math.max(graph!.end, t0 + 1);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const from = hhmm(t0), to = `${hhmm(t1)} UTC`;
    if (slot.from.text !== from) slot.from.setText(from);
    if (slot.to.text !== to) slot.to.setText(to);
    const { px, py, pw, ph } = slot;
    const gx = (tm: number) => px + ((tm - t0) / (t1 - t0)) * pw;
    const gy = (v: number) => py + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
    g.lineStyle(2, COLORS.orange, 1).beginPath();
    for (let i = 0; i < ts.length; i++) { if (i === 0) g.moveTo(gx(ts[i]!), gy(vs[i]!)); else g.lineTo(gx(ts[i]!), gy(vs[i]!)); }
    g.strokePath();
    if (ts.length === 1) g.fillStyle(COLORS.orange, 1).fillCircle(gx(ts[0]!), gy(vs[0]!), 3);
  }
}
