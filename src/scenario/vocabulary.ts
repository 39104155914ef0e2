/**
 * The fixed vocabulary of guards and actions a scenario may use. Each entry is a name with
 * checked parameters: scenario files never contain code or expressions, only these words.
 * Guards are objects with exactly one key (`{ apiCalled: {...} }`), combined with `all`, `any`
 * and `not`; actions are objects with exactly one key (`{ score: -5 }`).
 */
import * as z from 'zod';

export const ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';
/** Ids of states, checkpoints, hints, objectives, identities, options. */
export const idSchema = z.string().regex(new RegExp(ID_PATTERN));
/** `+10m`, `-2h`, `1h30m`, `90s`, `+1d` (see duration.ts). */
export const durationSchema = z.string().regex(/^(?=[+-]?\d)[+-]?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$/);
const text = z.string().min(1).max(4000);
export const localizedSchema = z.strictObject({ ko: text, en: text });

export const INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated', 'gone'] as const;
const instanceState = z.enum(INSTANCE_STATES);

/** Guards that take parameters, with their parameter schemas. */
export const GUARD_PARAMS = {
  /** The event being handled is an answer to `checkpoint` (right or wrong, or as `correct` says). */
  answer: z.strictObject({ checkpoint: idSchema, correct: z.boolean().optional() }),
  /** The checkpoint has been answered correctly (at any time). */
  checkpointCorrect: idSchema,
  objectiveDone: idSchema,
  allObjectivesDone: z.literal(true),
  hintUsed: idSchema,
  /** The event being handled is a completed API call (`by`: an identity key; `ok`: success or failure). */
  apiCalled: z.strictObject({
    service: z.string().min(1).max(64), action: z.string().min(1).max(128), by: idSchema.optional(), ok: z.boolean().optional(),
  }),
  /** An EC2 instance (`i-…` or `tag:Key=Value`) is in one of these states; `gone` = no longer listed. */
  instanceState: z.strictObject({ instance: z.string().min(1).max(300), state: z.union([instanceState, z.array(instanceState).min(1)]) }),
  bucketExists: z.strictObject({ bucket: z.string().min(1).max(63), exists: z.boolean().optional() }),
  /** The simulated clock is at least this long after the scenario start. */
  clockAfter: durationSchema,
  scoreAtLeast: z.number().int(),
} as const;
export type GuardName = keyof typeof GUARD_PARAMS;
export const COMBINATORS = ['all', 'any', 'not'] as const;
export const GUARD_NAMES = [...Object.keys(GUARD_PARAMS), ...COMBINATORS] as string[];

export const ACTION_PARAMS = {
  /** Adds to the score (negative to take away). */
  score: z.number().int().min(-1000).max(1000),
  /** Shows a message in the message list. */
  message: z.strictObject({ from: z.string().min(1).max(64), ko: text, en: text }),
  /** Makes a hidden hint available. */
  revealHint: idSchema,
  completeObjective: idSchema,
} as const;
export type ActionName = keyof typeof ACTION_PARAMS;
export const ACTION_NAMES = Object.keys(ACTION_PARAMS);

export type GuardSpec = { [name: string]: unknown };
export type ActionSpec = { [name: string]: unknown };

/** How deep `all`/`any`/`not` may nest. */
export const MAX_GUARD_DEPTH = 16;

type Ctx = z.core.$RefinementCtx;
type PathSeg = string | number;

function issue(ctx: Ctx, path: PathSeg[], code: string, params: Record<string, unknown> = {}): void {
  ctx.addIssue({ code: 'custom', path, message: code, params: { code, ...params } });
}

/** Runs `schema` on `value` and re-reports its issues under `path`. */
function forward(ctx: Ctx, schema: z.ZodType, value: unknown, path: PathSeg[]): void {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return;
  for (const iss of r.error.issues) ctx.addIssue({ ...(iss as object), path: [...path, ...iss.path] } as never);
}

function singleKey(value: unknown, ctx: Ctx, path: PathSeg[], what: 'guard' | 'action'): [string, unknown] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issue(ctx, path, `${what}.notObject`);
    return null;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    issue(ctx, path, `${what}.oneKey`, { keys: keys.join(', ') || '-' });
    return null;
  }
  return [keys[0]!, (value as Record<string, unknown>)[keys[0]!]];
}

/** Checks a guard, reporting every problem with its path (relative to the guard). */
export function checkGuard(value: unknown, ctx: Ctx, path: PathSeg[] = [], depth = 0): void {
  if (depth > MAX_GUARD_DEPTH) return issue(ctx, path, 'guard.tooDeep', { max: MAX_GUARD_DEPTH });
  const kv = singleKey(value, ctx, path, 'guard');
  if (!kv) return;
  const [name, params] = kv;
  if (name === 'all' || name === 'any') {
    if (!Array.isArray(params) || params.length === 0) return issue(ctx, [...path, name], 'guard.needList');
    params.forEach((g, i) => checkGuard(g, ctx, [...path, name, i], depth + 1));
    return;
  }
  if (name === 'not') return checkGuard(params, ctx, [...path, name], depth + 1);
  const schema = (GUARD_PARAMS as Record<string, z.ZodType>)[name];
  if (!schema) return issue(ctx, path, 'guard.unknown', { name, known: GUARD_NAMES.join(', ') });
  forward(ctx, schema, params, [...path, name]);
}

export function checkAction(value: unknown, ctx: Ctx, path: PathSeg[] = []): void {
  const kv = singleKey(value, ctx, path, 'action');
  if (!kv) return;
  const [name, params] = kv;
  const schema = (ACTION_PARAMS as Record<string, z.ZodType>)[name];
  if (!schema) return issue(ctx, path, 'action.unknown', { name, known: ACTION_NAMES.join(', ') });
  forward(ctx, schema, params, [...path, name]);
}

/** Visits every leaf guard (not a combinator) with its path. */
export function walkGuard(g: GuardSpec, path: PathSeg[], visit: (name: string, params: unknown, path: PathSeg[]) => void): void {
  const [name, params] = Object.entries(g)[0]!;
  if (name === 'all' || name === 'any') (params as GuardSpec[]).forEach((x, i) => walkGuard(x, [...path, name, i], visit));
  else if (name === 'not') walkGuard(params as GuardSpec, [...path, 'not'], visit);
  else visit(name, params, [...path, name]);
}

/** The guard vocabulary as a zod union, for the generated JSON Schema (editor autocompletion). */
export const guardEditorSchema: z.ZodType = z.lazy(() =>
  z.union([
    ...Object.entries(GUARD_PARAMS).map(([k, s]) => z.strictObject({ [k]: s as z.ZodType })),
    z.strictObject({ all: z.array(guardEditorSchema).min(1) }),
    z.strictObject({ any: z.array(guardEditorSchema).min(1) }),
    z.strictObject({ not: guardEditorSchema }),
  ]).meta({ id: 'Guard', description: 'A guard: exactly one key from the fixed vocabulary (see scenarios/README.md).' }),
);
export const actionEditorSchema: z.ZodType = z.union(
  Object.entries(ACTION_PARAMS).map(([k, s]) => z.strictObject({ [k]: s as z.ZodType })),
);
