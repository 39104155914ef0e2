/**
 * Small SVG graphs for the DOM panels (metric explorer, dashboards), built with DOM calls only,
 * each paired with a data table for screen readers (the SVG itself is hidden from them).
 */
import type { GraphSeries, T } from '../ports.ts';
import { formatTime, h } from './dom.ts';

const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#ff9900', '#3498db', '#2ecc71', '#e74c3c', '#9b59b6', '#f1c40f', '#1abc9c', '#e67e22'];

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The y range of a graph: 0–100 for percentages, else 0 up to a rounded maximum. */
export function yRange(graph: GraphSeries, stacked: boolean): { min: number; max: number } {
  if (graph.unit === 'Percent' && !stacked) return { min: 0, max: 100 };
  let max = 0;
  if (stacked) {
    const sums = new Map<number, number>();
    for (const l of graph.lines) l.timestamps.forEach((ts, i) => sums.set(ts, (sums.get(ts) ?? 0) + (l.values[i] ?? 0)));
    for (const v of sums.values()) max = Math.max(max, v);
  } else {
    for (const l of graph.lines) for (const v of l.values) max = Math.max(max, v);
  }
  if (max <= 0) return { min: 0, max: 1 };
  const mag = 10 ** Math.floor(Math.log10(max));
  return { min: 0, max: Math.ceil(max / mag) * mag };
}

export const formatValue = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A line (or stacked area) chart of a graph's lines over its window. */
export function lineChart(graph: GraphSeries, opts: { stacked?: boolean; width?: number; height?: number } = {}): SVGSVGElement {
  const W = opts.width ?? 480, H = opts.height ?? 180, L = 44, R = 8, TOP = 8, B = 22;
  const pw = W - L - R, ph = H - TOP - B;
  const { min, max } = yRange(graph, opts.stacked === true);
  const t0 = graph.start, t1 = Math.max(graph.end, graph.start + 1);
  const x = (ts: number) => L + ((ts - t0) / (t1 - t0)) * pw;
  const y = (v: number) => TOP + ph - ((Math.min(max, Math.max(min, v)) - min) / (max - min)) * ph;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'presentation', 'aria-hidden': 'true', focusable: 'false' });
  for (const f of [0, 0.5, 1]) {
    const v = min + (max - min) * f;
    root.append(svg('line', { x1: L, x2: L + pw, y1: y(v), y2: y(v), class: 'grid' }));
    const label = svg('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' });
    label.textContent = graph.unit === 'Percent' ? `${formatValue(v)}%` : formatValue(v);
    root.append(label);
  }
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const a = svg('text', { x: L, y: H - 6, class: 'axis' }); a.textContent = hhmm(t0);
  const b = svg('text', { x: L + pw, y: H - 6, 'text-anchor': 'end', class: 'axis' }); b.textContent = `${hhmm(t1)} UTC`;
  root.append(a, b);
  const base = new Map<number, number>();
  graph.lines.forEach((line, li) => {
    const color = PALETTE[li % PALETTE.length]!;
    if (line.timestamps.length === 0) return;
    if (opts.stacked) {
      const top = line.timestamps.map((ts, i) => { const lo = base.get(ts) ?? 0; const hi = lo + (line.values[i] ?? 0); return [ts, lo, hi] as const; });
      const pts = [...top.map(([ts, , hi]) => `${x(ts)},${y(hi)}`), ...[...top].reverse().map(([ts, lo]) => `${x(ts)},${y(lo)}`)];
      root.append(svg('polygon', { points: pts.join(' '), fill: color, 'fill-opacity': 0.45, stroke: color, 'stroke-width': 1 }));
      for (const [ts, , hi] of top) base.set(ts, hi);
    } else {
      const pts = line.timestamps.map((ts, i) => `${x(ts)},${y(line.values[i] ?? 0)}`).join(' ');
      root.append(svg('polyline', { points: pts, fill: 'none', stroke: color, 'stroke-width': 2 }));
      if (line.timestamps.length === 1) root.append(svg('circle', { cx: x(line.timestamps[0]!), cy: y(line.values[0] ?? 0), r: 3, fill: color }));
    }
  });
  return root;
}

/** The graph as a table: one row per timestamp, one column per line (the screen-reader alternative). */
export function graphTable(graph: GraphSeries, t: T, lang: string, caption: string): HTMLElement {
  const stamps = [...new Set(graph.lines.flatMap((l) => l.timestamps))].sort((a, b) => a - b);
  const byLine = graph.lines.map((l) => new Map(l.timestamps.map((ts, i) => [ts, l.values[i] ?? 0])));
  return h('details', { class: 'graph-table' },
    h('summary', {}, t('console.graphAsTable')),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('console.col.time')), ...graph.lines.map((l) => h('th', { scope: 'col' }, l.label)))),
      h('tbody', {}, ...stamps.map((ts) => h('tr', {}, h('td', {}, formatTime(ts, lang, false)),
        ...byLine.map((m) => { const v = m.get(ts); return h('td', { class: 'num' }, v === undefined ? '—' : formatValue(v)); })))))));
}

/** Chart, legend and table together. */
export function graphFigure(graph: GraphSeries, t: T, lang: string, opts: { stacked?: boolean; caption: string; id?: string }): HTMLElement {
  const hasData = graph.lines.some((l) => l.timestamps.length > 0);
  const legend = graph.lines.length > 1 ? h('ul', { class: 'legend' }, ...graph.lines.map((l, i) =>
    h('li', {}, h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}`, 'aria-hidden': 'true' }), l.label))) : null;
  const fig = h('figure', { class: 'graph', ...(opts.id ? { id: opts.id } : {}) },
    h('figcaption', {}, opts.caption),
    hasData ? null : h('p', { class: 'muted' }, t('console.noMetrics')),
    legend,
    hasData ? graphTable(graph, t, lang, opts.caption) : null);
  if (hasData) fig.insertBefore(lineChart(graph, { stacked: opts.stacked === true }), fig.children[1] ?? null);
  return fig;
}
