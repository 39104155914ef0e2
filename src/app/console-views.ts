/**
 * The console's tab views, computed from engine views (never `engine.call`, so looking leaves no
 * trail): metric catalogue and explorer series, alarms with their history, EC2 Resource Health,
 * SNS inboxes, Auto Scaling groups and dashboards. Pure functions of the engine state; they run in
 * the engine worker (or in Node for tests) and return plain data for postMessage.
 */
import type { Engine } from '../engine/index.ts';
import type * as cloudwatch from '../engine/services/cloudwatch/index.ts';
import {
  bandAlarmInfo, dashboardModel, listableMetrics, listDashboardNames, mathPeriod, metricSeries, type CloudWatchState, type DashboardView as CwDashboardView,
} from '../engine/services/cloudwatch/index.ts';
import { listInstances, type Ec2State } from '../engine/services/ec2/index.ts';
import { groupActivities, listGroups, type AutoScalingState } from '../engine/services/autoscaling/index.ts';
import { allDeliveries, type SnsState } from '../engine/services/sns/index.ts';
import type {
  AlarmHistoryRow, AlarmStateValue, AlarmView, AsgPanelGroup, DashboardView, GraphSeries, HealthTile, InboxRow, MetricEntry, MetricPick, WidgetView,
} from '../ui/ports.ts';

const MINUTE = 60_000;
/** History rows per alarm the console shows (newest first). */
export const ALARM_HISTORY_ROWS = 25;
/** Inbox rows the console shows (newest first). */
export const INBOX_ROWS = 100;

const cwOf = (engine: Engine) => engine.read<CloudWatchState | undefined>('cloudwatch');

/** A window ending now, its start aligned to the period. */
export function windowOf(now: number, windowMs: number, periodSeconds: number): { start: number; end: number } {
  const p = periodSeconds * 1000;
  return { start: Math.floor((now - windowMs) / p) * p, end: now };
}

export const isPercentMetric = (name: string) => /Utilization$|_percent$|Percent|^BurstBalance$/.test(name);

/** Metrics ListMetrics would show, sorted namespace → name → dimensions. */
export function metricCatalogue(engine: Engine): MetricEntry[] {
  const cw = cwOf(engine);
  if (!cw) return [];
  return listableMetrics(cw, engine.nowMs())
    .map((m) => ({ namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.metricName.localeCompare(b.metricName)
      || dimsText(a.dimensions).localeCompare(dimsText(b.dimensions)));
}

export const dimsText = (dims: readonly { Name: string; Value: string }[]) => dims.map((d) => `${d.Name}=${d.Value}`).join(', ');

/** One metric's series over the window, as a graph. */
export function seriesGraph(engine: Engine, pick: MetricPick, windowMs: number, title?: string): GraphSeries {
  const cw = cwOf(engine);
  const { start, end } = windowOf(engine.nowMs(), windowMs, pick.period);
  const s = cw ? metricSeries(cw, { namespace: pick.namespace, metricName: pick.metricName, dimensions: pick.dimensions, start, end, period: pick.period, stat: pick.stat })
    : { timestamps: [], values: [] };
  return {
    id: `${pick.namespace}|${pick.metricName}|${dimsText(pick.dimensions)}|${pick.stat}|${pick.period}`,
    title: title ?? `${pick.metricName} · ${dimsText(pick.dimensions) || pick.namespace}`,
    unit: isPercentMetric(pick.metricName) ? 'Percent' : '',
    periodSeconds: pick.period, stat: pick.stat, start, end,
    lines: [{ label: dimsText(pick.dimensions) || pick.metricName, timestamps: s.timestamps, values: s.values }],
  };
}

/** The canvas graphs: CPUUtilization of the selected instance first, then other live instances. */
export function canvasGraphs(engine: Engine, selected: string | null, count: number, windowMs: number, periodSeconds: number): GraphSeries[] {
  const ec2 = engine.read<Ec2State | undefined>('ec2');
  if (!ec2 || count <= 0) return [];
  const all = listInstances(ec2);
  const first = all.find((i) => i.instanceId === selected) ?? all.find((i) => i.state === 'running') ?? all[0];
  const rest = all.filter((i) => i !== first && i.state !== 'terminated');
  return [first, ...rest].filter((i) => i !== undefined).slice(0, count).map((i) => seriesGraph(engine, {
    namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: i.instanceId }], stat: 'Average', period: periodSeconds,
  }, windowMs, `CPUUtilization · ${i.name ?? i.instanceId}`));
}

