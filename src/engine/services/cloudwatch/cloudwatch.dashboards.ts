/**
 * CloudWatch dashboards: PutDashboard (with the documented body structure validated the way AWS
 * answers, `DashboardValidationMessages` of `{DataPath, Message}`), GetDashboard, ListDashboards,
 * DeleteDashboards, and the pure view `dashboardModel` that resolves every widget into renderable
 * data for the console.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { err } from '../../kernel/params.ts';
import { parseIso, toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params } from '../../kernel/types.ts';
import type { CloudWatchState, Dimension } from './cloudwatch.model.ts';
import { parseStatistic } from './cloudwatch.statistics.ts';
import { metricSeries, type Series } from './cloudwatch.views.ts';
import { evaluateInOrder, type MathEnv } from './cloudwatch.math.ts';
import { bandOf } from './cloudwatch.anomaly.ts';
import type { AlarmStateValue } from './alarms.evaluate.ts';
import { utf8Length } from '../../kernel/text.ts';

// ---------------------------------------------------------------------------------------------
// State (kept inside the cloudwatch slice; created on the first PutDashboard)

export interface DashboardRecord {
  DashboardName: string;
  DashboardBody: string;
  /** Epoch ms. */
  LastModified: number;
  /** UTF-8 bytes of the body. */
  Size: number;
}

export interface DashboardsState {
  byName: Record<string, DashboardRecord>;
}

declare module './cloudwatch.model.ts' {
  interface CloudWatchState {
    /** Dashboards (absent until the first PutDashboard). */
    dashboards?: DashboardsState;
  }
}

export interface ValidationMessage { DataPath: string; Message: string }

// ---------------------------------------------------------------------------------------------
// Body structure

export const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom'] as const;
export const METRIC_VIEWS = ['timeSeries', 'singleValue', 'gauge', 'bar', 'pie'] as const;
export type MetricView = (typeof METRIC_VIEWS)[number];
const MAX_WIDGETS = 500;
const MAX_METRICS_PER_WIDGET = 500;
const NAME_RE = /^[A-Za-z0-9_-]+$/;
const COLOR_RE = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RELATIVE_RE = /^-P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Rendering options of one metric line (the optional object at the end of a metrics row). */
export interface MetricRenderer {
  id?: string;
  label?: string;
  color?: string;
  stat?: string;
  period?: number;
  visible?: boolean;
  yAxis?: 'left' | 'right';
  region?: string;
  expression?: string;
}

/** One row of a metric widget's `metrics` after the `"..."` / `"."` shorthand is expanded. */
export type MetricRow =
  | { kind: 'metric'; namespace: string; metricName: string; dimensions: Dimension[]; options: MetricRenderer }
  | { kind: 'expression'; expression: string; options: MetricRenderer };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Milliseconds of a relative time such as `-PT3H`, `-P7D`, `-PT15M`; NaN when not one. */
