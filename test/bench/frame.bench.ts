/**
 * Issue #4's browser figure: Phaser's per-frame JS step (PRE_STEP → POST_RENDER) while the
 * console fast-forwards at 3600x with 50 instances and 8 graphs on the canvas, and the longest
 * main-thread task, measured in Debian's Chromium on the built app (`?bench=frames`). Run once
 * with the engine in its Web Worker (the shipped path) and once in the main thread
 * (`&engine=main`) for comparison. Figures only; goals are judged by people.
 */
import { build, preview } from 'vite';
import { launch } from '../e2e/browser.ts';

const MEASURE_MS = 5_000;
const WARMUP_MS = 1_500;

interface PageFigures { steps: number[]; gaps: number[]; longTasks: number[]; simStart: string; simEnd: string; instances: number }

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]!;
};
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Runs in the page: Phaser's step time per frame (PRE_STEP → POST_RENDER), frame gaps and long tasks for `ms`. */
const MEASURE_SOURCE = `async function (ms) {
  const game = window.__opsroom.game;
  const steps = [], gaps = [], longTasks = [];
  let t0 = 0, last = 0;
  const pre = function () { t0 = performance.now(); if (last) gaps.push(t0 - last); last = t0; };
  const post = function () { if (t0) steps.push(performance.now() - t0); t0 = 0; };
  const obs = new PerformanceObserver(function (list) { for (const e of list.getEntries()) longTasks.push(e.duration); });
  try { obs.observe({ type: 'longtask', buffered: false }); } catch (e) { /* not supported */ }
  game.events.on('prestep', pre);
  game.events.on('postrender', post);
  const simStart = document.querySelector('#sim-clock').getAttribute('data-now');
  await new Promise(function (r) { setTimeout(r, ms); });
  game.events.off('prestep', pre);
  game.events.off('postrender', post);
  obs.disconnect();
  const simEnd = document.querySelector('#sim-clock').getAttribute('data-now');
  return { steps, gaps, longTasks, simStart, simEnd, instances: document.querySelectorAll('#instances tbody tr').length };
}`;

export async function benchFrames(): Promise<Record<string, number | string>> {
  await build({ logLevel: 'warn' });
  const server = await preview({ preview: { host: '127.0.0.1', port: 0, strictPort: false }, logLevel: 'warn' });
  const base = server.resolvedUrls!.local[0]!;
  const browser = await launch();
  const out: Record<string, number | string> = {};
  try {
    for (const mode of ['worker', 'main'] as const) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
      const page = await ctx.newPage();
      await page.goto(`${base}?bench=frames${mode === 'main' ? '&engine=main' : ''}`);
      await page.waitForFunction(() => window.__opsroom?.ready === true && window.__opsroom.scene === 'console' && window.__opsroom.speed === 3600, null, { timeout: 30_000 });
      await page.waitForTimeout(WARMUP_MS);
      // Sent as source text: tsx would otherwise wrap named closures in helpers the page does not have.
      const f = await page.evaluate(`(${MEASURE_SOURCE})(${MEASURE_MS})`) as PageFigures;
      const simHours = (Date.parse(f.simEnd) - Date.parse(f.simStart)) / 3_600_000;
      out[`${mode}: frames measured`] = f.steps.length;
      out[`${mode}: frame step median ms`] = r2(pct(f.steps, 0.5));
      out[`${mode}: frame step p95 ms`] = r2(pct(f.steps, 0.95));
      out[`${mode}: frame step p99 ms`] = r2(pct(f.steps, 0.99));
      out[`${mode}: frame step max ms`] = r2(Math.max(...f.steps));
      out[`${mode}: longest frame gap ms`] = r2(Math.max(...f.gaps));
      out[`${mode}: long tasks (≥50 ms)`] = f.longTasks.length;
      out[`${mode}: longest main-thread task ms`] = f.longTasks.length ? r2(Math.max(...f.longTasks)) : '0 (none ≥ 50 ms)';
      out[`${mode}: simulated hours per real second (3600x wants 1.0)`] = r2(simHours / (MEASURE_MS / 1000));
      out[`${mode}: instances`] = f.instances;
      if (mode === 'worker') {
        // Baseline: the same screen paused (no model updates): what Phaser's render costs alone here (SwiftShader WebGL).
        await page.click('#speed-0');
        await page.waitForTimeout(500);
        const idle = await page.evaluate(`(${MEASURE_SOURCE})(${MEASURE_MS / 2})`) as PageFigures;
        out['paused baseline: frame step median ms'] = r2(pct(idle.steps, 0.5));
        out['paused baseline: frame step p95 ms'] = r2(pct(idle.steps, 0.95));
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}
