/**
 * Metric math (spec §2.5, AWS "Using metric math"): golden tables of operators and functions over
 * small sparse series, written as AWS's page writes them (one column per minute, `-` = missing),
 * and a property test of the linear merge against a naive reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateExpression, type MathEnv } from '../../../src/engine/services/cloudwatch/cloudwatch.math.ts';
import type { Series } from '../../../src/engine/services/cloudwatch/index.ts';
import { createEngine } from '../../../src/engine/index.ts';

const MIN = 60_000;
const WIDTH = 8; // minutes 0..7: the window FILL and TIME_SERIES fill

/** `1 2 - 4` → datapoints at minutes 0, 1, 3. */
function ser(row: string): Series {
  const s: Series = { timestamps: [], values: [] };
  row.trim().split(/\s+/).forEach((c, k) => { if (c !== '-') { s.timestamps.push(k * MIN); s.values.push(Number(c)); } });
  return s;
}

/** A series back in the table's form, over the window (values to 6 decimals). */
function row(s: Series): string {
  const cells = Array.from({ length: WIDTH }, () => '-');
  s.timestamps.forEach((t, i) => { cells[t / MIN] = String(Number(s.values[i]!.toFixed(6))); });
  return cells.join(' ');
}

const INPUTS: Record<string, string> = {
  a: '1 2 - 4 5 6 - -',
  b: '2 0 3 - 1 6 - -',
  r: '- - 5 - 7 - - -',
  e: '- - - - - - - -',
  // AWS's comparison example: metric1 and metric2
  p: '30 20 0 0 - - - -',
  q: '20 - 20 - - - - -',
  // AWS's IF examples: metric1, metric2, metric3
  c1: '1 1 0 0 - - - -',
  c2: '30 - 0 0 30 - - -',
  c3: '0 0 20 - 20 - - -',
};

function env(): MathEnv {
  const ids = Object.keys(INPUTS);
  return {
    series: new Map(ids.map((id) => [id, ser(INPUTS[id]!)])),
    periods: new Map(ids.map((id) => [id, 60])),
    metricIds: ids,
    window: () => ({ start: 0, end: WIDTH * MIN }),
  };
}

function run(expr: string): string {
  const r = evaluateExpression(expr, env());
  if (typeof r === 'string') return `error: ${r}`;
  return row(r.series);
}