export function relativeMs(text: string): number {
  const m = RELATIVE_RE.exec(text);
  if (!m || text === '-P' || text === '-PT') return Number.NaN;
  const [, w = '0', d = '0', h = '0', mi = '0', s = '0'] = m;
  return ((((Number(w) * 7 + Number(d)) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s)) * 1000;
}

/** A dashboard/widget time: relative (`-PT3H`, from `now`) or absolute ISO 8601; NaN when malformed. */
export function resolveTime(text: string, now: number): number {
  const rel = relativeMs(text);
  return Number.isNaN(rel) ? parseIso(text) : now - rel;
}

/** Expands `"..."` (everything of the previous row not given here) and `"."` (same token as the previous row). */
export function expandMetrics(metrics: unknown[], path: string, out: ValidationMessage[]): MetricRow[] {
  const rows: MetricRow[] = [];
  let prev: string[] = [];
  metrics.forEach((row, i) => {
    const at = `${path}/${i}`;
    if (!Array.isArray(row)) {
      out.push({ DataPath: at, Message: 'Should be array' });
      out.push({ DataPath: at, Message: 'Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element' });
      return;
    }
    if (row.length === 0) { out.push({ DataPath: at, Message: 'Should NOT have fewer than 1 items' }); return; }
    const last = row[row.length - 1];
    const hasOpts = isObj(last);
    const tokens = hasOpts ? row.slice(0, -1) : row;
    const bad = tokens.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) { out.push({ DataPath: `${at}/${bad}`, Message: 'Invalid metric field type, only "String" type is allowed' }); return; }
    const opts = hasOpts ? readRenderer(last as Record<string, unknown>, `${at}/${row.length - 1}`, out) : {};
    if (opts === null) return;
    if (tokens.length === 0) {
      if (typeof opts.expression !== 'string' || opts.expression.trim() === '') {
        out.push({ DataPath: `${at}/0`, Message: 'Should have required property \'expression\'' });
        return;
      }
      rows.push({ kind: 'expression', expression: opts.expression, options: opts });
      return;
    }
    let expanded: string[] = [];
    const strs = tokens as string[];
    for (let k = 0; k < strs.length; k++) {
      const t = strs[k]!;
      if (t === '...') {
        if (k !== 0) { out.push({ DataPath: `${at}/${k}`, Message: '"..." can only be the first element of a metric' }); return; }
        const rest = strs.length - 1;
        if (prev.length === 0 || rest > prev.length) { out.push({ DataPath: `${at}/${k}`, Message: '"..." has no previous metric to repeat' }); return; }
        expanded = prev.slice(0, prev.length - rest);
      } else if (t === '.') {
        const p = prev[expanded.length];
        if (p === undefined) { out.push({ DataPath: `${at}/${k}`, Message: '"." has no value at this position in the previous metric' }); return; }
        expanded.push(p);
      } else {
        expanded.push(t);
      }
    }
    if (expanded.length < 2 || expanded.length % 2 !== 0) {
      out.push({ DataPath: at, Message: 'A metric needs a namespace, a metric name, and a value for every dimension name' });
      return;
    }
    const [namespace, metricName, ...pairs] = expanded;
    const dimensions: Dimension[] = [];
    for (let k = 0; k < pairs.length; k += 2) dimensions.push({ Name: pairs[k]!, Value: pairs[k + 1]! });
    if (!namespace || !metricName) { out.push({ DataPath: at, Message: 'Should NOT be shorter than 1 characters' }); return; }
    prev = expanded;
    rows.push({ kind: 'metric', namespace, metricName, dimensions, options: opts });
  });
  return rows;
}

function readRenderer(o: Record<string, unknown>, at: string, out: ValidationMessage[]): MetricRenderer | null {
  const before = out.length;
  const str = (k: string) => { if (o[k] !== undefined && typeof o[k] !== 'string') out.push({ DataPath: `${at}/${k}`, Message: 'Should be string' }); };
  for (const k of ['id', 'label', 'color', 'stat', 'region', 'expression', 'yAxis']) str(k);
  if (typeof o.color === 'string' && !COLOR_RE.test(o.color))
    out.push({ DataPath: `${at}/color`, Message: `Should match pattern "${COLOR_RE.source}"` });
  if (typeof o.stat === 'string' && !parseStatistic(o.stat))
    out.push({ DataPath: `${at}/stat`, Message: 'Invalid statistic' });
  if (o.yAxis !== undefined && o.yAxis !== 'left' && o.yAxis !== 'right')
    out.push({ DataPath: `${at}/yAxis`, Message: 'Should be equal to one of the allowed values' });
  if (o.visible !== undefined && typeof o.visible !== 'boolean') out.push({ DataPath: `${at}/visible`, Message: 'Should be boolean' });
  if (o.period !== undefined) checkPeriod(o.period, `${at}/period`, out);
  if (typeof o.id === 'string' && !/^[a-z][a-zA-Z0-9_]*$/.test(o.id))
    out.push({ DataPath: `${at}/id`, Message: 'Should match pattern "^[a-z][a-zA-Z0-9_]*$"' });
  if (out.length > before) return null;
  const r: MetricRenderer = {};
  for (const k of ['id', 'label', 'color', 'stat', 'region', 'expression'] as const) if (typeof o[k] === 'string') r[k] = o[k] as string;
  if (o.yAxis === 'left' || o.yAxis === 'right') r.yAxis = o.yAxis;
  if (typeof o.visible === 'boolean') r.visible = o.visible;
  if (typeof o.period === 'number') r.period = o.period;
  return r;
}

