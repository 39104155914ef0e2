/**
 * The notification CloudWatch publishes to an SNS topic when an alarm changes state (spec §1.5):
 * the subject `ALARM: "cpu-high" in US East (N. Virginia)`, the human-readable e-mail body, and
 * the JSON document every other protocol receives.
 */
import { toIso, utcParts } from '../../kernel/time.ts';
import { regionName, type AlarmConfig } from './sns.model.ts';

export interface AlarmChange {
  alarmName: string;
  alarmArn: string;
  alarmType?: string;
  oldState: string;
  newState: string;
  reason: string;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `Sunday 01 March, 2026 09:05:00 UTC`, the timestamp form of alarm e-mails. */
export function mailTime(ms: number): string {
  const { year, month, day, hour, minute } = utcParts(ms);
  const weekday = DAYS[(((Math.floor(ms / 86_400_000) + 4) % 7) + 7) % 7]!;
  return `${weekday} ${pad(day)} ${MONTHS[month - 1]}, ${year} ${pad(hour)}:${pad(minute)}:${toIso(ms).slice(17, 19)} UTC`;
}

/** `2026-03-01T09:05:00.000+0000`, the timestamp form of the JSON message. */
const jsonTime = (ms: number) => `${toIso(ms).slice(0, 23)}+0000`;

/** Java-style number text (`80.0`). */
const jnum = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/** The subject line (SNS subjects are at most 100 characters). */
export function alarmSubject(c: AlarmChange, region: string): string {
  return `${c.newState}: "${c.alarmName}" in ${regionName(region)}`.slice(0, 100);
}

const list = (xs: readonly string[]) => (xs.length ? `[${xs.join(', ')}]` : '');

/** A metric-math alarm's query as PutMetricAlarm took it (loosely typed: SNS only reads it). */
interface MathQuery {
  Id?: unknown; Expression?: unknown; Label?: unknown; ReturnData?: unknown; Period?: unknown;
  MetricStat?: { Metric?: { Namespace?: unknown; MetricName?: unknown; Dimensions?: unknown }; Period?: unknown; Stat?: unknown; Unit?: unknown };
}

const queriesOf = (cfg: AlarmConfig): MathQuery[] => (cfg.Metrics ?? []) as MathQuery[];
const dimsOf = (v: unknown): { Name: string; Value: string }[] =>
  Array.isArray(v) ? (v as { Name?: unknown; Value?: unknown }[]).map((d) => ({ Name: String(d?.Name), Value: String(d?.Value) })) : [];

/** A math alarm's period: its metrics' (all the same), else the returned expression's. */
function mathPeriod(cfg: AlarmConfig): number {
  const qs = queriesOf(cfg);
  const p = qs.find((q) => q.MetricStat)?.MetricStat?.Period ?? qs.find((q) => q.ReturnData !== false)?.Period;
  return typeof p === 'number' ? p : 60;
}

/** The e-mail's "Monitored Metrics" lines of a metric-math alarm (the expression, then each metric). */
function mathLines(cfg: AlarmConfig): string[] {
  const out = ['Monitored Metrics:'];
  for (const q of queriesOf(cfg)) {
    if (typeof q.Expression === 'string') {
      out.push(`- MetricExpression: ${q.Expression}`, `- MetricLabel: ${typeof q.Label === 'string' ? q.Label : String(q.Id)}`, '');
      continue;
    }
    const ms = q.MetricStat;
    out.push(
      `- MetricNamespace:                     ${String(ms?.Metric?.Namespace ?? '')}`,
      `- MetricName:                          ${String(ms?.Metric?.MetricName ?? '')}`,
      `- Dimensions:                          ${dimsOf(ms?.Metric?.Dimensions).map((d) => `[${d.Name} = ${d.Value}]`).join(' ')}`,
      `- Period:                              ${String(ms?.Period ?? '')} seconds`,
      `- Statistic:                           ${String(ms?.Stat ?? '')}`,
      `- Unit:                                ${typeof ms?.Unit === 'string' ? ms.Unit : 'not specified'}`,
      '',
    );
  }
  out.push(`- TreatMissingData:                    ${cfg.TreatMissingData ?? 'missing'}`, '');
  return out;
}

/** The JSON Trigger's `Metrics` of a metric-math alarm (dimensions as {value, name}, as in Trigger). */
const triggerMetrics = (cfg: AlarmConfig) => queriesOf(cfg).map((q) => ({
  Id: q.Id,
  ...(q.Expression !== undefined ? { Expression: q.Expression } : {}),
  ...(q.Label !== undefined ? { Label: q.Label } : {}),
  ...(q.MetricStat ? {
    MetricStat: {
      Metric: { Dimensions: dimsOf(q.MetricStat.Metric?.Dimensions).map((d) => ({ value: d.Value, name: d.Name })), MetricName: q.MetricStat.Metric?.MetricName, Namespace: q.MetricStat.Metric?.Namespace },
      Period: q.MetricStat.Period, Stat: q.MetricStat.Stat, ...(q.MetricStat.Unit !== undefined ? { Unit: q.MetricStat.Unit } : {}),
    },
  } : {}),
  ...(q.Period !== undefined ? { Period: q.Period } : {}),
  ReturnData: q.ReturnData !== false,
}));

/** The e-mail body. */
export function alarmEmail(c: AlarmChange, cfg: AlarmConfig | undefined, region: string, account: string, now: number): string {
  const when = mailTime(now);
  const lines = [
    `You are receiving this email because your Amazon CloudWatch Alarm "${c.alarmName}" in the ${regionName(region)} region has entered the ${c.newState} state, because "${c.reason}" at "${when}".`,
    '',
    'View this alarm in the AWS Management Console:',
    `https://${region}.console.aws.amazon.com/cloudwatch/deeplink.js?region=${region}#alarmsV2:alarm/${encodeURIComponent(c.alarmName)}`,
    '',
    'Alarm Details:',
    `- Name:                       ${c.alarmName}`,
    `- Description:                ${cfg?.AlarmDescription ?? ''}`,
    `- State Change:               ${c.oldState} -> ${c.newState}`,
    `- Reason for State Change:    ${c.reason}`,
    `- Timestamp:                  ${when}`,
    `- AWS Account:                ${account}`,
    `- Alarm Arn:                  ${c.alarmArn}`,
    '',
  ];
  if (cfg?.AlarmRule !== undefined) {
    lines.push('Alarm Rule:', `- ${cfg.AlarmRule}`, '');
  } else if (cfg?.Metrics !== undefined && cfg.Threshold !== undefined) {
    const m = cfg.DatapointsToAlarm ?? cfg.EvaluationPeriods ?? 1;
    lines.push(
      'Threshold:',
      `- The alarm is in the ALARM state when the metric is ${cfg.ComparisonOperator} ${jnum(cfg.Threshold)} for at least ${m} of the last ${cfg.EvaluationPeriods ?? 1} period(s) of ${mathPeriod(cfg)} seconds.`,
      '',
      ...mathLines(cfg),
    );
  } else if (cfg && cfg.Threshold !== undefined) {
    const m = cfg.DatapointsToAlarm ?? cfg.EvaluationPeriods ?? 1;
    lines.push(
      'Threshold:',
      `- The alarm is in the ALARM state when the metric is ${cfg.ComparisonOperator} ${jnum(cfg.Threshold)} for at least ${m} of the last ${cfg.EvaluationPeriods ?? 1} period(s) of ${cfg.Period ?? 60} seconds.`,
      '',
      'Monitored Metric:',
      `- MetricNamespace:                     ${cfg.Namespace ?? ''}`,
      `- MetricName:                          ${cfg.MetricName ?? ''}`,
      `- Dimensions:                          ${cfg.Dimensions.map((d) => `[${d.Name} = ${d.Value}]`).join(' ')}`,
      `- Period:                              ${cfg.Period ?? 60} seconds`,
      `- Statistic:                           ${cfg.Statistic ?? cfg.ExtendedStatistic ?? ''}`,
      `- Unit:                                ${cfg.Unit ?? 'not specified'}`,
      `- TreatMissingData:                    ${cfg.TreatMissingData ?? 'missing'}`,
      '',
    );
  }
  lines.push(
    '',
    'State Change Actions:',
    `- OK: ${list(cfg?.OKActions ?? [])}`,
    `- ALARM: ${list(cfg?.AlarmActions ?? [])}`,
    `- INSUFFICIENT_DATA: ${list(cfg?.InsufficientDataActions ?? [])}`,
  );
  return lines.join('\n');
}

/** The evaluation members of the JSON message's `Trigger`, in AWS's order (metric and math alarms alike). */
function triggerCondition(cfg: AlarmConfig): Record<string, unknown> {
  return {
    EvaluationPeriods: cfg.EvaluationPeriods,
    ...(cfg.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: cfg.DatapointsToAlarm } : {}),
    ComparisonOperator: cfg.ComparisonOperator,
    Threshold: cfg.Threshold,
    TreatMissingData: cfg.TreatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: cfg.EvaluateLowSampleCountPercentile ?? '',
  };
}

