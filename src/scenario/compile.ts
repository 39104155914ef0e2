/**
 * Compiles a validated scenario to an XState v5 machine built with `setup({guards, actions})`.
 * The machine is never interpreted: the runtime steps it with the pure `transition()` function,
 * and delayed events (`after`) are scheduled on the engine clock by the runtime, not by XState.
 * Guards read engine views through the run's environment; actions only assign to the context.
 */
import { and, assign, not, or, setup } from 'xstate';
import type { Engine } from '../engine/index.ts';
import { parseDuration } from './duration.ts';
import { initialState } from './check.ts';
import { phaseOf, type Localized, type Scenario, type TransitionSpec } from './schema.ts';
import { GUARD_PARAMS, type ActionSpec, type AlarmMatch, type GuardSpec } from './vocabulary.ts';
import { asgCapacity, commandSucceeded, hasScalingPolicy, isAgentRunning, isProcessRunning, matchingAlarms, metricExists } from './views.ts';
import { bucketExists, findInstance, startMs } from './world.ts';

export interface RunContext {
  score: number;
  answered: Record<string, { correct: boolean; attempts: number }>;
  /** Completed objective ids, in completion order. */
  objectives: string[];
  hintsUsed: string[];
  /** Hidden hints made available by a `revealHint` action. */
  revealed: string[];
  messages: { at: number; from: string; text: Localized }[];
}

/** Every event carries `at`, the engine time (epoch ms) it happened, so actions stay pure. */
export type MachineEvent =
  | { type: 'START'; at: number }
  | { type: 'ANSWER'; at: number; checkpoint: string; choice: string[]; correct: boolean }
  | { type: 'API_CALL'; at: number; service: string; action: string; by: string | null; ok: boolean; errorCode: string | null }
  | { type: 'HINT_USED'; at: number; hint: string }
  | { type: 'OBJECTIVE_DONE'; at: number; objective: string }
  | { type: 'ENGINE'; at: number; engineType: string }
  | { type: 'AFTER'; at: number; delay: string }
  | { type: 'scenario.answered'; at: number; checkpoint: string; correct: boolean }
  | { type: 'scenario.hint'; at: number; hint: string }
  | { type: 'scenario.objective'; at: number; objective: string }
  | { type: 'scenario.message'; at: number; from: string; text: Localized };

/** What guards may look at besides the machine context: the run's engine (views only). */
export interface GuardEnv { scenario: Scenario; engine(): Engine }

export function initialContext(s: Scenario): RunContext {
  return { score: s.scoring.start, answered: {}, objectives: [], hintsUsed: [], revealed: [], messages: [] };
}

const clampScore = (s: Scenario, v: number) => Math.max(s.scoring.min ?? 0, v);

/** One vocabulary guard, evaluated against the context, the event being handled and engine views. */
export function evalLeaf(name: string, params: unknown, ctx: RunContext, ev: MachineEvent, env: GuardEnv): boolean {
  const p = params as Record<string, unknown>;
  switch (name) {
    case 'answer':
      return ev.type === 'ANSWER' && ev.checkpoint === p.checkpoint && (p.correct === undefined || ev.correct === p.correct);
    case 'checkpointCorrect': return Boolean(ctx.answered[params as string]?.correct);
    case 'objectiveDone': return ctx.objectives.includes(params as string);
    case 'allObjectivesDone': return (env.scenario.objectives ?? []).every((o) => ctx.objectives.includes(o.id));
    case 'hintUsed': return ctx.hintsUsed.includes(params as string);
    case 'apiCalled':
      return ev.type === 'API_CALL' && ev.service === p.service && ev.action === p.action
        && (p.by === undefined || ev.by === p.by) && (p.ok === undefined || ev.ok === p.ok);
    case 'instanceState': {
      const wanted = Array.isArray(p.state) ? (p.state as string[]) : [p.state as string];
      const st = findInstance(env.engine(), p.instance as string)?.state ?? 'gone';
      return wanted.includes(st) || (st === 'gone' && wanted.includes('terminated'));
    }
    case 'bucketExists': return bucketExists(env.engine(), p.bucket as string) === ((p.exists as boolean | undefined) ?? true);
    case 'clockAfter': return env.engine().nowMs() >= startMs(env.scenario) + parseDuration(params as string);
    case 'scoreAtLeast': return ctx.score >= (params as number);
    case 'afterDelay': return ev.type === 'AFTER' && ev.delay === p.delay;
    case 'processRunning': return isProcessRunning(env.engine(), p.instance as string, p.name as string) === ((p.running as boolean | undefined) ?? true);
    case 'agentRunning': return isAgentRunning(env.engine(), p.instance as string) === ((p.running as boolean | undefined) ?? true);
    case 'commandSucceeded': return commandSucceeded(env.engine(), p.document as string, p.instance as string | undefined);
    case 'metricExists': return metricExists(env.engine(), p as { namespace: string; metric: string });
    case 'alarmExists': return matchingAlarms(env.engine(), p as AlarmMatch).length > 0;
    case 'alarmState': {
      const { is, ...match } = p as AlarmMatch & { is: string | string[] };
      const states = Array.isArray(is) ? is : [is];
      return matchingAlarms(env.engine(), match).some((a) => states.includes(a.StateValue));
    }
    case 'asgCapacity': return asgCapacity(env.engine(), p as { group: string });
    case 'scalingPolicy': return hasScalingPolicy(env.engine(), p as { group: string });
    default: throw new Error(`scenario guard invariant: unknown guard ${name}`);
  }
}

