/**
 * The scenario runtime (contract: the UI and tests code against exactly this). A run owns an
 * engine and the story machine's snapshot; engine facts become machine events, learner acts go
 * through the run, and everything that happens later (actors, `after` delays) is an engine timer,
 * so `save()` = engine snapshot + machine snapshot resumes exactly.
 */
import * as z from 'zod';
import { transition, initialTransition, type SnapshotFrom } from 'xstate';
import { restoreEngine, toIso, type ApiCallEvent, type CallResult, type Engine, type EngineEvent, type EngineSnapshot } from '../engine/index.ts';
import { compileScenario, evalGuard, initialContext, type GuardEnv, type MachineEvent, type RunContext, type ScenarioMachine } from './compile.ts';
import { parseDuration } from './duration.ts';
import { ScenarioResumeError, ScenarioRunError } from './problems.ts';
import { phaseOf, type Localized, type Phase, type Scenario } from './schema.ts';
import { applySignal, signalsCovering } from './signals.ts';
import { callOptions, createWorld, displayName, identityKeyOf, identityOf, learnerKey, resolveRefs, splitCall, startMs } from './world.ts';

export interface SavedRun { scenarioId: string; scenarioVersion: number; engineSnapshot: EngineSnapshot; runState: unknown }

export interface RunView {
  stateId: string;
  phase: Phase;
  finished: boolean;
  score: number;
  now: string;
  title: Localized;
  briefing: Localized;
  objectives: { id: string; text: Localized; done: boolean }[];
  checkpoint: null | { id: string; kind: 'single' | 'multiple'; prompt: Localized; options: { id: string; text: Localized }[] };
  answered: Record<string, { correct: boolean; attempts: number }>;
  messages: { at: string; from: string; text: Localized }[];
  hints: { id: string; cost: number; used: boolean; text: Localized | null }[];
  debrief: Localized | null;
}

export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly engine: Engine;
  view(): RunView;
  subscribe(fn: (v: RunView) => void): () => void;
  start(): void;
  act(service: string, action: string, params?: Record<string, unknown>): CallResult;
  answer(checkpointId: string, choice: string | string[]): { correct: boolean; explain: Localized };
  useHint(hintId: string): Localized;
  advance(ms: number): void;
  save(): SavedRun;
}

/** The timer kind the runtime schedules on the engine (`scheduler/timer-fired` `{kind}`). */
export const TIMER_KIND = 'scenario';
type TimerPayload = { t: 'actor'; i: number } | { t: 'after'; state: string; entry: number; delay: string } | { t: 'signal'; i: number };

const RUN_STATE_VERSION = 1;
const localized = z.strictObject({ ko: z.string(), en: z.string() });
const runStateSchema = z.strictObject({
  v: z.literal(RUN_STATE_VERSION),
  value: z.string(),
  status: z.enum(['active', 'done']),
  entry: z.number().int().min(0),
  started: z.boolean(),
  context: z.strictObject({
    score: z.number(),
    answered: z.record(z.string(), z.strictObject({ correct: z.boolean(), attempts: z.number().int().min(0) })),
    objectives: z.array(z.string()),
    hintsUsed: z.array(z.string()),
    revealed: z.array(z.string()),
    messages: z.array(z.strictObject({ at: z.number(), from: z.string(), text: localized })),
  }),
});
type RunState = z.infer<typeof runStateSchema>;

/** A new run: a new engine with the setup applied, the clock at the scenario start, in the briefing. */
export function startScenario(s: Scenario): ScenarioRun {
  const { engine, failures } = createWorld(s);
  if (failures.length) {
    const f = failures[0]!;
    throw new ScenarioRunError(`scenario ${s.id}: setup[${f.index}] ${f.call} failed: ${f.code}: ${f.message}`);
  }
  const start = startMs(s);
  (s.actors ?? []).forEach((a, i) => engine.schedule(start + parseDuration(a.at), TIMER_KIND, { t: 'actor', i } satisfies TimerPayload));
  (s.signals ?? []).forEach((sig, i) => {
    applySignal(engine, s, i);
    for (const step of sig.cpu) {
      const at = start + parseDuration(step.at);
      if (at > engine.nowMs()) engine.schedule(at, TIMER_KIND, { t: 'signal', i } satisfies TimerPayload);
    }
  });
  return new Run(s, engine, null);
}

