/** Read-only selectors over SNS state for the console's inboxes. */
import type { Delivery, Protocol, SnsState } from './sns.model.ts';

export interface InboxItem {
  endpoint: string;
  protocol: Protocol;
  kind: Delivery['kind'];
  subject: string | null;
  message: string;
  /** Epoch ms. */
  time: number;
  topicArn: string;
  messageId: string;
  /** For confirmation requests: the token ConfirmSubscription takes. */
  token?: string;
}

const view = (d: Delivery): InboxItem => ({
  endpoint: d.endpoint, protocol: d.protocol, kind: d.kind, subject: d.subject, message: d.message, time: d.time,
  topicArn: d.topicArn, messageId: d.messageId, ...(d.token ? { token: d.token } : {}),
});

/** Everything delivered to one endpoint (an e-mail address, a webhook URL, a queue or function ARN), newest first. */
export function inbox(state: SnsState, endpoint: string): InboxItem[] {
  return state.deliveries.filter((d) => d.endpoint === endpoint).reverse().map(view);
}

/** Every delivery, newest first. */
export function allDeliveries(state: SnsState): InboxItem[] {
  return [...state.deliveries].reverse().map(view);
}

/** The endpoints that have received something, with counts (for an inbox picker). */
export function endpoints(state: SnsState): { endpoint: string; protocol: Protocol; count: number }[] {
  const m = new Map<string, { endpoint: string; protocol: Protocol; count: number }>();
  for (const d of state.deliveries) {
    const e = m.get(d.endpoint) ?? { endpoint: d.endpoint, protocol: d.protocol, count: 0 };
    e.count++;
    m.set(d.endpoint, e);
  }
  return [...m.values()];
}

/** Topics with their subscriptions, for the console. */
export function listTopics(state: SnsState): { topicArn: string; name: string; subscriptions: { arn: string; protocol: Protocol; endpoint: string; pending: boolean }[] }[] {
  return Object.values(state.topics).map((t) => ({
    topicArn: t.TopicArn,
    name: t.Name,
    subscriptions: Object.values(state.subscriptions).filter((s) => s.TopicArn === t.TopicArn)
      .map((s) => ({ arn: s.SubscriptionArn, protocol: s.Protocol, endpoint: s.Endpoint, pending: s.pending })),
  }));
}
