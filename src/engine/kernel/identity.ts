/**
 * Identities as CloudTrail shows them (spec §4.3). Ids that AWS derives for a principal
 * (AIDA… user ids, AROA… role ids, access keys) are pure functions of the account and name,
 * so IAM and CloudTrail agree without reading each other's state.
 */
import { fnv1a } from './rng.ts';
import { toIsoSeconds } from './time.ts';
import type { Identity } from './types.ts';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable AWS-style id: `prefix` + 17 (or `len`) base32 characters derived from `key`. */
export function derivedId(prefix: string, key: string, len = 17): string {
  let out = '';
  let h = fnv1a(key);
  for (let i = 0; out.length < len; i++) {
    h = fnv1a(`${i}:${key}`, h);
    for (let k = 0; k < 6 && out.length < len; k++) out += B32[(h >>> (k * 5)) & 31];
  }
  return prefix + out;
}

export const userIdOf = (accountId: string, userName: string) => derivedId('AIDA', `${accountId}/user/${userName}`);
export const roleIdOf = (accountId: string, roleName: string) => derivedId('AROA', `${accountId}/role/${roleName}`);
export const accessKeyOf = (accountId: string, userName: string) => derivedId('AKIA', `${accountId}/key/${userName}`, 16);
export const sessionKeyOf = (accountId: string, role: string, session: string) =>
  derivedId('ASIA', `${accountId}/session/${role}/${session}`, 16);

/** Service-linked roles live under a service path (`role/aws-service-role/<service>/<name>`). */
const SERVICE_LINKED: Record<string, string> = {
  AWSServiceRoleForAutoScaling: 'aws-service-role/autoscaling.amazonaws.com/',
  AWSServiceRoleForCloudWatchEvents: 'aws-service-role/events.amazonaws.com/',
};

/** The identity Auto Scaling uses when it launches or terminates instances (spec §4.3). */
export const AUTOSCALING_IDENTITY: Identity = {
  type: 'AssumedRole',
  roleName: 'AWSServiceRoleForAutoScaling',
  sessionName: 'AutoScaling',
  invokedBy: 'autoscaling.amazonaws.com',
};

/** Temporary credentials of a console session (ASIA…), stable per principal and session start. */
export const consoleKeyOf = (accountId: string, principal: string, created: number) =>
  derivedId('ASIA', `${accountId}/console/${principal}/${created}`, 16);
export const rootKeyOf = (accountId: string) => derivedId('AKIA', `${accountId}/root`, 16);

/** The ARN of the calling principal (what GetCallerIdentity answers). */
export function principalArn(id: Identity, accountId: string): string {
  switch (id.type) {
    case 'Root': return `arn:aws:iam::${accountId}:root`;
    case 'IAMUser': return `arn:aws:iam::${accountId}:user/${id.userName}`;
    case 'AssumedRole': return `arn:aws:sts::${accountId}:assumed-role/${id.roleName}/${id.sessionName}`;
    case 'AWSService': return id.invokedBy;
  }
}

/** The principal id: account id (root), AIDA… (user), AROA…:session (assumed role). */
export function principalIdOf(id: Identity, accountId: string): string {
  switch (id.type) {
    case 'Root': return accountId;
    case 'IAMUser': return userIdOf(accountId, id.userName);
    case 'AssumedRole': return `${roleIdOf(accountId, id.roleName)}:${id.sessionName}`;
    case 'AWSService': return id.invokedBy;
  }
}

/** The ARN of a role, under its service path for service-linked roles. */
export const roleArnOf = (accountId: string, roleName: string) =>
  `arn:aws:iam::${accountId}:role/${SERVICE_LINKED[roleName] ?? ''}${roleName}`;

function consoleContext(created: number, mfa: boolean | undefined): Record<string, unknown> {
  return {
    sessionIssuer: {},
    webIdFederationData: {},
    attributes: { creationDate: toIsoSeconds(created), mfaAuthenticated: mfa ? 'true' : 'false' },
  };
}

/**
 * The `userIdentity` block of a CloudTrail record for an API call (spec §4.3). Console callers
 * carry a `sessionContext` and session credentials (ASIA…), as AWS records console activity.
 */
