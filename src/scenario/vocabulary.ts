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

/** An instance reference: `i-…` or `tag:Key=Value` (a live instance with that tag first). */
const instanceRef = z.string().min(1).max(300);
/** A number, or a range `{ atLeast?, atMost? }` (both inclusive). */
export const numberMatchSchema = z.union([
  z.number(),
  z.strictObject({ atLeast: z.number().optional(), atMost: z.number().optional() }),
]);
export type NumberMatch = z.infer<typeof numberMatchSchema>;
const oneOrList = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const TREAT_MISSING = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
export const ACTION_KINDS = ['sns', 'autoscaling', 'ec2'] as const;
export const POLICY_TYPES = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling'] as const;

/**
 * Which metric alarms a guard is about: every field given must match. `dimensions` lists
 * dimensions the alarm must have (it may have more; values may be `tag:Key=Value` instance
 * references). `breachesAt` / `okAt` are metric values that must / must not breach the
 * alarm's threshold, which checks the comparison without fixing one operator.
 */
const alarmMatchFields = {
  alarm: z.string().min(1).max(255).optional(),
  namespace: z.string().min(1).max(255).optional(),
  metric: z.string().min(1).max(255).optional(),
  dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).optional(),
  statistic: oneOrList(z.string().min(1).max(64)).optional(),
  period: numberMatchSchema.optional(),
  evaluationPeriods: numberMatchSchema.optional(),
  datapointsToAlarm: numberMatchSchema.optional(),
  treatMissingData: oneOrList(z.enum(TREAT_MISSING)).optional(),
  breachesAt: z.array(z.number()).min(1).max(20).optional(),
  okAt: z.array(z.number()).min(1).max(20).optional(),
  /** Kinds of AlarmActions the alarm must have (an SNS topic, an Auto Scaling policy, an EC2 action). */
  alarmActions: z.array(z.enum(ACTION_KINDS)).min(1).optional(),
  /** Whether the alarm's actions are enabled. */
  actionsEnabled: z.boolean().optional(),
};
export const alarmMatchSchema = z.strictObject(alarmMatchFields);
export type AlarmMatch = z.infer<typeof alarmMatchSchema>;

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
  /** A process inside an instance is running (or not, with `running: false`); SSM's view of the node. */
  processRunning: z.strictObject({ instance: instanceRef, name: z.string().min(1).max(128), running: z.boolean().optional() }),
  /** The CloudWatch agent is running inside the instance (or not, with `running: false`). */
  agentRunning: z.strictObject({ instance: instanceRef, running: z.boolean().optional() }),
  /** A Run Command command of this document succeeded (on that instance, when given). */
  commandSucceeded: z.strictObject({ document: z.string().min(1).max(128), instance: instanceRef.optional() }),
  /** A metric with data in the last two weeks exists (ListMetrics shows it); `dimensions` must be among its dimensions. */
  metricExists: z.strictObject({
    namespace: z.string().min(1).max(255), metric: z.string().min(1).max(255),
    dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).optional(),
  }),
  /** A metric alarm matching every given field exists. */
  alarmExists: alarmMatchSchema,
  /** Some metric alarm matching every given field is in the state (or one of a list). */
  alarmState: z.strictObject({ ...alarmMatchFields, is: oneOrList(z.enum(ALARM_STATES)) }),
  /** An Auto Scaling group's capacity: desired, instances InService, min and max size. */
  asgCapacity: z.strictObject({
    group: z.string().min(1).max(255), desired: numberMatchSchema.optional(), inService: numberMatchSchema.optional(),
    min: numberMatchSchema.optional(), max: numberMatchSchema.optional(),
  }),
  /** The group has a scaling policy (of this type, with this name, when given). */
  scalingPolicy: z.strictObject({ group: z.string().min(1).max(255), type: oneOrList(z.enum(POLICY_TYPES)).optional(), name: z.string().min(1).max(255).optional() }),
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
