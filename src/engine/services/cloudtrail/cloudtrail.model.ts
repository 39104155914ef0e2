/** CloudTrail state: management-event records per Region, with lookup indexes (spec §4). */

/** How long Event history keeps management events. */
export const EVENT_HISTORY_MS = 90 * 86_400_000;

export const LOOKUP_KEYS = [
  'EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId',
] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];

/** One stored event: the full record plus the values Event history filters on. */
export interface StoredEvent {
  /** epoch ms of eventTime */
  t: number;
  region: string;
  username: string | null;
  accessKeyId: string | null;
  resources: { ResourceType: string; ResourceName: string }[];
  record: Record<string, unknown>;
}

/** A trail (spec §4.5): where and whether management events are delivered. */
export interface Trail {
  Name: string;
  HomeRegion: string;
  TrailARN: string;
  S3BucketName: string;
  S3KeyPrefix: string | null;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn: string | null;
  CloudWatchLogsRoleArn: string | null;
  isLogging: boolean;
  startLoggingTime: number | null;
  stopLoggingTime: number | null;
  latestDeliveryTime: number | null;
  latestDeliveryAttemptTime: number | null;
  latestDeliveryError: string | null;
  latestCloudWatchLogsDeliveryTime: number | null;
  /** Records waiting for the next S3 delivery, per Region of the event. */
  pending: Record<string, Record<string, unknown>[]>;
  /** Records waiting for the next CloudWatch Logs delivery, per Region of the event. */
  cwPending: Record<string, Record<string, unknown>[]>;
  /** When the next delivery timer fires (null: none scheduled). */
  nextDelivery: number | null;
  /** How many log files were written to S3. */
  filesDelivered: number;
}

/** A log event handed to CloudWatch Logs (kept here until the Logs service exists). */
export interface TrailLogEvent { timestamp: number; message: string }

export interface CloudTrailState {
  /** Management events in time order (append-only; the clock never goes back). */
  events: StoredEvent[];
  /**
   * Per lookup key and value, ascending positions in `events`. Kept incrementally; a test checks
   * it against a from-scratch rebuild.
   */
  index: Record<LookupKey, Record<string, number[]>>;
  /** Events older than this position have left the 90-day window and are pruned lazily. */
  firstLive: number;
  /** Trails by ARN. */
  trails: Record<string, Trail>;
  /** Bucket names that exist, learned from `s3/bucket-created` / `s3/bucket-deleted` events. */
  buckets: Record<string, true>;
  /** CloudWatch Logs deliveries: log group ARN → log stream name → events. */
  logs: Record<string, Record<string, TrailLogEvent[]>>;
}

export function emptyIndex(): CloudTrailState['index'] {
  return { EventId: {}, EventName: {}, ReadOnly: {}, Username: {}, ResourceType: {}, ResourceName: {}, EventSource: {}, AccessKeyId: {} };
}

/** Every (key, value) pair an event is findable by. */
export function lookupValues(e: StoredEvent): [LookupKey, string][] {
  const r = e.record;
  const out: [LookupKey, string][] = [
    ['EventId', r.eventID as string],
    ['EventName', r.eventName as string],
    ['ReadOnly', String(r.readOnly)],
    ['EventSource', r.eventSource as string],
  ];
  if (e.username) out.push(['Username', e.username]);
  if (e.accessKeyId) out.push(['AccessKeyId', e.accessKeyId]);
  const types = new Set<string>(), names = new Set<string>();
  for (const res of e.resources) { types.add(res.ResourceType); names.add(res.ResourceName); }
  for (const t of types) out.push(['ResourceType', t]);
  for (const n of names) out.push(['ResourceName', n]);
  return out;
}
