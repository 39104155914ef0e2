/**
 * Event history lookups (LookupEvents), newest first, one attribute per call (spec §4.4).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
import { hashValue } from '../../kernel/hash.ts';
import { toIso, toMillis } from '../../kernel/time.ts';
import type { ApiError, Params } from '../../kernel/types.ts';
import { EVENT_HISTORY_MS, LOOKUP_KEYS, type CloudTrailState, type LookupKey, type StoredEvent } from './cloudtrail.model.ts';

export const DEFAULT_MAX_RESULTS = 50; // spec §9 #20: the API default

export interface LookupQuery {
  key: LookupKey | null;
  value: string | null;
  start: number;
  end: number;
  max: number;
  /** `insight` asks for Insights events, which this simulation never generates. */
  insight: boolean;
  /** exclusive upper bound on event positions (from NextToken), or null for the first page */
  before: number | null;
  region: string;
}

const e = (code: string, message: string): { error: ApiError } => ({ error: { code, message } });

/** The part of the request a NextToken is bound to: AWS requires identical parameters. */
function tokenScope(p: Params, region: string): string {
  const { NextToken: _t, ...rest } = p;
  return hashValue({ ...rest, region }).slice(0, 8);
}

/** Parses and checks a LookupEvents request into a query, or answers with AWS's error codes. */
export function parseLookup(p: Params, now: number, region: string): { query: LookupQuery } | { error: ApiError } {
  const attrs = p.LookupAttributes;
  let key: LookupKey | null = null, value: string | null = null;
  if (attrs !== undefined) {
    if (!Array.isArray(attrs)) return e('InvalidLookupAttributesException', 'LookupAttributes must be a list.');
    if (attrs.length > 1) return e('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
    if (attrs.length === 1) {
      const a = attrs[0] as Record<string, unknown>;
      if (!LOOKUP_KEYS.includes(a?.AttributeKey as LookupKey))
        return e('InvalidLookupAttributesException', `Invalid attribute key: ${String(a?.AttributeKey)}. Valid keys are ${LOOKUP_KEYS.join(', ')}.`);
      if (typeof a.AttributeValue !== 'string' || a.AttributeValue.length < 1 || a.AttributeValue.length > 2000)
        return e('InvalidLookupAttributesException', 'AttributeValue must be a string of 1 to 2000 characters.');
      key = a.AttributeKey as LookupKey;
      value = a.AttributeValue;
    }
  }
  if (p.EventCategory !== undefined && p.EventCategory !== 'insight')
    return e('InvalidEventCategoryException', `Invalid EventCategory: ${String(p.EventCategory)}. The only valid value is insight.`);
  const start = p.StartTime === undefined ? now - EVENT_HISTORY_MS : toMillis(p.StartTime);
  const end = p.EndTime === undefined ? now : toMillis(p.EndTime);
  if (Number.isNaN(start)) return e('InvalidTimeRangeException', `StartTime is not a valid timestamp: ${String(p.StartTime)}`);
  if (Number.isNaN(end)) return e('InvalidTimeRangeException', `EndTime is not a valid timestamp: ${String(p.EndTime)}`);
  if (start > end) return e('InvalidTimeRangeException', 'Start time should not be later than end time.');
  let max = DEFAULT_MAX_RESULTS;
  if (p.MaxResults !== undefined) {
    if (typeof p.MaxResults !== 'number' || !Number.isInteger(p.MaxResults) || p.MaxResults < 1 || p.MaxResults > 50)
      return e('InvalidMaxResultsException', 'MaxResults must be an integer from 1 to 50.');
    max = p.MaxResults;
  }
  let before: number | null = null;
  if (p.NextToken !== undefined) {
    const m = typeof p.NextToken === 'string' ? /^([0-9a-z]+)\.([0-9a-f]{8})$/.exec(p.NextToken) : null;
    if (!m || m[2] !== tokenScope(p, region))
      return e('InvalidNextTokenException', 'Invalid NextToken: it must come from a previous call with identical parameters.');
    before = Number.parseInt(m[1]!, 36);
  }
  return { query: { key, value, start, end, max, before, region, insight: p.EventCategory === 'insight' } };
}

/** Largest index i in ascending `positions` with events[positions[i]].t <= end (or -1). */
function lastAtOrBefore(events: StoredEvent[], positions: ArrayLike<number>, end: number, hi: number): number {
  let lo = 0, h = hi;
  while (lo < h) {
    const mid = (lo + h) >>> 1;
    if (events[positions[mid]!]!.t <= end) lo = mid + 1;
    else h = mid;
  }
  return lo - 1;
}

/** Runs the query: positions of matching events, newest first, and the next-page boundary. */
export function runLookup(state: CloudTrailState, q: LookupQuery, now: number): { positions: number[]; nextBefore: number | null } {
  const events = state.events;
  if (q.insight) return { positions: [], nextBefore: null };
  const windowStart = Math.max(q.start, now - EVENT_HISTORY_MS);
  const all = q.key === null;
  const list: ArrayLike<number> = all ? { length: events.length } as ArrayLike<number> : (state.index[q.key!][q.value!] ?? []);
  const at = (i: number) => (all ? i : list[i]!);
  // Upper bound: the end time, and the page boundary from the token.
  let hi = list.length;
  if (q.before !== null) {
    let lo = 0, h = list.length;
    while (lo < h) { const mid = (lo + h) >>> 1; if (at(mid) < q.before) lo = mid + 1; else h = mid; }
    hi = lo;
  }
  let i = all ? lastAtOrBeforeAll(events, q.end, hi) : lastAtOrBefore(events, list, q.end, hi);
  const positions: number[] = [];
  for (; i >= 0; i--) {
    const pos = at(i);
    const ev = events[pos]!;
    if (ev.t < windowStart) break;
    if (ev.region !== q.region) continue;
    if (positions.length === q.max) return { positions, nextBefore: positions[positions.length - 1]! };
    positions.push(pos);
  }
  return { positions, nextBefore: null };
}

function lastAtOrBeforeAll(events: StoredEvent[], end: number, hi: number): number {
  let lo = 0, h = hi;
  while (lo < h) { const mid = (lo + h) >>> 1; if (events[mid]!.t <= end) lo = mid + 1; else h = mid; }
  return lo - 1;
}

/** The LookupEvents output shape of one stored event. */
export function eventOutput(ev: StoredEvent): Record<string, unknown> {
  const r = ev.record;
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: String(r.readOnly),
    ...(ev.accessKeyId ? { AccessKeyId: ev.accessKeyId } : {}),
    EventTime: toIso(ev.t),
    EventSource: r.eventSource,
    ...(ev.username ? { Username: ev.username } : {}),
    Resources: ev.resources.map((x) => ({ ...x })),
    CloudTrailEvent: JSON.stringify(r),
  };
}

export function nextTokenFor(p: Params, region: string, nextBefore: number | null): string | undefined {
  return nextBefore === null ? undefined : `${nextBefore.toString(36)}.${tokenScope(p, region)}`;
}
