/**
 * Alarm evaluation on the clock (spec §1.3): metric alarms every minute (every 10 s for 10/20/30 s
 * periods), composite alarms after them, state transitions with history and AWS-style reasons,
 * and the engine events future SNS / Auto Scaling services act on (§1.5).
 */
import { toIso } from '../../kernel/time.ts';
import type { ServiceContext } from '../../kernel/types.ts';
import { metricKey, type CloudWatchState, type Metric } from './cloudwatch.model.ts';
import { aggregatePeriods, streamGenerationNow, type PeriodAggs } from './cloudwatch.store.ts';
import { aggregateVirtualMinutes, newCursor, quickDecision, type QuickAlarm, type VirtualCursor } from './cloudwatch.virtual.ts';
import { seriesEpochNow } from './cloudwatch.signals.ts';
import { parseStatistic, type BasicStatistic, type StatSpec } from './cloudwatch.statistics.ts';
import { lowSamplesAt, statAt } from './cloudwatch.views.ts';
import { breaches, evaluatePoints, type AlarmStateValue, type EvalOutcome, type Point } from './alarms.evaluate.ts';
import { evaluateRule, parseAlarmRule } from './alarms.composite.ts';
import { HISTORY_RETENTION_MS, alarmList, alarmsChanged, type Alarm, type CompositeAlarm, type MathAlarm, type MetricAlarm } from './alarms.model.ts';

type Ctx = ServiceContext<CloudWatchState>;

/** Extra periods fetched beyond N (§9 #1: the evaluation range is N + 2). */
export const EXTRA_RANGE = 2;

/** Java-style number text as AWS prints it (`80.0`, `85.5`). */
export const jnum = (x: number): string => (Number.isInteger(x) ? `${x}.0` : String(x));

