/**
 * Metric math (spec §2.5) as GetMetricData, dashboards and metric-math alarms use it: numbers,
 * query ids, `[a, b]` arrays, arithmetic + − * / ^, comparison == != < > <= >=, logical AND/&&,
 * OR/||, NOT/! (1 or 0), and the functions of AWS's "Using metric math" page that the simulator
 * keeps (see FUNCTIONS). Arithmetic on an array of time series works on each series. The result
 * must be a single time series; scalars (`AVG(m1)`) are intermediate only.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 *
 * Precedence (AWS does not publish one; the usual order, highest first): `^` (right-associative),
 * unary minus, `* /`, `+ −`, `< > <= >=`, `== !=`, NOT/!, AND/&&, OR/||. So `-2^2` is −4 and
 * `NOT m1 > 5` is `NOT (m1 > 5)`.
 */
import type { Series } from './cloudwatch.views.ts';
import {
  acrossSeries, deltas, emptySeries, fillSeries, gridTimes, ifSeries, mapValues, reduceNumbers, runningSum, unionTimes, zipUnion,
  type Filler, type Reduction,
} from './cloudwatch.math-series.ts';

export interface MathEnv {
  series: Map<string, Series>;
  periods: Map<string, number>;
  /** Ids of MetricStat queries (what METRICS() returns), in request order. */
  metricIds: string[];
  /**
   * The time range asked for, by period (the start aligned as the metrics' datapoints are): FILL
   * and TIME_SERIES put datapoints on its grid. Without it they use the metrics' timestamps.
   */
  window?: (period: number) => { start: number; end: number };
  /** TIME_SERIES' period when no metric gives one (an expression query's own Period). */
  defaultPeriod?: number | undefined;
  /**
   * ANOMALY_DETECTION_BAND(id, width): the band of query `id` (a metric) at `period` on the
   * window's grid, or an error text. Without it the function is refused.
   */
  band?: (id: string, width: number, period: number) => { upper: Series; lower: Series } | string;
}

/** The parsed form of an expression. */
export type MathNode =
  | { t: 'num'; v: number }
  | { t: 'id'; name: string }
  | { t: 'str'; v: string }
  | { t: 'kw'; v: string }
  | { t: 'list'; items: MathNode[] }
  | { t: 'un'; op: '-' | 'NOT'; a: MathNode }
  | { t: 'bin'; op: string; a: MathNode; b: MathNode }
  | { t: 'call'; name: string; args: MathNode[] };

/** Functions evaluated here. */
export const FUNCTIONS = [
  'ABS', 'ANOMALY_DETECTION_BAND', 'AVG', 'CEIL', 'DATAPOINT_COUNT', 'DIFF', 'DIFF_TIME', 'FILL', 'FIRST', 'FLOOR', 'IF', 'LAST', 'LOG', 'LOG10', 'MAX',
  'METRIC_COUNT', 'METRICS', 'MIN', 'PERIOD', 'RATE', 'REMOVE_EMPTY', 'RUNNING_SUM', 'STDDEV', 'SUM', 'TIME_SERIES',
] as const;

/** AWS functions the simulator refuses with a clear error. */
export const UNSUPPORTED_FUNCTIONS = [
  'SEARCH', 'LAMBDA', 'INSIGHT_RULE_METRIC', 'SERVICE_QUOTA',
  'SORT', 'SLICE', 'MINUTE', 'HOUR', 'DAY', 'DATE', 'MONTH', 'YEAR', 'EPOCH',
] as const;

const KEYWORDS = new Set(['REPEAT', 'LINEAR']);
const unsupported = (name: string) => `The function ${name} is not supported by this simulator.`;

const TOKEN_RE = /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|("[^"]*"|'[^']*'|“[^”]*”)|(<=|>=|==|!=|&&|\|\||[-+*/^(),<>![\]]))/y;

class MathError extends Error { }
const fail = (msg: string): never => { throw new MathError(msg); };

function tokenize(text: string): string[] {
  const toks: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) return fail(`unexpected character at ${text.slice(pos).search(/\S/) + pos}`);
    toks.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    pos = TOKEN_RE.lastIndex;
  }
  return toks;
}

