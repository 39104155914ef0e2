/** STS AssumeRole and GetCallerIdentity, and the assumed-role session in Event history. */
import { describe, expect, it } from 'vitest';
import { identityFromAssumeRole } from '../../../src/engine/services/sts/index.ts';
import { roleIdOf, userIdOf } from '../../../src/engine/kernel/identity.ts';
import { ACCT, engine, latestRecord, lookup } from '../cloudtrail/helpers.ts';

const alice = { type: 'IAMUser' as const, userName: 'alice' };
const trust = (principal: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
const ROLE = `arn:aws:iam::${ACCT}:role/Admin`;

function setup(principal: unknown = { AWS: `arn:aws:iam::${ACCT}:root` }, extra: Record<string, unknown> = {}) {
  const e = engine();
  e.callSync('iam', 'CreateUser', { UserName: 'alice' });
  e.callSync('iam', 'CreateRole', { RoleName: 'Admin', AssumeRolePolicyDocument: trust(principal), ...extra });
  return e;
}

describe('sts:AssumeRole', () => {
  it('returns ASIA credentials and the assumed-role user; the session name becomes the Event history user name', () => {
    const e = setup();
    const r = e.callSync<Record<string, unknown>>('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'alice-admin' }, { identity: alice });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.output).toMatchObject({
      Credentials: { AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/), Expiration: '2026-03-01T01:00:00.000Z' },
      AssumedRoleUser: { AssumedRoleId: `${roleIdOf(ACCT, 'Admin')}:alice-admin`, Arn: `arn:aws:sts::${ACCT}:assumed-role/Admin/alice-admin` },
    });
    const id = identityFromAssumeRole(r.output);
    e.advanceSync(60_000);
    e.callSync('s3', 'CreateBucket', { Bucket: 'evidence' }, { identity: id });
    const rec = latestRecord(e, 'CreateBucket');
    expect(rec.userIdentity).toMatchObject({
      type: 'AssumedRole', arn: `arn:aws:sts::${ACCT}:assumed-role/Admin/alice-admin`, accessKeyId: (r.output.Credentials as { AccessKeyId: string }).AccessKeyId,
      sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, userName: 'Admin' }, attributes: { creationDate: '2026-03-01T00:00:00Z', mfaAuthenticated: 'false' } },
    });
    const bySession = lookup(e, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice-admin' }] }).Events;
    expect(bySession.map((x) => x.EventName)).toEqual(['CreateBucket']);
    const byKey = lookup(e, { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: (r.output.Credentials as { AccessKeyId: string }).AccessKeyId }] }).Events;
    expect(byKey.map((x) => x.EventName)).toEqual(['CreateBucket']);
    const assume = lookup(e, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }).Events[0]!;
    expect(assume.Username).toBe('alice');
    expect(assume.Resources.map((x) => x.ResourceType)).toEqual(['AWS::IAM::AccessKey', 'AWS::STS::AssumedRole', 'AWS::IAM::Role']);
  });

  it('answers AccessDenied (recorded) for an unknown role or a trust policy that does not name the caller', () => {
    const e = setup({ Service: 'ec2.amazonaws.com' });
    const denied = `User: arn:aws:iam::${ACCT}:user/alice is not authorized to perform: sts:AssumeRole on resource: `;
    expect(e.callSync('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCT}:role/Nope`, RoleSessionName: 's1' }, { identity: alice }))
      .toEqual({ ok: false, error: { code: 'AccessDenied', message: `${denied}arn:aws:iam::${ACCT}:role/Nope` } });
    expect(e.callSync('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 's1' }, { identity: alice }))
      .toEqual({ ok: false, error: { code: 'AccessDenied', message: `${denied}${ROLE}` } });
    expect(latestRecord(e, 'AssumeRole')).toMatchObject({ errorCode: 'AccessDenied', responseElements: null });
  });

  it('a trust policy naming the user ARN allows exactly that user', () => {
    const e = setup({ AWS: [`arn:aws:iam::${ACCT}:user/alice`] });
    expect(e.callSync('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'ok' }, { identity: alice }).ok).toBe(true);
    expect(e.callSync('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'no' }, { identity: { type: 'IAMUser', userName: 'bob' } }).ok).toBe(false);
  });

  it('RoleSessionName rules and DurationSeconds limits (role maximum, role chaining)', () => {
    const e = setup(undefined, { MaxSessionDuration: 7200 });
    const call = (p: Record<string, unknown>, identity: object = alice) => e.callSync('sts', 'AssumeRole', { RoleArn: ROLE, ...p }, { identity: identity as never });
    expect(call({ RoleSessionName: 'a' })).toMatchObject({ ok: false, error: { code: 'ValidationError' } });
    expect(call({ RoleSessionName: 'has space' })).toMatchObject({ ok: false, error: { code: 'ValidationError' } });
    expect(call({ RoleSessionName: 'ok', DurationSeconds: 899 })).toMatchObject({ ok: false, error: { code: 'ValidationError' } });
    expect(call({ RoleSessionName: 'ok', DurationSeconds: 7201 })).toEqual({ ok: false, error: { code: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' } });
    expect(call({ RoleSessionName: 'ok', DurationSeconds: 7200 }).ok).toBe(true);
    expect(call({ RoleSessionName: 'chain', DurationSeconds: 3601 }, { type: 'AssumedRole', roleName: 'Admin', sessionName: 'x' }))
      .toMatchObject({ ok: false, error: { message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.' } });
  });

  it('a deleted role can no longer be assumed', () => {
    const e = setup();
    e.callSync('iam', 'DeleteRole', { RoleName: 'Admin' });
    expect(e.callSync('sts', 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'late' }, { identity: alice })).toMatchObject({ ok: false, error: { code: 'AccessDenied' } });
  });
});

describe('sts:GetCallerIdentity', () => {
  it('answers the account, principal id and ARN of each identity type', () => {
    const e = engine();
    expect(e.callSync('sts', 'GetCallerIdentity', {}, { identity: alice })).toEqual({ ok: true, output: { UserId: userIdOf(ACCT, 'alice'), Account: ACCT, Arn: `arn:aws:iam::${ACCT}:user/alice` } });
    expect(e.callSync('sts', 'GetCallerIdentity', {})).toEqual({ ok: true, output: { UserId: ACCT, Account: ACCT, Arn: `arn:aws:iam::${ACCT}:root` } });
    expect(e.callSync('sts', 'GetCallerIdentity', {}, { identity: { type: 'AssumedRole', roleName: 'Admin', sessionName: 'x' } }))
      .toEqual({ ok: true, output: { UserId: `${roleIdOf(ACCT, 'Admin')}:x`, Account: ACCT, Arn: `arn:aws:sts::${ACCT}:assumed-role/Admin/x` } });
  });
});
