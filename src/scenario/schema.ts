/**
 * The scenario file format, schemaVersion 1, as zod schemas. One builder gives two schemas:
 * `validate` (what parseScenario runs: guards, actions and keyed unions are checked by hand so
 * each problem is reported once, at its exact path) and `editor` (plain unions, from which
 * `scenarioJsonSchema()` generates a JSON Schema for editors' autocompletion).
 */
import * as z from 'zod';
import { parseIso } from '../engine/index.ts';
import {
  actionEditorSchema, checkAction, checkGuard, durationSchema, guardEditorSchema, idSchema, localizedSchema,
  type ActionSpec, type GuardSpec,
} from './vocabulary.ts';

export const SCHEMA_VERSION = 1;
export const PHASES = ['briefing', 'investigate', 'checkpoint', 'remediate', 'debrief'] as const;
export type Phase = (typeof PHASES)[number];
/** Story events a state's `on` may handle (engine facts and learner acts turned into events). */
export const STORY_EVENTS = ['START', 'ANSWER', 'API_CALL', 'HINT_USED', 'OBJECTIVE_DONE', 'ENGINE'] as const;
export type StoryEvent = (typeof STORY_EVENTS)[number];

type Mode = 'validate' | 'editor';
type Ctx = z.core.$RefinementCtx;

/** A value that may be written as one item or a list; normalized to a list. */
function oneOrMany<T extends z.ZodType>(item: T, mode: Mode) {
  const list = z.array(item).min(1);
  if (mode === 'editor') return z.union([item, list]) as unknown as typeof list;
  return z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), list);
}

/**
 * An object whose shape is chosen by which key it has (`{ advance: ... }`, `{ answer: ... }`).
 * Validation dispatches on the key, so the problems are those of the intended variant.
 */
function keyed<T extends Record<string, z.ZodType>>(variants: T, mode: Mode, what: string): z.ZodType<z.infer<T[keyof T]>> {
  const list = Object.values(variants);
  if (mode === 'editor') return z.union(list as [z.ZodType, z.ZodType]) as never;
  return z.unknown().transform((v, ctx: Ctx) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      ctx.addIssue({ code: 'custom', message: 'notObject', params: { code: 'schema.notObject', what } });
      return z.NEVER;
    }
    const key = Object.keys(variants).find((k) => k in v);
    if (!key) {
      ctx.addIssue({ code: 'custom', message: 'noVariant', params: { code: 'schema.noVariant', what, keys: Object.keys(variants).join(', ') } });
      return z.NEVER;
    }
    const r = variants[key]!.safeParse(v, { reportInput: true });
    if (r.success) return r.data as z.infer<T[keyof T]>;
    for (const iss of r.error.issues) ctx.addIssue(iss as never);
    return z.NEVER;
  }) as never;
}

const guard = (mode: Mode): z.ZodType<GuardSpec> =>
  mode === 'editor' ? (guardEditorSchema as z.ZodType<GuardSpec>) : z.custom<GuardSpec>(() => true).superRefine((v, ctx) => checkGuard(v, ctx));
const action = (mode: Mode): z.ZodType<ActionSpec> =>
  mode === 'editor' ? (actionEditorSchema as z.ZodType<ActionSpec>) : z.custom<ActionSpec>(() => true).superRefine((v, ctx) => checkAction(v, ctx));

const isoTime = z.string().max(40).refine((s) => !Number.isNaN(parseIso(s)), { params: { code: 'schema.invalidTime' } });
const callRef = z.string().regex(/^[a-z][a-z0-9-]{0,31}:[A-Z][A-Za-z0-9]{0,127}$/);
const params = z.record(z.string().max(256), z.unknown());
const iamName = z.string().regex(/^[\w+=,.@-]{1,64}$/);

