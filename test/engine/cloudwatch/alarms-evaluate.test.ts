import { describe, expect, it } from 'vitest';
import {
  evaluatePoints, parseRow, TREATMENTS, type AlarmStateValue, type TreatMissingData,
} from '../../../src/engine/services/cloudwatch/alarms.evaluate.ts';

const KEEP = 'keep current';
const run = (row: string, m: number, treat: TreatMissingData, current: AlarmStateValue = 'OK') =>
  evaluatePoints({ points: parseRow(row), n: 3, m, treat, current }).state;

// AWS's two documented tables (spec §1.4): period 300, N = 3, range 5, newest on the right.
const TABLE_A: [string, string, string, string, string][] = [
  ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 'INSUFFICIENT_DATA', KEEP, 'ALARM', 'OK'],
  ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 'ALARM', KEEP, 'ALARM', 'OK'],
];
const TABLE_B: [string, string, string, string, string][] = [
  ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 'ALARM', KEEP, 'ALARM', 'OK'],
];

for (const [title, m, table] of [['Table A (3 of 3)', 3, TABLE_A], ['Table B (2 of 3)', 2, TABLE_B]] as const) {
  describe(title, () => {
    for (const [row, ...expected] of table) {
      it.each(TREATMENTS.map((t, i) => [t, expected[i]!]))(`${row} with %s → %s`, (treat, want) => {
        for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
          expect(run(row, m, treat as TreatMissingData, current)).toBe(want === KEEP ? current : want);
        }
      });
    }
  });
}

describe('premature-alarm rule (§1.4 step 3)', () => {
  it('- - - - X and - - - X - with M = 3 do not go to ALARM (the next point could be good)', () => {
    expect(run('- - - - X', 3, 'missing', 'OK')).toBe('OK');
    expect(run('- - - X -', 3, 'missing', 'INSUFFICIENT_DATA')).toBe('INSUFFICIENT_DATA');
    expect(evaluatePoints({ points: parseRow('- - - - X'), n: 3, m: 3, treat: 'missing', current: 'OK' }).rule).toBe('not-yet');
  });
  it('fires when the oldest breaching point in the last N is at least M old', () => {
    expect(evaluatePoints({ points: parseRow('- - X - -'), n: 3, m: 3, treat: 'missing', current: 'OK' }).rule).toBe('premature');
  });
});

describe('enough real data uses the N most recent real points, skipping gaps', () => {
  it('reports which points decided (newest first)', () => {
    const o = evaluatePoints({ points: parseRow('X 0 - X X'), n: 3, m: 3, treat: 'missing', current: 'OK' });
    expect(o).toMatchObject({ state: 'OK', rule: 'enough-data', used: [4, 3, 1], breachingUsed: 2 });
  });
});

/** Golden grid: every row of 5 points × M of N=3 × treatment, current state OK. */
describe('golden grid N = 3, range 5', () => {
  it('matches the snapshot', () => {
    const rows: string[] = [];
    const sym = ['0', 'X', '-'];
    for (let code = 0; code < 3 ** 5; code++) {
      const cells: string[] = [];
      let c = code;
      for (let i = 0; i < 5; i++) { cells.push(sym[c % 3]!); c = Math.floor(c / 3); }
      const row = cells.join(' ');
      for (const m of [1, 2, 3]) {
        rows.push(`${row} M=${m}: ${TREATMENTS.map((t) => run(row, m, t, 'OK')[0]).join('')}`);
      }
    }
    expect(rows.length).toBe(729);
    // Spot-check a few lines by hand, then pin the whole grid.
    expect(rows).toContain('- - - - - M=1: IOAO');
    expect(rows).toContain('X - - - - M=1: AAAA');
    expect(rows).toMatchSnapshot();
  });
});