function checkPeriod(v: unknown, at: string, out: ValidationMessage[]): void {
  if (!isInt(v)) { out.push({ DataPath: at, Message: 'Should be integer' }); return; }
  if (v < 1) { out.push({ DataPath: at, Message: 'Should be >= 1' }); return; }
  if (![1, 5, 10, 30].includes(v) && v % 60 !== 0) out.push({ DataPath: at, Message: 'The period must be 1, 5, 10, 30 or a multiple of 60' });
}

function checkTime(v: unknown, at: string, out: ValidationMessage[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string') { out.push({ DataPath: at, Message: 'Should be string' }); return; }
  if (Number.isNaN(relativeMs(v)) && Number.isNaN(parseIso(v)))
    out.push({ DataPath: at, Message: 'Should be a relative time such as -PT3H or an ISO 8601 timestamp' });
}

function checkMetricProperties(p: Record<string, unknown>, at: string, out: ValidationMessage[]): void {
  const ann = p.annotations;
  const annAlarms = isObj(ann) && Array.isArray(ann.alarms) ? ann.alarms : null;
  if (p.metrics === undefined && !annAlarms) {
    out.push({ DataPath: at, Message: 'Should have required property \'metrics\'' });
    out.push({ DataPath: at, Message: 'The metric widget should have specified a region and a data source or an alarm annotation' });
    out.push({ DataPath: at, Message: 'Should have required property \'annotations\'' });
    return;
  }
  if (p.region === undefined) out.push({ DataPath: at, Message: 'The metric widget should have specified a region and a data source or an alarm annotation' });
  else if (typeof p.region !== 'string') out.push({ DataPath: `${at}/region`, Message: 'Should be string' });
  if (p.metrics !== undefined) {
    if (!Array.isArray(p.metrics)) out.push({ DataPath: `${at}/metrics`, Message: 'Should be array' });
    else if (p.metrics.length > MAX_METRICS_PER_WIDGET) out.push({ DataPath: `${at}/metrics`, Message: `Should NOT have more than ${MAX_METRICS_PER_WIDGET} items` });
    else expandMetrics(p.metrics, `${at}/metrics`, out);
  }
  if (ann !== undefined) {
    if (!isObj(ann)) out.push({ DataPath: `${at}/annotations`, Message: 'Should be object' });
    else {
      if (ann.alarms !== undefined && (!Array.isArray(ann.alarms) || ann.alarms.some((a) => typeof a !== 'string')))
        out.push({ DataPath: `${at}/annotations/alarms`, Message: 'Should be array of strings' });
      if (ann.horizontal !== undefined) {
        if (!Array.isArray(ann.horizontal)) out.push({ DataPath: `${at}/annotations/horizontal`, Message: 'Should be array' });
        else ann.horizontal.forEach((h, i) => {
          if (!isObj(h) || typeof h.value !== 'number') out.push({ DataPath: `${at}/annotations/horizontal/${i}`, Message: 'Should have required property \'value\'' });
        });
      }
    }
  }
  if (p.view !== undefined && !(METRIC_VIEWS as readonly unknown[]).includes(p.view))
    out.push({ DataPath: `${at}/view`, Message: 'Should be equal to one of the allowed values' });
  if (p.stacked !== undefined && typeof p.stacked !== 'boolean') out.push({ DataPath: `${at}/stacked`, Message: 'Should be boolean' });
  if (p.title !== undefined && typeof p.title !== 'string') out.push({ DataPath: `${at}/title`, Message: 'Should be string' });
  if (p.stat !== undefined && (typeof p.stat !== 'string' || !parseStatistic(p.stat))) out.push({ DataPath: `${at}/stat`, Message: 'Invalid statistic' });
  if (p.period !== undefined) checkPeriod(p.period, `${at}/period`, out);
  checkTime(p.start, `${at}/start`, out);
  checkTime(p.end, `${at}/end`, out);
  if (p.view === 'gauge') {
    const left = isObj(p.yAxis) && isObj(p.yAxis.left) ? p.yAxis.left : null;
    if (!left || typeof left.min !== 'number' || typeof left.max !== 'number')
      out.push({ DataPath: `${at}/yAxis`, Message: 'The gauge view requires yAxis.left.min and yAxis.left.max' });
  }
}

/**
 * Validates a DashboardBody: returns the messages (empty when valid). The messages use the
 * JSON-schema wording AWS answers with (`Should have required property 'metrics'`, ...).
 */
export function validateDashboardBody(body: string): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  let doc: unknown;
  try { doc = JSON.parse(body); } catch { return [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }]; }
  if (!isObj(doc)) return [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }];
  if (doc.widgets === undefined) return [{ DataPath: '', Message: 'Should have required property \'widgets\'' }];
  if (!Array.isArray(doc.widgets)) return [{ DataPath: '/widgets', Message: 'Should be array' }];
  if (doc.widgets.length > MAX_WIDGETS) return [{ DataPath: '/widgets', Message: `Should NOT have more than ${MAX_WIDGETS} items` }];
  checkTime(doc.start, '/start', out);
  checkTime(doc.end, '/end', out);
  if (doc.periodOverride !== undefined && doc.periodOverride !== 'auto' && doc.periodOverride !== 'inherit')
    out.push({ DataPath: '/periodOverride', Message: 'Should be equal to one of the allowed values' });
  doc.widgets.forEach((w, i) => {
    const at = `/widgets/${i}`;
    if (!isObj(w)) { out.push({ DataPath: at, Message: 'Should be object' }); return; }
    if (w.type === undefined) out.push({ DataPath: at, Message: 'Should have required property \'type\'' });
    else if (!(WIDGET_TYPES as readonly unknown[]).includes(w.type)) out.push({ DataPath: `${at}/type`, Message: 'Should be equal to one of the allowed values' });
    const grid: [string, number, number][] = [['x', 0, 23], ['y', 0, Number.POSITIVE_INFINITY], ['width', 1, 24], ['height', 1, 1000]];
    for (const [k, lo, hi] of grid) {
      const v = w[k];
      if (v === undefined) continue;
      if (!isInt(v)) out.push({ DataPath: `${at}/${k}`, Message: 'Should be integer' });
      else if (v < lo) out.push({ DataPath: `${at}/${k}`, Message: `Should be >= ${lo}` });
      else if (v > hi) out.push({ DataPath: `${at}/${k}`, Message: `Should be <= ${hi}` });
    }
    if (w.x !== undefined && w.y === undefined) out.push({ DataPath: at, Message: 'Should have property y when property x is present' });
    if (w.y !== undefined && w.x === undefined) out.push({ DataPath: at, Message: 'Should have property x when property y is present' });
    const p = w.properties;
    if (p === undefined) { out.push({ DataPath: at, Message: 'Should have required property \'properties\'' }); return; }
    if (!isObj(p)) { out.push({ DataPath: `${at}/properties`, Message: 'Should be object' }); return; }
    const pat = `${at}/properties`;
    if (w.type === 'metric') checkMetricProperties(p, pat, out);
    else if (w.type === 'text') {
      if (p.markdown === undefined) out.push({ DataPath: pat, Message: 'Should have required property \'markdown\'' });
      else if (typeof p.markdown !== 'string') out.push({ DataPath: `${pat}/markdown`, Message: 'Should be string' });
      if (p.background !== undefined && p.background !== 'solid' && p.background !== 'transparent')
        out.push({ DataPath: `${pat}/background`, Message: 'Should be equal to one of the allowed values' });
    } else if (w.type === 'alarm') {
      if (p.alarms === undefined) out.push({ DataPath: pat, Message: 'Should have required property \'alarms\'' });
      else if (!Array.isArray(p.alarms)) out.push({ DataPath: `${pat}/alarms`, Message: 'Should be array' });
      else if (p.alarms.length < 1) out.push({ DataPath: `${pat}/alarms`, Message: 'Should NOT have fewer than 1 items' });
      else if (p.alarms.length > 100) out.push({ DataPath: `${pat}/alarms`, Message: 'Should NOT have more than 100 items' });
      else p.alarms.forEach((a, k) => {
        if (typeof a !== 'string') out.push({ DataPath: `${pat}/alarms/${k}`, Message: 'Should be string' });
        else if (!/^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/.test(a))
          out.push({ DataPath: `${pat}/alarms/${k}`, Message: 'Should be an alarm ARN' });
      });
      if (p.title !== undefined && typeof p.title !== 'string') out.push({ DataPath: `${pat}/title`, Message: 'Should be string' });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Operations

const dashboardArn = (accountId: string, name: string) => `arn:aws:cloudwatch::${accountId}:dashboard/${name}`;


function checkDashboardName(v: unknown): { error: ApiError } | null {
  if (v === undefined || v === null || v === '') return err('InvalidParameterValue', 'The parameter DashboardName is required.');
  if (typeof v !== 'string' || v.length > 255) return err('InvalidParameterValue', `The value ${String(v)} for field DashboardName is invalid. It must be between 1 and 255 characters.`);
  if (!NAME_RE.test(v)) return err('InvalidParameterValue', `The value ${v} for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`);
  return null;
}

const notFound = (): { error: ApiError } => err('ResourceNotFound', 'Dashboard does not exist');

const dashboardResources = (p: Params) => {
  const names = Array.isArray(p.DashboardNames) ? (p.DashboardNames as unknown[]) : [p.DashboardName];
  return names.filter((n): n is string => typeof n === 'string').map((n) => ({ type: 'AWS::CloudWatch::Dashboard', name: n }));
};

export const dashboardOperations: Record<string, OperationDef<CloudWatchState>> = {
  PutDashboard: {
    readOnly: false,
    run(ctx, p) {
      const e = checkDashboardName(p.DashboardName);
      if (e) return e;
      if (p.DashboardBody === undefined || p.DashboardBody === null) return err('InvalidParameterValue', 'The parameter DashboardBody is required.');
      if (typeof p.DashboardBody !== 'string') return err('InvalidParameterInput', 'The field DashboardBody must be a valid JSON object');
      const messages = validateDashboardBody(p.DashboardBody);
      if (messages.length > 0) {
        const list = JSON.stringify(messages.map((m) => ({ dataPath: m.DataPath, message: m.Message })), null, 2);
        return {
          error: {
            code: 'InvalidParameterInput',
            message: `The dashboard body is invalid, there ${messages.length === 1 ? 'is 1 validation error' : `are ${messages.length} validation errors`}:\n${list}`,
          },
        };
      }
      const name = p.DashboardName as string;
      const d = (ctx.state.dashboards ??= { byName: {} });
      d.byName[name] = { DashboardName: name, DashboardBody: p.DashboardBody, LastModified: ctx.now, Size: utf8Length(p.DashboardBody) };
      return { output: { DashboardValidationMessages: [] } };
    },
    resources: dashboardResources,
    trail: { request: (p) => ({ dashboardName: p.DashboardName, dashboardBody: p.DashboardBody }), response: () => null },
  },

  GetDashboard: {
    readOnly: true,
    run(ctx, p) {
      const e = checkDashboardName(p.DashboardName);
      if (e) return e;
      const d = ctx.state.dashboards?.byName[p.DashboardName as string];
      if (!d) return notFound();
      return { output: { DashboardArn: dashboardArn(ctx.accountId, d.DashboardName), DashboardBody: d.DashboardBody, DashboardName: d.DashboardName } };
    },
    resources: dashboardResources,
  },

  ListDashboards: {
    readOnly: true,
    run(ctx, p) {
      const prefix = p.DashboardNamePrefix;
      if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length > 255 || (prefix !== '' && !NAME_RE.test(prefix))))
        return err('InvalidParameterValue', `The value ${String(prefix)} for field DashboardNamePrefix contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).`);
      const offset = p.NextToken === undefined ? 0 : Number.parseInt(String(p.NextToken), 10);
      if (!Number.isInteger(offset) || offset < 0) return err('InvalidParameterValue', 'The value for parameter NextToken is invalid.');
      const names = Object.keys(ctx.state.dashboards?.byName ?? {})
        .filter((n) => typeof prefix !== 'string' || n.startsWith(prefix))
        .sort();
      const page = names.slice(offset, offset + 1000);
      return {
        output: {
          DashboardEntries: page.map((n) => {
            const d = ctx.state.dashboards!.byName[n]!;
            return { DashboardName: n, DashboardArn: dashboardArn(ctx.accountId, n), LastModified: toIso(d.LastModified), Size: d.Size };
          }),
          ...(offset + 1000 < names.length ? { NextToken: String(offset + 1000) } : {}),
        },
      };
    },
  },

  DeleteDashboards: {
    readOnly: false,
    run(ctx, p) {
      const v = p.DashboardNames;
      if (v === undefined || v === null) return err('InvalidParameterValue', 'The parameter DashboardNames is required.');
      if (!Array.isArray(v) || v.length === 0 || v.length > 100) return err('InvalidParameterValue', 'DashboardNames must list between 1 and 100 dashboard names.');
      for (const n of v) { const e = checkDashboardName(n); if (e) return e; }
      const byName = ctx.state.dashboards?.byName ?? {};
      // All or nothing: if any dashboard is missing, none is deleted.
      const missing = (v as string[]).filter((n) => !byName[n]);
      if (missing.length) return err('ResourceNotFound', `Dashboard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} do${missing.length > 1 ? '' : 'es'} not exist`);
      for (const n of v as string[]) delete byName[n];
      return { output: {} };
    },
    resources: dashboardResources,
  },
};

// ---------------------------------------------------------------------------------------------
// Console view

export interface SeriesView {
  label: string;
  /** Absent for expressions. */
  namespace?: string;
  metricName?: string;
  dimensions?: Dimension[];
  expression?: string;
  stat: string;
  period: number;
  yAxis: 'left' | 'right';
  color?: string;
  timestamps: number[];
  values: number[];
  /** Newest value in the range, for singleValue / gauge / bar / pie. */
  latest: number | null;
  /** Why there is no data, when it is not simply "no datapoints": another Region, a bad expression. */
  problem?: 'other-region' | 'expression-error';
}

export interface AlarmRef { arn: string; name: string; state: AlarmStateValue | null; reason: string | null; updated: number | null }

interface Box { x: number; y: number; width: number; height: number }

export type WidgetView =
  | (Box & { type: 'metric'; title: string; view: MetricView; stacked: boolean; region: string; period: number; start: number; end: number;
      series: SeriesView[]; thresholds: { value: number; label: string }[]; alarm: AlarmRef | null; yAxis: { min?: number; max?: number } })
  | (Box & { type: 'text'; markdown: string; background: 'solid' | 'transparent' })
  | (Box & { type: 'alarm'; title: string; alarms: AlarmRef[] })
  | (Box & { type: 'unsupported'; widgetType: string });

export interface DashboardView { name: string; lastModified: number; start: number; end: number; widgets: WidgetView[] }

/** Places widgets on the 24-column grid: given positions, else the first free slot (rows top to bottom). */
function layout(widgets: Record<string, unknown>[]): Box[] {
  const placed: Box[] = [];
  const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const w of widgets) {
    const width = isInt(w.width) ? w.width : 6, height = isInt(w.height) ? w.height : 6;
    if (isInt(w.x) && isInt(w.y)) { placed.push({ x: Math.min(w.x, 24 - width), y: w.y, width, height }); continue; }
    let box: Box | null = null;
    for (let y = 0; !box; y++) {
      for (let x = 0; x + width <= 24; x++) {
        const b = { x, y, width, height };
        if (!placed.some((p) => overlaps(p, b))) { box = b; break; }
      }
    }
    placed.push(box);
  }
  return placed;
}

