/**
 * parse → migrate → validate → check: text in, a validated Scenario or every problem out.
 * Hostile input (huge files, alias bombs, deep nesting, malformed YAML) gives problems, never a
 * crash. YAML is a superset of JSON, so `.json` scenario files go through the same path.
 */
import { parseDocument } from 'yaml';
import { checkScenario } from './check.ts';
import { problemsFromIssue, type ScenarioProblem } from './problems.ts';
import { SCHEMA_VERSION, scenarioSchema, type Scenario } from './schema.ts';
import { utf8Length as utf8Bytes } from '../engine/index.ts';

export const MAX_BYTES = 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
export const MAX_NODES = 200_000;

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };


/** Deepest `[`/`{` flow nesting outside quotes: a cheap guard before the YAML parser recurses. */
function flowDepth(text: string): number {
  let depth = 0, max = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      else if (c === '\n') quote = null;
    } else if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (prev === undefined || /[\s[{,:]/.test(prev)) quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

/** Depth and node count of a plain value, without recursion. */
function measure(value: unknown): { depth: number; nodes: number; deepPath: (string | number)[] } {
  let depth = 0, nodes = 0;
  let deepPath: (string | number)[] = [];
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    nodes++;
    if (nodes > MAX_NODES) break;
    if (path.length > depth) { depth = path.length; deepPath = path; }
    if (depth > MAX_DEPTH) break;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...path, i]]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([x, [...path, k]]);
  }
  return { depth, nodes, deepPath };
}

/** Parses and fully checks one scenario file. `file` is only used to label problems. */
export function parseScenario(text: string, file: string): ParseResult {
  const fail = (code: string, params: Record<string, unknown> = {}, path = ''): ParseResult =>
    ({ ok: false, problems: [{ file, path, code, params }] });
  try {
    if (typeof text !== 'string') return fail('input.notText');
    const bytes = utf8Bytes(text);
    if (bytes > MAX_BYTES) return fail('input.tooLarge', { bytes, max: MAX_BYTES });
    if (flowDepth(text) > MAX_DEPTH) return fail('input.tooDeep', { max: MAX_DEPTH });

    const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((e) => {
          const pos = e.linePos?.[0];
          const path = pos ? `${pos.line}:${pos.col}` : '';
          if (e.code === 'RESOURCE_EXHAUSTION') return { file, path, code: 'input.tooDeep', params: { max: MAX_DEPTH } };
          return { file, path, code: 'yaml.syntax', params: { line: pos?.line ?? 0, col: pos?.col ?? 0, detail: (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '') } };
        }),
      };
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) return fail('input.aliasBomb', { max: MAX_ALIASES });
      throw e;
    }
    const m = measure(data);
    if (m.nodes > MAX_NODES) return fail('input.tooManyNodes', { max: MAX_NODES });
    if (m.depth > MAX_DEPTH) return fail('input.tooDeep', { max: MAX_DEPTH });
    return validateScenario(data, file);
  } catch (e) {
    // A bug or an exhausted stack in a library: still a problem, not a crash.
    return fail('input.unreadable', { detail: e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 200) : String(e).slice(0, 200) });
  }
}

/** Brings an older file up to the current schemaVersion (only version 1 exists so far). */
export function migrateScenario(data: unknown): { data: unknown } | { code: string; params: Record<string, unknown> } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { code: 'input.notMapping', params: {} };
  const v = (data as Record<string, unknown>).schemaVersion;
  if (v === undefined) return { code: 'schema.noVersion', params: { current: SCHEMA_VERSION } };
  if (v !== SCHEMA_VERSION) return { code: 'schema.unsupportedVersion', params: { version: String(v), current: SCHEMA_VERSION } };
  return { data };
}

/** Validates already-parsed data (from YAML, JSON, or storage). */
export function validateScenario(raw: unknown, file: string): ParseResult {
  const migrated = migrateScenario(raw);
  if (!('data' in migrated)) return { ok: false, problems: [{ file, path: migrated.code === 'input.notMapping' ? '' : 'schemaVersion', code: migrated.code, params: migrated.params }] };
  const r = scenarioSchema.safeParse(migrated.data, { reportInput: true });
  if (!r.success) return { ok: false, problems: r.error.issues.flatMap((iss) => problemsFromIssue(file, iss)) };
  const problems = checkScenario(r.data, file);
  return problems.length ? { ok: false, problems } : { ok: true, scenario: r.data };
}
