import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Identity } from '../../../src/engine/index.ts';
import { allDeliveries, inbox, mailTime } from '../../../src/engine/services/sns/index.ts';

const alice: Identity = { type: 'IAMUser', userName: 'alice' };
const fresh = () => createEngine({ seed: 5, startTime: '2026-03-01T09:00:00Z' });

function ok<O = Record<string, unknown>>(r: { ok: true; output: O } | { ok: false; error: { code: string; message: string } }): O {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}
const call = <O = Record<string, unknown>>(e: Engine, action: string, p: Record<string, unknown>) => e.callSync<O>('sns', action, p, { identity: alice });

function topicWithSubscribers(e: Engine): string {
  const { TopicArn } = ok(call<{ TopicArn: string }>(e, 'CreateTopic', { Name: 'ops-alerts' }));
  // e-mail waits for confirmation: the confirmation request lands in the inbox with its token
  expect(ok(call<{ SubscriptionArn: string }>(e, 'Subscribe', { TopicArn, Protocol: 'email', Endpoint: 'oncall@example.com' })).SubscriptionArn).toBe('pending confirmation');
  const confirm = inbox(e.read('sns'), 'oncall@example.com')[0]!;
  expect(confirm).toMatchObject({ kind: 'confirmation', subject: 'AWS Notification - Subscription Confirmation' });
  expect(confirm.message).toContain(`You have chosen to subscribe to the topic: \n${TopicArn}`);
  ok(call(e, 'ConfirmSubscription', { TopicArn, Token: confirm.token }));
  ok(call(e, 'SimSetAutoConfirm', { Enabled: true }));
  ok(call(e, 'Subscribe', { TopicArn, Protocol: 'https', Endpoint: 'https://hooks.slack.example/T000/B000' }));
  return TopicArn;
}

