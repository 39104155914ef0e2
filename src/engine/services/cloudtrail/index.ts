/**
 * The `cloudtrail` service: records every management call made through `engine.call` (the
 * kernel's `api/call-completed` event), answers Event history lookups, and runs trails that
 * deliver log files to S3 (and CloudWatch Logs).
 */
import { nextUuid } from '../../kernel/rng.ts';
import type { ApiCallEvent, EngineEvent, ServiceDef } from '../../kernel/types.ts';
import { emptyIndex, lookupValues, type CloudTrailState, type StoredEvent } from './cloudtrail.model.ts';
import { eventOutput, nextTokenFor, parseLookup, runLookup } from './cloudtrail.lookup.ts';
import { buildRecord } from './cloudtrail.record.ts';
import { deliverTrail, trailSelects } from './cloudtrail.delivery.ts';
import { trailOperations } from './cloudtrail.trails.ts';

/** Adds an event to the store and its indexes. */
export function storeEvent(state: CloudTrailState, ev: StoredEvent): void {
  const pos = state.events.length;
  state.events.push(ev);
  for (const [key, value] of lookupValues(ev)) (state.index[key][value] ??= []).push(pos);
}

/** The indexes rebuilt from scratch (what the incremental index must equal). */
export function rebuildIndex(events: readonly StoredEvent[]): CloudTrailState['index'] {
  const index = emptyIndex();
  events.forEach((ev, pos) => { for (const [key, value] of lookupValues(ev)) (index[key][value] ??= []).push(pos); });
  return index;
}

export function initialCloudTrailState(): CloudTrailState {
  return { events: [], index: emptyIndex(), firstLive: 0, trails: {}, buckets: {}, logs: {} };
}

export const cloudtrailService: ServiceDef<CloudTrailState> = {
  name: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  init: initialCloudTrailState,
  operations: {
    LookupEvents: {
      readOnly: true,
      run(ctx, p, call) {
        const parsed = parseLookup(p, ctx.now, call.region);
        if ('error' in parsed) return parsed;
        const { positions, nextBefore } = runLookup(ctx.state, parsed.query, ctx.now);
        const token = nextTokenFor(p, call.region, nextBefore);
        return {
          output: {
            Events: positions.map((pos) => eventOutput(ctx.state.events[pos]!)),
            ...(token ? { NextToken: token } : {}),
          },
        };
      },
    },
    ...trailOperations,
  },
  timers: {
    deliver(ctx, payload: { trailArn: string }) {
      deliverTrail(ctx, payload.trailArn);
    },
  },
  on: {
    'api/call-completed'(ctx, event: EngineEvent<ApiCallEvent>) {
      const call = event.payload;
      // Data events never reach Event history, and trails here select management events only.
      if (call.category !== 'Management') return;
      const eventId = nextUuid(ctx.rng());
      const ev = buildRecord(call, { accountId: ctx.accountId, now: ctx.now }, eventId);
      storeEvent(ctx.state, ev);
      for (const t of Object.values(ctx.state.trails)) {
        // The StopLogging call itself still reaches the trail it stopped (as in AWS).
        const stopping = call.action === 'StopLogging' && !call.error && call.resources.some((r) => r.name === t.TrailARN);
        if ((!t.isLogging && !stopping) || !trailSelects(t, call.region, call.eventSource)) continue;
        (t.pending[call.region] ??= []).push(ev.record);
        if (t.CloudWatchLogsLogGroupArn) (t.cwPending[call.region] ??= []).push(ev.record);
      }
      ctx.emit('cloudtrail/event-recorded', { eventId, eventName: call.action, region: call.region });
    },
    's3/bucket-created'(ctx, event: EngineEvent<{ bucket: string }>) {
      ctx.state.buckets[event.payload.bucket] = true;
    },
    's3/bucket-deleted'(ctx, event: EngineEvent<{ bucket: string }>) {
      delete ctx.state.buckets[event.payload.bucket];
    },
  },
};

export * from './cloudtrail.model.ts';
export { buildRecord, resourceArn, EVENT_VERSION } from './cloudtrail.record.ts';
export { logFileKey, toBase64, DELIVERY_INTERVAL_MS } from './cloudtrail.delivery.ts';
export { trailNameProblem } from './cloudtrail.trails.ts';
