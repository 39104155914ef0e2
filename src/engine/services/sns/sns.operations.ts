/**
 * SNS operations: CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes, Subscribe,
 * ConfirmSubscription, ListSubscriptions(ByTopic), Unsubscribe, Publish. Errors with SNS's codes
 * (`InvalidParameter`, `NotFound`) and its "Invalid parameter: …" messages.
 * https://docs.aws.amazon.com/sns/latest/api/API_Operations.html
 */
import { err } from '../../kernel/params.ts';
import { nextHex, nextUuid } from '../../kernel/rng.ts';
import type { ApiError, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { PROTOCOLS, type Protocol, type SnsState, type Subscription, type Topic } from './sns.model.ts';
import { fanOut, sendConfirmation, type MessageAttributes, type Outgoing } from './sns.deliver.ts';
import { utf8Length } from '../../kernel/text.ts';

type Ctx = ServiceContext<SnsState>;

const invalid = (what: string) => err('InvalidParameter', `Invalid parameter: ${what}`);
const notFound = (what: string) => err('NotFound', `${what} does not exist`);

const TOPIC_NAME_RE = /^[A-Za-z0-9_-]{1,256}$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ARN_PARTS = (arn: string) => arn.split(':');

export const topicArnOf = (region: string, account: string, name: string) => `arn:aws:sns:${region}:${account}:${name}`;

function findTopic(ctx: Ctx, arn: unknown): { topic: Topic } | { error: ApiError } {
  if (arn === undefined || arn === null) return invalid('TopicArn');
  if (typeof arn !== 'string' || ARN_PARTS(arn).length < 6 || !arn.startsWith('arn:aws:sns:')) return invalid('TopicArn');
  const topic = ctx.state.topics[arn];
  return topic ? { topic } : notFound('Topic');
}

function checkEndpoint(protocol: Protocol, endpoint: unknown): { error: ApiError } | null {
  if (typeof endpoint !== 'string' || endpoint.length === 0) return invalid('Endpoint');
  switch (protocol) {
    case 'email':
    case 'email-json':
      return EMAIL_RE.test(endpoint) ? null : invalid('Email address');
    case 'http':
      return endpoint.startsWith('http://') ? null : invalid('Endpoint must match the specified protocol');
    case 'https':
      return endpoint.startsWith('https://') ? null : invalid('Endpoint must match the specified protocol');
    case 'sqs':
      return /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(endpoint) ? null : invalid('SQS endpoint ARN');
    case 'lambda':
      return /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.test(endpoint) ? null : invalid('Lambda endpoint ARN');
  }
}

const describeSub = (s: Subscription) => ({
  SubscriptionArn: s.pending ? 'PendingConfirmation' : s.SubscriptionArn,
  Owner: s.Owner,
  Protocol: s.Protocol,
  Endpoint: s.Endpoint,
  TopicArn: s.TopicArn,
});

/** Pages with SNS's 100-item pages (tokens are positions). */
function page<T>(list: T[], token: unknown): { items: T[]; next?: string } | { error: ApiError } {
  let start = 0;
  if (token !== undefined) {
    start = typeof token === 'string' ? Number.parseInt(token, 36) : Number.NaN;
    if (!Number.isInteger(start) || start < 0 || start > list.length) return invalid('NextToken');
  }
  return { items: list.slice(start, start + 100), ...(start + 100 < list.length ? { next: (start + 100).toString(36) } : {}) };
}

function readAttributes(v: unknown): { attrs: MessageAttributes } | { error: ApiError } {
  if (v === undefined || v === null) return { attrs: {} };
  if (typeof v !== 'object' || Array.isArray(v)) return invalid('MessageAttributes');
  const attrs: MessageAttributes = {};
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 10) return invalid('MessageAttributes - Number of message attributes [' + entries.length + '] exceeds the allowed maximum [10].');
  for (const [name, raw] of entries) {
    const a = raw as { DataType?: unknown; StringValue?: unknown; BinaryValue?: unknown } | null;
    const type = a?.DataType;
    if (typeof type !== 'string' || !/^(String|Number|Binary|String\.Array)(\..+)?$/.test(type))
      return invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    if (type.startsWith('Binary') ? typeof a?.BinaryValue !== 'string' : typeof a?.StringValue !== 'string')
      return invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    if (type.startsWith('Number') && !Number.isFinite(Number(a?.StringValue)))
      return invalid(`Could not cast message attribute '${name}' value to number.`);
    attrs[name] = { DataType: type, ...(typeof a?.StringValue === 'string' ? { StringValue: a.StringValue } : {}), ...(typeof a?.BinaryValue === 'string' ? { BinaryValue: a.BinaryValue } : {}) };
  }
  return { attrs };
}


