/**
 * The main thread's handle on a scenario run: the operations the app needs (start, act, answer,
 * useHint, advance, save) as promises, and the console model merged from the parts the host
 * sends back. Parts that did not change keep their object identity, so the UI can compare by
 * reference. The transport is the engine Web Worker in the app, or an in-thread RunHost (tests,
 * browsers without module workers).
 */
import type { SavedRun, Scenario } from '../scenario/index.ts';
import type { Localized, LookupResult, RunViewLike, ViewRequest } from '../ui/ports.ts';
import type { HostCommand, HostModel, HostReply, RunHost } from './run-host.ts';

export type Transport = { send(cmd: HostCommand): Promise<HostReply>; close(): void };

/** The engine worker as a transport (one outstanding promise per message id). */
export function workerTransport(): Transport {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'opsroom-engine' });
  let next = 1;
  const waiting = new Map<number, (r: HostReply) => void>();
  worker.onmessage = (ev: MessageEvent<{ id: number; reply: HostReply }>) => {
    const fn = waiting.get(ev.data.id);
    waiting.delete(ev.data.id);
    fn?.(ev.data.reply);
  };
  worker.onerror = (ev) => {
    console.error('engine worker failed', ev.message);
    for (const fn of waiting.values()) fn({ ok: false, error: `worker: ${ev.message}`, delta: {} });
    waiting.clear();
  };
  return {
    send(cmd) {
      const id = next++;
      return new Promise((resolve) => { waiting.set(id, resolve); worker.postMessage({ id, cmd }); });
    },
    close() { worker.terminate(); for (const fn of waiting.values()) fn({ ok: false, error: 'closed', delta: {} }); waiting.clear(); },
  };
}

/**
 * A RunHost in this thread (Node tests, `?engine=main`, browsers without module workers). Loaded
 * on first use, so the app's main chunk does not carry a second copy of the engine.
 */
export function localTransport(clock: () => number = () => performance.now()): Transport {
  let host: Promise<RunHost> | null = null;
  return {
    send: async (cmd) => {
      host ??= import('./run-host.ts').then((m) => new m.RunHost(clock));
      return structuredClone((await host).handle(cmd));
    },
    close() {},
  };
}

export class RunProxy {
  private current: HostModel | null = null;
  private readonly viewListeners = new Set<(v: RunViewLike) => void>();
  private readonly modelListeners = new Set<(m: HostModel) => void>();
  private inflightAdvance = false;
  private closed = false;

  private constructor(private readonly transport: Transport, private request: ViewRequest) {}

  /** Starts a new run (or resumes a saved one) behind `transport`. */
  static async open(transport: Transport, scenario: Scenario, request: ViewRequest, saved?: SavedRun): Promise<RunProxy> {
    const p = new RunProxy(transport, request);
    await p.call(saved ? { op: 'resume', scenario, saved, request } : { op: 'start', scenario, request });
    return p;
  }

  get model(): HostModel {
    if (!this.current) throw new Error('run not open');
    return this.current;
  }

  view(): RunViewLike { return this.model.view; }
  get advancing(): boolean { return this.inflightAdvance; }
  viewRequest(): ViewRequest { return this.request; }

  subscribe(fn: (v: RunViewLike) => void): () => void { this.viewListeners.add(fn); return () => { this.viewListeners.delete(fn); }; }
  onModel(fn: (m: HostModel) => void): () => void { this.modelListeners.add(fn); return () => { this.modelListeners.delete(fn); }; }

  private async call(cmd: HostCommand): Promise<unknown> {
    if (this.closed) throw new Error('run closed');
    const reply = await this.transport.send(cmd);
    if (this.closed) throw new Error('run closed');
    this.merge(reply.delta);
    if (!reply.ok) throw new Error(reply.error);
    return reply.result;
  }

  private merge(delta: Partial<HostModel>): void {
    if (Object.keys(delta).length === 0 && this.current) return;
    const next = { ...(this.current ?? {}), ...delta } as HostModel;
    this.current = next;
    if (delta.view) for (const fn of [...this.viewListeners]) fn(next.view);
    for (const fn of [...this.modelListeners]) fn(next);
  }

  begin(): Promise<unknown> { return this.call({ op: 'begin' }); }

  setView(change: Partial<ViewRequest>): Promise<unknown> {
    this.request = { ...this.request, ...change };
    return this.call({ op: 'view', request: this.request }).catch(() => null);
  }

  /** Advances by up to `ms` simulated ms; one advance at a time. */
  async advance(ms: number, budgetMs?: number): Promise<{ advanced: number; halted: boolean }> {
    if (this.inflightAdvance) return { advanced: 0, halted: false };
    this.inflightAdvance = true;
    try {
      return await this.call({ op: 'advance', ms, ...(budgetMs !== undefined ? { budgetMs } : {}) }) as { advanced: number; halted: boolean };
    } finally {
      this.inflightAdvance = false;
    }
  }

  async act(service: string, action: string, params: Record<string, unknown>): Promise<LookupResult> {
    try {
      return await this.call({ op: 'act', service, action, params }) as LookupResult;
    } catch (e) {
      return { ok: false, error: { code: 'InternalFailure', message: e instanceof Error ? e.message : String(e) } };
    }
  }

  answer(checkpointId: string, choice: string | string[]): Promise<{ correct: boolean; explain: Localized }> {
    return this.call({ op: 'answer', checkpointId, choice }) as Promise<{ correct: boolean; explain: Localized }>;
  }

  useHint(hintId: string): Promise<unknown> { return this.call({ op: 'useHint', hintId }); }

  save(): Promise<SavedRun> { return this.call({ op: 'save' }) as Promise<SavedRun>; }

  close(): void {
    this.closed = true;
    this.transport.close();
    this.viewListeners.clear();
    this.modelListeners.clear();
  }
}
