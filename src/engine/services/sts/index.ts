/**
 * The `sts` service: AssumeRole and GetCallerIdentity. Calls go to the global endpoint, so
 * CloudTrail records them in us-east-1 (spec §0). STS learns which roles exist from IAM's
 * `iam/role-created` / `iam/role-deleted` events, never from IAM's state.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
import { principalArn, principalIdOf } from '../../kernel/identity.ts';
import { checkInt, checkString, err, firstError } from '../../kernel/params.ts';
import { nextAlnum, nextUint32 } from '../../kernel/rng.ts';
import { parseIso, toIso, toRecordDate } from '../../kernel/time.ts';
import type { ApiError, EngineEvent, Identity, Params, ServiceDef } from '../../kernel/types.ts';
import { trustAllows } from './sts.trust.ts';

export interface KnownRole { roleName: string; arn: string; roleId: string; trustPolicy: string; maxSessionDuration: number }
export interface StsState {
  /** Roles by ARN, as IAM announced them. */
  roles: Record<string, KnownRole>;
  /** How many sessions were issued (for views). */
  sessionsIssued: number;
}

const SESSION_NAME = /^[\w+=,.@-]*$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** STS answers malformed input with `ValidationError`. */
const stsValidation = (e: ApiError | null): ApiError | null => (e && e.code === 'ValidationException' ? { ...e, code: 'ValidationError' } : e);

const denied = (caller: string, roleArn: string) =>
  err('AccessDenied', `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);

/** The identity to pass as `{identity}` when calling with the credentials AssumeRole returned. */
export function identityFromAssumeRole(output: Record<string, unknown>, opts: { mfaAuthenticated?: boolean; console?: boolean } = {}): Identity {
  const user = output.AssumedRoleUser as { Arn: string };
  const creds = output.Credentials as { AccessKeyId: string; Expiration: string };
  const [, roleName = '', sessionName = ''] = /assumed-role\/([^/]+)\/(.+)$/.exec(user.Arn) ?? [];
  const expiration = parseIso(creds.Expiration);
  const issued = typeof output.IssuedAt === 'string' ? parseIso(output.IssuedAt) : expiration;
  return {
    type: 'AssumedRole', roleName, sessionName, accessKeyId: creds.AccessKeyId, sessionCreated: issued,
    ...(opts.mfaAuthenticated ? { mfaAuthenticated: true } : {}), ...(opts.console ? { console: true } : {}),
  };
}

const roleRes = (p: Params) => (typeof p.RoleArn === 'string' ? [{ type: 'AWS::IAM::Role', name: p.RoleArn }] : []);

export const stsService: ServiceDef<StsState> = {
  name: 'sts',
  eventSource: 'sts.amazonaws.com',
  global: true,
  init: () => ({ roles: {}, sessionsIssued: 0 }),
  operations: {
    AssumeRole: {
      readOnly: false,
      validate: (p) => stsValidation(firstError(
        checkString(p, 'RoleArn', { required: true, min: 20, max: 2048 }),
        checkString(p, 'RoleSessionName', { required: true, min: 2, max: 64, pattern: SESSION_NAME }),
        checkInt(p, 'DurationSeconds', { min: 900, max: 43200 }),
        checkString(p, 'ExternalId', { min: 2, max: 1224 }),
      )),
      run(ctx, p, call) {
        const roleArn = p.RoleArn as string;
        const session = p.RoleSessionName as string;
        const caller = principalArn(call.identity, ctx.accountId);
        if (!ROLE_ARN.test(roleArn)) return err('ValidationError', `${roleArn} is invalid`);
        const role = ctx.state.roles[roleArn];
        if (!role || !trustAllows(role.trustPolicy, ctx.accountId, caller)) return denied(caller, roleArn);
        const duration = (p.DurationSeconds as number | undefined) ?? 3600;
        if (call.identity.type === 'AssumedRole' && duration > 3600)
          return err('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
        if (duration > role.maxSessionDuration)
          return err('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
        const rng = ctx.rng();
        const accessKeyId = `ASIA${nextAlnum(rng, 16)}`;
        let secret = '';
        for (let i = 0; i < 40; i++) secret += TOKEN_CHARS[nextUint32(rng) & 63];
        let token = 'IQoJb3JpZ2luX2Vj';
        while (token.length < 600) token += TOKEN_CHARS[nextUint32(rng) & 63];
        ctx.state.sessionsIssued += 1;
        const sessionArn = `arn:aws:sts::${ctx.accountId}:assumed-role/${role.roleName}/${session}`;
        const assumedRoleId = `${role.roleId}:${session}`;
        ctx.emit('sts/role-assumed', { roleArn, sessionName: session, accessKeyId, caller });
        return {
          output: {
            Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: toIso(ctx.now + duration * 1000) },
            AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: sessionArn },
            IssuedAt: toIso(ctx.now),
          },
          resources: [
            { type: 'AWS::IAM::AccessKey', name: accessKeyId },
            { type: 'AWS::STS::AssumedRole', name: assumedRoleId, arn: sessionArn },
            { type: 'AWS::IAM::Role', name: roleArn },
          ],
        };
      },
      resources: roleRes,
      trail: {
        response: (o) => {
          const c = o.Credentials as { AccessKeyId: string; SessionToken: string; Expiration: string };
          const u = o.AssumedRoleUser as { AssumedRoleId: string; Arn: string };
          return {
            credentials: { accessKeyId: c.AccessKeyId, sessionToken: c.SessionToken, expiration: toRecordDate(parseIso(c.Expiration)) },
            assumedRoleUser: { assumedRoleId: u.AssumedRoleId, arn: u.Arn },
          };
        },
      },
    },
    GetCallerIdentity: {
      readOnly: true,
      run(ctx, _p, call) {
        return {
          output: { UserId: principalIdOf(call.identity, ctx.accountId), Account: ctx.accountId, Arn: principalArn(call.identity, ctx.accountId) },
        };
      },
      trail: { request: () => null },
    },
  },
  on: {
    'iam/role-created'(ctx, e: EngineEvent<KnownRole>) {
      const r = e.payload;
      ctx.state.roles[r.arn] = { roleName: r.roleName, arn: r.arn, roleId: r.roleId, trustPolicy: r.trustPolicy, maxSessionDuration: r.maxSessionDuration };
    },
    'iam/role-deleted'(ctx, e: EngineEvent<{ roleName: string }>) {
      for (const [arn, r] of Object.entries(ctx.state.roles)) if (r.roleName === e.payload.roleName) delete ctx.state.roles[arn];
    },
  },
};
