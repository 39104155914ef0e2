/**
 * The engine: one deterministic state, one scheduler, one entry point for API calls.
 * Everything is synchronous inside; the public facade in ../index.ts wraps it in promises.
 */
import { hashValue } from './hash.ts';
import { nextUuid, seedStream, type RngState } from './rng.ts';
import { heapPop, heapPush, heapRemoveWhere, type ScheduledEntry } from './scheduler.ts';
import { toIso, toMillis } from './time.ts';
import type {
  ApiCallEvent, ApiError, CallOptions, CallResult, EngineConfig, EngineEvent, EngineSnapshot,
  EngineState, Identity, Params, ServiceContext, ServiceDef,
} from './types.ts';

/** Bumped whenever the snapshot format changes; restore migrates older snapshots. */
export const ENGINE_VERSION = 1;

export type EngineListener = (event: EngineEvent) => void;

const ACCOUNT_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export class EngineCore {
  readonly state: EngineState;
  private readonly services: Map<string, ServiceDef<unknown>>;
  private readonly listeners = new Set<EngineListener>();
  private readonly pending: EngineEvent[] = [];
  private dispatching = false;

  constructor(state: EngineState, services: readonly ServiceDef<any>[]) {
    this.state = state;
    this.services = new Map(services.map((s) => [s.name, s as ServiceDef<unknown>]));
  }

  /** A fresh engine; throws only on a malformed configuration (a caller bug). */
  static create(config: EngineConfig, services: readonly ServiceDef<any>[]): EngineCore {
    const seed = config.seed;
    if (!Number.isInteger(seed)) throw new TypeError(`createEngine: seed must be an integer, got ${String(seed)}`);
    const startTime = toMillis(config.startTime);
    if (!Number.isFinite(startTime)) throw new TypeError(`createEngine: startTime is not a valid time: ${String(config.startTime)}`);
    const accountId = config.accountId ?? '111122223333';
    if (!ACCOUNT_RE.test(accountId)) throw new TypeError(`createEngine: accountId must be 12 digits, got ${accountId}`);
    const region = config.region ?? 'us-east-1';
    if (!REGION_RE.test(region)) throw new TypeError(`createEngine: region is not a Region name: ${region}`);
    const state: EngineState = {
      engineVersion: ENGINE_VERSION,
      config: { seed, startTime, accountId, region },
      clock: startTime,
      seq: 0,
      queue: [],
      rng: {},
      services: {},
    };
    for (const s of services) state.services[s.name] = s.init({ accountId, region, startTime, seed });
    const core = new EngineCore(state, services);
    for (const s of services) s.start?.(core.contextFor(s));
    core.flush();
    return core;
  }

  /** An engine over restored state; services the snapshot predates start from their initial state. */
  static restore(state: EngineState, services: readonly ServiceDef<any>[]): EngineCore {
    const { accountId, region, startTime, seed } = state.config;
    const added = services.filter((s) => state.services[s.name] === undefined);
    for (const s of added) state.services[s.name] = s.init({ accountId, region, startTime, seed });
    const core = new EngineCore(state, services);
    for (const s of added) s.start?.(core.contextFor(s));
    core.flush();
    return core;
  }

  get clock(): number {
    return this.state.clock;
  }

  rngStream(name: string): RngState {
    return (this.state.rng[name] ??= seedStream(this.state.config.seed, name));
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Read-only view of one service's state, for view selectors (UI, scenario guards). */
  read<S>(service: string): S {
    return this.state.services[service] as S;
  }

  hasOperation(service: string, action: string): boolean {
    return Boolean(this.services.get(service)?.operations[action]);
  }

  /** Schedules an outside timer (scenario delayed events): fires `scheduler/timer-fired`. */
  scheduleExternal(at: number, kind: string, payload: unknown): void {
    this.push(at, `external/${kind}`, payload);
  }

  cancelExternal(kind: string, match: (payload: unknown) => boolean = () => true): number {
    return heapRemoveWhere(this.state.queue, (e) => e.kind === `external/${kind}` && match(e.payload));
  }

  /** Runs one API call to completion (including the events it causes). */
  call(service: string, action: string, rawParams: unknown, options: CallOptions = {}): CallResult {
    const def = this.services.get(service);
    const op = def?.operations[action];
    if (!def || !op) {
      return fail('UnknownOperationException', `The operation ${action} is not known for service ${service}`);
    }
    if (rawParams !== undefined && (rawParams === null || typeof rawParams !== 'object' || Array.isArray(rawParams))) {
      return fail('ValidationException', `Parameters of ${service}:${action} must be an object`);
    }
    let params: Params;
    try {
      params = rawParams === undefined ? {} : (JSON.parse(JSON.stringify(rawParams)) as Params);
    } catch {
      return fail('ValidationException', `Parameters of ${service}:${action} must be plain JSON data`);
    }
    const identity = options.identity ?? { type: 'Root' };
    const region = options.region ?? this.state.config.region;
    if (!REGION_RE.test(region)) return fail('ValidationException', `Unknown Region: ${region}`);
    const bad = op.validate?.(params);
    if (bad) return { ok: false, error: bad };

    const ctx = this.contextFor(def);
    const requestId = nextUuid(this.rngStream('requests'));
    const result = op.run(ctx, params, { identity, region: def.global ? 'us-east-1' : region });
    const output = 'output' in result ? result.output : null;
    const error = 'error' in result ? result.error : null;
    if (op.internal) {
      this.flush();
      return error ? { ok: false, error } : { ok: true, output: output ?? {} };
    }
    const resources = result.resources ?? op.resources?.(params, output, ctx) ?? [];
    const callEvent: ApiCallEvent = {
      service, action,
      eventSource: def.eventSource,
      region: def.global ? 'us-east-1' : region,
      params, output, error, identity,
      sourceIPAddress: options.sourceIPAddress ?? null,
      userAgent: options.userAgent ?? null,
      requestId,
      readOnly: op.readOnly,
      category: op.category ?? 'Management',
      eventType: op.eventType ?? 'AwsApiCall',
      resources,
      ...(result.additionalEventData ? { additionalEventData: result.additionalEventData } : {}),
      requestParameters: op.trail?.request ? op.trail.request(params) : camelizeKeys(params),
      responseElements: result.responseElements !== undefined ? result.responseElements
        : error || op.readOnly || !output ? null
        : op.trail?.response ? op.trail.response(output) : camelizeKeys(output),
    };
    this.emit('api/call-completed', callEvent);
    this.flush();
    return error ? { ok: false, error } : { ok: true, output: output ?? {} };
  }

  /** Moves simulated time to `target`, running every scheduled entry due on the way in order. */
  advanceTo(target: number): void {
    if (!Number.isFinite(target)) throw new TypeError(`advanceTo: not a time: ${String(target)}`);
    const q = this.state.queue;
    while (q.length > 0 && q[0]!.due <= target) {
      const entry = heapPop(q)!;
      if (entry.due > this.state.clock) this.state.clock = entry.due;
      this.fire(entry);
      this.flush();
    }
    if (target > this.state.clock) this.state.clock = target;
  }

  snapshot(): EngineSnapshot {
    return { format: 'opsroom-engine', engineVersion: ENGINE_VERSION, state: JSON.parse(JSON.stringify(this.state)) as EngineState };
  }

  hash(): string {
    return hashValue(this.state);
  }

  nowIso(): string {
    return toIso(this.state.clock);
  }

  private fire(entry: ScheduledEntry): void {
    const slash = entry.kind.indexOf('/');
    const owner = entry.kind.slice(0, slash);
    const timer = entry.kind.slice(slash + 1);
    if (owner === 'external') {
      this.emit('scheduler/timer-fired', { kind: timer, payload: entry.payload });
      return;
    }
    const def = this.services.get(owner);
    const handler = def?.timers?.[timer];
    if (!def || !handler) throw new Error(`engine invariant: no handler for scheduled ${entry.kind} at ${toIso(entry.due)}`);
    handler(this.contextFor(def), entry.payload);
  }

  private push(at: number, kind: string, payload: unknown): void {
    const due = Math.max(at, this.state.clock);
    heapPush(this.state.queue, { due, seq: this.state.seq++, kind, payload: payload ?? null });
  }

  private emit(type: string, payload: unknown): void {
    this.pending.push({ type, time: this.state.clock, payload });
  }

  /** Delivers pending events to services first, then outside listeners, in FIFO order. */
  private flush(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length > 0) {
        const event = this.pending.shift()!;
        for (const def of this.services.values()) {
          const h = def.on?.[event.type];
          if (h) h(this.contextFor(def), event);
        }
        for (const l of [...this.listeners]) l(event);
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** One context per service, made on first use (it reads everything live from the core). */
  private readonly contexts = new Map<string, ServiceContext<any>>();

  private contextFor<S>(def: ServiceDef<S>): ServiceContext<S> {
    let ctx = this.contexts.get(def.name) as ServiceContext<S> | undefined;
    if (!ctx) this.contexts.set(def.name, (ctx = this.makeContext(def)));
    return ctx;
  }

  private makeContext<S>(def: ServiceDef<S>): ServiceContext<S> {
    const core = this;
    return {
      get state() { return core.state.services[def.name] as S; },
      get now() { return core.state.clock; },
      get accountId() { return core.state.config.accountId; },
      get region() { return core.state.config.region; },
      get seed() { return core.state.config.seed; },
      rng: (stream?: string) => core.rngStream(stream ? `${def.name}:${stream}` : def.name),
      schedule: (at, timer, payload) => core.push(at, `${def.name}/${timer}`, payload),
      cancel: (timer, match) => heapRemoveWhere(core.state.queue, (e) => e.kind === `${def.name}/${timer}` && match(e.payload)),
      emit: (type, payload) => core.emit(type, payload),
      call: (service, action, params, options) => core.call(service, action, params, options),
    };
  }
}

/** lowerCamelCase keys at every level: how CloudTrail records most AWS query-API members. */
export function camelizeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelizeKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k.charAt(0).toLowerCase() + k.slice(1)] = camelizeKeys(x);
  return Object.keys(out).length ? out : null;
}

function fail(code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

export type { Identity };