/** `dd/MM/yy HH:mm:ss`, the timestamp form of StateReason texts. */
export function reasonTime(ms: number): string {
  const iso = toIso(ms);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(2, 4)} ${iso.slice(11, 19)}`;
}

/** `2026-03-01T12:05:00.000+0000`, the timestamp form of StateReasonData. */
export const dataTime = (ms: number): string => `${toIso(ms).slice(0, 23)}+0000`;

const OP_TEXT: Record<string, string> = {
  GreaterThanThreshold: 'greater than', GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than', LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Adds a history item; `data` is the HistoryData value, or its JSON text already made. */
export function addHistory(ctx: Ctx, alarm: Alarm, type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action', summary: string, data: unknown): void {
  ctx.state.alarms.history.push({
    AlarmName: alarm.AlarmName,
    AlarmType: alarm.kind === 'composite' ? 'CompositeAlarm' : 'MetricAlarm',
    Timestamp: ctx.now,
    HistoryItemType: type,
    HistorySummary: summary,
    HistoryData: flat(data instanceof JsonText ? data.text : JSON.stringify(data)),
  });
}

/**
 * The same string in one piece: text built by concatenation is a tree of pieces until something
 * reads it whole, and kept for weeks that tree costs every garbage collection (a conversion to
 * number makes the engine flatten it).
 */
function flat(s: string): string {
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions
  (s as unknown as number) | 0;
  return s;
}

/** JSON text made by hand, for addHistory. */
class JsonText { constructor(readonly text: string) { } }

/**
 * Changes an alarm's state (when different), writes history and emits the events for its actions.
 * `reasonObject`, when given, says `reasonData` is compact JSON as JSON.stringify writes it, so the
 * history item can embed the text as is (saves parsing it back: the same text either way).
 */
export function transition(
  ctx: Ctx, alarm: Alarm, next: AlarmStateValue, reason: string, reasonData: string | undefined, reasonObject?: unknown,
  facts?: { threshold: number; values: number[] },
): void {
  const old = alarm.StateValue;
  if (old === next) return;
  alarmsChanged(ctx.state.alarms); // (ends any round hold)
  alarm.StateValue = next;
  alarm.StateReason = flat(reason);
  alarm.StateReasonData = reasonData === undefined ? undefined : flat(reasonData);
  alarm.StateUpdatedTimestamp = ctx.now;
  alarm.StateTransitionedTimestamp = ctx.now;
  // the text JSON.stringify gives for {version, oldState, newState: {stateValue, stateReason,
  // stateReasonData?}}, with reasonData (already compact JSON of that object) spliced in as is
  const data = reasonData && reasonObject !== undefined
    ? new JsonText(`{"version":"1.0","oldState":{"stateValue":${JSON.stringify(old)}},"newState":{"stateValue":${JSON.stringify(next)},"stateReason":${JSON.stringify(reason)},"stateReasonData":${reasonData}}}`)
    : {
      version: '1.0',
      oldState: { stateValue: old },
      newState: { stateValue: next, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) } : {}) },
    };
  addHistory(ctx, alarm, 'StateUpdate', `Alarm updated from ${old} to ${next}`, data);
  const actions = !alarm.ActionsEnabled ? []
    : next === 'ALARM' ? alarm.AlarmActions : next === 'OK' ? alarm.OKActions : alarm.InsufficientDataActions;
  ctx.emit('cloudwatch/alarm-state-changed', {
    alarmName: alarm.AlarmName, alarmArn: alarm.AlarmArn, alarmType: alarm.kind === 'composite' ? 'CompositeAlarm' : 'MetricAlarm',
    oldState: old, newState: next, reason, reasonData: reasonData ?? null,
    actionsEnabled: alarm.ActionsEnabled, actions: [...actions],
    // the decisive values (newest first) and threshold, so listeners need not parse reasonData
    ...(facts ? { threshold: facts.threshold, values: facts.values } : {}),
  });
}

/** Builds AWS's StateReason text for an evaluation outcome (metric and metric-math alarms). */
export function reasonFor(a: Pick<MetricAlarm, 'DatapointsToAlarm' | 'EvaluationPeriods' | 'Threshold' | 'ComparisonOperator' | 'TreatMissingData'>, o: EvalOutcome, values: number[], stamps: number[], old: AlarmStateValue,
  valueText: (i: number) => string = (i) => jnum(values[i]!)): string {
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
  const list = shown.map((i) => `${valueText(i)} (${reasonTime(stamps[i]!)})`).join(', ');
  const k = shown.length;
  const verb = `${k === 1 ? 'was' : 'were'} ${breach ? '' : 'not '}${op}`;
  const filled = o.rule === 'filled' && o.fillers > 0 && (a.TreatMissingData === 'breaching' || a.TreatMissingData === 'notBreaching')
    ? ` and ${o.fillers} missing datapoint${o.fillers === 1 ? ' was' : 's were'} treated as [${treatedAs}]` : '';
  const of = o.rule === 'enough-data' ? n : o.used.length;
  return `Threshold Crossed: ${k} out of the last ${of} datapoint${of === 1 ? '' : 's'} [${list}] ${verb} ${thr}${filled} (minimum ${need} datapoint${need === 1 ? '' : 's'} for ${old} -> ${o.state} transition).`;
}

/** Runtime cache (not state): parsed statistics by name. */
const specs = new Map<string, StatSpec | null>();

/**
 * Runtime cache (not state) per alarm record: its metric key, parsed statistic, once it exists its
 * metric record, and where it last read a virtual series. PutMetricAlarm replaces the alarm record,
 * and metric and series records are never removed or replaced, so what it caches cannot go stale
 * (a restored engine has new records, so it starts cold).
 */
interface AlarmInfo {
  key: string; spec: StatSpec | null; metric: Metric | undefined; cursor: VirtualCursor;
  /** Once its metric exists and it fits: what quickDecision needs. */
  quick: QuickAlarm | null;
  /** Whether its ALARM / OK / INSUFFICIENT_DATA actions include Auto Scaling. */
  asg: [boolean, boolean, boolean];
  /** Ticks before `holdUntil` need no evaluation while no series changed (epoch) and the state is `holdState`. */
  holdUntil: number; holdEpoch: number; holdState: string;
}

const STAT_CODE: Record<string, number> = { SampleCount: 0, Sum: 1, Average: 2, Minimum: 3, Maximum: 4 };
const OP_CODE: Record<string, number> = {
  GreaterThanThreshold: 0, GreaterThanOrEqualToThreshold: 1, LessThanThreshold: 2, LessThanOrEqualToThreshold: 3,
};

/**
 * Where the runtime info hangs on the alarm record: a symbol-keyed, non-enumerable property, so
 * JSON (snapshots), the state hash (Object.keys), structured clones and object spreads never see
 * it, and reading it is a plain property load (a WeakMap costs a hash lookup per alarm and minute).
 */
const INFO = Symbol('alarm runtime info');

function infoOf(a: MetricAlarm): AlarmInfo {
  let info = (a as MetricAlarm & { [INFO]?: AlarmInfo })[INFO];
  if (info === undefined) {
    const statName = a.Statistic ?? a.ExtendedStatistic ?? '';
    let spec = specs.get(statName);
    if (spec === undefined) specs.set(statName, (spec = parseStatistic(statName)));
    info = {
      key: metricKey(a.Namespace, a.MetricName, a.Dimensions), spec, metric: undefined, cursor: newCursor(), quick: null,
      holdUntil: 0, holdEpoch: -1, holdState: '',
      asg: [a.AlarmActions.some(isAsgAction), a.OKActions.some(isAsgAction), a.InsufficientDataActions.some(isAsgAction)],
    };
    Object.defineProperty(a, INFO, { value: info, enumerable: false, writable: false, configurable: false });
  }
  return info;
}

/** Looks up the alarm's metric until it exists, and then whether the quick check applies. */
function findMetric(info: AlarmInfo, a: MetricAlarm, state: CloudWatchState): void {
  const metric = (info.metric = state.metrics[info.key]);
  if (!metric) return;
  const stat = info.spec?.kind === 'basic' ? STAT_CODE[info.spec.name] ?? -1 : -1;
  const op = OP_CODE[a.ComparisonOperator] ?? -1;
  const streams = a.Unit === undefined ? metric.streams : metric.streams.filter((s) => s.unit === a.Unit);
  // (a metric's streams only grow, with new units: the caller checks there is still one)
  if (stat >= 0 && op >= 0 && a.Period % 60 === 0 && streams.length === 1 && streams[0]!.virtual && streams[0]!.virtual.agg === undefined && metric.streams.length === 1) {
    info.quick = { stream: streams[0]!, n: a.EvaluationPeriods, m: a.DatapointsToAlarm ?? a.EvaluationPeriods, pms: a.Period * 1000, stat, op, threshold: a.Threshold, cur: info.cursor, plan: null, holdUntil: 0 };
  }
}

// a local binding: imported ones can be slow to reach in hot loops through some loaders
const breachesFn = breaches;

/** Reused period aggregates of the fast path (filled and read within one evaluation). */
let FAST: PeriodAggs = { n: new Float64Array(8), s: new Float64Array(8), lo: new Float64Array(8), hi: new Float64Array(8), raw: null };

function fastAggs(count: number): PeriodAggs {
  if (FAST.n.length < count) {
    const size = Math.max(count, 2 * FAST.n.length);
    FAST = { n: new Float64Array(size), s: new Float64Array(size), lo: new Float64Array(size), hi: new Float64Array(size), raw: null };
  }
  return FAST;
}

/** basicStat of period k (NaN without data), without building an Agg. */
function basicAt(a: PeriodAggs, k: number, name: BasicStatistic): number {
  const n = a.n[k]!;
  if (n === 0) return Number.NaN;
  switch (name) {
    case 'SampleCount': return n;
    case 'Sum': return a.s[k]!;
    case 'Average': return a.s[k]! / n;
    case 'Minimum': return a.lo[k]!;
    case 'Maximum': return a.hi[k]!;
  }
}

/**
 * The state evaluatePoints reaches when its step 1 applies (at least N real points: the N newest
 * decide), or null when another step would decide. Allocates nothing.
 */
function enoughDataState(a: MetricAlarm, aggs: PeriodAggs, range: number, name: BasicStatistic): AlarmStateValue | null {
  const n = a.EvaluationPeriods;
  let taken = 0, b = 0;
  for (let k = range - 1; k >= 0 && taken < n; k--) {
    const v = basicAt(aggs, k, name);
    if (Number.isNaN(v)) continue;
    taken++;
    if (breachesFn(a.ComparisonOperator, v, a.Threshold)) b++;
  }
  if (taken < n) return null;
  return b >= (a.DatapointsToAlarm ?? n) ? 'ALARM' : 'OK';
}

/** Evaluates one metric alarm at time `now` (§1.3, §1.4, §1.7). */
export function evaluateMetricAlarm(ctx: Ctx, a: MetricAlarm, now: number, state: CloudWatchState = ctx.state): void {
  const info = infoOf(a);
  const spec = info.spec;
  if (!spec) return;
  const n = a.EvaluationPeriods;
  const range = n + EXTRA_RANGE;
  const pms = a.Period * 1000;
  const start = now - range * pms;
  if (info.metric === undefined) findMetric(info, a, state);
  const metric = info.metric;
  const streams = !metric ? [] : a.Unit === undefined ? metric.streams : metric.streams.filter((s) => s.unit === a.Unit);
  let aggs: PeriodAggs | null = null;
  if (spec.kind === 'basic') {
    // fast path: one virtual stream (AWS/EC2) read straight from its day caches; nothing to
    // allocate unless the state changes
    const only = streams.length === 1 ? streams[0]! : null;
    const extremes = spec.name === 'Minimum' || spec.name === 'Maximum';
    if (only?.virtual && aggregateVirtualMinutes(state, only, fastAggs(range), start, pms, range, extremes, info.cursor)) aggs = FAST;
    else if (streams.length === 0) aggs = emptyAggs(fastAggs(range), range);
    if (aggs) {
      const quick = enoughDataState(a, aggs, range, spec.name);
      if (quick === a.StateValue) return;
    }
  }
  aggs ??= aggregatePeriods(streams, start, a.Period, range, spec.kind !== 'basic', state);
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
  const used = o.used;
  const recent: number[] = [];
  for (let j = used.length - 1; j >= 0; j--) recent.push(values[used[j]!]!);
  // each value's text made once (number to text is the costly part of these texts)
  const texts: string[] = [];
  const text_ = (i: number): string => (texts[i] ??= jsonNumber(values[i]!));
  // JSON.stringify of {version, queryDate, startDate, statistic | extendedStatistic, unit?, period,
  // recentDatapoints, threshold, evaluatedDatapoints}, written out (a test compares the two)
  let text = `{"version":"1.0","queryDate":"${dataTime(now)}","startDate":"${dataTime(used.length ? stamps[used[used.length - 1]!]! : start)}"`;
  if (a.Statistic) text += `,"statistic":${JSON.stringify(a.Statistic)}`;
  else if (a.ExtendedStatistic !== undefined) text += `,"extendedStatistic":${JSON.stringify(a.ExtendedStatistic)}`;
  if (a.Unit) text += `,"unit":${JSON.stringify(a.Unit)}`;
  const recentText: string[] = [];
  for (let j = used.length - 1; j >= 0; j--) recentText.push(text_(used[j]!));
  text += `,"period":${jsonNumber(a.Period)},"recentDatapoints":[${recentText.join(',')}],"threshold":${jsonNumber(a.Threshold)},"evaluatedDatapoints":[`;
  for (let j = 0; j < used.length; j++) {
    const i = used[j]!;
    text += `${j ? ',' : ''}{"timestamp":"${dataTime(stamps[i]!)}","sampleCount":${jsonNumber(aggs.n[i]!)},"value":${text_(i)}}`;
  }
  text += ']}';
  const jtext = (i: number): string => { const v = values[i]!; return Number.isInteger(v) ? `${v}.0` : Number.isFinite(v) ? text_(i) : String(v); };
  transition(ctx, a, o.state, reasonFor(a, o, values, stamps, a.StateValue, jtext), text, true, { threshold: a.Threshold, values: recent });
}

/** A number as JSON.stringify writes it. */
const jsonNumber = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/** Clears the first `count` periods (what aggregatePeriods returns for no streams). */
function emptyAggs(out: PeriodAggs, count: number): PeriodAggs {
  for (let k = 0; k < count; k++) { out.n[k] = 0; out.s[k] = 0; out.lo[k] = Infinity; out.hi[k] = -Infinity; }
  return out;
}

/** Re-evaluates composite alarms until no state changes (bounded; cycles stop). */
export function evaluateComposites(ctx: Ctx): void {
  const al = ctx.state.alarms;
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    for (const c of alarmList(al)) {
      if (c.kind !== 'composite') continue;
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

const isAsgAction = (x: string): boolean => x.startsWith('arn:aws:autoscaling:');

/** Alarms whose Auto Scaling actions repeat this round (reused between rounds). */
const REPEAT: (MetricAlarm | MathAlarm)[] = [];
/** The metric alarms whose Auto Scaling actions repeat in the minutes a round hold skips. */
const HELD_REPEAT: MetricAlarm[] = [];

/**
 * Runtime only: after a minute round in which every alarm was a single-metric alarm whose
 * decisions computed ahead agreed with its state, the tick before which that stays so. Valid while
 * the alarm list is the same array (any put, delete, state change or actions switch makes a new
 * one), no instance series changed and no metric got a new stream.
 */
interface RoundHold { list: Alarm[]; until: number; epoch: number; streams: number; repeat: (MetricAlarm | MathAlarm)[] }
const roundHolds = new WeakMap<object, RoundHold>();

/** One evaluation round: metric alarms of the given cadence, then composites, then repeats. */
export function evaluateAlarms(ctx: Ctx, now: number, fast: boolean): void {
  const state = ctx.state;
  const al = state.alarms;
  REPEAT.length = 0;
  HELD_REPEAT.length = 0;
  const list = alarmList(al);
  if (!fast) {
    const h = roundHolds.get(al);
    if (h !== undefined && h.list === list && now < h.until && h.epoch === seriesEpochNow() && h.streams === streamGenerationNow() && now === state.lastTick) {
      // nothing can change this minute: only the Auto Scaling repeats (§1.3)
      for (const a of h.repeat) emitRepeat(ctx, a);
      return;
    }
  }
  let until = fast ? 0 : Infinity;
  for (let ai = 0; ai < list.length; ai++) {
    const a = list[ai]!;
    if (a.kind === 'composite') continue;
    const si = a.StateValue === 'ALARM' ? 0 : a.StateValue === 'OK' ? 1 : 2;
    if (a.kind === 'math') { // evaluated by alarms.math.ts; only its Auto Scaling repeats here
      until = 0; // (evaluated every minute elsewhere: no round hold)
      if (!fast && a.ActionsEnabled && a.StateTransitionedTimestamp < now && [a.AlarmActions, a.OKActions, a.InsufficientDataActions][si]!.some(isAsgAction)) REPEAT.push(a);
      continue;
    }
    const info = infoOf(a);
    // a state set less than a period ago (SetAlarmState) is re-evaluated at the next round anyway
    if ((a.Period < 60) === fast) {
      const q = info.quick;
      // still within a stretch where the day's plan keeps agreeing with this state: nothing to do
      if (q !== null && now < info.holdUntil && info.holdEpoch === seriesEpochNow() && info.holdState === a.StateValue
        && info.metric!.streams.length === 1 && now === state.lastTick) {
        if (info.holdUntil < until) until = info.holdUntil;
      } else {
        if (info.metric === undefined) findMetric(info, a, state);
        const qq = info.quick;
        // the newest N periods alone decide and agree with the state: nothing to do
        const quick = qq === null || info.metric!.streams.length !== 1 ? -1 : quickDecision(state, qq, now);
        const cur = a.StateValue === 'ALARM' ? 1 : a.StateValue === 'OK' ? 0 : 2;
        if (quick === -1 || quick !== cur) {
          info.holdUntil = 0;
          until = 0;
          evaluateMetricAlarm(ctx, a, now, state);
        } else if (qq !== null && qq.holdUntil > now) {
          info.holdUntil = qq.holdUntil; info.holdEpoch = seriesEpochNow(); info.holdState = a.StateValue;
          if (info.holdUntil < until) until = info.holdUntil;
        } else until = 0;
      }
    } else until = 0; // a sub-minute alarm changes between minute rounds
    // §1.3: Auto Scaling actions are re-invoked every minute while the alarm stays in the state
    // (composite alarms change no metric alarm, so this can be decided now and sent after them)
    if (!fast && a.ActionsEnabled && info.asg[si]) {
      HELD_REPEAT.push(a); // (in held minutes no alarm has just changed state)
      if (a.StateTransitionedTimestamp < now) REPEAT.push(a);
    }
  }
  evaluateComposites(ctx);
  if (fast) return;
  for (const a of REPEAT) emitRepeat(ctx, a);
  // (the list as it is after the round: a composite may have changed state in it, which changes no
  // metric alarm; a metric alarm that changed state set `until` to 0)
  roundHolds.set(al, { list: alarmList(al), until: until === Infinity ? 0 : until, epoch: seriesEpochNow(), streams: streamGenerationNow(), repeat: [...HELD_REPEAT] });
  REPEAT.length = 0;
  HELD_REPEAT.length = 0;
}

function emitRepeat(ctx: Ctx, a: MetricAlarm | MathAlarm): void {
  const list = a.StateValue === 'ALARM' ? a.AlarmActions : a.StateValue === 'OK' ? a.OKActions : a.InsufficientDataActions;
  ctx.emit('cloudwatch/alarm-action-repeat', { alarmName: a.AlarmName, alarmArn: a.AlarmArn, state: a.StateValue, actions: list.filter(isAsgAction) });
}

/** Drops history older than two weeks (spec §1.1). */
export function pruneHistory(ctx: Ctx): void {
  const h = ctx.state.alarms.history;
  const cutoff = ctx.now - HISTORY_RETENTION_MS;
  let i = 0;
  while (i < h.length && h[i]!.Timestamp < cutoff) i++;
  if (i) h.splice(0, i);
}
