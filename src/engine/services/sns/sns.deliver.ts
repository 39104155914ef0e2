/**
 * Fan-out of a published message to a topic's confirmed subscriptions, in the form each protocol
 * receives it: e-mail text with SNS's footer, the JSON notification document for HTTP(S), SQS and
 * `email-json`, and the `Records` event for Lambda.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
import { fnv1a } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { ServiceContext } from '../../kernel/types.ts';
import { MAX_DELIVERIES, type Delivery, type Protocol, type SnsState, type Subscription, type Topic } from './sns.model.ts';

type Ctx = ServiceContext<SnsState>;

export type MessageAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

/** A message with an optional per-protocol body (`MessageStructure: json`). */
export interface Outgoing {
  messageId: string;
  subject: string | null;
  /** `default`, and optional protocol keys (`email`, `https`, `sqs`, `lambda`, …). */
  bodies: Record<string, string>;
  attributes: MessageAttributes;
}

/** A stable signature-looking string (the simulator signs nothing). */
const fakeSignature = (seed: string) => {
  let out = '';
  for (let i = 0; out.length < 172; i++) out += fnv1a(`${i}:${seed}`).toString(36);
  return `${out.slice(0, 170)}==`;
};

const certUrl = (region: string) => `https://sns.${region}.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem`;
export const unsubscribeUrl = (region: string, arn: string) => `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${arn}`;

function bodyFor(o: Outgoing, protocol: Protocol): string {
  return o.bodies[protocol] ?? (protocol === 'https' || protocol === 'http' ? o.bodies.http ?? o.bodies.https : undefined) ?? o.bodies.default ?? '';
}

/** The JSON notification document (HTTP(S), SQS, email-json). */
export function notificationDocument(ctx: Ctx, topic: Topic, sub: Subscription, o: Outgoing): string {
  const message = bodyFor(o, sub.Protocol);
  const attrs = Object.entries(o.attributes);
  const doc = {
    Type: 'Notification',
    MessageId: o.messageId,
    TopicArn: topic.TopicArn,
    ...(o.subject !== null ? { Subject: o.subject } : {}),
    Message: message,
    Timestamp: toIso(ctx.now),
    SignatureVersion: '1',
    Signature: fakeSignature(`${o.messageId}/${sub.SubscriptionArn}`),
    SigningCertURL: certUrl(ctx.region),
    UnsubscribeURL: unsubscribeUrl(ctx.region, sub.SubscriptionArn),
    ...(attrs.length ? { MessageAttributes: Object.fromEntries(attrs.map(([k, v]) => [k, { Type: v.DataType, Value: v.StringValue ?? v.BinaryValue ?? '' }])) } : {}),
  };
  return JSON.stringify(doc, null, 2);
}

function lambdaEvent(ctx: Ctx, topic: Topic, sub: Subscription, o: Outgoing): string {
  const attrs = Object.entries(o.attributes);
  return JSON.stringify({
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: sub.SubscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId: o.messageId,
        TopicArn: topic.TopicArn,
        Subject: o.subject,
        Message: bodyFor(o, 'lambda'),
        Timestamp: toIso(ctx.now),
        SignatureVersion: '1',
        Signature: fakeSignature(`${o.messageId}/${sub.SubscriptionArn}`),
        SigningCertUrl: certUrl(ctx.region),
        UnsubscribeUrl: unsubscribeUrl(ctx.region, sub.SubscriptionArn),
        MessageAttributes: Object.fromEntries(attrs.map(([k, v]) => [k, { Type: v.DataType, Value: v.StringValue ?? v.BinaryValue ?? '' }])),
      },
    }],
  }, null, 2);
}

/** SNS's e-mail footer. */
export function emailFooter(region: string, subscriptionArn: string): string {
  return `\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribeUrl(region, subscriptionArn)}\n\nPlease do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://aws.amazon.com/support`;
}

export function record(ctx: Ctx, d: Delivery): void {
  const list = ctx.state.deliveries;
  list.push(d);
  if (list.length > MAX_DELIVERIES) list.splice(0, list.length - MAX_DELIVERIES);
  ctx.emit('sns/message-delivered', {
    endpoint: d.endpoint, protocol: d.protocol, kind: d.kind, subject: d.subject, topicArn: d.topicArn,
    messageId: d.messageId, subscriptionArn: d.subscriptionArn, message: d.message,
  });
}

/** Delivers a message to every confirmed subscription of the topic; returns how many. */
export function fanOut(ctx: Ctx, topic: Topic, o: Outgoing): number {
  let n = 0;
  for (const sub of Object.values(ctx.state.subscriptions)) {
    if (sub.TopicArn !== topic.TopicArn || sub.pending) continue;
    let message: string;
    let subject: string | null = null;
    switch (sub.Protocol) {
      case 'email':
        subject = o.subject ?? (topic.DisplayName || 'AWS Notification Message');
        message = bodyFor(o, 'email') + emailFooter(ctx.region, sub.SubscriptionArn);
        break;
      case 'email-json':
        subject = o.subject ?? (topic.DisplayName || 'AWS Notification Message');
        message = notificationDocument(ctx, topic, sub, o);
        break;
      case 'lambda':
        message = lambdaEvent(ctx, topic, sub, o);
        break;
      default:
        message = sub.RawMessageDelivery ? bodyFor(o, sub.Protocol) : notificationDocument(ctx, topic, sub, o);
        subject = o.subject;
    }
    record(ctx, {
      endpoint: sub.Endpoint, protocol: sub.Protocol, kind: 'notification', subject, message, time: ctx.now,
      topicArn: topic.TopicArn, messageId: o.messageId, subscriptionArn: sub.SubscriptionArn,
    });
    n++;
  }
  return n;
}

/** The confirmation request an e-mail or HTTP(S) endpoint receives after Subscribe. */
export function sendConfirmation(ctx: Ctx, topic: Topic, sub: Subscription, messageId: string): void {
  const confirmUrl = `https://sns.${ctx.region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic.TopicArn}&Token=${sub.token}`;
  let subject: string | null;
  let message: string;
  if (sub.Protocol === 'email' || sub.Protocol === 'email-json') {
    subject = `${topic.DisplayName || 'AWS Notification'} - Subscription Confirmation`;
    message = sub.Protocol === 'email'
      ? `You have chosen to subscribe to the topic: \n${topic.TopicArn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary): \nConfirm subscription\n${confirmUrl}\n\nPlease do not reply directly to this email. If you wish to remove yourself from receiving all future SNS subscription confirmation requests please send an email to sns-opt-out`
      : JSON.stringify({ Type: 'SubscriptionConfirmation', MessageId: messageId, Token: sub.token, TopicArn: topic.TopicArn, Message: `You have chosen to subscribe to the topic ${topic.TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`, SubscribeURL: confirmUrl, Timestamp: toIso(ctx.now) }, null, 2);
  } else {
    subject = null;
    message = JSON.stringify({
      Type: 'SubscriptionConfirmation',
      MessageId: messageId,
      Token: sub.token,
      TopicArn: topic.TopicArn,
      Message: `You have chosen to subscribe to the topic ${topic.TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: confirmUrl,
      Timestamp: toIso(ctx.now),
      SignatureVersion: '1',
      Signature: fakeSignature(`${messageId}/${sub.token}`),
      SigningCertURL: certUrl(ctx.region),
    }, null, 2);
  }
  record(ctx, {
    endpoint: sub.Endpoint, protocol: sub.Protocol, kind: 'confirmation', subject, message, time: ctx.now,
    topicArn: topic.TopicArn, messageId, subscriptionArn: null, token: sub.token,
  });
}
