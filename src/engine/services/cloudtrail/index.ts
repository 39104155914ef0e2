/**
 * The `cloudtrail` service: records every management call made through `engine.call` (the
 * kernel's `api/call-completed` event) and answers Event history lookups.
 */
import { nextUuid } from '../../kernel/rng.ts';
import type { ApiCallEvent, EngineEvent, ServiceDef } from '../../kernel/types.ts';
import { emptyIndex, lookupValues, type CloudTrailState, type StoredEvent } from './cloudtrail.model.ts';
import { eventOutput, nextTokenFor, parseLookup, runLookup } from './cloudtrail.lookup.ts';
import { buildRecord } from './cloudtrail.record.ts';

/** Adds an event to the store and its indexes. */
export function storeEvent(state: CloudTrailState, ev: StoredEvent): void {
  const pos = state.events.length;
  state.events.push(ev);
  for (const [key, value] of lookupValues(ev)) (state.index[key][value] ??= []).push(pos);
}

export const cloudtrailService: ServiceDef<CloudTrailState> = {
  name: 'cloudtrail',
  eventSource: 'cloudtrail.amazonaws.com',
  init: () => ({ events: [], index: emptyIndex(), firstLive: 0 }),
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
  },
  on: {
    'api/call-completed'(ctx, event: EngineEvent<ApiCallEvent>) {
      const call = event.payload;
      // Data events never reach Event history; trails that select them arrive with #3.
      if (call.category !== 'Management') return;
      const eventId = nextUuid(ctx.rng());
      storeEvent(ctx.state, buildRecord(call, { accountId: ctx.accountId, now: ctx.now }, eventId));
      ctx.emit('cloudtrail/event-recorded', { eventId, eventName: call.action, region: call.region });
    },
  },
};

export * from './cloudtrail.model.ts';
export { buildRecord, resourceArn } from './cloudtrail.record.ts';