function alarmRef(state: CloudWatchState, arn: string): AlarmRef {
  const name = arn.slice(arn.indexOf(':alarm:') + ':alarm:'.length);
  const a = state.alarms.byName[name];
  const ok = a && a.AlarmArn === arn;
  return { arn, name, state: ok ? a.StateValue : null, reason: ok ? a.StateReason : null, updated: ok ? a.StateUpdatedTimestamp : null };
}

const lastOf = (s: Series): number | null => (s.values.length ? s.values[s.values.length - 1]! : null);

function metricWidget(state: CloudWatchState, p: Record<string, unknown>, box: Box, range: { start: number; end: number }, now: number, region: string): WidgetView {
  const widgetRegion = typeof p.region === 'string' ? p.region : region;
  const period = isInt(p.period) ? p.period : 300;
  const stat = typeof p.stat === 'string' ? p.stat : 'Average';
  const start = typeof p.start === 'string' ? resolveTime(p.start, now) : range.start;
  const end = typeof p.end === 'string' ? resolveTime(p.end, now) : range.end;
  const rows = Array.isArray(p.metrics) ? expandMetrics(p.metrics, '', []) : [];
  const thresholds: { value: number; label: string }[] = [];
  const ann = isObj(p.annotations) ? p.annotations : {};
  if (Array.isArray(ann.horizontal)) for (const h of ann.horizontal) if (isObj(h) && typeof h.value === 'number') thresholds.push({ value: h.value, label: typeof h.label === 'string' ? h.label : '' });
  // An alarm annotation graphs the alarm's metric with its threshold.
  let alarm: AlarmRef | null = null;
  const annArn = Array.isArray(ann.alarms) && typeof ann.alarms[0] === 'string' ? ann.alarms[0] : null;
  if (annArn) {
    alarm = alarmRef(state, annArn);
    const a = state.alarms.byName[alarm.name];
    if (a && a.kind !== 'composite' && alarm.state !== null) {
      if (a.Threshold !== undefined) thresholds.push({ value: a.Threshold, label: `${a.AlarmName}` });
      if (rows.length === 0 && a.kind === 'metric') rows.push({ kind: 'metric', namespace: a.Namespace, metricName: a.MetricName, dimensions: a.Dimensions, options: { stat: a.Statistic ?? a.ExtendedStatistic ?? 'Average', period: a.Period } });
      // a metric-math alarm: its queries, only the one it watches visible
      if (rows.length === 0 && a.kind === 'math') {
        for (const q of a.Metrics) {
          const options = { id: q.Id, visible: q.ReturnData, ...(q.Label !== undefined ? { label: q.Label } : {}) };
          rows.push(q.MetricStat
            ? { kind: 'metric', namespace: q.MetricStat.Metric.Namespace, metricName: q.MetricStat.Metric.MetricName, dimensions: q.MetricStat.Metric.Dimensions, options: { ...options, stat: q.MetricStat.Stat, period: q.MetricStat.Period } }
            : { kind: 'expression', expression: q.Expression ?? '', options });
        }
      }
    }
  }
  // FILL and TIME_SERIES fill the graph's range, on the periods the rows are aligned to
  const env: MathEnv = { series: new Map(), periods: new Map(), metricIds: [], window: (p) => ({ start: Math.floor(start / (p * 1000)) * p * 1000, end }) };
  // ANOMALY_DETECTION_BAND: the band of a metric row, drawn as two lines (upper, lower)
  env.band = (id, width, p) => {
    const r = rows.find((x, i) => (x.options.id ?? `m${i + 1}`) === id);
    const s0 = Math.floor(start / (p * 1000)) * p * 1000;
    return bandOf(state, r?.kind === 'metric' ? { namespace: r.namespace, metricName: r.metricName, dimensions: r.dimensions, stat: r.options.stat ?? stat, period: p } : undefined, width, s0, end);
  };
  const lowers: { after: SeriesView & { hidden: boolean; id: string | undefined }; lower: SeriesView & { hidden: boolean; id: string | undefined } }[] = [];
  const views: (SeriesView & { hidden: boolean; id: string | undefined })[] = [];
  rows.forEach((r, i) => {
    const rPeriod = r.options.period ?? period;
    const rStat = r.options.stat ?? stat;
    const base = {
      stat: rStat, period: rPeriod, yAxis: r.options.yAxis ?? 'left' as const,
      ...(r.options.color ? { color: r.options.color } : {}), hidden: r.options.visible === false, id: r.options.id,
    };
    if (r.kind === 'expression') {
      views.push({ ...base, label: r.options.label ?? r.options.id ?? `e${i + 1}`, expression: r.expression, timestamps: [], values: [], latest: null });
      return;
    }
    const rRegion = r.options.region ?? widgetRegion;
    const s0 = Math.floor(start / (rPeriod * 1000)) * rPeriod * 1000;
    const s = rRegion !== region ? { timestamps: [], values: [] }
      : metricSeries(state, { namespace: r.namespace, metricName: r.metricName, dimensions: r.dimensions, start: s0, end, period: rPeriod, stat: rStat });
    const id = r.options.id ?? `m${i + 1}`;
    env.series.set(id, s); env.periods.set(id, rPeriod); env.metricIds.push(id);
    views.push({
      ...base, label: r.options.label ?? [r.metricName, ...r.dimensions.map((d) => d.Value)].join(' '),
      namespace: r.namespace, metricName: r.metricName, dimensions: r.dimensions.map((d) => ({ ...d })),
      timestamps: s.timestamps, values: s.values, latest: lastOf(s), ...(rRegion !== region ? { problem: 'other-region' as const } : {}),
    });
  });
  // Expressions may refer to each other: evaluate in order of dependency; errors and circular
  // references show as the row's problem.
  const left = evaluateInOrder(views.filter((v) => v.expression !== undefined), (v) => v.expression!, env, (v, r) => {
    if (typeof r === 'string') { v.problem = 'expression-error'; if (v.id) env.series.set(v.id, { timestamps: [], values: [] }); return; }
    v.timestamps = r.series.timestamps; v.values = r.series.values; v.latest = lastOf(r.series); v.period = r.period;
    if (r.band) {
      lowers.push({ after: v, lower: { ...v, label: `${v.label} (lower)`, timestamps: r.band.lower.timestamps, values: r.band.lower.values, latest: lastOf(r.band.lower) } });
      v.label = `${v.label} (upper)`;
    }
    if (v.id) { env.series.set(v.id, r.series); env.periods.set(v.id, r.period); }
  });
  for (const v of left) v.problem = 'expression-error';
  for (const { after, lower } of lowers) views.splice(views.indexOf(after) + 1, 0, lower);
  const yl = isObj(p.yAxis) && isObj(p.yAxis.left) ? p.yAxis.left : {};
  return {
    ...box, type: 'metric', title: typeof p.title === 'string' ? p.title : '', view: (METRIC_VIEWS as readonly unknown[]).includes(p.view) ? (p.view as MetricView) : 'timeSeries',
    stacked: p.stacked === true, region: widgetRegion, period, start, end,
    series: views.filter((v) => !v.hidden).map(({ hidden, id, ...v }) => { void hidden; void id; return v; }),
    thresholds, alarm,
    yAxis: { ...(typeof yl.min === 'number' ? { min: yl.min } : {}), ...(typeof yl.max === 'number' ? { max: yl.max } : {}) },
  };
}

