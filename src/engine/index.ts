/**
 * The engine's public contract (ARCHITECTURE.md): createEngine, engine.call, engine.advance,
 * engine.advanceTo, engine.now, engine.snapshot, restoreEngine. Tests, the CLI, the UI, the
 * scenario runtime and outside checkers use only this module.
 */
import { EngineCore, ENGINE_VERSION, type EngineListener } from './kernel/engine.ts';
import { toIso, toMillis } from './kernel/time.ts';
import type { CallOptions, CallResult, EngineConfig, EngineSnapshot, EngineState, ServiceDef } from './kernel/types.ts';
import { migrateSnapshot } from './kernel/migrate.ts';
import { SERVICES } from './services/registry.ts';

export interface Engine {
  /** Calls an AWS-shaped operation; never throws for a player's mistake. */
  call<O = Record<string, unknown>>(service: string, action: string, params?: Record<string, unknown>, options?: CallOptions): Promise<CallResult<O>>;
  /** The same call, synchronously (for the worker loop, benchmarks and the scenario runtime). */
  callSync<O = Record<string, unknown>>(service: string, action: string, params?: Record<string, unknown>, options?: CallOptions): CallResult<O>;
  /** Advances simulated time by `ms` milliseconds. */
  advance(ms: number): Promise<void>;
  advanceSync(ms: number): void;
  /** Advances simulated time to an ISO string, epoch ms, or Date. */
  advanceTo(time: string | number | { getTime(): number }): Promise<void>;
  advanceToSync(time: string | number | { getTime(): number }): void;
  /** Simulated time as ISO-8601. */
  now(): string;
  nowMs(): number;
  snapshot(): EngineSnapshot;
  /** A 64-bit hash (hex) of the whole state. */
  stateHash(): string;
  /** Receives every engine event (after services have handled it). Returns an unsubscribe. */
  subscribe(listener: EngineListener): () => void;
  /** Read-only state of one service, for the view selectors each service exports. */
  read<S>(service: string): S;
  /** Schedules an outside timer (scenario delayed events) on the engine clock. */
  schedule(at: number, kind: string, payload?: unknown): void;
  cancelScheduled(kind: string, match?: (payload: unknown) => boolean): number;
  hasOperation(service: string, action: string): boolean;
  readonly accountId: string;
  readonly region: string;
  readonly seed: number;
  readonly startTime: number;
}

function wrap(core: EngineCore): Engine {
  const advanceSync = (ms: number) => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: milliseconds must be a non-negative number, got ${ms}`);
    core.advanceTo(core.clock + ms);
  };
  const advanceToSync = (time: string | number | { getTime(): number }) => {
    const t = toMillis(time);
    if (Number.isNaN(t)) throw new RangeError(`advanceTo: not a time: ${String(time)}`);
    core.advanceTo(t);
  };
  const callSync = <O>(service: string, action: string, params?: Record<string, unknown>, options?: CallOptions) =>
    core.call(service, action, params, options) as CallResult<O>;
  const cfg = core.state.config;
  return {
    call: async (s, a, p, o) => callSync(s, a, p, o),
    callSync,
    advance: async (ms) => advanceSync(ms),
    advanceSync,
    advanceTo: async (t) => advanceToSync(t),
    advanceToSync,
    now: () => toIso(core.clock),
    nowMs: () => core.clock,
    snapshot: () => core.snapshot(),
    stateHash: () => core.hash(),
    subscribe: (l) => core.subscribe(l),
    read: <S>(service: string) => core.read<S>(service),
    schedule: (at, kind, payload) => core.scheduleExternal(at, kind, payload),
    cancelScheduled: (kind, match) => core.cancelExternal(kind, match),
    hasOperation: (s, a) => core.hasOperation(s, a),
    accountId: cfg.accountId,
    region: cfg.region,
    seed: cfg.seed,
    startTime: cfg.startTime,
  };
}

/** A new simulated account. `seed` is required: same seed and calls give the same state. */
export function createEngine(config: EngineConfig, services: readonly ServiceDef<any>[] = SERVICES): Engine {
  return wrap(EngineCore.create(config, services));
}

/** An engine equal to the one the snapshot was taken from (older formats are migrated). */
export function restoreEngine(snapshot: EngineSnapshot | unknown, services: readonly ServiceDef<any>[] = SERVICES): Engine {
  const state: EngineState = migrateSnapshot(snapshot);
  return wrap(EngineCore.restore(JSON.parse(JSON.stringify(state)) as EngineState, services));
}

export { ENGINE_VERSION, SERVICES };
export { hashValue, canonicalJson } from './kernel/hash.ts';
export { toIso, toMillis, parseIso } from './kernel/time.ts';
export { AUTOSCALING_IDENTITY } from './kernel/identity.ts';
export { utf8Length } from './kernel/text.ts';
export type {
  ApiError, CallOptions, CallResult, EngineConfig, EngineEvent, EngineSnapshot, Identity, ServiceDef, ApiCallEvent,
} from './kernel/types.ts';
export type { EngineListener };
