/**
 * Problems found in a scenario file: `{file, path, code, params}`, with their text in the
 * i18n resources under `scenario:problems.<code>` (Korean and English). zod issues are turned
 * into problems here so the checker speaks one language, whatever found the problem.
 */
import type * as z from 'zod';
import { ID_PATTERN } from './vocabulary.ts';

export interface ScenarioProblem { file: string; path: string; code: string; params: Record<string, unknown> }

/** `states.investigate.on.ANSWER[0].guard` from `['states','investigate','on','ANSWER',0,'guard']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      out += /^[^.\s[\]"]+$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

/** "file: path: message" in the language of `t` (an i18next `t`). */
export function formatProblem(p: ScenarioProblem, t: (key: string, opts?: object) => string): string {
  const message = t(`scenario:problems.${p.code}`, { ...p.params, interpolation: { escapeValue: false } });
  return p.path ? `${p.file}: ${p.path}: ${message}` : `${p.file}: ${message}`;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const KNOWN_PATTERNS: [string, string][] = [
  [ID_PATTERN, 'schema.invalidId'],
  ['^(?=[+-]?\\d)', 'schema.invalidDuration'],
  ['^[a-z][a-z0-9-]{0,31}:', 'schema.invalidCall'],
  ['^[a-z0-9][a-z0-9-]{0,63}$', 'schema.invalidScenarioId'],
];

type Issue = z.core.$ZodIssue & { input?: unknown };

/** One zod issue as zero or more problems (unknown keys become one problem per key). */
export function problemsFromIssue(file: string, iss: Issue, base: readonly PropertyKey[] = []): ScenarioProblem[] {
  const path = [...base, ...iss.path];
  const p = (code: string, params: Record<string, unknown> = {}, at = path): ScenarioProblem => ({ file, path: formatPath(at), code, params });
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined && iss.expected !== 'undefined') return [p('schema.required', { expected: iss.expected })];
      return [p('schema.invalidType', { expected: iss.expected, received: typeName(iss.input) })];
    case 'unrecognized_keys':
      return iss.keys.map((key) => p('schema.unknownKey', { key }, [...path, key]));
    case 'invalid_value':
      return [p('schema.invalidValue', { expected: iss.values.map((v) => JSON.stringify(v)).join(' | ') })];
    case 'invalid_union': {
      if (iss.errors.length === 0) {
        const expected = /Expected (.*)$/.exec(iss.message)?.[1] ?? '';
        return [p('schema.invalidValue', { expected })];
      }
      // Report the branch that came closest (fewest issues), not every branch.
      const best = [...iss.errors].sort((a, b) => a.length - b.length)[0]!;
      return best.flatMap((sub) => problemsFromIssue(file, sub as Issue, path));
    }
    case 'invalid_key':
      return [p('schema.invalidKey', { key: String(path[path.length - 1] ?? '') })];
    case 'invalid_element':
      return iss.issues.flatMap((sub) => problemsFromIssue(file, sub as Issue, path));
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      const limit = small ? (iss as z.core.$ZodIssueTooSmall).minimum : (iss as z.core.$ZodIssueTooBig).maximum;
      const kind = iss.origin === 'string' ? 'Length' : iss.origin === 'array' || iss.origin === 'set' ? 'Items' : 'Number';
      return [p(`schema.${small ? 'tooSmall' : 'tooBig'}${kind}`, { limit: Number(limit) })];
    }
    case 'invalid_format': {
      const pattern = (iss as { pattern?: string }).pattern ?? '';
      const known = KNOWN_PATTERNS.find(([src]) => pattern.includes(src));
      return [p(known?.[1] ?? 'schema.invalidFormat', { pattern, value: typeof iss.input === 'string' ? iss.input.slice(0, 80) : '' })];
    }
    case 'custom': {
      const params = { ...((iss.params ?? {}) as Record<string, unknown>) };
      const code = typeof params.code === 'string' ? params.code : 'schema.invalid';
      delete params.code;
      if (code === 'schema.invalid') params.detail = iss.message;
      return [p(code, params)];
    }
    default:
      return [p('schema.invalid', { detail: iss.message })];
  }
}

export class ScenarioResumeError extends Error {
  override readonly name = 'ScenarioResumeError';
}

/** A scenario that passed the checker failed at run time (an authoring bug, e.g. a setup call). */
export class ScenarioRunError extends Error {
  override readonly name = 'ScenarioRunError';
}
