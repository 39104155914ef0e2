/**
 * The metric-math subset of spec §2.5: numbers, query ids, + − * / and unary minus, parentheses,
 * METRICS() / METRICS("text"), SUM, AVG, MIN, MAX (scalar over one series, per-timestamp over an
 * array), FILL(x, value), ABS, PERIOD. In arithmetic a missing value counts as 0; a division by
 * zero drops that datapoint. The result must be a time series.
 */
import type { Series } from './cloudwatch.views.ts';

export interface MathEnv {
  series: Map<string, Series>;
  periods: Map<string, number>;
  /** Ids of MetricStat queries (what METRICS() returns), in request order. */
  metricIds: string[];
}

type Val = { k: 'num'; v: number } | { k: 'ts'; s: Series; period: number } | { k: 'arr'; list: { s: Series; period: number }[] };

const TOKEN_RE = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|("[^"]*")|([-+*/(),]))/y;

class Wait { }

/** Evaluates an expression: the series, 'wait' when it needs a query not computed yet, or an error text. */
export function evaluateExpression(text: string, env: MathEnv): { series: Series; period: number } | 'wait' | string {
  const toks: string[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) return `unexpected character at ${pos}`;
    toks.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    pos = TOKEN_RE.lastIndex;
  }
  let i = 0;
  const fail = (msg: string): never => { throw new Error(msg); };
  const grid = (): number[] => {
    const set = new Set<number>();
    for (const id of env.metricIds) for (const t of env.series.get(id)?.timestamps ?? []) set.add(t);
    return [...set].sort((a, b) => a - b);
  };
  function binary(a: Val, b: Val, op: string): Val {
    const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0 ? Number.NaN : x / y);
    if (a.k === 'num' && b.k === 'num') return { k: 'num', v: f(a.v, b.v) };
    if (a.k === 'arr' || b.k === 'arr') fail('arithmetic on arrays of time series is not supported');
    const at = a.k === 'ts' ? a : null, bt = b.k === 'ts' ? b : null;
    const times = [...new Set([...(at?.s.timestamps ?? []), ...(bt?.s.timestamps ?? [])])].sort((x, y) => x - y);
    const get = (v: Val, t: number) => {
      if (v.k === 'num') return v.v;
      const s = (v as { s: Series }).s;
      const j = s.timestamps.indexOf(t);
      return j < 0 ? 0 : s.values[j]!;
    };
    const out: Series = { timestamps: [], values: [] };
    for (const t of times) {
      const r = f(get(a, t), get(b, t));
      if (Number.isFinite(r)) { out.timestamps.push(t); out.values.push(r); }
    }
    return { k: 'ts', s: out, period: (at ?? bt)!.period };
  }
  function reduce(name: string, v: Val): Val {
    const agg = (xs: number[]) => name === 'SUM' ? xs.reduce((x, y) => x + y, 0) : name === 'AVG' ? xs.reduce((x, y) => x + y, 0) / xs.length
      : name === 'MIN' ? Math.min(...xs) : Math.max(...xs);
    if (v.k === 'num') return v;
    if (v.k === 'ts') return { k: 'num', v: v.s.values.length ? agg(v.s.values) : Number.NaN };
    const times = [...new Set(v.list.flatMap((x) => x.s.timestamps))].sort((x, y) => x - y);
    const out: Series = { timestamps: [], values: [] };
    for (const t of times) {
      const xs = v.list.map((x) => x.s.values[x.s.timestamps.indexOf(t)]).filter((x): x is number => x !== undefined);
      out.timestamps.push(t);
      out.values.push(agg(xs));
    }
    return { k: 'ts', s: out, period: v.list[0]?.period ?? 60 };
  }
  function call(name: string, args: Val[], raw: string[]): Val {
    switch (name) {
      case 'METRICS': {
        const filter = raw[0]?.startsWith('"') ? raw[0].slice(1, -1) : '';
        return { k: 'arr', list: env.metricIds.filter((id) => id.includes(filter)).map((id) => ({ s: env.series.get(id)!, period: env.periods.get(id)! })) };
      }
      case 'SUM': case 'AVG': case 'MIN': case 'MAX': return reduce(name, args[0] ?? fail(`${name} needs an argument`));
      case 'ABS': {
        const a = args[0];
        if (a?.k === 'num') return { k: 'num', v: Math.abs(a.v) };
        if (a?.k !== 'ts') return fail('ABS needs a time series');
        return { k: 'ts', s: { timestamps: [...a.s.timestamps], values: a.s.values.map(Math.abs) }, period: a.period };
      }
      case 'PERIOD': {
        const a = args[0];
        return a?.k === 'ts' ? { k: 'num', v: a.period } : fail('PERIOD needs a time series');
      }
      case 'FILL': {
        const a = args[0], b = args[1];
        if (a?.k !== 'ts' || b?.k !== 'num') return fail('FILL needs a time series and a number');
        const times = grid();
        const out: Series = { timestamps: times, values: times.map((t) => { const j = a.s.timestamps.indexOf(t); return j < 0 ? b.v : a.s.values[j]!; }) };
        return { k: 'ts', s: out, period: a.period };
      }
      default: return fail(`unknown function ${name}`);
    }
  }
  function primary(): Val {
    const t = toks[i++] ?? fail('unexpected end of expression');
    if (t === '(') { const v = sum(); if (toks[i++] !== ')') fail('missing )'); return v; }
    if (t === '-') { const v = primary(); return binary({ k: 'num', v: 0 }, v, '-'); }
    if (/^\d/.test(t)) return { k: 'num', v: Number(t) };
    if (/^[A-Z]/.test(t) && toks[i] === '(') {
      i++;
      const args: Val[] = [], raw: string[] = [];
      while (toks[i] !== ')') {
        if (toks[i]?.startsWith('"')) { raw.push(toks[i++]!); args.push({ k: 'num', v: 0 }); }
        else { raw.push(''); args.push(sum()); }
        if (toks[i] === ',') i++;
        else if (toks[i] !== ')') fail('expected , or )');
      }
      i++;
      return call(t, args, raw);
    }
    if (/^[a-z]/.test(t)) {
      const s = env.series.get(t);
      if (!s) throw new Wait();
      return { k: 'ts', s, period: env.periods.get(t) ?? 60 };
    }
    return fail(`unexpected ${t}`);
  }
  function product(): Val {
    let v = primary();
    while (toks[i] === '*' || toks[i] === '/') { const op = toks[i++]!; v = binary(v, primary(), op); }
    return v;
  }
  function sum(): Val {
    let v = product();
    while (toks[i] === '+' || toks[i] === '-') { const op = toks[i++]!; v = binary(v, product(), op); }
    return v;
  }
  try {
    const v = sum();
    if (i !== toks.length) return 'unexpected text after the expression';
    if (v.k !== 'ts') return 'the expression must return a time series';
    return { series: v.s, period: v.period };
  } catch (e) {
    if (e instanceof Wait) return 'wait';
    return (e as Error).message;
  }
}