function historyRow(item: cloudwatch.HistoryItem): AlarmHistoryRow {
  let reason: string | null = null;
  let newState: AlarmStateValue | null = null;
  if (item.HistoryItemType === 'StateUpdate') {
    try {
      const data = JSON.parse(item.HistoryData) as { newState?: { stateValue?: AlarmStateValue; stateReason?: string } };
      reason = data.newState?.stateReason ?? null;
      newState = data.newState?.stateValue ?? null;
    } catch { /* history data is the engine's JSON; keep the summary alone if not */ }
  }
  return { time: item.Timestamp, type: item.HistoryItemType, summary: item.HistorySummary, reason, newState };
}

/** What a metric-math alarm watches: the expression it returns, or the returned metric's name. */
function watchedText(queries: readonly cloudwatch.AlarmMetricQuery[]): string {
  const q = queries.find((x) => x.ReturnData);
  return q?.Expression ?? q?.MetricStat?.Metric.MetricName ?? '';
}

/** Every alarm in creation order, each with its newest history rows. */
export function alarmViews(engine: Engine): AlarmView[] {
  const cw = cwOf(engine);
  if (!cw) return [];
  const al = cw.alarms;
  const byAlarm = new Map<string, AlarmHistoryRow[]>();
  for (let i = al.history.length - 1; i >= 0; i--) {
    const item = al.history[i]!;
    const rows = byAlarm.get(item.AlarmName) ?? [];
    if (rows.length < ALARM_HISTORY_ROWS) rows.push(historyRow(item));
    byAlarm.set(item.AlarmName, rows);
  }
  return al.order.map((name) => al.byName[name]).filter((a): a is cloudwatch.Alarm => Boolean(a)).map((a) => ({
    name: a.AlarmName,
    kind: a.kind === 'composite' ? 'composite' : 'metric',
    state: a.StateValue,
    reason: a.StateReason,
    updated: a.StateUpdatedTimestamp,
    condition: a.kind === 'composite' ? null : {
      stat: a.kind === 'metric' ? a.ExtendedStatistic ?? a.Statistic ?? '' : bandOf(a)?.stat ?? '', op: a.ComparisonOperator, threshold: a.Threshold ?? null,
      m: a.DatapointsToAlarm ?? a.EvaluationPeriods, n: a.EvaluationPeriods, period: a.kind === 'metric' ? a.Period : mathPeriod(a),
      treatMissing: a.TreatMissingData ?? 'missing',
    },
    // a metric-math alarm shows the expression it watches (or the metric, when that is what it returns)
    expression: a.kind === 'math' && !bandOf(a) ? watchedText(a.Metrics) : null,
    // an anomaly-detection alarm: the metric it watches against the band
    band: bandOf(a) ? { width: bandOf(a)!.width } : null,
    rule: a.kind === 'composite' ? a.AlarmRule : null,
    namespace: a.kind === 'metric' ? a.Namespace : null,
    metricName: a.kind === 'metric' ? a.MetricName : bandOf(a)?.metricName ?? null,
    dimensions: a.kind === 'metric' ? a.Dimensions.map((d) => ({ ...d })) : [],
    actionsEnabled: a.ActionsEnabled,
    actions: [...a.AlarmActions],
    history: byAlarm.get(a.AlarmName) ?? [],
  }));
}

/** An anomaly-detection alarm's band (its metric, statistic and width), else null. */
const bandOf = (a: cloudwatch.Alarm) => (a.kind === 'math' ? bandAlarmInfo(a) : null);

/** The newest value of a series in the last `lookbackMs`, or null. */
function latest(cw: CloudWatchState, now: number, namespace: string, metricName: string, dims: { Name: string; Value: string }[], stat: string, lookbackMs: number): number | null {
  const start = Math.floor((now - lookbackMs) / MINUTE) * MINUTE;
  const s = metricSeries(cw, { namespace, metricName, dimensions: dims, start, end: now, period: 60, stat });
  return s.values.length ? s.values[s.values.length - 1]! : null;
}

