/** SNS state: topics, subscriptions and the inboxes deliveries land in. */

export type Protocol = 'email' | 'email-json' | 'http' | 'https' | 'sqs' | 'lambda';
export const PROTOCOLS: readonly Protocol[] = ['email', 'email-json', 'http', 'https', 'sqs', 'lambda'];

export interface Topic {
  TopicArn: string;
  Name: string;
  DisplayName: string;
  Owner: string;
  Tags: { Key: string; Value: string }[];
  CreatedAt: number;
}

export interface Subscription {
  SubscriptionArn: string;
  TopicArn: string;
  Protocol: Protocol;
  Endpoint: string;
  Owner: string;
  /** Email and HTTP(S) subscriptions wait for ConfirmSubscription. */
  pending: boolean;
  token: string;
  RawMessageDelivery: boolean;
}

/** One message as it arrived at an endpoint (what the console's inbox shows). */
export interface Delivery {
  endpoint: string;
  protocol: Protocol;
  /** `notification`, or `confirmation` for subscription confirmation requests. */
  kind: 'notification' | 'confirmation';
  subject: string | null;
  /** The body as the endpoint received it (e-mail text, or the JSON document for HTTP/SQS/Lambda). */
  message: string;
  /** Epoch ms. */
  time: number;
  topicArn: string;
  messageId: string;
  subscriptionArn: string | null;
  /** For confirmations: the token ConfirmSubscription needs. */
  token?: string;
}

/** What SNS knows of an alarm's configuration (learned from successful PutMetricAlarm calls). */
export interface AlarmConfig {
  AlarmName: string;
  AlarmDescription?: string;
  Namespace?: string;
  MetricName?: string;
  Dimensions: { Name: string; Value: string }[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  AlarmRule?: string;
  /** A metric-math alarm's MetricDataQuery list, as PutMetricAlarm gave it. */
  Metrics?: Record<string, unknown>[];
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
  updatedAt: number;
}

export interface SnsState {
  topics: Record<string, Topic>;
  subscriptions: Record<string, Subscription>;
  /** Oldest first, at most MAX_DELIVERIES. */
  deliveries: Delivery[];
  alarmConfigs: Record<string, AlarmConfig>;
  /** Simulator switch (SimSetAutoConfirm): e-mail/HTTP subscriptions are confirmed at once. */
  autoConfirm: boolean;
}

export const MAX_DELIVERIES = 2000;

export const emptySns = (): SnsState => ({ topics: {}, subscriptions: {}, deliveries: [], alarmConfigs: {}, autoConfirm: false });

/** Region display names as AWS writes them in notifications. */
export const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ca-central-1': 'Canada (Central)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-north-1': 'EU (Stockholm)',
  'sa-east-1': 'South America (Sao Paulo)',
};

export const regionName = (r: string) => REGION_NAMES[r] ?? r;
