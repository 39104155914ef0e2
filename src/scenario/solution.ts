/**
 * Runs a scenario's scripted `solution:` headless: the proof that it can be finished. Failures
 * come back as problems (path `solution[i]`) so the CLI prints them like checker problems.
 */
import { parseDuration } from './duration.ts';
import { ScenarioRunError, type ScenarioProblem } from './problems.ts';
import { startScenario, type ScenarioRun } from './runtime.ts';
import type { Scenario } from './schema.ts';
import { resolveRefs, splitCall } from './world.ts';

export interface SolutionOutcome {
  ok: boolean;
  problems: ScenarioProblem[];
  stateId: string;
  finished: boolean;
  score: number;
  stateHash: string;
  now: string;
  /** Engine state hash after each step (a trace to compare runs by). */
  hashes: string[];
}

/**
 * Plays the solution on a new run (starting it first). `onStep` may replace the run between
 * steps (tests use it to save and resume mid-way).
 */
export function runSolution(s: Scenario, file: string, onStep?: (run: ScenarioRun, index: number) => ScenarioRun): SolutionOutcome {
  const problems: ScenarioProblem[] = [];
  const hashes: string[] = [];
  let run = startScenario(s);
  run.start();
  const fail = (i: number, code: string, params: Record<string, unknown>) => problems.push({ file, path: `solution[${i}]`, code, params });
  for (let i = 0; i < s.solution.length && problems.length === 0; i++) {
    const step = s.solution[i]!;
    if ('advance' in step) run.advance(parseDuration(step.advance));
    else if ('call' in step) {
      const [service, action] = splitCall(step.call);
      const r = run.act(service, action, resolveRefs(step.with ?? {}, run.engine));
      const wantOk = step.ok ?? true;
      if (r.ok !== wantOk) fail(i, 'solution.callResult', { call: step.call, expected: String(wantOk), actual: r.ok ? 'ok' : `${r.error.code}: ${r.error.message}` });
    } else if ('answer' in step) {
      const open = run.view().checkpoint?.id ?? null;
      if (open !== step.answer) fail(i, 'solution.notOpen', { checkpoint: step.answer, open: open ?? '-', state: run.view().stateId });
      else {
        const r = run.answer(step.answer, step.choose);
        if (r.correct !== (step.correct ?? true)) fail(i, 'solution.answerResult', { checkpoint: step.answer, expected: String(step.correct ?? true), actual: String(r.correct) });
      }
    } else if ('hint' in step) {
      try { run.useHint(step.hint); } catch (e) {
        if (!(e instanceof ScenarioRunError)) throw e;
        fail(i, 'solution.hintUnavailable', { hint: step.hint });
      }
    } else {
      const v = run.view();
      const e = step.expect;
      const check = (what: string, ok: boolean, expected: unknown, actual: unknown) => {
        if (!ok) fail(i, 'solution.expectFailed', { what, expected: String(expected), actual: String(actual) });
      };
      if (e.state !== undefined) check('state', v.stateId === e.state, e.state, v.stateId);
      if (e.phase !== undefined) check('phase', v.phase === e.phase, e.phase, v.phase);
      if (e.finished !== undefined) check('finished', v.finished === e.finished, e.finished, v.finished);
      if (e.score !== undefined) check('score', v.score === e.score, e.score, v.score);
      if (e.scoreAtLeast !== undefined) check('scoreAtLeast', v.score >= e.scoreAtLeast, `>= ${e.scoreAtLeast}`, v.score);
      for (const o of e.objectivesDone ?? []) check(`objective ${o}`, v.objectives.some((x) => x.id === o && x.done), true, false);
    }
    hashes.push(run.engine.stateHash());
    if (onStep) run = onStep(run, i);
  }
  const v = run.view();
  if (problems.length === 0 && !v.finished) problems.push({ file, path: 'solution', code: 'solution.notFinished', params: { state: v.stateId } });
  return { ok: problems.length === 0, problems, stateId: v.stateId, finished: v.finished, score: v.score, stateHash: run.engine.stateHash(), now: v.now, hashes };
}
