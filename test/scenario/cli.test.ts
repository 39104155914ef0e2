import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/scenario.ts';

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  const code = await main(args, io);
  return { code, out, err };
}

const BROKEN = 'test/scenario/fixtures/broken.yaml';
const BAD_REFS = 'test/scenario/fixtures/bad-refs.yaml';

describe('npm run scenario', () => {
  it('check prints every problem of every file with its path and exits 1', async () => {
    const r = await run(['check', BROKEN, BAD_REFS, 'scenarios/tutorial-who-terminated.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual(expect.arrayContaining([
      `${BROKEN}: states.investigate.on.ANSWER[0].guard: Unknown guard 'costAbove'. Known guards: answer, checkpointCorrect, objectiveDone, allObjectivesDone, hintUsed, apiCalled, instanceState, bucketExists, clockAfter, scoreAtLeast, processRunning, agentRunning, commandSucceeded, metricExists, alarmExists, alarmState, asgCapacity, scalingPolicy, all, any, not`,
      `${BROKEN}: states.investigate.colour: Unknown key 'colour'.`,
      `${BROKEN}: scoring.wrongAnswer: Expected number, got string.`,
      `${BROKEN}: difficulty: Too large (at most 5).`,
      `${BAD_REFS}: states.investigate.on.ANSWER[0].target: There is no state 'nowhere' in states.`,
      `${BAD_REFS}: states.orphan: The state 'orphan' cannot be reached.`,
      `${BAD_REFS}: actors[0].call: The engine has no operation ec2:LaunchRockets.`,
      'scenarios/tutorial-who-terminated.yaml: OK',
    ]));
    expect(r.out.filter((l) => l.startsWith(BROKEN)).length).toBeGreaterThanOrEqual(8);
  });

  it('speaks Korean with --lang ko or LANG=ko_KR.UTF-8', async () => {
    const a = await run(['check', BROKEN, '--lang', 'ko']);
    const b = await run(['check', BROKEN], { LANG: 'ko_KR.UTF-8' });
    expect(a.out).toContain(`${BROKEN}: states.investigate.colour: 알 수 없는 키 'colour'입니다.`);
    expect(b.out).toEqual(a.out);
    expect((await run(['check', BROKEN, '--lang', 'fr'])).code).toBe(2);
  });

  it('play --solution runs the scripted solution to the end and prints the outcome', async () => {
    const r = await run(['play', 'scenarios/who-deleted-it.yaml', '--solution']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual(expect.arrayContaining(['final state: debrief (finished: yes)', 'score: 100', expect.stringMatching(/^state hash: [0-9a-f]{16}$/)]));
    expect((await run(['play', BROKEN, '--solution'])).code).toBe(1);
    expect((await run(['play', 'scenarios/who-deleted-it.yaml'])).code).toBe(2);
  });

  it('schema prints a JSON Schema', async () => {
    const r = await run(['schema']);
    const schema = JSON.parse(r.out.join('\n')) as { $schema: string; properties: Record<string, unknown> };
    expect(schema.$schema).toContain('2020-12');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['schemaVersion', 'states', 'checkpoints', 'solution']));
  });

  it('as a process: exit code 1 and the paths on stdout for a broken file', () => {
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/scenario.ts', 'check', BROKEN, '--lang', 'en'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { status: number; stdout: string };
      status = err.status;
      stdout = err.stdout;
    }
    expect(status).toBe(1);
    expect(stdout).toContain(`${BROKEN}: states.investigate.on.ANSWER[0].guard: Unknown guard 'costAbove'`);
  });
});
