/**
 * Composite alarm rules (spec §1.6): ALARM("name"), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE,
 * AND, OR, NOT and parentheses. A pure parser and evaluator. NOT binds tighter than AND, AND
 * tighter than OR.
 */
import type { AlarmStateValue } from './alarms.evaluate.ts';

export type RuleNode =
  | { op: 'state'; state: AlarmStateValue; alarm: string }
  | { op: 'const'; value: boolean }
  | { op: 'not'; arg: RuleNode }
  | { op: 'and' | 'or'; args: RuleNode[] };

type Tok = { k: 'word'; v: string } | { k: 'str'; v: string } | { k: '(' | ')' };

function tokenize(text: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(' || c === ')') { out.push({ k: c }); i++; continue; }
    if (c === '"') {
      const j = text.indexOf('"', i + 1);
      if (j < 0) return `unterminated string at ${i}`;
      out.push({ k: 'str', v: text.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s()"]/.test(text[j]!)) j++;
    out.push({ k: 'word', v: text.slice(i, j) });
    i = j;
  }
  return out;
}

const STATE_FNS: Record<string, AlarmStateValue> = { ALARM: 'ALARM', OK: 'OK', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' };

/** Parses an AlarmRule; a string is the error. */
export function parseAlarmRule(text: string): RuleNode | string {
  if (text.length < 1 || text.length > 10240) return 'AlarmRule must be 1 to 10240 characters';
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return tokens;
  const toks: Tok[] = tokens;
  let pos = 0;
  const peekWord = (w: string) => { const t = toks[pos]; return t?.k === 'word' && t.v === w; };
  function primary(): RuleNode | string {
    const t = toks[pos];
    if (!t) return 'unexpected end of rule';
    if (t.k === '(') {
      pos++;
      const e = orExpr();
      if (typeof e === 'string') return e;
      if (toks[pos]?.k !== ')') return 'missing )';
      pos++;
      return e;
    }
    if (t.k === 'word' && (t.v === 'TRUE' || t.v === 'FALSE')) { pos++; return { op: 'const', value: t.v === 'TRUE' }; }
    if (t.k === 'word' && t.v === 'NOT') { pos++; const a = primary(); return typeof a === 'string' ? a : { op: 'not', arg: a }; }
    if (t.k === 'word' && STATE_FNS[t.v]) {
      pos++;
      if (toks[pos]?.k !== '(') return `expected ( after ${t.v}`;
      pos++;
      const a = toks[pos];
      if (!a || (a.k !== 'word' && a.k !== 'str') || a.v === '') return `expected an alarm name in ${t.v}()`;
      pos++;
      if (toks[pos]?.k !== ')') return `expected ) after the alarm name in ${t.v}()`;
      pos++;
      const name = a.v.startsWith('arn:') ? a.v.slice(a.v.lastIndexOf(':alarm:') + 7) : a.v;
      return { op: 'state', state: STATE_FNS[t.v]!, alarm: name };
    }
    return `unexpected token ${t.k === 'word' || t.k === 'str' ? t.v : t.k}`;
  }
  function chain(op: 'and' | 'or', word: string, next: () => RuleNode | string): RuleNode | string {
    const first = next();
    if (typeof first === 'string') return first;
    const args = [first];
    while (peekWord(word)) {
      pos++;
      const a = next();
      if (typeof a === 'string') return a;
      args.push(a);
    }
    return args.length === 1 ? first : { op, args };
  }
  const andExpr = () => chain('and', 'AND', primary);
  const orExpr = (): RuleNode | string => chain('or', 'OR', andExpr);
  const root = orExpr();
  if (typeof root === 'string') return root;
  if (pos !== toks.length) return 'unexpected text after the rule';
  return root;
}

/** Names of the alarms a rule references. */
export function ruleAlarms(node: RuleNode, out: Set<string> = new Set()): Set<string> {
  if (node.op === 'state') out.add(node.alarm);
  else if (node.op === 'not') ruleAlarms(node.arg, out);
  else if (node.op === 'and' || node.op === 'or') for (const a of node.args) ruleAlarms(a, out);
  return out;
}

/** Evaluates a rule against alarm states (an unknown alarm matches no state function). */
export function evaluateRule(node: RuleNode, stateOf: (name: string) => AlarmStateValue | undefined): boolean {
  switch (node.op) {
    case 'const': return node.value;
    case 'state': return stateOf(node.alarm) === node.state;
    case 'not': return !evaluateRule(node.arg, stateOf);
    case 'and': return node.args.every((a) => evaluateRule(a, stateOf));
    case 'or': return node.args.some((a) => evaluateRule(a, stateOf));
  }
}