/** Checks Publish's message, subject and structure; nothing changes. */
function readMessage(p: Params): { subject: string | null; bodies: Record<string, string> } | { error: ApiError } {
  if (p.Message === undefined || p.Message === null)
    return err('ValidationError', "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null");
  if (typeof p.Message !== 'string' || p.Message.length === 0) return invalid('Empty message');
  if (utf8Length(p.Message) > 262_144) return invalid('Message too long');
  let subject: string | null = null;
  if (p.Subject !== undefined) {
    // eslint-disable-next-line no-control-regex
    if (typeof p.Subject !== 'string' || p.Subject.length === 0 || p.Subject.length > 100 || /[\u0000-\u001f\u007f]/.test(p.Subject) || /[^\u0020-\u007e]/.test(p.Subject))
      return invalid('Subject');
    subject = p.Subject;
  }
  if (p.MessageStructure === undefined) return { subject, bodies: { default: p.Message } };
  if (p.MessageStructure !== 'json') return invalid('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(p.Message);
  } catch {
    return invalid('Message Structure - JSON message body failed to parse');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return invalid('Message Structure - JSON message body failed to parse');
  const bodies = parsed as Record<string, unknown>;
  if (typeof bodies.default !== 'string') return invalid('Message Structure - No default entry in JSON message body');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(bodies)) if (typeof v === 'string') out[k] = v;
  return { subject, bodies: out };
}

/** Publishes to a topic (also used for CloudWatch's alarm notifications); returns the message id. */
export function publishToTopic(ctx: Ctx, topic: Topic, subject: string | null, bodies: Record<string, string>, attributes: MessageAttributes): string {
  const out: Outgoing = { messageId: nextUuid(ctx.rng('messages')), subject, bodies, attributes };
  fanOut(ctx, topic, out);
  ctx.emit('sns/message-published', { topicArn: topic.TopicArn, messageId: out.messageId, subject });
  return out.messageId;
}

const topicResource = (p: Params, o: Record<string, unknown> | null) => {
  const arn = (o?.TopicArn ?? p.TopicArn) as string | undefined;
  return typeof arn === 'string' ? [{ type: 'AWS::SNS::Topic', name: arn }] : [];
};