/** A whole guard (with `all`/`any`/`not`), for objectives evaluated outside the machine. */
export function evalGuard(g: GuardSpec, ctx: RunContext, ev: MachineEvent, env: GuardEnv): boolean {
  const [name, params] = Object.entries(g)[0]!;
  if (name === 'all') return (params as GuardSpec[]).every((x) => evalGuard(x, ctx, ev, env));
  if (name === 'any') return (params as GuardSpec[]).some((x) => evalGuard(x, ctx, ev, env));
  if (name === 'not') return !evalGuard(params as GuardSpec, ctx, ev, env);
  return evalLeaf(name, params, ctx, ev, env);
}

type XGuard = { type: string; params?: unknown } | ReturnType<typeof and>;

function compileGuard(g: GuardSpec): XGuard {
  const [name, params] = Object.entries(g)[0]!;
  if (name === 'all') return and((params as GuardSpec[]).map(compileGuard) as never);
  if (name === 'any') return or((params as GuardSpec[]).map(compileGuard) as never);
  if (name === 'not') return not(compileGuard(params as GuardSpec) as never);
  return { type: name, params };
}

function compileAction(a: ActionSpec): { type: string; params: unknown } {
  const [name, p] = Object.entries(a)[0]!;
  switch (name) {
    case 'score': return { type: 'addScore', params: { delta: p } };
    case 'message': {
      const m = p as { from: string; ko: string; en: string };
      return { type: 'addMessage', params: { from: m.from, text: { ko: m.ko, en: m.en } } };
    }
    case 'revealHint': return { type: 'revealHint', params: { hint: p } };
    case 'completeObjective': return { type: 'completeObjective', params: { objective: p } };
    default: throw new Error(`scenario action invariant: unknown action ${name}`);
  }
}

function compileTransition(t: TransitionSpec, extraGuard?: XGuard) {
  const user = t.guard ? compileGuard(t.guard) : undefined;
  const guard = extraGuard && user ? and([extraGuard, user] as never) : extraGuard ?? user;
  return { ...(t.target ? { target: t.target } : {}), ...(guard ? { guard } : {}), actions: (t.actions ?? []).map(compileAction) };
}

const addUnique = (list: string[], v: string) => (list.includes(v) ? list : [...list, v]);

/** The scenario's story as an XState machine (context is supplied as input on the first step). */
export function compileScenario(s: Scenario, env: GuardEnv) {
  type Args = { context: RunContext; event: MachineEvent };
  const guards: Record<string, (a: Args, params: unknown) => boolean> = {};
  for (const name of [...Object.keys(GUARD_PARAMS), 'afterDelay']) guards[name] = ({ context, event }, params) => evalLeaf(name, params, context, event, env);

  const states: Record<string, object> = {};
  for (const [id, st] of Object.entries(s.states)) {
    const on: Record<string, object[]> = {};
    for (const [ev, list] of Object.entries(st.on ?? {})) on[ev] = (list ?? []).map((t) => compileTransition(t));
    const after = Object.entries(st.after ?? {}).flatMap(([delay, list]) => list.map((t) => compileTransition(t, { type: 'afterDelay', params: { delay } })));
    if (after.length) on.AFTER = after;
    states[id] = {
      ...(st.type === 'final' ? { type: 'final' } : {}),
      meta: { phase: phaseOf(id, st) },
      ...(Object.keys(on).length ? { on } : {}),
      ...(st.always?.length ? { always: st.always.map((t) => compileTransition(t)) } : {}),
    };
  }

  return setup({
    types: { context: {} as RunContext, events: {} as MachineEvent, input: {} as RunContext },
    guards: guards as never,
    actions: {
      addScore: assign(({ context }, p: { delta: number }) => ({ score: clampScore(s, context.score + p.delta) })),
      addMessage: assign(({ context, event }, p: { from: string; text: Localized }) => ({
        messages: [...context.messages, { at: event.at, from: p.from, text: p.text }],
      })),
      revealHint: assign(({ context }, p: { hint: string }) => ({ revealed: addUnique(context.revealed, p.hint) })),
      completeObjective: assign(({ context }, p: { objective: string }) => ({ objectives: addUnique(context.objectives, p.objective) })),
      recordAnswer: assign(({ context, event }) => {
        if (event.type !== 'scenario.answered') return {};
        const prev = context.answered[event.checkpoint] ?? { correct: false, attempts: 0 };
        return {
          answered: { ...context.answered, [event.checkpoint]: { correct: prev.correct || event.correct, attempts: prev.attempts + 1 } },
          score: event.correct ? context.score : clampScore(s, context.score - s.scoring.wrongAnswer),
        };
      }),
      recordHint: assign(({ context, event }) => {
        if (event.type !== 'scenario.hint' || context.hintsUsed.includes(event.hint)) return {};
        return { hintsUsed: [...context.hintsUsed, event.hint], score: clampScore(s, context.score - (s.hints?.[event.hint]?.cost ?? 0)) };
      }),
      recordObjective: assign(({ context, event }) =>
        event.type === 'scenario.objective' ? { objectives: addUnique(context.objectives, event.objective) } : {}),
      recordMessage: assign(({ context, event }) =>
        event.type === 'scenario.message' ? { messages: [...context.messages, { at: event.at, from: event.from, text: event.text }] } : {}),
    },
  }).createMachine({
    id: s.id,
    initial: initialState(s),
    context: ({ input }) => input,
    // Bookkeeping the runtime sends before the story event (ANSWER, HINT_USED, OBJECTIVE_DONE).
    on: {
      'scenario.answered': { actions: 'recordAnswer' },
      'scenario.hint': { actions: 'recordHint' },
      'scenario.objective': { actions: 'recordObjective' },
      'scenario.message': { actions: 'recordMessage' },
    },
    states: states as never,
  });
}

export type ScenarioMachine = ReturnType<typeof compileScenario>;
