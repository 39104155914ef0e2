/** Alarm records as DescribeAlarms returns them, plus the history (spec §1). */
import type { Dimension } from './cloudwatch.model.ts';
import type { AlarmStateValue, ComparisonOperator, TreatMissingData } from './alarms.evaluate.ts';

interface AlarmCommon {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  StateValue: AlarmStateValue;
  StateReason: string;
  StateReasonData?: string;
  /** Epoch ms. */
  StateUpdatedTimestamp: number;
  StateTransitionedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
}

export interface MetricAlarm extends AlarmCommon {
  kind: 'metric';
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
  EvaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
}

/** One MetricDataQuery of a metric-math alarm, with PutMetricAlarm's member names. */
export interface AlarmMetricQuery {
  Id: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Dimension[] }; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData: boolean;
  Period?: number;
}

/**
 * A metric alarm on a metric-math expression (PutMetricAlarm with `Metrics`, spec §1.1, §2.5), or
 * on an anomaly-detection band: then `ThresholdMetricId` names the ANOMALY_DETECTION_BAND query, a
 * band operator compares, and there is no `Threshold` (alarms.anomaly.ts).
 */
export interface MathAlarm extends AlarmCommon {
  kind: 'math';
  Metrics: AlarmMetricQuery[];
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  /** Absent on an anomaly-detection alarm. */
  Threshold?: number;
  ThresholdMetricId?: string;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
}

export interface CompositeAlarm extends AlarmCommon {
  kind: 'composite';
  AlarmRule: string;
}

export type Alarm = MetricAlarm | MathAlarm | CompositeAlarm;

export interface HistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm' | 'CompositeAlarm';
  /** Epoch ms. */
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

export interface AlarmsState {
  byName: Record<string, Alarm>;
  /** Creation order, for stable evaluation and listing. */
  order: string[];
  /** Oldest first; kept 2 weeks. */
  history: HistoryItem[];
  /** Whether the 10-second evaluation timer is scheduled (sub-minute periods exist). */
  fastTimer: boolean;
}

export const emptyAlarms = (): AlarmsState => ({ byName: {}, order: [], history: [], fastTimer: false });

export const HISTORY_RETENTION_MS = 14 * 86_400_000;

/** Runtime cache (never state): the alarm records in `order`, for the per-minute rounds. */
const alarmLists = new WeakMap<AlarmsState, Alarm[]>();

/** The alarms in creation order (cached until alarmsChanged). */
export function alarmList(al: AlarmsState): Alarm[] {
  let list = alarmLists.get(al);
  if (list === undefined) {
    list = [];
    for (const name of al.order) { const a = al.byName[name]; if (a) list.push(a); }
    alarmLists.set(al, list);
  }
  return list;
}

/** To be called by every change of `byName` or `order` (put, delete). */
export function alarmsChanged(al: AlarmsState): void {
  alarmLists.delete(al);
}