/**
 * A dashboard resolved for rendering at time `now`: every widget's box on the 24-column grid and
 * its data (metric series through `metricSeries`, alarm states from the alarm records). Null
 * when the dashboard does not exist. `region` is the engine's Region (widgets of other Regions
 * show no data).
 */
export function dashboardModel(state: CloudWatchState, name: string, now: number, region = 'us-east-1'): DashboardView | null {
  const d = state.dashboards?.byName[name];
  if (!d) return null;
  const doc = JSON.parse(d.DashboardBody) as Record<string, unknown>;
  const widgets = (doc.widgets as Record<string, unknown>[]);
  const start = typeof doc.start === 'string' ? resolveTime(doc.start, now) : now - 3 * 3600_000;
  const end = typeof doc.end === 'string' ? resolveTime(doc.end, now) : now;
  const boxes = layout(widgets);
  return {
    name, lastModified: d.LastModified, start, end,
    widgets: widgets.map((w, i): WidgetView => {
      const box = boxes[i]!;
      const p = (w.properties ?? {}) as Record<string, unknown>;
      switch (w.type) {
        case 'metric': return metricWidget(state, p, box, { start, end }, now, region);
        case 'text': return { ...box, type: 'text', markdown: p.markdown as string, background: p.background === 'transparent' ? 'transparent' : 'solid' };
        case 'alarm': return { ...box, type: 'alarm', title: typeof p.title === 'string' ? p.title : '', alarms: (p.alarms as string[]).map((a) => alarmRef(state, a)) };
        default: return { ...box, type: 'unsupported', widgetType: String(w.type) };
      }
    }),
  };
}

/** Dashboard names, sorted (for the console list). */
export const listDashboardNames = (state: CloudWatchState): string[] => Object.keys(state.dashboards?.byName ?? {}).sort();