describe('SNS topics, subscriptions and inboxes', () => {
  it('publishes to confirmed subscriptions only; e-mail gets text with the footer, https the JSON notification', () => {
    const e = fresh();
    const { TopicArn } = ok(call<{ TopicArn: string }>(e, 'CreateTopic', { Name: 'orders' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:orders');
    // CreateTopic is idempotent for the same name
    expect(ok(call<{ TopicArn: string }>(e, 'CreateTopic', { Name: 'orders' })).TopicArn).toBe(TopicArn);
    ok(call(e, 'Subscribe', { TopicArn, Protocol: 'email', Endpoint: 'kim@example.com' }));
    ok(call(e, 'Subscribe', { TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:111122223333:orders-q' }));
    const subs = ok(call<{ Subscriptions: { SubscriptionArn: string; Protocol: string }[] }>(e, 'ListSubscriptionsByTopic', { TopicArn })).Subscriptions;
    expect(subs.map((s) => [s.Protocol, s.SubscriptionArn === 'PendingConfirmation'])).toEqual([['email', true], ['sqs', false]]);

    const { MessageId } = ok(call<{ MessageId: string }>(e, 'Publish', {
      TopicArn, Subject: 'Order 42', Message: 'Order 42 shipped',
      MessageAttributes: { priority: { DataType: 'String', StringValue: 'high' } },
    }));
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
    // the pending e-mail subscriber only has the confirmation request
    expect(inbox(e.read('sns'), 'kim@example.com').map((d) => d.kind)).toEqual(['confirmation']);
    const q = inbox(e.read('sns'), 'arn:aws:sqs:us-east-1:111122223333:orders-q');
    expect(q).toHaveLength(1);
    const doc = JSON.parse(q[0]!.message) as Record<string, unknown>;
    expect(doc).toMatchObject({ Type: 'Notification', MessageId, TopicArn, Subject: 'Order 42', Message: 'Order 42 shipped', Timestamp: '2026-03-01T09:00:00.000Z', MessageAttributes: { priority: { Type: 'String', Value: 'high' } } });

    const token = inbox(e.read('sns'), 'kim@example.com')[0]!.token!;
    ok(call(e, 'ConfirmSubscription', { TopicArn, Token: token }));
    e.advanceSync(60_000);
    ok(call(e, 'Publish', { TopicArn, Message: 'second' }));
    const mail = inbox(e.read('sns'), 'kim@example.com')[0]!;
    expect(mail).toMatchObject({ protocol: 'email', subject: 'AWS Notification Message', time: Date.UTC(2026, 2, 1, 9, 1) });
    expect(mail.message.startsWith('second\n\n--\nIf you wish to stop receiving notifications from this topic')).toBe(true);
  });

  it('answers with SNS errors', () => {
    const e = fresh();
    const { TopicArn } = ok(call<{ TopicArn: string }>(e, 'CreateTopic', { Name: 't' }));
    const code = (r: { ok: boolean; error?: { code: string; message: string } }) => (r.ok ? 'ok' : `${r.error!.code}: ${r.error!.message}`);
    expect(code(call(e, 'CreateTopic', { Name: 'bad name' }))).toBe('InvalidParameter: Invalid parameter: Topic Name');
    expect(code(call(e, 'Publish', { TopicArn: `${TopicArn}x`, Message: 'x' }))).toBe('NotFound: Topic does not exist');
    expect(code(call(e, 'Publish', { TopicArn, Message: '' }))).toBe('InvalidParameter: Invalid parameter: Empty message');
    expect(code(call(e, 'Publish', { TopicArn, Message: 'x', Subject: 'a\nb' }))).toBe('InvalidParameter: Invalid parameter: Subject');
    expect(code(call(e, 'Publish', { TopicArn, Message: '{"email":"x"}', MessageStructure: 'json' }))).toBe('InvalidParameter: Invalid parameter: Message Structure - No default entry in JSON message body');
    expect(code(call(e, 'Subscribe', { TopicArn, Protocol: 'email', Endpoint: 'not-an-address' }))).toBe('InvalidParameter: Invalid parameter: Email address');
    expect(code(call(e, 'Subscribe', { TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' }))).toBe('InvalidParameter: Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon');
    expect(code(call(e, 'ConfirmSubscription', { TopicArn, Token: 'nope' }))).toBe('InvalidParameter: Invalid parameter: Invalid token');
    expect(code(call(e, 'Unsubscribe', { SubscriptionArn: 'pending confirmation' }))).toBe('InvalidParameter: Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1');
    expect(code(call(e, 'DeleteTopic', { TopicArn: 'arn:aws:sns:us-east-1:111122223333:never' }))).toBe('ok'); // idempotent
    expect(allDeliveries(e.read('sns'))).toHaveLength(0);
  });

  it('per-protocol bodies with MessageStructure json; Publish is a data event, not in Event history', () => {
    const e = fresh();
    const arn = topicWithSubscribers(e);
    ok(call(e, 'Publish', { TopicArn: arn, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', email: 'for humans' }) }));
    expect(inbox(e.read('sns'), 'oncall@example.com')[0]!.message.startsWith('for humans\n\n--')).toBe(true);
    expect(JSON.parse(inbox(e.read('sns'), 'https://hooks.slack.example/T000/B000')[0]!.message).Message).toBe('plain');
    const names = ok(e.callSync<{ Events: { EventName: string }[] }>('cloudtrail', 'LookupEvents', {}, { identity: alice })).Events.map((x) => x.EventName);
    expect(names).toContain('Subscribe');
    expect(names).not.toContain('Publish');
  });
});

describe('CloudWatch alarm notifications', () => {
  it('formats the e-mail time as AWS does', () => {
    expect(mailTime(Date.UTC(2026, 2, 1, 9, 5, 0))).toBe('Sunday 01 March, 2026 09:05:00 UTC');
    expect(mailTime(Date.UTC(2026, 11, 31, 23, 59, 7))).toBe('Thursday 31 December, 2026 23:59:07 UTC');
  });

  it('an alarm going to ALARM e-mails its topic (and posts JSON to the webhook), published as CloudWatch', () => {
    const e = fresh();
    const topic = topicWithSubscribers(e);
    ok(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'cpu-high', AlarmDescription: 'web CPU', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: 'i-0123456789abcdef0' }], Statistic: 'Average', Period: 300, EvaluationPeriods: 1,
      Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topic], OKActions: [topic],
    }, { identity: alice }));
    e.advanceSync(60_000);
    const before = inbox(e.read('sns'), 'oncall@example.com').length;
    ok(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'testing the pager' }, { identity: alice }));
    const mails = inbox(e.read('sns'), 'oncall@example.com');
    expect(mails.length).toBe(before + 1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('ALARM: "cpu-high" in US East (N. Virginia)');
    expect(mail.message).toContain('You are receiving this email because your Amazon CloudWatch Alarm "cpu-high" in the US East (N. Virginia) region has entered the ALARM state, because "testing the pager" at "Sunday 01 March, 2026 09:01:00 UTC".');
    expect(mail.message).toContain('- State Change:               INSUFFICIENT_DATA -> ALARM');
    expect(mail.message).toContain('- The alarm is in the ALARM state when the metric is GreaterThanThreshold 80.0 for at least 1 of the last 1 period(s) of 300 seconds.');
    expect(mail.message).toContain('- Dimensions:                          [InstanceId = i-0123456789abcdef0]');
    expect(mail.message).toContain(`- ALARM: [${topic}]`);
    const hook = JSON.parse(JSON.parse(inbox(e.read('sns'), 'https://hooks.slack.example/T000/B000')[0]!.message).Message as string) as Record<string, unknown>;
    expect(hook).toMatchObject({ AlarmName: 'cpu-high', NewStateValue: 'ALARM', OldStateValue: 'INSUFFICIENT_DATA', Region: 'US East (N. Virginia)', Trigger: { MetricName: 'CPUUtilization', Statistic: 'AVERAGE', Threshold: 80 } });
    // not a user call: nothing from sns.amazonaws.com beyond the learner's own setup
    const sources = ok(e.callSync<{ Events: { EventName: string; EventSource: string }[] }>('cloudtrail', 'LookupEvents', {}, { identity: alice })).Events
      .filter((x) => x.EventSource === 'sns.amazonaws.com').map((x) => x.EventName);
    expect(sources.sort()).toEqual(['ConfirmSubscription', 'CreateTopic', 'Subscribe', 'Subscribe']);
  });

  it('disabled actions send nothing', () => {
    const e = fresh();
    const topic = topicWithSubscribers(e);
    ok(e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'quiet', Namespace: 'Shop', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topic], ActionsEnabled: false,
    }, { identity: alice }));
    const before = allDeliveries(e.read('sns')).length;
    ok(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'quiet', StateValue: 'ALARM', StateReason: 'x' }, { identity: alice }));
    expect(allDeliveries(e.read('sns')).length).toBe(before);
  });
});