/** Parses an expression: its tree, or an error text. */
export function parseExpression(text: string): MathNode | string {
  if (/^\s*SELECT\s/i.test(text)) return 'Metrics Insights queries (SELECT ...) are not supported by this simulator.';
  try {
    const toks = tokenize(text);
    let i = 0;
    const peek = () => toks[i];
    const next = () => toks[i++] ?? fail('unexpected end of expression');
    const binLevel = (ops: readonly string[], sub: () => MathNode, alias: Record<string, string> = {}) => (): MathNode => {
      let a = sub();
      while (ops.includes(peek() ?? '')) { const op = next(); a = { t: 'bin', op: alias[op] ?? op, a, b: sub() }; }
      return a;
    };
    const primary = (): MathNode => {
      const t = next();
      if (t === '(') { const v = or(); if (peek() !== ')') fail('missing )'); i++; return v; }
      if (t === '[') {
        const items: MathNode[] = [];
        while (peek() !== ']') { items.push(or()); if (peek() === ',') i++; else if (peek() !== ']') fail('expected , or ]'); }
        i++;
        return { t: 'list', items };
      }
      if (/^[\d.]/.test(t)) return { t: 'num', v: Number(t) };
      if (/^["'“]/.test(t)) return { t: 'str', v: t.slice(1, -1) };
      if (/^[a-z]/.test(t)) return { t: 'id', name: t };
      if (/^[A-Z]/.test(t) && peek() === '(') {
        if ((UNSUPPORTED_FUNCTIONS as readonly string[]).includes(t)) fail(unsupported(t));
        if (!(FUNCTIONS as readonly string[]).includes(t)) fail(`unknown function ${t}`);
        i++;
        const args: MathNode[] = [];
        while (peek() !== ')') { args.push(or()); if (peek() === ',') i++; else if (peek() !== ')') fail('expected , or )'); }
        i++;
        return { t: 'call', name: t, args };
      }
      if (KEYWORDS.has(t)) return { t: 'kw', v: t };
      return fail(`unexpected ${t}`);
    };
    const power = (): MathNode => {
      const a = primary();
      return peek() === '^' ? (i++, { t: 'bin', op: '^', a, b: unary() }) : a;
    };
    const unary = (): MathNode => (peek() === '-' ? (i++, { t: 'un', op: '-', a: unary() }) : peek() === '+' ? (i++, unary()) : power());
    const product = binLevel(['*', '/'], unary);
    const sum = binLevel(['+', '-'], product);
    const relational = binLevel(['<', '>', '<=', '>='], sum);
    const equality = binLevel(['==', '!='], relational);
    const not = (): MathNode => (peek() === 'NOT' || peek() === '!' ? (i++, { t: 'un', op: 'NOT', a: not() }) : equality());
    const and = binLevel(['AND', '&&'], not, { '&&': 'AND' });
    const or = binLevel(['OR', '||'], and, { '||': 'OR' });
    const tree = or();
    if (i !== toks.length) return 'unexpected text after the expression';
    return tree;
  } catch (e) {
    if (e instanceof MathError) return e.message;
    throw e;
  }
}

/** The query ids an expression refers to, in order of appearance. */
export function referencedIds(node: MathNode, out: string[] = []): string[] {
  if (node.t === 'id') { if (!out.includes(node.name)) out.push(node.name); }
  else if (node.t === 'list') for (const x of node.items) referencedIds(x, out);
  else if (node.t === 'un') referencedIds(node.a, out);
  else if (node.t === 'bin') { referencedIds(node.a, out); referencedIds(node.b, out); }
  else if (node.t === 'call') for (const x of node.args) referencedIds(x, out);
  return out;
}

interface TS { s: Series; period: number }
type Val = { k: 'num'; v: number } | ({ k: 'ts' } & TS) | { k: 'arr'; list: TS[]; band?: true } | { k: 'str'; v: string } | { k: 'kw'; v: string };

const OPS: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y, '^': (x, y) => x ** y,
  '==': (x, y) => +(x === y), '!=': (x, y) => +(x !== y), '<': (x, y) => +(x < y), '>': (x, y) => +(x > y),
  '<=': (x, y) => +(x <= y), '>=': (x, y) => +(x >= y), AND: (x, y) => +(x !== 0 && y !== 0), OR: (x, y) => +(x !== 0 || y !== 0),
};
const UNARY: Record<string, (x: number) => number> = {
  ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor, LOG: Math.log, LOG10: Math.log10,
};

class Wait { }

const num = (v: number): Val => ({ k: 'num', v });
const ts = (s: Series, period: number): Val => ({ k: 'ts', s, period });

function binary(a: Val, b: Val, op: string): Val {
  const f = OPS[op]!;
  if (a.k === 'str' || a.k === 'kw' || b.k === 'str' || b.k === 'kw') return fail(`${op} needs numbers or time series`);
  if (a.k === 'arr' && b.k === 'arr') return fail(`${op} between two arrays of time series is not supported`);
  if (a.k === 'arr') return { k: 'arr', list: a.list.map((x) => asTs(binary(ts(x.s, x.period), b, op))) };
  if (b.k === 'arr') return { k: 'arr', list: b.list.map((x) => asTs(binary(a, ts(x.s, x.period), op))) };
  if (a.k === 'num' && b.k === 'num') return num(f(a.v, b.v));
  if (a.k === 'ts' && b.k === 'ts') return ts(zipUnion(a.s, b.s, f), a.period);
  if (a.k === 'ts') { const y = (b as { v: number }).v; return ts(mapValues(a.s, (x) => f(x, y)), a.period); }
  const x = (a as { v: number }).v, t = b as TS;
  return ts(mapValues(t.s, (y) => f(x, y)), t.period);
}

function asTs(v: Val): TS {
  return v.k === 'ts' ? v : fail('expected a time series');
}

/** Applies a series → series function to a time series or to each series of an array. */
function eachSeries(v: Val | undefined, name: string, f: (s: Series) => Series): Val {
  if (v?.k === 'ts') return ts(f(v.s), v.period);
  if (v?.k === 'arr') return { k: 'arr', list: v.list.map((x) => ({ s: f(x.s), period: x.period })) };
  return fail(`${name} needs a time series or an array of time series`);
}

function arity(name: string, args: Val[], min: number, max: number): void {
  if (args.length < min || args.length > max)
    fail(min === max ? `${name} takes ${min} argument${min === 1 ? '' : 's'}` : `${name} takes ${min} to ${max} arguments`);
}

function evaluate(node: MathNode, env: MathEnv): Val {
  switch (node.t) {
    case 'num': return num(node.v);
    case 'str': return { k: 'str', v: node.v };
    case 'kw': return { k: 'kw', v: node.v };
    case 'id': {
      const s = env.series.get(node.name);
      if (!s) throw new Wait();
      return ts(s, env.periods.get(node.name) ?? 60);
    }
    case 'list': {
      const list: TS[] = [];
      for (const x of node.items) {
        const v = evaluate(x, env);
        if (v.k === 'ts') list.push(v);
        else if (v.k === 'arr') list.push(...v.list);
        else fail('an array holds time series only');
      }
      return { k: 'arr', list };
    }
    case 'un': {
      const a = evaluate(node.a, env);
      const f = node.op === '-' ? (x: number) => -x : (x: number) => +(x === 0);
      if (a.k === 'num') return num(f(a.v));
      return eachSeries(a, node.op, (s) => mapValues(s, f));
    }
    case 'bin': return binary(evaluate(node.a, env), evaluate(node.b, env), node.op);
    case 'call': return node.name === 'ANOMALY_DETECTION_BAND' ? bandValue(node.args, env) : call(node.name, node.args.map((x) => evaluate(x, env)), env);
  }
}

/**
 * ANOMALY_DETECTION_BAND(m1[, width]) ("Using metric math": the band is two time series, the upper
 * and the lower limit; width, the number of standard deviations, defaults to 2): [upper, lower].
 */
function bandValue(args: MathNode[], env: MathEnv): Val {
  if (args.length < 1 || args.length > 2) fail('ANOMALY_DETECTION_BAND takes 1 to 2 arguments');
  const a = args[0]!;
  if (a.t !== 'id') return fail('ANOMALY_DETECTION_BAND needs the id of a metric as its first argument');
  const w = args[1] === undefined ? num(2) : evaluate(args[1], env);
  if (w.k !== 'num' || !(w.v > 0) || !Number.isFinite(w.v)) fail('the width of ANOMALY_DETECTION_BAND must be a positive number');
  if (!env.series.has(a.name)) throw new Wait();
  if (!env.band) return fail('ANOMALY_DETECTION_BAND is not available here');
  const period = env.periods.get(a.name) ?? 60;
  const r = env.band(a.name, (w as { v: number }).v, period);
  if (typeof r === 'string') return fail(r);
  return { k: 'arr', list: [{ s: r.upper, period }, { s: r.lower, period }], band: true };
}

function gridFor(env: MathEnv, period: number): number[] {
  if (env.window) { const w = env.window(period); return gridTimes(w.start, w.end, period); }
  return unionTimes(env.metricIds.map((id) => env.series.get(id)?.timestamps ?? []));
}

function call(name: string, args: Val[], env: MathEnv): Val {
  const a = args[0];
  switch (name) {
    case 'METRICS': {
      arity(name, args, 0, 1);
      if (a !== undefined && a.k !== 'str') fail('METRICS takes a string');
      const filter = a?.k === 'str' ? a.v : '';
      return { k: 'arr', list: env.metricIds.filter((id) => id.includes(filter)).map((id) => ({ s: env.series.get(id) ?? emptySeries(), period: env.periods.get(id) ?? 60 })) };
    }
    case 'SUM': case 'AVG': case 'MIN': case 'MAX': case 'STDDEV': {
      arity(name, args, 1, 1);
      if (a!.k === 'num') return a!;
      if (a!.k === 'ts') return num(reduceNumbers(name, a!.s.values));
      if (a!.k === 'arr') return ts(acrossSeries(a!.list.map((x) => x.s), name as Reduction), a!.list[0]?.period ?? 60);
      return fail(`${name} needs a time series or an array of time series`);
    }
    case 'DATAPOINT_COUNT':
      arity(name, args, 1, 1);
      if (a!.k === 'ts') return num(a!.s.values.length);
      if (a!.k === 'arr') return ts(acrossSeries(a!.list.map((x) => x.s), 'DATAPOINT_COUNT'), a!.list[0]?.period ?? 60);
      return fail('DATAPOINT_COUNT needs a time series or an array of time series');
    case 'METRIC_COUNT':
      arity(name, args, 1, 1);
      return a!.k === 'arr' ? num(a!.list.length) : a!.k === 'ts' ? num(1) : fail('METRIC_COUNT needs an array of time series');
    case 'ABS': case 'CEIL': case 'FLOOR': case 'LOG': case 'LOG10': {
      arity(name, args, 1, 1);
      const f = UNARY[name]!;
      return a!.k === 'num' ? num(f(a!.v)) : eachSeries(a, name, (s) => mapValues(s, f));
    }
    case 'RATE': case 'DIFF': case 'DIFF_TIME':
      arity(name, args, 1, 1);
      return eachSeries(a, name, (s) => deltas(s, name));
    case 'RUNNING_SUM':
      arity(name, args, 1, 1);
      return eachSeries(a, name, runningSum);
    case 'FIRST': case 'LAST': {
      arity(name, args, 1, 1);
      if (a!.k === 'ts') return a!;
      if (a!.k !== 'arr') return fail(`${name} needs an array of time series`);
      const x = name === 'FIRST' ? a!.list[0] : a!.list[a!.list.length - 1];
      return x ? ts(x.s, x.period) : ts(emptySeries(), 60);
    }
    case 'REMOVE_EMPTY':
      arity(name, args, 1, 1);
      if (a!.k === 'arr') return { k: 'arr', list: a!.list.filter((x) => x.s.timestamps.length > 0) };
      return a!.k === 'ts' ? a! : fail('REMOVE_EMPTY needs an array of time series');
    case 'FILL': {
      arity(name, args, 2, 2);
      const b = args[1]!;
      const filler: Filler = b.k === 'num' ? { kind: 'value', v: b.v } : b.k === 'ts' ? { kind: 'series', s: b.s }
        : b.k === 'kw' ? { kind: b.v as 'REPEAT' | 'LINEAR' } : fail('FILL needs a number, a time series, REPEAT or LINEAR to fill with');
      if (a!.k === 'ts') return ts(fillSeries(a!.s, gridFor(env, a!.period), filler), a!.period);
      if (a!.k === 'arr') return { k: 'arr', list: a!.list.map((x) => ({ s: fillSeries(x.s, gridFor(env, x.period), filler), period: x.period })) };
      return fail('FILL needs a time series or an array of time series');
    }
    case 'IF': return ifValue(args);
    case 'PERIOD':
      arity(name, args, 1, 1);
      return a!.k === 'ts' ? num(a!.period) : fail('PERIOD needs a time series');
    case 'TIME_SERIES': {
      arity(name, args, 1, 1);
      if (a!.k !== 'num') return fail('TIME_SERIES needs a number');
      const first = env.metricIds[0];
      const period = env.defaultPeriod ?? (first !== undefined ? env.periods.get(first) : undefined) ?? 60;
      const grid = gridFor(env, period);
      return ts(Number.isFinite(a!.v) ? { timestamps: grid, values: grid.map(() => a!.v) } : emptySeries(), period);
    }
    default: return fail(`unknown function ${name}`);
  }
}

/** IF(condition, then[, else]) (AWS "Using IF expressions"); arrays are not accepted. */
function ifValue(args: Val[]): Val {
  arity('IF', args, 2, 3);
  const [c, a, b] = args as [Val, Val, Val | undefined];
  for (const v of args) if (v.k !== 'num' && v.k !== 'ts') fail('IF takes numbers and time series');
  const period = [c, a, b].find((v): v is Val & TS => v?.k === 'ts')?.period ?? 60;
  if (c.k === 'num') return c.v !== 0 ? a : b ?? ts(emptySeries(), period);
  const pick = (v: Val | undefined) => (v === undefined ? undefined : v.k === 'num' ? v.v : (v as TS).s);
  return ts(ifSeries((c as TS).s, pick(a)!, pick(b)), period);
}

/** Runtime cache (never state): parsed expressions by text. */
const parsed = new Map<string, MathNode | string>();

/**
 * Evaluates an expression: the series, 'wait' when it needs a query not computed yet, or an error
 * text. An anomaly-detection band (the expression is ANOMALY_DETECTION_BAND(...)) comes as `band`,
 * with `series` its upper limit.
 */
/** What evaluateExpression gives for an expression that could be evaluated. */
export type MathResult = { series: Series; period: number; band?: { upper: Series; lower: Series } };

/**
 * Evaluates expressions that may refer to each other's ids in order of dependency: passes over
 * what is left until everything is done or a pass makes no progress. `done` gets each result (a
 * series, or an error text) and stores it where later expressions find it (env.series /
 * env.periods); returning false stops everything. `before` runs before each attempt (e.g. to set
 * env.defaultPeriod). Returns the items never evaluated (circular or unknown references, or left
 * by a stop), in their order.
 */
export function evaluateInOrder<T>(
  items: readonly T[], text: (x: T) => string, env: MathEnv, done: (x: T, r: MathResult | string) => boolean | void, before?: (x: T) => void,
): T[] {
  const pending = [...items];
  while (pending.length > 0) {
    let progressed = false;
    for (let i = 0; i < pending.length; i++) {
      const x = pending[i]!;
      before?.(x);
      const r = evaluateExpression(text(x), env);
      if (r === 'wait') continue;
      pending.splice(i--, 1);
      progressed = true;
      if (done(x, r) === false) return pending;
    }
    if (!progressed) break;
  }
  return pending;
}

export function evaluateExpression(text: string, env: MathEnv): MathResult | 'wait' | string {
  let tree = parsed.get(text);
  if (tree === undefined) {
    if (parsed.size >= 512) parsed.clear();
    parsed.set(text, (tree = parseExpression(text)));
  }
  if (typeof tree === 'string') return tree;
  try {
    const v = evaluate(tree, env);
    if (v.k === 'arr' && v.band) return { series: v.list[0]!.s, period: v.list[0]!.period, band: { upper: v.list[0]!.s, lower: v.list[1]!.s } };
    if (v.k === 'arr') return 'the expression returns an array of time series; only a single time series is supported as a result';
    if (v.k !== 'ts') return 'the expression must return a time series';
    return { series: v.s, period: v.period };
  } catch (e) {
    if (e instanceof Wait) return 'wait';
    if (e instanceof MathError) return e.message;
    throw e;
  }
}