export const snsOperations: Record<string, OperationDef<SnsState>> = {
  CreateTopic: {
    readOnly: false,
    run(ctx, p) {
      if (typeof p.Name !== 'string' || !TOPIC_NAME_RE.test(p.Name))
        return typeof p.Name === 'string' && p.Name.endsWith('.fifo')
          ? invalid('Topic Name (FIFO topics are not simulated)') : invalid('Topic Name');
      const attrs = (p.Attributes ?? {}) as Record<string, unknown>;
      if (typeof attrs !== 'object' || Array.isArray(attrs)) return invalid('Attributes');
      for (const k of Object.keys(attrs)) {
        if (k === 'FifoTopic' && attrs[k] === 'true') return invalid('Topic Name (FIFO topics are not simulated)');
        if (!['DisplayName', 'Policy', 'DeliveryPolicy', 'FifoTopic'].includes(k)) return invalid(`Attributes Reason: Unknown attribute ${k}`);
      }
      const arn = topicArnOf(ctx.region, ctx.accountId, p.Name);
      const existing = ctx.state.topics[arn];
      if (existing) {
        if (typeof attrs.DisplayName === 'string' && attrs.DisplayName !== existing.DisplayName)
          return invalid('Attributes Reason: Topic already exists with different attributes');
        return { output: { TopicArn: arn } };
      }
      const tags = Array.isArray(p.Tags) ? (p.Tags as { Key: string; Value: string }[]).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') })) : [];
      ctx.state.topics[arn] = {
        TopicArn: arn, Name: p.Name, DisplayName: typeof attrs.DisplayName === 'string' ? attrs.DisplayName : '',
        Owner: ctx.accountId, Tags: tags, CreatedAt: ctx.now,
      };
      return { output: { TopicArn: arn } };
    },
    resources: topicResource,
  },

  DeleteTopic: {
    readOnly: false,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) {
        // DeleteTopic is idempotent: deleting a topic that does not exist is not an error.
        if (f.error.code === 'NotFound') return { output: {} };
        return f;
      }
      delete ctx.state.topics[f.topic.TopicArn];
      for (const [arn, s] of Object.entries(ctx.state.subscriptions)) if (s.TopicArn === f.topic.TopicArn) delete ctx.state.subscriptions[arn];
      return { output: {} };
    },
    resources: topicResource,
  },

  ListTopics: {
    readOnly: true,
    run(ctx, p) {
      const pg = page(Object.keys(ctx.state.topics).sort(), p.NextToken);
      if ('error' in pg) return pg;
      return { output: { Topics: pg.items.map((TopicArn) => ({ TopicArn })), ...(pg.next ? { NextToken: pg.next } : {}) } };
    },
  },

  GetTopicAttributes: {
    readOnly: true,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) return f;
      const subs = Object.values(ctx.state.subscriptions).filter((s) => s.TopicArn === f.topic.TopicArn);
      return {
        output: {
          Attributes: {
            TopicArn: f.topic.TopicArn,
            Owner: f.topic.Owner,
            DisplayName: f.topic.DisplayName,
            SubscriptionsConfirmed: String(subs.filter((s) => !s.pending).length),
            SubscriptionsPending: String(subs.filter((s) => s.pending).length),
            SubscriptionsDeleted: '0',
            Policy: JSON.stringify({
              Version: '2008-10-17', Id: '__default_policy_ID',
              Statement: [{ Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes'], Resource: f.topic.TopicArn, Condition: { StringEquals: { 'AWS:SourceOwner': f.topic.Owner } } }],
            }),
          },
        },
      };
    },
  },

  SetTopicAttributes: {
    readOnly: false,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) return f;
      if (p.AttributeName !== 'DisplayName') return invalid('AttributeName');
      if (p.AttributeValue !== undefined && typeof p.AttributeValue !== 'string') return invalid('AttributeValue');
      f.topic.DisplayName = (p.AttributeValue as string | undefined) ?? '';
      return { output: {} };
    },
    resources: topicResource,
  },

  Subscribe: {
    readOnly: false,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) return f;
      if (typeof p.Protocol !== 'string') return invalid('Protocol');
      if (!PROTOCOLS.includes(p.Protocol as Protocol)) return invalid(`Amazon SNS does not support this protocol string: ${p.Protocol}`);
      const protocol = p.Protocol as Protocol;
      const bad = checkEndpoint(protocol, p.Endpoint);
      if (bad) return bad;
      const endpoint = p.Endpoint as string;
      const attrs = (p.Attributes ?? {}) as Record<string, unknown>;
      const raw = attrs.RawMessageDelivery === 'true';
      if (raw && !['http', 'https', 'sqs'].includes(protocol)) return invalid('Attributes Reason: Delivery protocol [' + protocol + '] does not support raw message delivery.');
      const same = Object.values(ctx.state.subscriptions).find((s) => s.TopicArn === f.topic.TopicArn && s.Protocol === protocol && s.Endpoint === endpoint);
      const returnArn = p.ReturnSubscriptionArn === true;
      if (same) return { output: { SubscriptionArn: same.pending && !returnArn ? 'pending confirmation' : same.SubscriptionArn } };
      const needsConfirmation = (protocol === 'email' || protocol === 'email-json' || protocol === 'http' || protocol === 'https') && !ctx.state.autoConfirm;
      const sub: Subscription = {
        SubscriptionArn: `${f.topic.TopicArn}:${nextUuid(ctx.rng('subscriptions'))}`,
        TopicArn: f.topic.TopicArn,
        Protocol: protocol,
        Endpoint: endpoint,
        Owner: ctx.accountId,
        pending: needsConfirmation,
        token: nextHex(ctx.rng('subscriptions'), 64),
        RawMessageDelivery: raw,
      };
      ctx.state.subscriptions[sub.SubscriptionArn] = sub;
      if (needsConfirmation) sendConfirmation(ctx, f.topic, sub, nextUuid(ctx.rng('messages')));
      return { output: { SubscriptionArn: sub.pending && !returnArn ? 'pending confirmation' : sub.SubscriptionArn } };
    },
    resources: topicResource,
  },

  ConfirmSubscription: {
    readOnly: false,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) return f;
      if (typeof p.Token !== 'string' || p.Token.length === 0) return invalid('Token');
      const sub = Object.values(ctx.state.subscriptions).find((s) => s.TopicArn === f.topic.TopicArn && s.token === p.Token);
      if (!sub) return invalid('Invalid token');
      sub.pending = false;
      ctx.emit('sns/subscription-confirmed', { subscriptionArn: sub.SubscriptionArn, endpoint: sub.Endpoint, protocol: sub.Protocol });
      return { output: { SubscriptionArn: sub.SubscriptionArn } };
    },
    resources: topicResource,
  },

  ListSubscriptions: {
    readOnly: true,
    run(ctx, p) {
      const pg = page(Object.values(ctx.state.subscriptions), p.NextToken);
      if ('error' in pg) return pg;
      return { output: { Subscriptions: pg.items.map(describeSub), ...(pg.next ? { NextToken: pg.next } : {}) } };
    },
  },

  ListSubscriptionsByTopic: {
    readOnly: true,
    run(ctx, p) {
      const f = findTopic(ctx, p.TopicArn);
      if ('error' in f) return f;
      const pg = page(Object.values(ctx.state.subscriptions).filter((s) => s.TopicArn === f.topic.TopicArn), p.NextToken);
      if ('error' in pg) return pg;
      return { output: { Subscriptions: pg.items.map(describeSub), ...(pg.next ? { NextToken: pg.next } : {}) } };
    },
  },

  Unsubscribe: {
    readOnly: false,
    run(ctx, p) {
      const arn = p.SubscriptionArn;
      if (typeof arn !== 'string') return invalid('SubscriptionArn');
      const parts = ARN_PARTS(arn).length;
      if (parts < 6) return invalid(`SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts}`);
      if (!ctx.state.subscriptions[arn]) return notFound('Subscription');
      delete ctx.state.subscriptions[arn];
      return { output: {} };
    },
  },

  Publish: {
    readOnly: false,
    category: 'Data',
    run(ctx, p) {
      if (p.PhoneNumber !== undefined) return invalid('PhoneNumber (SMS is not simulated)');
      const target = p.TopicArn ?? p.TargetArn;
      if (p.TopicArn !== undefined && p.TargetArn !== undefined) return invalid('TopicArn or TargetArn Reason: Only one of them may be specified');
      const f = findTopic(ctx, target);
      if ('error' in f) return f;
      const m = readMessage(p);
      if ('error' in m) return m;
      const a = readAttributes(p.MessageAttributes);
      if ('error' in a) return a;
      const messageId = publishToTopic(ctx, f.topic, m.subject, m.bodies, a.attrs);
      return { output: { MessageId: messageId } };
    },
    resources: topicResource,
  },

  /** Simulator-only: e-mail and HTTP(S) subscriptions made from now on are confirmed at once (scenario setup). */
  SimSetAutoConfirm: {
    readOnly: false,
    internal: true,
    run(ctx, p) {
      if (typeof p.Enabled !== 'boolean') return invalid('Enabled');
      ctx.state.autoConfirm = p.Enabled;
      return { output: {} };
    },
  },
};
