import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/index.ts';
import { formatProblem, MAX_BYTES, parseScenario, type ScenarioProblem } from '../../src/scenario/index.ts';
import { minimalYaml } from './helpers.ts';

const problemsOf = (text: string, file = 'x.yaml'): ScenarioProblem[] => {
  const r = parseScenario(text, file);
  return r.ok ? [] : r.problems;
};
const pathsAndCodes = (ps: ScenarioProblem[]) => ps.map((p) => `${p.path} ${p.code}`);

describe('parseScenario: schema problems', () => {
  it('accepts the minimal scenario', () => {
    const r = parseScenario(minimalYaml(), 'mini.yaml');
    expect(r.ok).toBe(true);
  });

  it('reports several problems at once, each with its path', () => {
    const text = minimalYaml({
      meta: 'difficulty: 9\nestimatedMinutes: "five"\nseed: 7\nclock: { start: "2026-03-01T00:00:00Z", tick: 1 }',
      states: 'states:\n  briefing:\n    on: { START: investigate }\n  investigate:\n    on:\n      ANSWER:\n        - guard: { costAbove: 10 }\n          target: debrief\n        - guard: { all: [ { apiCalled: { service: 3, action: LookupEvents } } ] }\n          target: debrief\n  debrief:\n    type: final',
    });
    const ps = problemsOf(text);
    expect(pathsAndCodes(ps)).toEqual(expect.arrayContaining([
      'difficulty schema.tooBigNumber',
      'estimatedMinutes schema.invalidType',
      'clock.tick schema.unknownKey',
      'states.investigate.on.ANSWER[0].guard guard.unknown',
      'states.investigate.on.ANSWER[1].guard.all[0].apiCalled.service schema.invalidType',
    ]));
    expect(ps.length).toBeGreaterThanOrEqual(5);
    expect(ps.every((p) => p.file === 'x.yaml')).toBe(true);
    expect(ps.find((p) => p.code === 'guard.unknown')!.params).toMatchObject({ name: 'costAbove' });
  });

  it('reports a missing required field and an unknown action', () => {
    const text = minimalYaml({
      head: 'schemaVersion: 1\nid: mini',
      states: 'states:\n  briefing:\n    on:\n      START:\n        - target: investigate\n          actions: [ { launchMissiles: true }, { score: 1, message: { from: a, ko: b, en: c } } ]\n  investigate:\n    on:\n      ANSWER:\n        - guard: { answer: { checkpoint: q, correct: true } }\n          target: debrief\n  debrief:\n    type: final',
    });
    expect(pathsAndCodes(problemsOf(text))).toEqual(expect.arrayContaining([
      'version schema.required',
      'states.briefing.on.START[0].actions[0] action.unknown',
      'states.briefing.on.START[0].actions[1] action.oneKey',
    ]));
  });

  it('rejects a missing or unsupported schemaVersion', () => {
    expect(pathsAndCodes(problemsOf(minimalYaml({ head: 'id: mini\nversion: 1' })))).toEqual(['schemaVersion schema.noVersion']);
    expect(pathsAndCodes(problemsOf(minimalYaml({ head: 'schemaVersion: 7\nid: mini\nversion: 1' })))).toEqual(['schemaVersion schema.unsupportedVersion']);
  });

  it('accepts the same scenario written as JSON', () => {
    const r = parseScenario(minimalYaml(), 'mini.yaml');
    if (!r.ok) throw new Error('minimal scenario should parse');
    expect(parseScenario(JSON.stringify(r.scenario), 'mini.json')).toEqual({ ok: true, scenario: r.scenario });
  });

  it('keeps HTML in texts as plain text', () => {
    const html = '<img src=x onerror="alert(1)"><b>bold</b>';
    const r = parseScenario(minimalYaml({ text: `title: { ko: '${html}', en: '${html}' }\nsummary: { ko: 요약, en: Summary }\nbriefing: { ko: 브리핑, en: Briefing }` }), 'm.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.scenario.title.en).toBe(html);
  });
});

describe('parseScenario: hostile and malformed input', () => {
  it('gives line and column for malformed YAML', () => {
    const ps = problemsOf('schemaVersion: 1\nid: [unclosed\ntitle: : :\n');
    expect(ps.length).toBeGreaterThan(0);
    expect(ps[0]!.code).toBe('yaml.syntax');
    expect(ps[0]!.path).toMatch(/^\d+:\d+$/);
    expect(ps[0]!.params).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
  });

  it('rejects duplicate keys', () => {
    const ps = problemsOf('schemaVersion: 1\nschemaVersion: 1\n');
    expect(ps.map((p) => p.code)).toEqual(['yaml.syntax']);
    expect(ps[0]!.path).toBe('2:1');
  });

  it('stops a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      .concat(['b', 'c', 'd', 'e', 'f', 'g'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`))
      .join('\n');
    expect(pathsAndCodes(problemsOf(bomb))).toEqual([' input.aliasBomb']);
  });

  it('rejects nesting deeper than 64, in flow and block style', () => {
    expect(problemsOf(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`).map((p) => p.code)).toEqual(['input.tooDeep']);
    const block = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1';
    expect(problemsOf(block).map((p) => p.code)).toEqual(['input.tooDeep']);
  });

  it('rejects a file over 1 MB without parsing it', () => {
    const ps = problemsOf(`schemaVersion: 1\nx: "${'a'.repeat(MAX_BYTES)}"\n`);
    expect(ps.map((p) => p.code)).toEqual(['input.tooLarge']);
    expect(ps[0]!.params.max).toBe(MAX_BYTES);
  });

  it('counts multi-byte characters as bytes', () => {
    // 400k Korean syllables are 1.2 MB in UTF-8 although the string has fewer than 1M characters.
    expect(problemsOf(`x: "${'가'.repeat(400_000)}"`).map((p) => p.code)).toEqual(['input.tooLarge']);
  });

  it('rejects a top level that is not a mapping', () => {
    expect(problemsOf('- 1\n- 2\n').map((p) => p.code)).toEqual(['input.notMapping']);
    expect(problemsOf('').map((p) => p.code)).toEqual(['input.notMapping']);
  });
});

describe('second pass: references and reachability', () => {
  it('reports unknown states, checkpoints, identities, operations and unreachable states', () => {
    const text = minimalYaml({
      identities: 'identities:\n  learner: { type: IAMUser, userName: you }\nactors:\n  - { at: "+1m", as: ghost, call: "ec2:LaunchRockets" }',
      states: 'states:\n  briefing:\n    on: { START: investigate }\n  investigate:\n    on:\n      ANSWER:\n        - guard: { checkpointCorrect: nope }\n          target: nowhere\n        - guard: { answer: { checkpoint: q, correct: true } }\n          target: debrief\n  island:\n    on: { START: debrief }\n  debrief:\n    type: final',
    });
    expect(pathsAndCodes(problemsOf(text))).toEqual(expect.arrayContaining([
      'actors[0].as ref.unknownIdentity',
      'actors[0].call ref.unknownOperation',
      'states.investigate.on.ANSWER[0].target ref.unknownState',
      'states.investigate.on.ANSWER[0].guard.checkpointCorrect ref.unknownCheckpoint',
      'states.island graph.unreachable',
    ]));
  });

  it('reports a dead end and a missing final state', () => {
    const dead = minimalYaml({
      states: 'states:\n  briefing:\n    on: { START: [ { target: investigate }, { target: trap } ] }\n  trap:\n    phase: remediate\n  investigate:\n    on:\n      ANSWER:\n        - guard: { answer: { checkpoint: q, correct: true } }\n          target: debrief\n  debrief:\n    type: final',
    });
    expect(pathsAndCodes(problemsOf(dead))).toEqual(['states.trap graph.deadEnd']);
    const noFinal = minimalYaml({ states: 'states:\n  briefing:\n    on: { START: investigate }\n  investigate: {}' });
    expect(pathsAndCodes(problemsOf(noFinal))).toContain('states graph.noFinal');
  });

  it('runs the setup on a fresh engine and reports a call that fails', () => {
    const text = minimalYaml({
      identities: 'identities:\n  learner: { type: IAMUser, userName: you }\nsetup:\n  - { at: "-1h", as: learner, call: "s3:DeleteBucket", with: { Bucket: no-such-bucket } }',
    });
    const ps = problemsOf(text);
    expect(pathsAndCodes(ps)).toEqual(['setup[0] setup.callFailed']);
    expect(ps[0]!.params).toMatchObject({ code: 'NoSuchBucket' });
    // Marked as an intended failure (a red herring), the same call is fine.
    const ok = text.replace('with: { Bucket: no-such-bucket } }', 'with: { Bucket: no-such-bucket }, ok: false }');
    expect(problemsOf(ok)).toEqual([]);
  });

  it('checks checkpoint answers: exactly one correct option for single', () => {
    const text = minimalYaml().replace('- { id: b, ko: 나, en: B }', '- { id: b, ko: 나, en: B, correct: true }');
    expect(pathsAndCodes(problemsOf(text))).toEqual(['checkpoints.q.options checkpoint.correctCount']);
  });
});

describe('formatProblem', () => {
  const p: ScenarioProblem = { file: 'scenarios/cost.yaml', path: 'states.investigate.on.ANSWER[0].guard', code: 'guard.unknown', params: { name: 'costAbove', known: 'answer' } };
  it('gives "file: path: message" in English and Korean', async () => {
    const en = await createI18n('en');
    const ko = await createI18n('ko');
    expect(formatProblem(p, (k, o) => String(en.t(k, o as never)))).toBe("scenarios/cost.yaml: states.investigate.on.ANSWER[0].guard: Unknown guard 'costAbove'. Known guards: answer");
    expect(formatProblem(p, (k, o) => String(ko.t(k, o as never)))).toBe("scenarios/cost.yaml: states.investigate.on.ANSWER[0].guard: 알 수 없는 가드 'costAbove'입니다. 사용할 수 있는 가드: answer");
  });
});

describe('problem texts and the authoring guide', () => {
  it('every problem code the pipeline can produce has a Korean and an English text', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const src = readdirSync('src/scenario').map((f) => readFileSync(`src/scenario/${f}`, 'utf8')).join('\n');
    const codes = new Set([...src.matchAll(/'((?:input|yaml|schema|guard|action|ref|setup|actor|state|checkpoint|hint|solution|graph)\.[A-Za-z]+)'/g)].map((m) => m[1]!));
    for (const what of ['guard', 'action']) for (const c of ['notObject', 'oneKey']) codes.add(`${what}.${c}`);
    for (const k of ['tooSmall', 'tooBig']) for (const kind of ['Length', 'Items', 'Number']) codes.add(`schema.${k}${kind}`);
    expect(codes.size).toBeGreaterThan(50);
    for (const lang of ['ko', 'en']) {
      const problems = (JSON.parse(readFileSync(`src/i18n/locales/${lang}/scenario.json`, 'utf8')) as { problems: Record<string, string> }).problems;
      expect([...codes].filter((c) => !problems[c])).toEqual([]);
    }
  });

  it('scenarios/README.md documents every guard and action in both languages', async () => {
    const { GUARD_NAMES, ACTION_NAMES } = await import('../../src/scenario/index.ts');
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync('scenarios/README.md', 'utf8');
    const [en, ko] = readme.split('## 한국어');
    for (const name of [...GUARD_NAMES, ...ACTION_NAMES]) {
      expect(en, name).toContain(`\`${name}\``);
      expect(ko, name).toContain(`\`${name}\``);
    }
  });
});
