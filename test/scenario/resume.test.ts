import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resumeScenario, runSolution, ScenarioResumeError, startScenario, type ScenarioRun } from '../../src/scenario/index.ts';
import { FLAGSHIP, TUTORIAL, loadScenario } from './helpers.ts';

const roundTrip = (run: ScenarioRun): ScenarioRun => resumeScenario(run.scenario, JSON.parse(JSON.stringify(run.save())));

describe('save and resume', () => {
  for (const file of [TUTORIAL, FLAGSHIP]) {
    const s = loadScenario(file);
    const straight = runSolution(s, file);

    it(`${file}: resuming after any solution step reaches the same hash trace and view`, () => {
      for (let at = 0; at < s.solution.length; at++) {
        const resumed = runSolution(s, file, (run, i) => (i === at ? roundTrip(run) : run));
        expect(resumed.problems).toEqual([]);
        expect(resumed.hashes).toEqual(straight.hashes);
        expect([resumed.stateId, resumed.score, resumed.stateHash]).toEqual([straight.stateId, straight.score, straight.stateHash]);
      }
    });
  }

  it('a run saved mid-way (before actors and delays fire) matches the uninterrupted run', () => {
    const s = loadScenario(FLAGSHIP);
    const script = (run: ScenarioRun, split: (r: ScenarioRun) => ScenarioRun): ScenarioRun => {
      run.start();
      run.advance(3 * 60_000);
      run = split(run);
      run.act('cloudtrail', 'LookupEvents', {});
      run.answer('who-bucket', 'hyun');
      run.advance(40 * 60_000); // junho and hyun speak; the +30m hint appears after the resume
      run.answer('who-bucket', 'sora');
      return run;
    };
    const a = script(startScenario(s), (r) => r);
    const b = script(startScenario(s), roundTrip);
    expect(b.engine.stateHash()).toBe(a.engine.stateHash());
    expect(b.view()).toEqual(a.view());
    expect(a.view().hints.map((h) => h.id)).toContain('session-name');
    expect(a.view().messages).toHaveLength(4);
  });

  it('property: saving at arbitrary points of an arbitrary learner script does not change the outcome', () => {
    const s = loadScenario(FLAGSHIP);
    type Op = { t: 'advance'; ms: number } | { t: 'answer'; choice: string } | { t: 'hint' } | { t: 'look' } | { t: 'save' };
    const op = fc.oneof(
      fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20 * 60_000 }) }),
      fc.record({ t: fc.constant('answer' as const), choice: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
      fc.record({ t: fc.constant('hint' as const) }),
      fc.record({ t: fc.constant('look' as const) }),
      fc.record({ t: fc.constant('save' as const) }),
    );
    const play = (ops: Op[], resume: boolean) => {
      let run = startScenario(s);
      run.start();
      for (const o of ops) {
        if (o.t === 'advance') run.advance(o.ms);
        else if (o.t === 'look') run.act('cloudtrail', 'LookupEvents', { MaxResults: 5 });
        else if (o.t === 'hint') { const h = run.view().hints.find((x) => !x.used); if (h) run.useHint(h.id); }
        else if (o.t === 'answer') {
          const cp = run.view().checkpoint;
          if (cp) run.answer(cp.id, cp.options[o.choice.charCodeAt(0) % cp.options.length]!.id);
        } else if (resume) run = roundTrip(run);
      }
      return { hash: run.engine.stateHash(), view: run.view() };
    };
    fc.assert(fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
      const a = play(ops, false);
      const b = play(ops, true);
      expect(b).toEqual(a);
    }), { numRuns: 40, seed: 20260310 });
  });

  it('refuses a save from another scenario, another version, or a damaged one', () => {
    const tut = loadScenario(TUTORIAL);
    const flag = loadScenario(FLAGSHIP);
    const saved = startScenario(tut).save();
    expect(() => resumeScenario(flag, saved)).toThrow(ScenarioResumeError);
    expect(() => resumeScenario({ ...tut, version: 2 }, saved)).toThrow(ScenarioResumeError);
    expect(() => resumeScenario(tut, { ...saved, runState: { v: 1, value: 'nowhere' } })).toThrow(ScenarioResumeError);
    expect(() => resumeScenario(tut, { ...saved, runState: { ...(saved.runState as object), value: 'nowhere' } })).toThrow(ScenarioResumeError);
    expect(() => resumeScenario(tut, { ...saved, engineSnapshot: { format: 'nope' } as never })).toThrow(ScenarioResumeError);
    expect(() => resumeScenario(tut, saved)).not.toThrow();
  });
});
