import { describe, expect, it } from 'vitest';
import {
  isLowSampleCount, parseStatistic, rawStat, sortedPairs, type StatSpec,
} from '../../../src/engine/services/cloudwatch/cloudwatch.statistics.ts';

const one2ten = sortedPairs([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((v) => [v, 1]));
const stat = (name: string, raw = one2ten) => rawStat(parseStatistic(name) as Exclude<StatSpec, { kind: 'basic' }>, raw);

describe('statistic syntax (spec §2.3)', () => {
  it.each([
    ['Average', true], ['p99', true], ['p99.9', true], ['p100', true], ['p101', false], ['P99', false],
    ['tm90', true], ['TM90', false], ['TM(10%:90%)', true], ['TM(:95%)', true], ['TM(150:1000)', true],
    ['tm(10%:90%)', false], ['TM(10%:500)', false], ['TM(90%:10%)', false], ['TM(:)', false],
    ['IQM', true], ['wm98', true], ['WM(10%:90%)', true], ['PR(:300)', true], ['PR(100:2000)', true],
    ['PR(10%:90%)', false], ['tc90', true], ['TC(0.005:0.030)', true], ['ts90', true], ['TS(80%:)', true],
    ['pr90', false], ['Median', false],
  ])('%s valid=%s', (name, ok) => {
    expect(parseStatistic(name) !== null).toBe(ok);
  });
});

describe('golden table over 1..10 (nearest rank, §9 #6–#8)', () => {
  it.each([
    ['p50', 5], ['p90', 9], ['p99', 10], ['p10', 1], ['p0', 1], ['p100', 10], ['p55', 6],
    ['tm90', 5], ['TM(10%:90%)', 5.5], ['IQM', 6], ['TM(:50%)', 3], ['TM(3:7)', 5.5],
    ['wm90', 5.4], ['WM(10%:90%)', 5.5], ['WM(20%:80%)', 5.5],
    ['tc90', 9], ['TC(3:7)', 4], ['ts90', 45], ['TS(80%:)', 19],
    ['PR(:3)', 30], ['PR(3:7)', 40], ['PR(:100)', 100],
  ])('%s = %s', (name, expected) => {
    expect(stat(name as string)).toBeCloseTo(expected as number, 10);
  });

  it('WM clamps to the kept extremes: values 1,2,3,100 with wm75 → (1+2+3+3)/4', () => {
    expect(stat('wm75', sortedPairs([1, 1, 2, 1, 3, 1, 100, 1]))).toBeCloseTo(9 / 4, 10);
  });

  it('weights from Values/Counts behave like repeated samples', () => {
    const weighted = sortedPairs([1, 9, 100, 1]);
    const expanded = sortedPairs([...Array(9).fill(0).flatMap(() => [1, 1]), 100, 1]);
    for (const s of ['p50', 'p90', 'p95', 'tm90', 'TM(10%:90%)', 'wm90', 'tc90', 'ts90', 'PR(:50)']) {
      expect(stat(s, weighted)).toBeCloseTo(stat(s, expanded), 10);
    }
    expect(stat('p90', weighted)).toBe(1);
    expect(stat('p95', weighted)).toBe(100);
  });

  it('empty kept ranges give no value for TM/WM and zero for TC', () => {
    expect(stat('TM(100:200)')).toBeNaN();
    expect(stat('WM(100:200)')).toBeNaN();
    expect(stat('TC(100:200)')).toBe(0);
  });
});

describe('low sample counts (§1.7)', () => {
  it.each([
    [0.99, 999, true], [0.99, 1000, false], [0.9, 99, true], [0.9, 100, false], [0.5, 19, true], [0.5, 20, false],
    [0.1, 99, true], [0.1, 100, false], [0.25, 39, true], [0.25, 40, false],
  ])('p=%s with %s samples → low=%s', (p, n, low) => {
    expect(isLowSampleCount(p, n)).toBe(low);
  });
});