describe('operators (missing counts as 0, division by zero drops the datapoint)', () => {
  it.each([
    ['a + b', '3 2 3 4 6 12 - -'],
    ['a - b', '-1 2 -3 4 4 0 - -'],
    ['a * b', '2 0 0 0 5 36 - -'],
    ['a / b', '0.5 - 0 - 5 1 - -'],
    ['a ^ 2', '1 4 - 16 25 36 - -'],
    ['-a', '-1 -2 - -4 -5 -6 - -'],
    ['a / 0', '- - - - - - - -'],
    ['a + e', '1 2 - 4 5 6 - -'],
    ['a - AVG(a)', '-2.6 -1.6 - 0.4 1.4 2.4 - -'],
    ['PERIOD(a) / 60 * a', '1 2 - 4 5 6 - -'],
    // precedence: * before +, ^ before unary minus, ^ right-associative
    ['a * 2 + 1', '3 5 - 9 11 13 - -'],
    ['1 + a * 2', '3 5 - 9 11 13 - -'],
    ['(1 + a) * 2', '4 6 - 10 12 14 - -'],
    ['-2 ^ 2 + a', '-3 -2 - 0 1 2 - -'],
    ['2 ^ 3 ^ 2 * a / 512', '1 2 - 4 5 6 - -'],
    ['a - b - 1', '-2 1 -4 3 3 -1 - -'],
    // comparison: 1 or 0, over the union of timestamps
    ['a > b', '0 1 0 1 1 0 - -'],
    ['a < b', '1 0 1 0 0 0 - -'],
    ['a >= 4', '0 0 - 1 1 1 - -'],
    ['a <= 2', '1 1 - 0 0 0 - -'],
    ['a == b', '0 0 0 0 0 1 - -'],
    ['a != b', '1 1 1 1 1 0 - -'],
    ['a + 1 > b * 2', '0 1 0 1 1 0 - -'],
    // AWS's documented examples
    ['(p < q)', '0 0 1 0 - - - -'],
    ['(p >= 30)', '1 0 0 0 - - - -'],
    ['(p > 15 AND q > 15)', '1 0 0 0 - - - -'],
    // logical
    ['a > 1 AND b > 1', '0 0 0 0 0 1 - -'],
    ['a > 1 && b > 1', '0 0 0 0 0 1 - -'],
    ['a > 4 OR b > 2', '0 0 1 0 1 1 - -'],
    ['a > 4 || b > 2', '0 0 1 0 1 1 - -'],
    ['NOT a > 4', '1 1 - 1 0 0 - -'],
    ['!(a > 4)', '1 1 - 1 0 0 - -'],
    ['!b', '0 1 0 - 0 0 - -'],
    ['a > 1 OR b > 1 AND a > 5', '0 1 0 1 1 1 - -'],
    ['(a > 1 OR b > 1) AND a > 5', '0 0 0 0 0 1 - -'],
    // arrays: element-wise with a scalar or a series, then reduced
    ['SUM([a, b] * 2)', '6 4 6 8 12 24 - -'],
    ['SUM(-[a, b])', '-3 -2 -3 -4 -6 -12 - -'],
    ['SUM(100 / [a, b])', '150 50 33.333333 25 120 33.333333 - -'],
    ['AVG([a, b] / a)', '1.5 0.5 - 0.5 0.6 1 - -'],
    ['FIRST(METRICS() * 10)', '10 20 - 40 50 60 - -'],
  ])('%s → %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });
});

describe('functions', () => {
  it.each([
    ['ABS(a - 3)', '2 1 - 1 2 3 - -'],
    ['CEIL(a / 4)', '1 1 - 1 2 2 - -'],
    ['FLOOR(a / 4)', '0 0 - 1 1 1 - -'],
    ['LOG(b)', '0.693147 - 1.098612 - 0 1.791759 - -'],
    ['LOG10(a * 10)', '1 1.30103 - 1.60206 1.69897 1.778151 - -'],
    // scalars of one series, used through TIME_SERIES (a scalar cannot be a result)
    ['TIME_SERIES(SUM(a))', '18 18 18 18 18 18 18 18'],
    ['TIME_SERIES(MIN(b))', '0 0 0 0 0 0 0 0'],
    ['TIME_SERIES(MAX(b))', '6 6 6 6 6 6 6 6'],
    ['TIME_SERIES(STDDEV(a))', '1.854724 1.854724 1.854724 1.854724 1.854724 1.854724 1.854724 1.854724'],
    ['TIME_SERIES(DATAPOINT_COUNT(a))', '5 5 5 5 5 5 5 5'],
    ['TIME_SERIES(METRIC_COUNT(METRICS()))', '9 9 9 9 9 9 9 9'],
    ['TIME_SERIES(METRIC_COUNT(REMOVE_EMPTY(METRICS())))', '8 8 8 8 8 8 8 8'],
    ['TIME_SERIES(METRIC_COUNT(METRICS("c")))', '3 3 3 3 3 3 3 3'],
    ['TIME_SERIES(10)', '10 10 10 10 10 10 10 10'],
    // per timestamp over an array: SUM and AVG count a missing value as 0, MIN/MAX/STDDEV skip it
    ['SUM([a, b])', '3 2 3 4 6 12 - -'],
    ['AVG([a, b])', '1.5 1 1.5 2 3 6 - -'],
    ['MIN([a, b])', '1 0 3 4 1 6 - -'],
    ['MAX([a, b])', '2 2 3 4 5 6 - -'],
    ['STDDEV([a, b])', '0.5 1 0 0 2 0 - -'],
    ['DATAPOINT_COUNT([a, b])', '2 2 1 1 2 2 - -'],
    ['FIRST([b, a])', '2 0 3 - 1 6 - -'],
    ['LAST([b, a])', '1 2 - 4 5 6 - -'],
    // from the preceding datapoint, across gaps; the first datapoint has none
    ['DIFF(a)', '- 1 - 2 1 1 - -'],
    ['DIFF_TIME(a)', '- 60 - 120 60 60 - -'],
    ['RATE(b)', '- -0.033333 0.05 - -0.016667 0.083333 - -'],
    ['DIFF(b)', '- -2 3 - -2 5 - -'],
    ['RATE(r)', '- - - - 0.016667 - - -'],
    ['SUM(RATE([a, b]))', '- -0.016667 0.05 0.016667 0 0.1 - -'],
    ['RUNNING_SUM(b)', '2 2 5 - 6 12 - -'],
    // FILL over the whole requested range
    ['FILL(a, 0)', '1 2 0 4 5 6 0 0'],
    ['FILL(a, REPEAT)', '1 2 2 4 5 6 6 6'],
    ['FILL(a, LINEAR)', '1 2 3 4 5 6 - -'],
    ['FILL(b, LINEAR)', '2 0 3 2 1 6 - -'],
    ['FILL(r, REPEAT)', '- - 5 5 7 7 7 7'],
    ['FILL(r, LINEAR)', '- - 5 6 7 - - -'],
    ['FILL(a, b)', '1 2 3 4 5 6 - -'],
    ['FILL(a, MIN(a))', '1 2 1 4 5 6 1 1'],
    ['FILL(e, 7)', '7 7 7 7 7 7 7 7'],
    ['SUM(FILL([a, b], 0))', '3 2 3 4 6 12 0 0'],
    // IF, with AWS's documented tables (metric1 = c1, metric2 = c2, metric3 = c3)
    ['IF(c1, c2, c3)', '30 0 20 - - - - -'],
    ['IF(c1, 5, c3)', '5 5 20 - - - - -'],
    ['IF(c1, c2, 5)', '30 0 5 5 - - - -'],
    ['IF(c1, c2)', '30 0 - - - - - -'],
    ['IF(a > 3, a)', '- - - 4 5 6 - -'],
    ['IF(a > 3, 1, 0)', '0 0 - 1 1 1 - -'],
    ['IF(1, a, b)', '1 2 - 4 5 6 - -'],
    ['IF(0, a, b)', '2 0 3 - 1 6 - -'],
    ['IF(0, a)', '- - - - - - - -'],
    ['IF(b, a / b, 0)', '0.5 0 0 - 5 1 - -'],
  ])('%s → %s', (expr, want) => {
    expect(run(expr)).toBe(want);
  });

  it('METRICS("text") keeps the metrics whose Id contains the text; expressions are not metrics', () => {
    const s = (row: string) => ser(row);
    const e: MathEnv = {
      series: new Map([['errors_4xx', s('1 2')], ['errors_5xx', s('10 -')], ['requests', s('100 100')], ['rate', s('9 9')]]),
      periods: new Map([['errors_4xx', 60], ['errors_5xx', 60], ['requests', 60], ['rate', 60]]),
      metricIds: ['errors_4xx', 'errors_5xx', 'requests'],
    };
    const r = evaluateExpression('100 * SUM(METRICS("errors")) / SUM(METRICS("req"))', e);
    expect(typeof r === 'object' && r.series.values).toEqual([11, 2]);
    const all = evaluateExpression('SUM(METRICS())', e);
    expect(typeof all === 'object' && all.series.values).toEqual([111, 102]);
  });
});

describe('errors: refused functions, wrong types, syntax', () => {
  it.each([
    [`SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', 300)`, 'The function SEARCH is not supported by this simulator.'],
    ['ANOMALY_DETECTION_BAND(a, 2)', 'ANOMALY_DETECTION_BAND is not available here'],
    ['ANOMALY_DETECTION_BAND(a * 2)', 'ANOMALY_DETECTION_BAND needs the id of a metric as its first argument'],
    ['ANOMALY_DETECTION_BAND(a, 0)', 'the width of ANOMALY_DETECTION_BAND must be a positive number'],
    ['ANOMALY_DETECTION_BAND(a, 2, 3)', 'ANOMALY_DETECTION_BAND takes 1 to 2 arguments'],
    ['LAMBDA("fetch-metrics", "x")', 'The function LAMBDA is not supported by this simulator.'],
    ['INSIGHT_RULE_METRIC("rule", "UniqueContributors")', 'The function INSIGHT_RULE_METRIC is not supported by this simulator.'],
    ['SERVICE_QUOTA(a)', 'The function SERVICE_QUOTA is not supported by this simulator.'],
    ['a + SORT(METRICS(), AVG, DESC)', 'The function SORT is not supported by this simulator.'],
    ['SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)', 'Metrics Insights queries (SELECT ...) are not supported by this simulator.'],
    ['AVG(a)', 'the expression must return a time series'],
    ['METRICS()', 'the expression returns an array of time series; only a single time series is supported as a result'],
    ['[a, b] + [a, b]', '+ between two arrays of time series is not supported'],
    ['IF(METRICS(), 1, 0)', 'IF takes numbers and time series'],
    ['FILL(a)', 'FILL takes 2 arguments'],
    ['FILL(a, NEAREST)', 'unexpected NEAREST'],
    ['FOO(a)', 'unknown function FOO'],
    ['a +', 'unexpected end of expression'],
    ['a b', 'unexpected text after the expression'],
    ['a $ b', 'unexpected character at 2'],
    ['(a + b', 'missing )'],
    ['TIME_SERIES(a)', 'TIME_SERIES needs a number'],
    ['RATE(5)', 'RATE needs a time series or an array of time series'],
  ])('%s → %s', (expr, message) => {
    expect(run(expr)).toBe(`error: ${message}`);
  });

  it('an id not computed yet asks the caller to wait', () => {
    expect(evaluateExpression('later * 2', env())).toBe('wait');
  });
});

describe('the merge is linear and equals a naive reference', () => {
  const sparse = fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 120 }).chain((mins) =>
    fc.array(fc.integer({ min: -50, max: 50 }), { minLength: mins.length, maxLength: mins.length }).map((vals) => {
      const order = mins.map((m, i) => [m, vals[i]!] as const).sort((x, y) => x[0] - y[0]);
      return { timestamps: order.map(([m]) => m * MIN), values: order.map(([, v]) => v) };
    }));

  /** The reference: a Map per series, every timestamp of either, missing as 0, non-finite dropped. */
  function naive(a: Series, b: Series, f: (x: number, y: number) => number): Series {
    const ma = new Map(a.timestamps.map((t, i) => [t, a.values[i]!]));
    const mb = new Map(b.timestamps.map((t, i) => [t, b.values[i]!]));
    const out: Series = { timestamps: [], values: [] };
    for (const t of [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x - y)) {
      const r = f(ma.get(t) ?? 0, mb.get(t) ?? 0);
      if (Number.isFinite(r)) { out.timestamps.push(t); out.values.push(r); }
    }
    return out;
  }

  const both = (a: Series, b: Series): MathEnv => ({ series: new Map([['a', a], ['b', b]]), periods: new Map([['a', 60], ['b', 60]]), metricIds: ['a', 'b'] });

  it('a + b (seed 20260301, 300 runs)', () => {
    fc.assert(fc.property(sparse, sparse, (a, b) => {
      const r = evaluateExpression('a + b', both(a, b));
      expect(r).toEqual({ series: naive(a, b, (x, y) => x + y), period: 60 });
    }), { seed: 20260301, numRuns: 300 });
  });

  it('a / b drops divisions by zero (seed 7, 300 runs)', () => {
    fc.assert(fc.property(sparse, sparse, (a, b) => {
      const r = evaluateExpression('a / b', both(a, b));
      expect(r).toEqual({ series: naive(a, b, (x, y) => x / y), period: 60 });
    }), { seed: 7, numRuns: 300 });
  });

  it('merges two interleaved series of 200,000 datapoints each (missing values count as 0)', () => {
    // (speed is measured by `npm run bench`, never here)
    const n = 200_000;
    const a: Series = { timestamps: Array.from({ length: n }, (_, i) => i * 2 * MIN), values: Array.from({ length: n }, (_, i) => i) };
    const b: Series = { timestamps: Array.from({ length: n }, (_, i) => (i * 2 + 1) * MIN), values: Array.from({ length: n }, () => 1) };
    const r = evaluateExpression('a + b', both(a, b));
    if (typeof r !== 'object' || r === null || !('series' in r)) throw new Error(`expected a series, got ${String(r)}`);
    expect(r.series.timestamps.length).toBe(2 * n);
    expect(r.series.timestamps.slice(0, 4)).toEqual([0, MIN, 2 * MIN, 3 * MIN]);
    expect(r.series.values.slice(0, 4)).toEqual([0, 1, 1, 1]);
    expect(r.series.values[2 * n - 2]).toBe(n - 1);
  });
});

