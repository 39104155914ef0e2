/** Shared helpers for the CloudTrail tests: an engine, lookups, and records without random ids. */
import { createEngine, type Engine } from '../../../src/engine/index.ts';

export const ACCT = '111122223333';
export const T0 = '2026-03-01T00:00:00Z';

export function engine(seed = 7): Engine {
  return createEngine({ seed, startTime: T0, accountId: ACCT, region: 'us-east-1' });
}

export interface LookupEvent {
  EventId: string; EventName: string; ReadOnly: string; AccessKeyId?: string; EventTime: string;
  EventSource: string; Username?: string; Resources: { ResourceType: string; ResourceName: string }[]; CloudTrailEvent: string;
}

export function lookup(e: Engine, params: Record<string, unknown> = {}, region?: string): { Events: LookupEvent[]; NextToken?: string } {
  const r = e.callSync<{ Events: LookupEvent[]; NextToken?: string }>('cloudtrail', 'LookupEvents', params, region ? { region } : {});
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}

/** Every event the Region's Event history holds, newest first (follows NextToken). */
export function allEvents(e: Engine, params: Record<string, unknown> = {}, region?: string): LookupEvent[] {
  const out: LookupEvent[] = [];
  let token: string | undefined;
  do {
    const page = lookup(e, { ...params, ...(token ? { NextToken: token } : {}) }, region);
    out.push(...page.Events);
    token = page.NextToken;
  } while (token);
  return out;
}

/** The newest record with this event name, parsed from CloudTrailEvent. */
export function latestRecord(e: Engine, eventName: string, region?: string): Record<string, unknown> {
  const ev = lookup(e, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], MaxResults: 1 }, region).Events[0];
  if (!ev) throw new Error(`no ${eventName} event`);
  return JSON.parse(ev.CloudTrailEvent) as Record<string, unknown>;
}

/** A record with its random ids replaced by placeholders (eventID, requestID, EC2's requestId, S3's x-amz-id-2). */
export function withoutIds(rec: Record<string, unknown>): Record<string, unknown> {
  const r = structuredClone(rec);
  if ('eventID' in r) r.eventID = '<eventID>';
  if ('requestID' in r) r.requestID = '<requestID>';
  const resp = r.responseElements as Record<string, unknown> | null;
  if (resp && 'requestId' in resp) resp.requestId = '<requestID>';
  const extra = r.additionalEventData as Record<string, unknown> | undefined;
  if (extra && 'x-amz-id-2' in extra) extra['x-amz-id-2'] = '<x-amz-id-2>';
  return r;
}
