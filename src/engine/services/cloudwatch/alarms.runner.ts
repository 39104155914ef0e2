/**
 * Alarm evaluation on the clock (spec §1.3): metric alarms every minute (every 10 s for 10/20/30 s
 * periods), composite alarms after them, state transitions with history and AWS-style reasons,
 * and the engine events future SNS / Auto Scaling services act on (§1.5).
 */
import { toIso } from '../../kernel/time.ts';
import type { ServiceContext } from '../../kernel/types.ts';
import { metricKey, type CloudWatchState } from './cloudwatch.model.ts';
import { aggregatePeriods } from './cloudwatch.store.ts';
import { parseStatistic, type StatSpec } from './cloudwatch.statistics.ts';
import { lowSamplesAt, statAt } from './cloudwatch.views.ts';
import { breaches, evaluatePoints, type AlarmStateValue, type EvalOutcome, type Point } from './alarms.evaluate.ts';
import { evaluateRule, parseAlarmRule } from './alarms.composite.ts';
import { HISTORY_RETENTION_MS, type Alarm, type CompositeAlarm, type MetricAlarm } from './alarms.model.ts';

type Ctx = ServiceContext<CloudWatchState>;

/** Extra periods fetched beyond N (§9 #1: the evaluation range is N + 2). */
export const EXTRA_RANGE = 2;

/** Java-style number text as AWS prints it (`80.0`, `85.5`). */
export const jnum = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

/** `dd/MM/yy HH:mm:ss`, the timestamp form of StateReason texts. */
function reasonTime(ms: number): string {
  const iso = toIso(ms);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
}

/** `2026-03-01T12:05:00.000+0000`, the timestamp form of StateReasonData. */
const dataTime = (ms: number): string => `${toIso(ms).slice(0, 23)}+0000`;

const OP_TEXT: Record<string, string> = {
  GreaterThanThreshold: 'greater than', GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than', LessThanOrEqualToThreshold: 'less than or equal to',
};

export function addHistory(ctx: Ctx, alarm: Alarm, type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action', summary: string, data: unknown): void {
  ctx.state.alarms.history.push({
    AlarmName: alarm.AlarmName,
    AlarmType: alarm.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm',
    Timestamp: ctx.now,
    HistoryItemType: type,
    HistorySummary: summary,
    HistoryData: JSON.stringify(data),
  });
}

/** Changes an alarm's state (when different), writes history and emits the events for its actions. */
export function transition(ctx: Ctx, alarm: Alarm, next: AlarmStateValue, reason: string, reasonData: string | undefined): void {
  const old = alarm.StateValue;
  if (old === next) return;
  alarm.StateValue = next;
  alarm.StateReason = reason;
  alarm.StateReasonData = reasonData;
  alarm.StateUpdatedTimestamp = ctx.now;
  alarm.StateTransitionedTimestamp = ctx.now;
  addHistory(ctx, alarm, 'StateUpdate', `Alarm updated from ${old} to ${next}`, {
    version: '1.0',
    oldState: { stateValue: old },
    newState: { stateValue: next, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) } : {}) },
  });
  const actions = !alarm.ActionsEnabled ? []
    : next === 'ALARM' ? alarm.AlarmActions : next === 'OK' ? alarm.OKActions : alarm.InsufficientDataActions;
  ctx.emit('cloudwatch/alarm-state-changed', {
    alarmName: alarm.AlarmName, alarmArn: alarm.AlarmArn, alarmType: alarm.kind === 'metric' ? 'MetricAlarm' : 'CompositeAlarm',
    oldState: old, newState: next, reason, reasonData: reasonData ?? null,
    actionsEnabled: alarm.ActionsEnabled, actions: [...actions],
  });
}