export function buildScenarioSchema(mode: Mode) {
  const identity = keyed({
    builtin: z.strictObject({ builtin: z.enum(['autoscaling']) }),
    type: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('IAMUser'), userName: iamName, accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{12,16}$/).optional() }),
      z.strictObject({
        type: z.literal('AssumedRole'), roleName: iamName, sessionName: z.string().regex(/^[\w+=,.@-]{2,64}$/),
        mfaAuthenticated: z.boolean().optional(), invokedBy: z.string().max(128).optional(),
      }),
      z.strictObject({ type: z.literal('Root') }),
      z.strictObject({ type: z.literal('AWSService'), invokedBy: z.string().min(1).max(128) }),
    ]),
  }, mode, 'identity');

  const callFields = {
    as: idSchema,
    call: callRef,
    with: params.optional(),
    /** sourceIPAddress the call is recorded with */
    from: z.string().min(1).max(128).optional(),
    userAgent: z.string().min(1).max(1024).optional(),
  };
  /** `ok: false` marks a call meant to fail (a red herring recorded with its errorCode). */
  const setupStep = z.strictObject({ at: durationSchema.optional(), ...callFields, ok: z.boolean().optional() });
  const actorStep = z.strictObject({
    at: durationSchema, ...callFields, as: idSchema.optional(), call: callRef.optional(), say: localizedSchema.optional(),
  });

  /**
   * A CPU load the simulation follows for some instances, step by step: `instances` is `i-…`,
   * `tag:Key=Value` (every instance with the tag) or `group:NAME` (every instance of an Auto
   * Scaling group, also those launched later). With `share`, `cpu` is the group's total demand
   * (in percent of one instance) divided among its running instances.
   */
  const signal = z.strictObject({
    instances: z.string().regex(/^(i-[0-9a-f]{8,17}|tag:[^=]{1,128}=.{0,256}|group:.{1,255})$/),
    share: z.boolean().optional(),
    noise: z.number().min(0).max(50).optional(),
    wave: z.number().min(0).max(50).optional(),
    cpu: z.array(z.strictObject({ at: durationSchema, value: z.number().min(0).max(100_000) })).min(1).max(500),
  });

  const transition = z.strictObject({ target: idSchema.optional(), guard: guard(mode).optional(), actions: z.array(action(mode)).max(50).optional() });
  const transitionItem = mode === 'editor'
    ? z.union([idSchema, transition])
    : z.preprocess((v) => (typeof v === 'string' ? { target: v } : v), transition);
  const transitions = oneOrMany(transitionItem as unknown as typeof transition, mode);

  const state = z.strictObject({
    phase: z.enum(PHASES).optional(),
    type: z.literal('final').optional(),
    on: z.partialRecord(z.enum(STORY_EVENTS), transitions).optional(),
    always: transitions.optional(),
    after: z.record(durationSchema, transitions).optional(),
  });

  const option = z.strictObject({ id: idSchema, ko: z.string().min(1).max(1000), en: z.string().min(1).max(1000), correct: z.boolean().optional() });
  const checkpoint = z.strictObject({
    at: oneOrMany(idSchema, mode),
    kind: z.enum(['single', 'multiple']),
    prompt: localizedSchema,
    options: z.array(option).min(2).max(12),
    explain: localizedSchema,
  });
  const hint = z.strictObject({ cost: z.number().int().min(0).max(1000), ko: z.string().min(1).max(2000), en: z.string().min(1).max(2000), hidden: z.boolean().optional() });
  const objective = z.strictObject({ id: idSchema, ko: z.string().min(1).max(500), en: z.string().min(1).max(500), when: guard(mode) });

  const solutionStep = keyed({
    advance: z.strictObject({ advance: durationSchema }),
    call: z.strictObject({ call: callRef, as: idSchema.optional(), with: params.optional(), ok: z.boolean().optional() }),
    answer: z.strictObject({ answer: idSchema, choose: oneOrMany(idSchema, mode), correct: z.boolean().optional() }),
    hint: z.strictObject({ hint: idSchema }),
    expect: z.strictObject({
      expect: z.strictObject({
        state: idSchema.optional(), phase: z.enum(PHASES).optional(), finished: z.boolean().optional(),
        score: z.number().int().optional(), scoreAtLeast: z.number().int().optional(),
        objectivesDone: z.array(idSchema).optional(),
      }),
    }),
  }, mode, 'solution step');

  return z.strictObject({
    $schema: z.string().max(500).optional(),
    schemaVersion: z.literal(SCHEMA_VERSION),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    version: z.number().int().min(1),
    title: localizedSchema,
    summary: localizedSchema,
    briefing: localizedSchema,
    exam: z.array(z.string().min(1).max(32)).max(20).optional(),
    difficulty: z.number().int().min(1).max(5),
    estimatedMinutes: z.number().int().min(1).max(600),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    clock: z.strictObject({ start: isoTime, speeds: z.array(z.number().positive().max(1e6)).min(1).max(8).optional() }),
    account: z.strictObject({ id: z.string().regex(/^\d{12}$/).optional(), region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/).optional() }).optional(),
    identities: z.record(idSchema, identity),
    /** The identity key the learner acts as (default `learner`). */
    learner: idSchema.optional(),
    setup: z.array(setupStep).max(1000).optional(),
    actors: z.array(actorStep).max(1000).optional(),
    signals: z.array(signal).max(50).optional(),
    objectives: z.array(objective).max(50).optional(),
    initial: idSchema.optional(),
    states: z.record(idSchema, state),
    checkpoints: z.record(idSchema, checkpoint).optional(),
    hints: z.record(idSchema, hint).optional(),
    scoring: z.strictObject({ start: z.number().int().min(0).max(100_000), wrongAnswer: z.number().int().min(0).max(10_000), min: z.number().int().optional() }),
    debrief: localizedSchema,
    solution: z.array(solutionStep).min(1).max(2000),
  });
}

export const scenarioSchema = buildScenarioSchema('validate');
export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type Localized = { ko: string; en: string };
export type IdentitySpec = ScenarioFile['identities'][string];
export type StateSpec = ScenarioFile['states'][string];
export type TransitionSpec = NonNullable<StateSpec['always']>[number];
export type CheckpointSpec = NonNullable<ScenarioFile['checkpoints']>[string];
export type HintSpec = NonNullable<ScenarioFile['hints']>[string];
export type ObjectiveSpec = NonNullable<ScenarioFile['objectives']>[number];
export type SetupStep = NonNullable<ScenarioFile['setup']>[number];
export type ActorStep = NonNullable<ScenarioFile['actors']>[number];
export type SignalSpec = NonNullable<ScenarioFile['signals']>[number];
export type SolutionStep = ScenarioFile['solution'][number];

/** A validated scenario, as the runtime and the UI use it. */
export type Scenario = ScenarioFile;

/** The JSON Schema (draft 2020-12) of scenario files, for editors. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(buildScenarioSchema('editor'), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'Opsroom scenario', description: 'An Opsroom scenario file (schemaVersion 1). See scenarios/README.md.' };
}

/** The phase of a state: as declared, else its name when that is a phase, else investigate (final: debrief). */
export function phaseOf(id: string, s: StateSpec): Phase {
  if (s.phase) return s.phase;
  if ((PHASES as readonly string[]).includes(id)) return id as Phase;
  return s.type === 'final' ? 'debrief' : 'investigate';
}