/** The JSON message HTTP(S), SQS, Lambda and email-json subscribers receive. */
export function alarmJson(c: AlarmChange, cfg: AlarmConfig | undefined, region: string, account: string, now: number): string {
  const trigger = cfg && cfg.MetricName !== undefined ? {
    MetricName: cfg.MetricName,
    Namespace: cfg.Namespace,
    StatisticType: cfg.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    Statistic: cfg.ExtendedStatistic ?? (cfg.Statistic ?? '').toUpperCase(),
    Unit: cfg.Unit ?? null,
    Dimensions: cfg.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    Period: cfg.Period,
    ...triggerCondition(cfg),
  } : cfg?.Metrics !== undefined ? {
    Period: mathPeriod(cfg),
    ...triggerCondition(cfg),
    Metrics: triggerMetrics(cfg),
  } : undefined;
  return JSON.stringify({
    AlarmName: c.alarmName,
    AlarmDescription: cfg?.AlarmDescription ?? null,
    AWSAccountId: account,
    AlarmConfigurationUpdatedTimestamp: jsonTime(cfg?.updatedAt ?? now),
    NewStateValue: c.newState,
    NewStateReason: c.reason,
    StateChangeTime: jsonTime(now),
    Region: regionName(region),
    AlarmArn: c.alarmArn,
    OldStateValue: c.oldState,
    OKActions: cfg?.OKActions ?? [],
    AlarmActions: cfg?.AlarmActions ?? [],
    InsufficientDataActions: cfg?.InsufficientDataActions ?? [],
    ...(cfg?.AlarmRule !== undefined ? { AlarmRule: cfg.AlarmRule } : {}),
    ...(trigger ? { Trigger: trigger } : {}),
  });
}
