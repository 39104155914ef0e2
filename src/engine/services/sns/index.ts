/**
 * The `sns` service: topics, subscriptions and Publish, with deliveries landing in inboxes the
 * console shows. It also publishes CloudWatch's alarm notifications for alarm actions that name a
 * topic (as `cloudwatch.amazonaws.com` does; not a user call, so not in CloudTrail).
 */
import type { ApiCallEvent, EngineEvent, ServiceDef } from '../../kernel/types.ts';
import { emptySns, type AlarmConfig, type SnsState } from './sns.model.ts';
import { publishToTopic, snsOperations } from './sns.operations.ts';
import { alarmEmail, alarmJson, alarmSubject, type AlarmChange } from './sns.alarm-mail.ts';

interface AlarmStateChanged extends AlarmChange {
  actions?: string[];
}

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** An alarm's configuration as a successful PutMetricAlarm / PutCompositeAlarm request gave it. */
function configOf(p: Record<string, unknown>, now: number): AlarmConfig {
  const dims = Array.isArray(p.Dimensions) ? (p.Dimensions as { Name?: unknown; Value?: unknown }[]).map((d) => ({ Name: String(d?.Name), Value: String(d?.Value) })) : [];
  const cfg: AlarmConfig = {
    AlarmName: String(p.AlarmName),
    Dimensions: dims,
    OKActions: strings(p.OKActions),
    AlarmActions: strings(p.AlarmActions),
    InsufficientDataActions: strings(p.InsufficientDataActions),
    updatedAt: now,
  };
  const optional: [keyof AlarmConfig, unknown][] = [
    ['AlarmDescription', str(p.AlarmDescription)], ['Namespace', str(p.Namespace)], ['MetricName', str(p.MetricName)],
    ['Statistic', str(p.Statistic)], ['ExtendedStatistic', str(p.ExtendedStatistic)], ['Period', num(p.Period)], ['Unit', str(p.Unit)],
    ['EvaluationPeriods', num(p.EvaluationPeriods)], ['DatapointsToAlarm', num(p.DatapointsToAlarm)], ['Threshold', num(p.Threshold)],
    ['ComparisonOperator', str(p.ComparisonOperator)], ['TreatMissingData', str(p.TreatMissingData)],
    ['EvaluateLowSampleCountPercentile', str(p.EvaluateLowSampleCountPercentile)], ['AlarmRule', str(p.AlarmRule)],
  ];
  for (const [k, v] of optional) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  if (Array.isArray(p.Metrics)) cfg.Metrics = JSON.parse(JSON.stringify(p.Metrics)) as Record<string, unknown>[];
  return cfg;
}

export const snsService: ServiceDef<SnsState> = {
  name: 'sns',
  eventSource: 'sns.amazonaws.com',
  init: emptySns,
  operations: snsOperations,
  on: {
    /** Learns alarm configurations (for the alarm e-mail's details) from CloudWatch's recorded calls. */
    'api/call-completed'(ctx, event: EngineEvent<ApiCallEvent>) {
      const c = event.payload;
      if (c.service !== 'cloudwatch' || c.error) return;
      if (c.action === 'PutMetricAlarm' || c.action === 'PutCompositeAlarm') {
        const cfg = configOf(c.params, ctx.now);
        ctx.state.alarmConfigs[cfg.AlarmName] = cfg;
      } else if (c.action === 'DeleteAlarms') {
        for (const n of strings(c.params.AlarmNames)) delete ctx.state.alarmConfigs[n];
      }
    },
    'cloudwatch/alarm-state-changed'(ctx, event: EngineEvent<AlarmStateChanged>) {
      const e = event.payload;
      const prefix = `arn:aws:sns:${ctx.region}:${ctx.accountId}:`;
      for (const arn of e.actions ?? []) {
        if (!arn.startsWith('arn:aws:sns:')) continue;
        const topic = arn.startsWith(prefix) ? ctx.state.topics[arn] : undefined;
        if (!topic) {
          ctx.emit('sns/alarm-notification-published', { alarmName: e.alarmName, topicArn: arn, ok: false, error: 'Topic does not exist' });
          continue;
        }
        const cfg = ctx.state.alarmConfigs[e.alarmName];
        const bodies = {
          default: alarmJson(e, cfg, ctx.region, ctx.accountId, ctx.now),
          email: alarmEmail(e, cfg, ctx.region, ctx.accountId, ctx.now),
        };
        const messageId = publishToTopic(ctx, topic, alarmSubject(e, ctx.region), bodies, {});
        ctx.emit('sns/alarm-notification-published', { alarmName: e.alarmName, topicArn: arn, ok: true, messageId });
      }
    },
  },
};

export * from './sns.model.ts';
export { inbox, allDeliveries, endpoints, listTopics, type InboxItem } from './sns.views.ts';
export { alarmEmail, alarmJson, alarmSubject, mailTime } from './sns.alarm-mail.ts';