/** Builds AWS's StateReason text for an evaluation outcome. */
function reasonFor(a: MetricAlarm, o: EvalOutcome, values: number[], stamps: number[], old: AlarmStateValue): string {
  const m = a.DatapointsToAlarm ?? a.EvaluationPeriods;
  const n = a.EvaluationPeriods;
  const thr = `the threshold (${jnum(a.Threshold)})`;
  const op = OP_TEXT[a.ComparisonOperator] ?? a.ComparisonOperator;
  const need = o.state === 'ALARM' ? m : n - m + 1;
  const treatedAs = a.TreatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching';
  if (o.rule === 'no-data') {
    if (o.state === 'INSUFFICIENT_DATA') return `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
    return `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${n} missing datapoint${n === 1 ? ' was' : 's were'} treated as [${treatedAs}].`;
  }
  const breach = o.state === 'ALARM';
  const shown = o.used.filter((i) => breaches(a.ComparisonOperator, values[i]!, a.Threshold) === breach);
  const list = shown.map((i) => `${jnum(values[i]!)} (${reasonTime(stamps[i]!)})`).join(', ');
  const k = shown.length;
  const verb = `${k === 1 ? 'was' : 'were'} ${breach ? '' : 'not '}${op}`;
  const filled = o.rule === 'filled' && o.fillers > 0 && (a.TreatMissingData === 'breaching' || a.TreatMissingData === 'notBreaching')
    ? ` and ${o.fillers} missing datapoint${o.fillers === 1 ? ' was' : 's were'} treated as [${treatedAs}]` : '';
  const of = o.rule === 'enough-data' ? n : o.used.length;
  return `Threshold Crossed: ${k} out of the last ${of} datapoint${of === 1 ? '' : 's'} [${list}] ${verb} ${thr}${filled} (minimum ${need} datapoint${need === 1 ? '' : 's'} for ${old} -> ${o.state} transition).`;
}

/** Runtime cache (not state): the metric key of an alarm record. */
const alarmKeys = new WeakMap<MetricAlarm, string>();

/** Evaluates one metric alarm at time `now` (§1.3, §1.4, §1.7). */
const specs = new Map<string, StatSpec | null>();

export function evaluateMetricAlarm(ctx: Ctx, a: MetricAlarm, now: number): void {
  const statName = a.Statistic ?? a.ExtendedStatistic ?? '';
  let spec = specs.get(statName);
  if (spec === undefined) specs.set(statName, (spec = parseStatistic(statName)));
  if (!spec) return;
  const n = a.EvaluationPeriods;
  const range = n + EXTRA_RANGE;
  const pms = a.Period * 1000;
  const start = now - range * pms;
  let key = alarmKeys.get(a);
  if (key === undefined) alarmKeys.set(a, (key = metricKey(a.Namespace, a.MetricName, a.Dimensions)));
  const metric = ctx.state.metrics[key];
  const streams = !metric ? [] : a.Unit === undefined ? metric.streams : metric.streams.filter((s) => s.unit === a.Unit);
  const aggs = aggregatePeriods(streams, start, a.Period, range, spec.kind !== 'basic', ctx.state);
  const points: Point[] = [];
  const values: number[] = [];
  const stamps: number[] = [];
  let low = false;
  for (let k = 0; k < range; k++) {
    const v = statAt(aggs, k, spec);
    values.push(v);
    stamps.push(start + k * pms);
    points.push(Number.isNaN(v) ? null : breaches(a.ComparisonOperator, v, a.Threshold));
  }
  const treat = a.Namespace === 'AWS/DynamoDB' ? 'ignore' : a.TreatMissingData ?? 'missing';
  const o = evaluatePoints({ points, n, m: a.DatapointsToAlarm ?? n, treat, current: a.StateValue });
  if (a.EvaluateLowSampleCountPercentile === 'ignore') {
    for (const i of o.used) if (lowSamplesAt(aggs, i, spec)) low = true;
    if (low) return; // §1.7: leave the state unchanged until enough samples arrive
  }
  if (o.state === a.StateValue) return;
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: dataTime(now),
    startDate: dataTime(o.used.length ? stamps[o.used[o.used.length - 1]!]! : start),
    ...(a.Statistic ? { statistic: a.Statistic } : { extendedStatistic: a.ExtendedStatistic }),
    ...(a.Unit ? { unit: a.Unit } : {}),
    period: a.Period,
    recentDatapoints: [...o.used].reverse().map((i) => values[i]!),
    threshold: a.Threshold,
    evaluatedDatapoints: [...o.used].map((i) => ({ timestamp: dataTime(stamps[i]!), sampleCount: aggs.n[i]!, value: values[i]! })),
  });
  transition(ctx, a, o.state, reasonFor(a, o, values, stamps, a.StateValue), reasonData);
}

/** Re-evaluates composite alarms until no state changes (bounded; cycles stop). */
export function evaluateComposites(ctx: Ctx): void {
  const al = ctx.state.alarms;
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    for (const name of al.order) {
      const c = al.byName[name];
      if (!c || c.kind !== 'composite') continue;
      const rule = parseAlarmRule(c.AlarmRule);
      if (typeof rule === 'string') continue;
      const next: AlarmStateValue = evaluateRule(rule, (x) => al.byName[x]?.StateValue) ? 'ALARM' : 'OK';
      if (next !== c.StateValue) {
        transition(ctx, c, next, compositeReason(c, next), undefined);
        changed = true;
      }
    }
    if (!changed) return;
  }
}

const compositeReason = (c: CompositeAlarm, next: AlarmStateValue): string =>
  next === 'ALARM' ? `arn:aws:cloudwatch rule ${c.AlarmRule} evaluated to TRUE` : `arn:aws:cloudwatch rule ${c.AlarmRule} evaluated to FALSE`;

/** One evaluation round: metric alarms of the given cadence, then composites, then repeats. */
export function evaluateAlarms(ctx: Ctx, now: number, fast: boolean): void {
  const al = ctx.state.alarms;
  for (const name of al.order) {
    const a = al.byName[name];
    if (!a || a.kind !== 'metric' || (a.Period < 60) !== fast) continue;
    // a state set less than a period ago (SetAlarmState) is re-evaluated at the next round anyway
    evaluateMetricAlarm(ctx, a, now);
  }
  evaluateComposites(ctx);
  if (fast) return;
  // §1.3: Auto Scaling actions are re-invoked every minute while the alarm stays in the state.
  for (const name of al.order) {
    const a = al.byName[name];
    if (!a || a.kind !== 'metric' || !a.ActionsEnabled || a.StateTransitionedTimestamp >= now) continue;
    const list = a.StateValue === 'ALARM' ? a.AlarmActions : a.StateValue === 'OK' ? a.OKActions : a.InsufficientDataActions;
    const asg = list.filter((x) => x.startsWith('arn:aws:autoscaling:'));
    if (asg.length) ctx.emit('cloudwatch/alarm-action-repeat', { alarmName: a.AlarmName, alarmArn: a.AlarmArn, state: a.StateValue, actions: asg });
  }
}

/** Drops history older than two weeks (spec §1.1). */
export function pruneHistory(ctx: Ctx): void {
  const h = ctx.state.alarms.history;
  const cutoff = ctx.now - HISTORY_RETENTION_MS;
  let i = 0;
  while (i < h.length && h[i]!.Timestamp < cutoff) i++;
  if (i) h.splice(0, i);
}
