/**
 * The second pass over a scenario that passed the schema: references (states, checkpoints,
 * hints, objectives, identities, engine operations), reachability of the story graph, and a dry
 * run of the setup on a fresh engine. Every problem is collected; nothing stops at the first.
 */
import { createEngine } from '../engine/index.ts';
import { parseDuration } from './duration.ts';
import { formatPath, type ScenarioProblem } from './problems.ts';
import type { Scenario, TransitionSpec } from './schema.ts';
import { walkGuard, type ActionSpec, type GuardSpec } from './vocabulary.ts';
import { createWorld, learnerKey, splitCall } from './world.ts';

type Path = (string | number)[];

/** Every transition of a state with its path, in order (`on`, `always`, `after`). */
export function transitionsOf(state: Scenario['states'][string]): [TransitionSpec, Path][] {
  const out: [TransitionSpec, Path][] = [];
  for (const [ev, list] of Object.entries(state.on ?? {})) (list ?? []).forEach((t, i) => out.push([t, ['on', ev, i]]));
  (state.always ?? []).forEach((t, i) => out.push([t, ['always', i]]));
  for (const [d, list] of Object.entries(state.after ?? {})) list.forEach((t, i) => out.push([t, ['after', d, i]]));
  return out;
}

export function initialState(s: Scenario): string {
  return s.initial ?? Object.keys(s.states)[0]!;
}

let operationProbe: ReturnType<typeof createEngine> | null = null;
function hasOperation(call: string): boolean {
  operationProbe ??= createEngine({ seed: 1, startTime: 0 });
  const [service, action] = splitCall(call);
  return operationProbe.hasOperation(service, action);
}