export function userIdentityRecord(id: Identity, accountId: string, now: number): Record<string, unknown> {
  switch (id.type) {
    case 'Root': {
      const created = id.sessionCreated ?? now;
      return {
        type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId,
        accessKeyId: id.accessKeyId ?? (id.console ? consoleKeyOf(accountId, 'root', created) : rootKeyOf(accountId)),
        ...(id.accountAlias ? { userName: id.accountAlias } : {}),
        ...(id.console ? { sessionContext: consoleContext(created, id.mfaAuthenticated) } : {}),
      };
    }
    case 'IAMUser': {
      const created = id.sessionCreated ?? now;
      return {
        type: 'IAMUser', principalId: userIdOf(accountId, id.userName),
        arn: `arn:aws:iam::${accountId}:user/${id.userName}`, accountId,
        accessKeyId: id.accessKeyId ?? (id.console ? consoleKeyOf(accountId, `user/${id.userName}`, created) : accessKeyOf(accountId, id.userName)),
        userName: id.userName,
        ...(id.console ? { sessionContext: consoleContext(created, id.mfaAuthenticated) } : {}),
      };
    }
    case 'AssumedRole': {
      const roleId = roleIdOf(accountId, id.roleName);
      return {
        type: 'AssumedRole', principalId: `${roleId}:${id.sessionName}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/${id.roleName}/${id.sessionName}`, accountId,
        accessKeyId: id.accessKeyId ?? sessionKeyOf(accountId, id.roleName, id.sessionName),
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArnOf(accountId, id.roleName), accountId, userName: id.roleName },
          webIdFederationData: {},
          attributes: {
            creationDate: toIsoSeconds(id.sessionCreated ?? now),
            mfaAuthenticated: id.mfaAuthenticated ? 'true' : 'false',
          },
        },
        ...(id.invokedBy ? { invokedBy: id.invokedBy } : {}),
      };
    }
    case 'AWSService':
      return { type: 'AWSService', invokedBy: id.invokedBy };
  }
}

/**
 * The `userIdentity` of a console sign-in record (ConsoleLogin): no access key on success, an
 * empty one on failure, and the masked user name when the name typed matches no user.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 */
export function signInIdentityRecord(id: Identity, accountId: string, outcome: 'Success' | 'Failure' | 'UnknownUser'): Record<string, unknown> {
  if (outcome === 'UnknownUser')
    return { type: 'IAMUser', accountId, accessKeyId: '', userName: HIDDEN_USER_NAME };
  switch (id.type) {
    case 'Root':
      return { type: 'Root', principalId: accountId, arn: `arn:aws:iam::${accountId}:root`, accountId, accessKeyId: '' };
    case 'IAMUser':
      return outcome === 'Success'
        ? { type: 'IAMUser', principalId: userIdOf(accountId, id.userName), arn: `arn:aws:iam::${accountId}:user/${id.userName}`, accountId, userName: id.userName }
        : { type: 'IAMUser', principalId: userIdOf(accountId, id.userName), accountId, accessKeyId: '', userName: id.userName };
    default: {
      const rec = userIdentityRecord(id, accountId, 0);
      delete rec.accessKeyId;
      return rec;
    }
  }
}

/** What AWS writes instead of a mistyped sign-in user name. */
export const HIDDEN_USER_NAME = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The browser a console sign-in comes from when the caller does not say. */
export const CONSOLE_BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The user name Event history shows: IAM user name, `root`, or the role session name. */
export function eventHistoryUsername(id: Identity): string | undefined {
  switch (id.type) {
    case 'Root': return 'root';
    case 'IAMUser': return id.userName;
    case 'AssumedRole': return id.sessionName;
    case 'AWSService': return undefined;
  }
}

/** The access key a record carries (for `AccessKeyId` lookups), if any. */
export function accessKeyIdOf(id: Identity, accountId: string, now = 0): string | undefined {
  const rec = userIdentityRecord(id, accountId, now);
  return typeof rec.accessKeyId === 'string' && rec.accessKeyId !== '' ? rec.accessKeyId : undefined;
}

/** Where a call comes from when the caller did not say: the service for AWS callers, else a documentation-range IP. */
export function defaultSourceIp(id: Identity): string {
  if (id.type === 'AWSService') return id.invokedBy;
  if (id.type === 'AssumedRole' && id.invokedBy) return id.invokedBy;
  const name = id.type === 'IAMUser' ? id.userName : id.type === 'AssumedRole' ? id.sessionName : 'root';
  const h = fnv1a(name);
  return `203.0.113.${(h % 250) + 2}`;
}

/** The user agent when the caller did not say: the service, the console (spec §4.2), or the AWS CLI. */
export function defaultUserAgent(id: Identity): string {
  if (id.type === 'AWSService') return id.invokedBy;
  if (id.type === 'AssumedRole' && id.invokedBy) return id.invokedBy;
  if (id.console) return id.type === 'Root' ? 'console.amazonaws.com' : 'signin.amazonaws.com';
  return 'aws-cli/2.22.35 md/awscrt#0.23.8 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe';
}
