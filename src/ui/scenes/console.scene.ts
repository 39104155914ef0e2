/**
 * Console: the simulated account drawn on the canvas (account and Region frame, instance tiles
 * with state lights, one CPU graph), with the DOM panels beside it. Thin: it renders the
 * ConsoleModel the app publishes and turns clicks into port calls.
 */
import * as Phaser from 'phaser';
import { ConsolePanels } from '../dom/console.panels.ts';
import type { ConsoleModel, CpuSeries, InstanceTile } from '../ports.ts';
import type { SceneContext } from './context.ts';
import { COLORS, FONT, stateColor, TRANSIENT } from './theme.ts';

const TILE_W = 168, TILE_H = 78, GAP = 12, PAD = 16;

export class ConsoleScene extends Phaser.Scene {
  private panels: ConsolePanels | null = null;
  private offs: (() => void)[] = [];
  private model: ConsoleModel | null = null;
  private mapLayer: Phaser.GameObjects.Container | null = null;
  private graphLayer: Phaser.GameObjects.Container | null = null;
  private mapKey = '';
  private graphKey = '';
  private graphTop = 0;

  constructor(private readonly ctx: SceneContext) { super('console'); }

  create(): void {
    const { port, bus, panels, overlays, topbar } = this.ctx;
    this.mapKey = ''; this.graphKey = '';
    this.panels = new ConsolePanels(panels, overlays, port, () => this.maybeDebrief());
    this.mapLayer = this.add.container(0, 0);
    this.graphLayer = this.add.container(0, 0);
    this.offs = [
      bus.on('console-changed', (m) => this.render(m)),
      bus.on('language-changed', () => { this.panels?.applyLanguage(); this.mapKey = ''; this.graphKey = ''; if (this.model) this.render(this.model); }),
    ];
    this.scale.on('resize', this.onResize, this);
    this.events.once('shutdown', () => {
      this.offs.forEach((off) => off());
      this.scale.off('resize', this.onResize, this);
      this.panels?.destroy();
      this.panels = null;
      topbar.setConsole(null);
    });
    const m = port.console();
    if (m) this.render(m);
  }

  private onResize(): void {
    this.mapKey = ''; this.graphKey = '';
    if (this.model) this.render(this.model);
  }

  private maybeDebrief(): void {
    const m = this.model;
    if (m?.view.finished && !this.panels?.quiz.holding) this.ctx.bus.emit('show', { scene: 'debrief' });
  }

  private render(m: ConsoleModel): void {
    this.model = m;
    this.ctx.topbar.setConsole(m);
    this.panels?.update(m);
    const mapKey = JSON.stringify([m.instances, m.selectedInstanceId, m.accountId, this.scale.width, this.scale.height]);
    if (mapKey !== this.mapKey) { this.mapKey = mapKey; this.drawMap(m); }
    const graphKey = JSON.stringify([m.cpu?.instanceId, m.cpu?.timestamps.length, m.cpu?.timestamps.at(-1), m.cpu?.values.at(-1), this.graphTop, this.scale.width]);
    if (graphKey !== this.graphKey) { this.graphKey = graphKey; this.drawGraph(m.cpu); }
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
    const cols = Math.max(1, Math.floor((width - PAD * 2 - 16 + GAP) / (TILE_W + GAP)));
    const rows = Math.max(1, Math.ceil(m.instances.length / cols));
    const regionY = 34, regionH = 40 + rows * (TILE_H + GAP);
    g.lineStyle(1, COLORS.panelLine, 1).strokeRoundedRect(PAD, regionY, width - PAD * 2, regionH, 6);
    layer.add(this.text(PAD + 10, regionY + 8, t('console.region', { region: m.region }), 13, COLORS.orangeCss, true));
    if (m.instances.length === 0) layer.add(this.text(PAD + 10, regionY + 40, t('console.noInstances'), 13, COLORS.muted));
    m.instances.forEach((inst, i) => this.drawTile(layer, inst, PAD + 8 + (i % cols) * (TILE_W + GAP), regionY + 34 + Math.floor(i / cols) * (TILE_H + GAP), inst.instanceId === m.selectedInstanceId));
    this.graphTop = regionY + regionH + 12;
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
    // Phaser also hears clicks on DOM overlays above the canvas; only a click on the canvas selects.
    hit.on('pointerdown', (p: Phaser.Input.Pointer) => { if (p.downElement === this.game.canvas) this.ctx.port.selectInstance(inst.instanceId); });
    layer.add([g, light, hit,
      this.text(x + 10, y + 8, inst.name ?? '—', 14, COLORS.text, true),
      this.text(x + 10, y + 28, inst.instanceId, 11, COLORS.muted),
      this.text(x + 10, y + 52, `${t(`ec2.state.${inst.state}`)} · ${inst.instanceType}`, 12, `#${color.toString(16).padStart(6, '0')}`)]);
  }

  private drawGraph(cpu: CpuSeries | null): void {
    const layer = this.graphLayer!;
    layer.removeAll(true);
    const t = this.ctx.port.t;
    const { width, height } = this.scale;
    const x = PAD, y = this.graphTop, w = width - PAD * 2, h = Math.max(90, height - y - PAD);
    const g = this.add.graphics();
    layer.add(g);
    g.fillStyle(COLORS.panel, 1).fillRoundedRect(x, y, w, h, 6);
    const title = cpu ? t('console.cpuTitle', { name: cpu.name ?? cpu.instanceId, period: cpu.periodSeconds / 60 }) : t('console.cpuGraph');
    layer.add(this.text(x + 10, y + 8, title, 13, COLORS.text, true));
    const px = x + 44, py = y + 32, pw = w - 58, ph = h - 52;
    g.lineStyle(1, COLORS.panelLine, 1);
    for (const pct of [0, 50, 100]) {
      const ly = py + ph - (pct / 100) * ph;
      g.lineBetween(px, ly, px + pw, ly);
      layer.add(this.text(x + 8, ly - 7, `${pct}%`, 11, COLORS.muted));
    }
    if (!cpu || cpu.values.length === 0) {
      layer.add(this.text(px + pw / 2, py + ph / 2, t('console.noMetrics'), 13, COLORS.muted).setOrigin(0.5));
      return;
    }
    const t0 = cpu.timestamps[0]!, t1 = cpu.timestamps.at(-1)!;
    const span = Math.max(1, t1 - t0);
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    layer.add(this.text(px, py + ph + 2, hhmm(t0), 10, COLORS.muted));
    layer.add(this.text(px + pw, py + ph + 2, `${hhmm(t1)} UTC`, 10, COLORS.muted).setOrigin(1, 0));
    g.lineStyle(2, COLORS.orange, 1).beginPath();
    cpu.values.forEach((v, i) => {
      const gx = px + ((cpu.timestamps[i]! - t0) / span) * pw;
      const gy = py + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
      if (i === 0) g.moveTo(gx, gy); else g.lineTo(gx, gy);
    });
    g.strokePath();
    if (cpu.values.length === 1) g.fillStyle(COLORS.orange, 1).fillCircle(px, py + ph - (cpu.values[0]! / 100) * ph, 3);
  }
}