/** EC2 Resource Health: each instance with its newest CPU, memory (agent) and status check values. */
export function healthTiles(engine: Engine): HealthTile[] {
  const ec2 = engine.read<Ec2State | undefined>('ec2');
  if (!ec2) return [];
  const cw = cwOf(engine);
  const now = engine.nowMs();
  const memDims = new Map<string, { Name: string; Value: string }[]>();
  if (cw) {
    for (const m of listableMetrics(cw, now)) {
      if (m.namespace !== 'CWAgent' || m.metricName !== 'mem_used_percent') continue;
      const id = m.dimensions.find((d) => d.Name === 'InstanceId')?.Value;
      if (id && !memDims.has(id)) memDims.set(id, m.dimensions);
    }
  }
  const lookback = 15 * MINUTE;
  return listInstances(ec2).map((i) => {
    const dims = [{ Name: 'InstanceId', Value: i.instanceId }];
    const md = memDims.get(i.instanceId);
    return {
      instanceId: i.instanceId, name: i.name, instanceType: i.instanceType, availabilityZone: i.availabilityZone, state: i.state, tags: { ...i.tags },
      cpu: cw ? latest(cw, now, 'AWS/EC2', 'CPUUtilization', dims, 'Average', lookback) : null,
      mem: cw && md ? latest(cw, now, 'CWAgent', 'mem_used_percent', md, 'Average', lookback) : null,
      statusFailed: cw ? latest(cw, now, 'AWS/EC2', 'StatusCheckFailed', dims, 'Maximum', lookback) : null,
    };
  });
}

/** Every SNS delivery, newest first. */
export function inboxRows(engine: Engine): InboxRow[] {
  const sns = engine.read<SnsState | undefined>('sns');
  if (!sns) return [];
  return allDeliveries(sns).slice(0, INBOX_ROWS).map((d) => ({
    endpoint: d.endpoint, protocol: d.protocol, kind: d.kind, subject: d.subject, message: d.message, time: d.time, topicArn: d.topicArn, messageId: d.messageId,
  }));
}

/** Auto Scaling groups with their instances, policies and newest activities. */
export function asgGroups(engine: Engine): AsgPanelGroup[] {
  const asg = engine.read<AutoScalingState | undefined>('autoscaling');
  if (!asg) return [];
  return listGroups(asg).map((g) => ({
    name: g.name, minSize: g.minSize, desiredCapacity: g.desiredCapacity, maxSize: g.maxSize, status: g.status, availabilityZones: g.availabilityZones,
    instances: g.instances.map((i) => ({ instanceId: i.instanceId, availabilityZone: i.availabilityZone, lifecycleState: i.lifecycleState, healthStatus: i.healthStatus })),
    policies: g.policies.map((p) => ({ name: p.name, type: p.type, alarms: p.alarms })),
    activities: groupActivities(asg, g.name).slice(0, 30).map((a) => ({
      time: Date.parse(a.StartTime), status: a.StatusCode, description: a.Description, cause: a.Cause,
    })),
  }));
}

/** Dashboards: the names, and the chosen one (or the first) resolved by CloudWatch's dashboard view. */
export function dashboards(engine: Engine, name: string | null): { names: string[]; current: DashboardView | null } {
  const cw = cwOf(engine);
  if (!cw) return { names: [], current: null };
  const names = listDashboardNames(cw);
  const pick = name && names.includes(name) ? name : names[0] ?? null;
  const raw = pick ? dashboardModel(cw, pick, engine.nowMs(), engine.region) : null;
  return { names, current: raw ? consoleDashboard(raw) : null };
}

/** Maps CloudWatch's widget views onto the console's widget kinds (unsupported widgets are dropped). */
export function consoleDashboard(d: CwDashboardView): DashboardView {
  const widgets: WidgetView[] = [];
  d.widgets.forEach((w, i) => {
    if (w.type === 'text') { widgets.push({ kind: 'text', title: '', markdown: w.markdown }); return; }
    if (w.type === 'alarm') {
      widgets.push({ kind: 'alarm', title: w.title, alarms: w.alarms.map((a) => ({ name: a.name, state: a.state ?? 'INSUFFICIENT_DATA' })) });
      return;
    }
    if (w.type !== 'metric') return;
    const unit = w.series.length > 0 && w.series.every((s) => isPercentMetric(s.metricName ?? '')) ? 'Percent' : '';
    const graph: GraphSeries = {
      id: `${d.name}|${i}`, title: w.title, unit, periodSeconds: w.period, stat: w.series[0]?.stat ?? '', start: w.start, end: w.end,
      lines: w.series.map((s) => ({ label: s.label, timestamps: s.timestamps, values: s.values })),
    };
    const items = w.series.map((s) => ({ label: s.label, value: s.latest, unit: unit === 'Percent' ? '%' : '' }));
    if (w.view === 'timeSeries') widgets.push({ kind: w.stacked ? 'stacked' : 'line', title: w.title, graph });
    else if (w.view === 'gauge') widgets.push({ kind: 'gauge', title: w.title, items, min: w.yAxis.min ?? 0, max: w.yAxis.max ?? 100 });
    else widgets.push({ kind: 'number', title: w.title, items });
  });
  return { name: d.name, widgets };
}
