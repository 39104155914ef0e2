import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';

export const TUTORIAL = 'scenarios/tutorial-who-terminated.yaml';
export const FLAGSHIP = 'scenarios/who-deleted-it.yaml';

export function loadScenario(file: string): Scenario {
  const r = parseScenario(readFileSync(file, 'utf8'), file);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems, null, 1)}`);
  return r.scenario;
}

/** A small valid scenario as YAML text, with `extra` lines appended to the top level. */
export function minimalYaml(overrides: Record<string, string> = {}): string {
  const parts: Record<string, string> = {
    head: 'schemaVersion: 1\nid: mini\nversion: 1',
    text: 'title: { ko: 제목, en: Title }\nsummary: { ko: 요약, en: Summary }\nbriefing: { ko: 브리핑, en: Briefing }',
    meta: 'difficulty: 1\nestimatedMinutes: 5\nseed: 7\nclock: { start: "2026-03-01T00:00:00Z" }',
    identities: 'identities:\n  learner: { type: IAMUser, userName: you }',
    states: 'states:\n  briefing:\n    on: { START: investigate }\n  investigate:\n    on:\n      ANSWER:\n        - guard: { answer: { checkpoint: q, correct: true } }\n          target: debrief\n  debrief:\n    type: final',
    checkpoints: 'checkpoints:\n  q:\n    at: investigate\n    kind: single\n    prompt: { ko: 질문, en: Question }\n    options:\n      - { id: a, ko: 가, en: A, correct: true }\n      - { id: b, ko: 나, en: B }\n    explain: { ko: 설명, en: Explanation }',
    scoring: 'scoring: { start: 100, wrongAnswer: 10 }\ndebrief: { ko: 끝, en: Done }',
    solution: 'solution:\n  - { answer: q, choose: a }\n  - { expect: { state: debrief, finished: true } }',
    ...overrides,
  };
  return Object.values(parts).filter(Boolean).join('\n') + '\n';
}

export const PROCESS = 'scenarios/bring-the-process-back.yaml';
export const SCALING = 'scenarios/the-alarm-that-scaled.yaml';
