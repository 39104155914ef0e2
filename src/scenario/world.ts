/**
 * The simulated account a scenario runs in: identities, the engine with the setup applied, and
 * read-only lookups over engine views (instances by tag, buckets) for guards and actor calls.
 */
import { AUTOSCALING_IDENTITY, createEngine, parseIso, type Engine, type Identity } from '../engine/index.ts';
import { listInstances, type Ec2State, type InstanceView } from '../engine/services/ec2/index.ts';
import type { S3State } from '../engine/services/s3/index.ts';
import type { AutoScalingState } from '../engine/services/autoscaling/index.ts';
import { parseDuration } from './duration.ts';
import type { IdentitySpec, Scenario } from './schema.ts';

export const DEFAULT_LEARNER = 'learner';
export const learnerKey = (s: Scenario): string => s.learner ?? DEFAULT_LEARNER;
export const startMs = (s: Scenario): number => parseIso(s.clock.start);

/** The engine identity a scenario identity stands for. */
export function resolveIdentity(spec: IdentitySpec): Identity {
  if ('builtin' in spec) return { ...AUTOSCALING_IDENTITY };
  switch (spec.type) {
    case 'IAMUser': return { type: 'IAMUser', userName: spec.userName, ...(spec.accessKeyId ? { accessKeyId: spec.accessKeyId } : {}) };
    case 'AssumedRole':
      return {
        type: 'AssumedRole', roleName: spec.roleName, sessionName: spec.sessionName,
        ...(spec.mfaAuthenticated !== undefined ? { mfaAuthenticated: spec.mfaAuthenticated } : {}),
        ...(spec.invokedBy ? { invokedBy: spec.invokedBy } : {}),
      };
    case 'Root': return { type: 'Root' };
    case 'AWSService': return { type: 'AWSService', invokedBy: spec.invokedBy };
  }
}

export function identityOf(s: Scenario, key: string): Identity {
  const spec = s.identities[key];
  if (!spec) throw new Error(`scenario ${s.id}: unknown identity ${key}`);
  return resolveIdentity(spec);
}

/** The name people see for an identity (user name, role session name, `root`, the service). */
export function displayName(id: Identity): string {
  switch (id.type) {
    case 'IAMUser': return id.userName;
    case 'AssumedRole': return id.sessionName;
    case 'Root': return 'root';
    case 'AWSService': return id.invokedBy;
  }
}

const principalKey = (id: Identity): string => {
  switch (id.type) {
    case 'IAMUser': return `u:${id.userName}`;
    case 'AssumedRole': return `r:${id.roleName}/${id.sessionName}`;
    case 'Root': return 'root';
    case 'AWSService': return `s:${id.invokedBy}`;
  }
};

/** The scenario identity key of an engine identity (first match), or null. */
export function identityKeyOf(s: Scenario, id: Identity): string | null {
  const k = principalKey(id);
  for (const [key, spec] of Object.entries(s.identities)) if (principalKey(resolveIdentity(spec)) === k) return key;
  return null;
}

/** A setup call whose result was not the expected one (`code` null: it succeeded but should have failed). */
export interface SetupFailure { index: number; call: string; code: string | null; message: string }

/** When the engine is created: the start, or earlier if setup steps are dated before it. */
export function creationMs(s: Scenario): number {
  const start = startMs(s);
  let earliest = start;
  for (const step of s.setup ?? []) if (step.at) earliest = Math.min(earliest, start + parseDuration(step.at));
  return earliest;
}

/** A new engine with the scenario's setup applied and the clock at the scenario start. */
export function createWorld(s: Scenario): { engine: Engine; failures: SetupFailure[] } {
  const start = startMs(s);
  const engine = createEngine({ seed: s.seed, startTime: creationMs(s), accountId: s.account?.id, region: s.account?.region });
  const failures: SetupFailure[] = [];
  (s.setup ?? []).forEach((step, index) => {
    if (step.at) {
      const t = start + parseDuration(step.at);
      if (t > engine.nowMs()) engine.advanceToSync(t);
    }
    const [service, action] = splitCall(step.call);
    const r = engine.callSync(service, action, resolveRefs(step.with ?? {}, engine), callOptions(s, step));
    if (r.ok !== (step.ok ?? true)) failures.push({ index, call: step.call, code: r.ok ? null : r.error.code, message: r.ok ? '' : r.error.message });
  });
  if (engine.nowMs() < start) engine.advanceToSync(start);
  return { engine, failures };
}

export function callOptions(s: Scenario, step: { as?: string; from?: string; userAgent?: string }) {
  return {
    identity: identityOf(s, step.as ?? learnerKey(s)),
    ...(step.from ? { sourceIPAddress: step.from } : {}),
    ...(step.userAgent ? { userAgent: step.userAgent } : {}),
  };
}

export function splitCall(call: string): [string, string] {
  const i = call.indexOf(':');
  return [call.slice(0, i), call.slice(i + 1)];
}

const TAG_REF = /^tag:([^=]+)=(.*)$/;

/** The instance an `i-…` id or a `tag:Key=Value` reference names (a live one first), or null. */
export function findInstance(engine: Engine, ref: string): InstanceView | null {
  const all = listInstances(engine.read<Ec2State>('ec2'));
  const m = TAG_REF.exec(ref);
  if (!m) return all.find((i) => i.instanceId === ref) ?? null;
  const matches = all.filter((i) => i.tags[m[1]!] === m[2]);
  return matches.find((i) => i.state !== 'terminated' && i.state !== 'shutting-down') ?? matches[matches.length - 1] ?? null;
}

const POLICY_REF = /^policy:([^/]+)\/(.+)$/;

/** The ARN of the scaling policy `policy:Group/PolicyName` names, or null. */
export function findPolicyArn(engine: Engine, ref: string): string | null {
  const m = POLICY_REF.exec(ref);
  if (!m) return null;
  const policies = engine.read<AutoScalingState>('autoscaling').policies;
  return Object.values(policies).find((p) => p.AutoScalingGroupName === m[1] && p.PolicyName === m[2])?.PolicyARN ?? null;
}

/**
 * Replaces references anywhere in call parameters: `tag:Key=Value` with the id of the instance
 * with that tag, `policy:Group/PolicyName` with that scaling policy's ARN.
 */
export function resolveRefs<T>(value: T, engine: Engine): T {
  if (typeof value === 'string') {
    if (TAG_REF.test(value)) return (findInstance(engine, value)?.instanceId ?? value) as T;
    if (POLICY_REF.test(value)) return (findPolicyArn(engine, value) ?? value) as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, engine)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveRefs(v, engine);
    return out as T;
  }
  return value;
}

export function bucketExists(engine: Engine, name: string): boolean {
  return Boolean(engine.read<S3State>('s3').buckets[name]);
}