/** Resumes a saved run; throws ScenarioResumeError when the save does not belong to this scenario or is damaged. */
export function resumeScenario(s: Scenario, saved: SavedRun): ScenarioRun {
  if (!saved || typeof saved !== 'object') throw new ScenarioResumeError('not a saved run');
  if (saved.scenarioId !== s.id) throw new ScenarioResumeError(`saved run is for scenario ${String(saved.scenarioId)}, not ${s.id}`);
  if (saved.scenarioVersion !== s.version) throw new ScenarioResumeError(`saved run is for version ${String(saved.scenarioVersion)} of ${s.id}, not ${s.version}`);
  const rs = runStateSchema.safeParse(saved.runState);
  if (!rs.success) throw new ScenarioResumeError(`saved run state is damaged: ${rs.error.issues[0]?.message ?? ''}`);
  if (!s.states[rs.data.value]) throw new ScenarioResumeError(`saved run is in state ${rs.data.value}, which ${s.id} does not have`);
  let engine: Engine;
  try {
    engine = restoreEngine(saved.engineSnapshot);
  } catch (e) {
    throw new ScenarioResumeError(`saved engine snapshot cannot be restored: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new Run(s, engine, rs.data);
}

class Run implements ScenarioRun {
  private readonly machine: ScenarioMachine;
  private snap: SnapshotFrom<ScenarioMachine>;
  private entry: number;
  private started: boolean;
  private readonly listeners = new Set<(v: RunView) => void>();
  private readonly env: GuardEnv;
  private readonly learner: string;

  constructor(readonly scenario: Scenario, readonly engine: Engine, saved: RunState | null) {
    this.env = { scenario, engine: () => this.engine };
    this.learner = learnerKey(scenario);
    this.machine = compileScenario(scenario, this.env);
    if (saved) {
      this.snap = this.machine.resolveState({ value: saved.value, context: saved.context as RunContext, status: saved.status });
      this.entry = saved.entry;
      this.started = saved.started;
    } else {
      this.snap = initialTransition(this.machine, initialContext(scenario))[0];
      this.entry = 0;
      this.started = false;
      this.scheduleAfters();
    }
    engine.subscribe((e) => this.onEngineEvent(e));
  }

  private get stateId(): string { return this.snap.value as string; }
  private get finished(): boolean { return this.snap.status === 'done'; }

  /** Steps the machine; entering a new state schedules its `after` delays on the engine clock. */
  private step(ev: MachineEvent): void {
    if (this.finished) return;
    const before = this.stateId;
    this.snap = transition(this.machine, this.snap, ev)[0];
    if (this.stateId !== before) {
      this.entry++;
      this.scheduleAfters();
    }
    // State-based objectives (checkpointCorrect, ...) settle right after bookkeeping, before the story event.
    if (ev.type !== 'scenario.objective' && ev.type !== 'OBJECTIVE_DONE') this.checkObjectives(ev);
  }

  private scheduleAfters(): void {
    const now = this.engine.nowMs();
    for (const delay of Object.keys(this.scenario.states[this.stateId]?.after ?? {})) {
      this.engine.schedule(now + parseDuration(delay), TIMER_KIND, { t: 'after', state: this.stateId, entry: this.entry, delay } satisfies TimerPayload);
    }
  }

  private checkObjectives(ev: MachineEvent): void {
    for (const o of this.scenario.objectives ?? []) {
      if (this.finished || this.snap.context.objectives.includes(o.id)) continue;
      if (!evalGuard(o.when, this.snap.context, ev, this.env)) continue;
      const at = this.engine.nowMs();
      this.step({ type: 'scenario.objective', at, objective: o.id });
      this.step({ type: 'OBJECTIVE_DONE', at, objective: o.id });
    }
  }

  private onEngineEvent(e: EngineEvent): void {
    const at = e.time;
    if (e.type === 'scheduler/timer-fired') {
      const { kind, payload } = e.payload as { kind: string; payload: TimerPayload };
      if (kind === TIMER_KIND) return this.onTimer(payload, at);
    }
    if (e.type === 'ec2/instance-state-changed') {
      for (const i of signalsCovering(this.engine, this.scenario, (e.payload as { instanceId: string }).instanceId)) applySignal(this.engine, this.scenario, i);
    }
    if (e.type === 'api/call-completed') {
      const c = e.payload as ApiCallEvent;
      return this.step({
        type: 'API_CALL', at, service: c.service, action: c.action, by: identityKeyOf(this.scenario, c.identity),
        ok: c.error === null, errorCode: c.error?.code ?? null,
      });
    }
    this.step({ type: 'ENGINE', at, engineType: e.type });
  }

  private onTimer(p: TimerPayload, at: number): void {
    if (p.t === 'after') {
      if (p.state === this.stateId && p.entry === this.entry) this.step({ type: 'AFTER', at, delay: p.delay });
      return;
    }
    if (p.t === 'signal') return applySignal(this.engine, this.scenario, p.i);
    const actor = this.scenario.actors?.[p.i];
    if (!actor) return;
    if (actor.call) {
      const [service, action] = splitCall(actor.call);
      this.engine.callSync(service, action, resolveRefs(actor.with ?? {}, this.engine), callOptions(this.scenario, actor));
    }
    if (actor.say) {
      const from = actor.as ? displayName(identityOf(this.scenario, actor.as)) : '';
      this.step({ type: 'scenario.message', at, from, text: actor.say });
    }
  }

  private notify(): void {
    if (this.listeners.size === 0) return;
    const v = this.view();
    for (const fn of [...this.listeners]) fn(v);
  }

  private openCheckpoint(): string | null {
    if (this.finished) return null;
    for (const [id, cp] of Object.entries(this.scenario.checkpoints ?? {})) {
      if (cp.at.includes(this.stateId) && !this.snap.context.answered[id]?.correct) return id;
    }
    return null;
  }

  view(): RunView {
    const s = this.scenario;
    const ctx = this.snap.context;
    const cpId = this.openCheckpoint();
    const cp = cpId ? s.checkpoints![cpId]! : null;
    return {
      stateId: this.stateId,
      phase: phaseOf(this.stateId, s.states[this.stateId]!),
      finished: this.finished,
      score: ctx.score,
      now: this.engine.now(),
      title: s.title,
      briefing: s.briefing,
      objectives: (s.objectives ?? []).map((o) => ({ id: o.id, text: { ko: o.ko, en: o.en }, done: ctx.objectives.includes(o.id) })),
      checkpoint: cp && cpId ? {
        id: cpId, kind: cp.kind, prompt: cp.prompt, options: cp.options.map((o) => ({ id: o.id, text: { ko: o.ko, en: o.en } })),
      } : null,
      answered: structuredCloneish(ctx.answered),
      messages: ctx.messages.map((m) => ({ at: toIso(m.at), from: m.from, text: m.text })),
      hints: Object.entries(s.hints ?? {})
        .filter(([id, h]) => !h.hidden || ctx.revealed.includes(id))
        .map(([id, h]) => {
          const used = ctx.hintsUsed.includes(id);
          return { id, cost: h.cost, used, text: used ? { ko: h.ko, en: h.en } : null };
        }),
      debrief: this.finished ? s.debrief : null,
    };
  }

  subscribe(fn: (v: RunView) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  start(): void {
    if (!this.started) {
      this.started = true;
      this.step({ type: 'START', at: this.engine.nowMs() });
    }
    this.notify();
  }

  act(service: string, action: string, params: Record<string, unknown> = {}): CallResult {
    const r = this.engine.callSync(service, action, params, { identity: identityOf(this.scenario, this.learner) });
    this.notify();
    return r;
  }

  answer(checkpointId: string, choice: string | string[]): { correct: boolean; explain: Localized } {
    const cp = this.scenario.checkpoints?.[checkpointId];
    if (!cp) throw new ScenarioRunError(`no checkpoint ${checkpointId} in ${this.scenario.id}`);
    if (this.openCheckpoint() !== checkpointId) throw new ScenarioRunError(`checkpoint ${checkpointId} is not open (state ${this.stateId})`);
    const chosen = [...new Set(Array.isArray(choice) ? choice : [choice])].sort();
    const right = cp.options.filter((o) => o.correct).map((o) => o.id).sort();
    const correct = chosen.length === right.length && chosen.every((c, i) => c === right[i]);
    const at = this.engine.nowMs();
    this.step({ type: 'scenario.answered', at, checkpoint: checkpointId, correct });
    this.step({ type: 'ANSWER', at, checkpoint: checkpointId, choice: chosen, correct });
    this.notify();
    return { correct, explain: cp.explain };
  }

  useHint(hintId: string): Localized {
    const h = this.scenario.hints?.[hintId];
    if (!h || (h.hidden && !this.snap.context.revealed.includes(hintId))) throw new ScenarioRunError(`hint ${hintId} is not available`);
    if (!this.snap.context.hintsUsed.includes(hintId)) {
      const at = this.engine.nowMs();
      this.step({ type: 'scenario.hint', at, hint: hintId });
      this.step({ type: 'HINT_USED', at, hint: hintId });
      this.notify();
    }
    return { ko: h.ko, en: h.en };
  }

  advance(ms: number): void {
    this.engine.advanceSync(ms);
    this.notify();
  }

  save(): SavedRun {
    const runState: RunState = {
      v: RUN_STATE_VERSION, value: this.stateId, status: this.finished ? 'done' : 'active', entry: this.entry, started: this.started,
      context: this.snap.context,
    };
    return JSON.parse(JSON.stringify({ scenarioId: this.scenario.id, scenarioVersion: this.scenario.version, engineSnapshot: this.engine.snapshot(), runState })) as SavedRun;
  }
}

function structuredCloneish<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