export function checkScenario(s: Scenario, file: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const add = (path: Path, code: string, params: Record<string, unknown> = {}) => problems.push({ file, path: formatPath(path), code, params });
  const states = new Set(Object.keys(s.states));
  const checkpoints = s.checkpoints ?? {};
  const hints = s.hints ?? {};
  const objectiveIds = new Set<string>();

  const needIdentity = (key: string, path: Path) => { if (!s.identities[key]) add(path, 'ref.unknownIdentity', { id: key }); };
  const needState = (id: string, path: Path) => { if (!states.has(id)) add(path, 'ref.unknownState', { id }); };
  const needCheckpoint = (id: string, path: Path) => { if (!checkpoints[id]) add(path, 'ref.unknownCheckpoint', { id }); };
  const needHint = (id: string, path: Path) => { if (!hints[id]) add(path, 'ref.unknownHint', { id }); };
  const needObjective = (id: string, path: Path) => { if (!objectiveIds.has(id)) add(path, 'ref.unknownObjective', { id }); };
  const needOperation = (call: string, path: Path) => {
    if (!hasOperation(call)) { const [service, action] = splitCall(call); add(path, 'ref.unknownOperation', { service, action }); }
  };

  const learner = learnerKey(s);
  if (!s.identities[learner]) add(s.learner ? ['learner'] : ['identities'], 'ref.noLearner', { id: learner });
  (s.objectives ?? []).forEach((o, i) => {
    if (objectiveIds.has(o.id)) add(['objectives', i, 'id'], 'ref.duplicateId', { id: o.id });
    objectiveIds.add(o.id);
  });

  const revealed = new Set<string>();
  const checkGuardRefs = (g: GuardSpec, path: Path) => {
    walkGuard(g, path, (name, params, at) => {
      const p = params as Record<string, unknown>;
      const rel = (k?: string): Path => [...at, ...(k ? [k] : [])];
      if (name === 'answer') needCheckpoint(p.checkpoint as string, rel('checkpoint'));
      if (name === 'checkpointCorrect') needCheckpoint(params as string, rel());
      if (name === 'hintUsed') needHint(params as string, rel());
      if (name === 'objectiveDone') needObjective(params as string, rel());
      if (name === 'apiCalled') {
        needOperation(`${String(p.service)}:${String(p.action)}`, rel());
        if (typeof p.by === 'string') needIdentity(p.by, rel('by'));
      }
    });
  };
  const checkActionRefs = (a: ActionSpec, path: Path) => {
    if ('revealHint' in a) { needHint(a.revealHint as string, [...path, 'revealHint']); revealed.add(a.revealHint as string); }
    if ('completeObjective' in a) needObjective(a.completeObjective as string, [...path, 'completeObjective']);
  };

  (s.objectives ?? []).forEach((o, i) => checkGuardRefs(o.when, ['objectives', i, 'when']));

  // Setup and actors
  let prevAt = Number.NEGATIVE_INFINITY;
  (s.setup ?? []).forEach((step, i) => {
    needIdentity(step.as, ['setup', i, 'as']);
    needOperation(step.call, ['setup', i, 'call']);
    if (step.at !== undefined) {
      const d = parseDuration(step.at);
      if (d > 0) add(['setup', i, 'at'], 'setup.afterStart', { at: step.at });
      if (d < prevAt) add(['setup', i, 'at'], 'setup.outOfOrder', { at: step.at });
      prevAt = d;
    }
  });
  (s.actors ?? []).forEach((step, i) => {
    if (parseDuration(step.at) < 0) add(['actors', i, 'at'], 'actor.beforeStart', { at: step.at });
    if (!step.call && !step.say) add(['actors', i], 'actor.empty');
    if (step.call && !step.as) add(['actors', i], 'actor.needsIdentity');
    if (step.as) needIdentity(step.as, ['actors', i, 'as']);
    if (step.call) needOperation(step.call, ['actors', i, 'call']);
  });

  (s.signals ?? []).forEach((sig, i) => {
    let prev = Number.NEGATIVE_INFINITY;
    sig.cpu.forEach((step, k) => {
      const d = parseDuration(step.at);
      if (d < 0) add(['signals', i, 'cpu', k, 'at'], 'signal.beforeStart', { at: step.at });
      else if (d <= prev) add(['signals', i, 'cpu', k, 'at'], 'signal.outOfOrder', { at: step.at });
      prev = d;
    });
  });

  // States and transitions
  const init = initialState(s);
  if (s.initial) needState(s.initial, ['initial']);
  for (const [id, st] of Object.entries(s.states)) {
    const base: Path = ['states', id];
    if (st.type === 'final' && (st.on || st.always || st.after)) add(base, 'state.finalHasTransitions');
    for (const d of Object.keys(st.after ?? {})) if (!(parseDuration(d) > 0)) add([...base, 'after', d], 'state.afterNotPositive', { after: d });
    for (const [t, rel] of transitionsOf(st)) {
      const path = [...base, ...rel];
      if (t.target) needState(t.target, [...path, 'target']);
      if (t.guard) checkGuardRefs(t.guard, [...path, 'guard']);
      (t.actions ?? []).forEach((a, k) => checkActionRefs(a, [...path, 'actions', k]));
      if (!t.target && !t.actions?.length) add(path, 'state.emptyTransition');
    }
  }

  // Checkpoints and hints
  for (const [id, cp] of Object.entries(checkpoints)) {
    const base: Path = ['checkpoints', id];
    cp.at.forEach((st, i) => {
      needState(st, [...base, 'at', i]);
      if (s.states[st]?.type === 'final') add([...base, 'at', i], 'checkpoint.atFinal', { state: st });
    });
    const seen = new Set<string>();
    cp.options.forEach((o, i) => {
      if (seen.has(o.id)) add([...base, 'options', i, 'id'], 'checkpoint.duplicateOption', { id: o.id });
      seen.add(o.id);
    });
    const correct = cp.options.filter((o) => o.correct).length;
    if (cp.kind === 'single' ? correct !== 1 : correct < 1) add([...base, 'options'], 'checkpoint.correctCount', { kind: cp.kind, count: correct });
  }
  for (const [id, h] of Object.entries(hints)) if (h.hidden && !revealed.has(id)) add(['hints', id], 'hint.neverRevealed', { id });

  // Solution
  s.solution.forEach((step, i) => {
    const base: Path = ['solution', i];
    if ('call' in step) {
      needOperation(step.call, [...base, 'call']);
      if (step.as !== undefined && step.as !== learner) add([...base, 'as'], 'solution.notLearner', { id: step.as, learner });
    } else if ('answer' in step) {
      const cp = checkpoints[step.answer];
      if (!cp) needCheckpoint(step.answer, [...base, 'answer']);
      else step.choose.forEach((c, k) => { if (!cp.options.some((o) => o.id === c)) add([...base, 'choose', k], 'ref.unknownOption', { id: c, checkpoint: step.answer }); });
    } else if ('hint' in step) needHint(step.hint, [...base, 'hint']);
    else if ('expect' in step) {
      if (step.expect.state) needState(step.expect.state, [...base, 'expect', 'state']);
      (step.expect.objectivesDone ?? []).forEach((o, k) => needObjective(o, [...base, 'expect', 'objectivesDone', k]));
    }
  });

  if (states.has(init)) checkGraph(s, init, add);
  if (problems.length === 0) {
    for (const f of createWorld(s).failures) {
      if (f.code === null) add(['setup', f.index], 'setup.callSucceeded', { call: f.call });
      else add(['setup', f.index], 'setup.callFailed', { call: f.call, code: f.code, message: f.message });
    }
  }
  return problems;
}

/** Every state reachable from the initial one, a final state among them, and none a dead end. */
function checkGraph(s: Scenario, init: string, add: (path: Path, code: string, params?: Record<string, unknown>) => void): void {
  const edges = new Map<string, Set<string>>();
  for (const [id, st] of Object.entries(s.states)) {
    edges.set(id, new Set(transitionsOf(st).map(([t]) => t.target).filter((x): x is string => Boolean(x && s.states[x]))));
  }
  const reach = (from: string[], next: (id: string) => Iterable<string>): Set<string> => {
    const seen = new Set(from);
    const stack = [...from];
    while (stack.length) for (const n of next(stack.pop()!)) if (!seen.has(n)) { seen.add(n); stack.push(n); }
    return seen;
  };
  const reachable = reach([init], (id) => edges.get(id) ?? []);
  for (const id of Object.keys(s.states)) if (!reachable.has(id)) add(['states', id], 'graph.unreachable', { state: id });
  const finals = Object.keys(s.states).filter((id) => s.states[id]!.type === 'final');
  if (!finals.some((f) => reachable.has(f))) { add(['states'], 'graph.noFinal'); return; }
  const reverse = new Map<string, string[]>();
  for (const [from, tos] of edges) for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
  const canFinish = reach(finals, (id) => reverse.get(id) ?? []);
  for (const id of reachable) if (!canFinish.has(id)) add(['states', id], 'graph.deadEnd', { state: id });
}