describe('GetMetricData expressions in order of dependency', () => {
  const cpu = (id: string) => ({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] });
  function engineWithCpu() {
    const e = createEngine({ seed: 9, startTime: '2026-03-01T00:00:00Z' });
    const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, Monitoring: { Enabled: true } });
    if (!r.ok) throw new Error(r.error.message);
    e.advanceSync(20 * MIN);
    return { e, id: r.output.Instances[0]!.InstanceId };
  }

  it('an expression may use one listed after it', () => {
    const { e, id } = engineWithCpu();
    const r = e.callSync<{ MetricDataResults: { Id: string; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
      StartTime: e.nowMs() - 10 * MIN, EndTime: e.nowMs(),
      MetricDataQueries: [
        { Id: 'b', Expression: 'a + 1' },
        { Id: 'm', MetricStat: { Metric: cpu(id), Period: 60, Stat: 'Average' } },
        { Id: 'a', Expression: 'm * 2' },
      ],
    });
    if (!r.ok) throw new Error(r.error.message);
    const by = new Map(r.output.MetricDataResults.map((x) => [x.Id, x.Values]));
    expect(by.get('b')!.length).toBe(10);
    expect(by.get('b')).toEqual(by.get('m')!.map((v) => v * 2 + 1));
  });

  it('a circular reference and a failing expression answer ValidationError naming the query', () => {
    const { e, id } = engineWithCpu();
    const ask = (qs: unknown[]) => e.callSync('cloudwatch', 'GetMetricData', { StartTime: e.nowMs() - 10 * MIN, EndTime: e.nowMs(), MetricDataQueries: qs });
    const m = { Id: 'm', MetricStat: { Metric: cpu(id), Period: 60, Stat: 'Average' } };
    const loop = ask([m, { Id: 'x', Expression: 'y + m' }, { Id: 'y', Expression: 'x * 2' }]);
    expect(loop.ok ? null : loop.error).toEqual({ code: 'ValidationError', message: 'Error in expression x: circular or unknown reference' });
    const bad = ask([m, { Id: 'z', Expression: 'm +' }]);
    expect(bad.ok ? null : bad.error.code).toBe('ValidationError');
    expect(bad.ok ? '' : bad.error.message).toMatch(/^Error in expression z: /);
  });
});
