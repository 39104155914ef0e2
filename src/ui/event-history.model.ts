/**
 * The Event history panel's pure part: the lookup attributes as the CloudTrail console offers
 * them, the LookupEvents request a filter form makes, and the rows a response shows.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events-console.html
 */

/** Lookup attributes in the console's order, with the API key each one sends. */
export const LOOKUP_ATTRIBUTES = [
  'ReadOnly', 'EventName', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'EventId', 'AccessKeyId',
] as const;
export type LookupAttribute = (typeof LOOKUP_ATTRIBUTES)[number];

/** Time ranges: relative ones as the console offers them, or an absolute range. */
export const TIME_RANGES = ['any', '30m', '1h', '3h', '12h', '1d', '7d', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
const RANGE_MS: Record<Exclude<TimeRange, 'any' | 'custom'>, number> = {
  '30m': 30 * 60_000, '1h': 3_600_000, '3h': 3 * 3_600_000, '12h': 12 * 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000,
};

/** The console's page size, which is also the API's maximum. */
export const PAGE_SIZE = 50;

export interface EventHistoryFilter {
  attribute: LookupAttribute;
  /** empty: no lookup attribute (every event) */
  value: string;
  range: TimeRange;
  /** for `custom`: `YYYY-MM-DDTHH:mm` (a datetime-local value) read as UTC */
  customStart: string;
  customEnd: string;
}

/** The console's default: Read-only = false (changes only). */
export const DEFAULT_FILTER: EventHistoryFilter = { attribute: 'ReadOnly', value: 'false', range: 'any', customStart: '', customEnd: '' };

/** A datetime-local value (UTC) as epoch ms, or NaN. */
export function parseLocalUtc(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
}

/**
 * The LookupEvents request for a filter at simulated time `nowMs` (first page). Relative ranges
 * are fixed to absolute times here, so the NextToken of later pages stays valid (AWS binds a
 * token to identical parameters).
 */
export function buildLookupParams(f: EventHistoryFilter, nowMs: number): { params: Record<string, unknown> } | { problem: 'range' } {
  const params: Record<string, unknown> = { MaxResults: PAGE_SIZE };
  const value = f.value.trim();
  if (value !== '') params.LookupAttributes = [{ AttributeKey: f.attribute, AttributeValue: value }];
  if (f.range === 'custom') {
    const s = f.customStart ? parseLocalUtc(f.customStart) : null;
    const e = f.customEnd ? parseLocalUtc(f.customEnd) : null;
    if ((s !== null && Number.isNaN(s)) || (e !== null && Number.isNaN(e))) return { problem: 'range' };
    if (s !== null) params.StartTime = new Date(s).toISOString();
    if (e !== null) params.EndTime = new Date(e).toISOString();
  } else if (f.range !== 'any') {
    params.StartTime = new Date(nowMs - RANGE_MS[f.range]).toISOString();
    params.EndTime = new Date(nowMs).toISOString();
  }
  return { params };
}

export interface EventRow {
  eventId: string;
  time: string;
  userName: string;
  eventName: string;
  eventSource: string;
  resourceNames: string[];
  resourceTypes: string[];
  /** the full record, pretty-printed */
  recordJson: string;
}

/** Rows of a LookupEvents response, in the order AWS gave them (newest first). */
export function rowsFromOutput(output: Record<string, unknown> | undefined): { rows: EventRow[]; nextToken: string | null } {
  const events = Array.isArray(output?.Events) ? (output.Events as Record<string, unknown>[]) : [];
  const rows = events.map((ev) => {
    const resources = Array.isArray(ev.Resources) ? (ev.Resources as { ResourceName?: string; ResourceType?: string }[]) : [];
    return {
      eventId: String(ev.EventId ?? ''),
      time: String(ev.EventTime ?? ''),
      userName: typeof ev.Username === 'string' ? ev.Username : '',
      eventName: String(ev.EventName ?? ''),
      eventSource: String(ev.EventSource ?? ''),
      resourceNames: resources.map((r) => r.ResourceName ?? '').filter(Boolean),
      resourceTypes: resources.map((r) => r.ResourceType ?? '').filter(Boolean),
      recordJson: prettyRecord(ev.CloudTrailEvent),
    };
  });
  const nextToken = typeof output?.NextToken === 'string' ? output.NextToken : null;
  return { rows, nextToken };
}

/** The CloudTrailEvent JSON string, indented for reading (left as is when it is not JSON). */
export function prettyRecord(cloudTrailEvent: unknown): string {
  if (typeof cloudTrailEvent !== 'string') return '';
  try { return JSON.stringify(JSON.parse(cloudTrailEvent), null, 2); } catch { return cloudTrailEvent; }
}
