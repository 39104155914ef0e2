/** IAM users, roles and access keys, and how their keys show up in CloudTrail. */
import { describe, expect, it } from 'vitest';
import { roleIdOf } from '../../../src/engine/kernel/identity.ts';
import { ACCT, engine, latestRecord, lookup } from '../cloudtrail/helpers.ts';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('iam users and access keys', () => {
  it('CreateAccessKey draws an AKIA id from the iam stream; calls signed with it are found by AccessKeyId', () => {
    const e = engine();
    e.callSync('iam', 'CreateUser', { UserName: 'alice' });
    const k = e.callSync<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string; Status: string; UserName: string } }>('iam', 'CreateAccessKey', { UserName: 'alice' });
    if (!k.ok) throw new Error(k.error.message);
    const key = k.output.AccessKey;
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    expect(key).toMatchObject({ Status: 'Active', UserName: 'alice' });
    // The secret never reaches the trail.
    expect(JSON.stringify(latestRecord(e, 'CreateAccessKey'))).not.toContain(key.SecretAccessKey);
    expect(latestRecord(e, 'CreateAccessKey').responseElements).toEqual({ accessKey: { userName: 'alice', accessKeyId: key.AccessKeyId, status: 'Active', createDate: 'Mar 1, 2026, 12:00:00 AM' } });
    e.callSync('s3', 'CreateBucket', { Bucket: 'alice-bucket' }, { identity: { type: 'IAMUser', userName: 'alice', accessKeyId: key.AccessKeyId } });
    const found = lookup(e, { LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: key.AccessKeyId }] }).Events;
    expect(found.map((x) => x.EventName)).toEqual(['CreateBucket']);
    expect(found[0]).toMatchObject({ AccessKeyId: key.AccessKeyId, Username: 'alice' });
  });

  it('ListAccessKeys, the 2-key quota, DeleteAccessKey, and DeleteUser refusing while keys exist', () => {
    const e = engine();
    e.callSync('iam', 'CreateUser', { UserName: 'alice' });
    const a = e.callSync<{ AccessKey: { AccessKeyId: string } }>('iam', 'CreateAccessKey', {}, { identity: { type: 'IAMUser', userName: 'alice' } });
    const b = e.callSync<{ AccessKey: { AccessKeyId: string } }>('iam', 'CreateAccessKey', { UserName: 'alice' });
    if (!a.ok || !b.ok) throw new Error('keys');
    expect(a.output.AccessKey.AccessKeyId).not.toBe(b.output.AccessKey.AccessKeyId);
    expect(e.callSync('iam', 'CreateAccessKey', { UserName: 'alice' })).toEqual({ ok: false, error: { code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2' } });
    expect(e.callSync('iam', 'CreateAccessKey', {}, { identity: { type: 'AssumedRole', roleName: 'R', sessionName: 's' } }))
      .toEqual({ ok: false, error: { code: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' } });
    const list = e.callSync<{ AccessKeyMetadata: { AccessKeyId: string }[] }>('iam', 'ListAccessKeys', { UserName: 'alice' });
    expect(list.ok && list.output.AccessKeyMetadata.map((x) => x.AccessKeyId).sort()).toEqual([a.output.AccessKey.AccessKeyId, b.output.AccessKey.AccessKeyId].sort());
    expect(e.callSync('iam', 'DeleteUser', { UserName: 'alice' })).toMatchObject({ ok: false, error: { code: 'DeleteConflict' } });
    for (const k of [a, b]) expect(e.callSync('iam', 'DeleteAccessKey', { UserName: 'alice', AccessKeyId: k.output.AccessKey.AccessKeyId }).ok).toBe(true);
    expect(e.callSync('iam', 'DeleteAccessKey', { UserName: 'alice', AccessKeyId: a.output.AccessKey.AccessKeyId })).toMatchObject({ ok: false, error: { code: 'NoSuchEntity' } });
    expect(e.callSync('iam', 'DeleteUser', { UserName: 'alice' }).ok).toBe(true);
    expect(e.callSync('iam', 'DeleteUser', { UserName: 'alice' })).toEqual({ ok: false, error: { code: 'NoSuchEntity', message: 'The user with name alice cannot be found.' } });
    const del = lookup(e, { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'alice' }] }).Events.map((x) => x.EventName);
    expect(del).toContain('DeleteUser');
  });

  it('IAM validation errors use the code ValidationError', () => {
    const e = engine();
    expect(e.callSync('iam', 'CreateUser', { UserName: 'bad name!' })).toMatchObject({ ok: false, error: { code: 'ValidationError' } });
  });
});

describe('iam roles', () => {
  it('CreateRole, GetRole, ListRoles and DeleteRole', () => {
    const e = engine();
    const r = e.callSync<{ Role: Record<string, unknown> }>('iam', 'CreateRole', { RoleName: 'web', AssumeRolePolicyDocument: TRUST, Description: 'web servers' });
    expect(r).toEqual({ ok: true, output: { Role: {
      Path: '/', RoleName: 'web', RoleId: roleIdOf(ACCT, 'web'), Arn: `arn:aws:iam::${ACCT}:role/web`, CreateDate: '2026-03-01T00:00:00.000Z',
      AssumeRolePolicyDocument: encodeURIComponent(TRUST), Description: 'web servers', MaxSessionDuration: 3600,
    } } });
    expect(e.callSync('iam', 'CreateRole', { RoleName: 'WEB', AssumeRolePolicyDocument: TRUST })).toMatchObject({ ok: false, error: { code: 'EntityAlreadyExists' } });
    expect(e.callSync('iam', 'CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: '{nope' })).toEqual({ ok: false, error: { code: 'MalformedPolicyDocument', message: 'This policy contains invalid Json' } });
    expect(e.callSync('iam', 'GetRole', { RoleName: 'web' })).toMatchObject({ ok: true, output: { Role: { RoleName: 'web' } } });
    e.callSync('iam', 'CreateRole', { RoleName: 'api', AssumeRolePolicyDocument: TRUST });
    const page = e.callSync<{ Roles: { RoleName: string }[]; IsTruncated: boolean; Marker?: string }>('iam', 'ListRoles', { MaxItems: 1 });
    expect(page.ok && page.output).toMatchObject({ Roles: [{ RoleName: 'api' }], IsTruncated: true, Marker: 'api' });
    const next = e.callSync<{ Roles: { RoleName: string }[]; IsTruncated: boolean }>('iam', 'ListRoles', { MaxItems: 1, Marker: 'api' });
    expect(next.ok && next.output).toMatchObject({ Roles: [{ RoleName: 'web' }], IsTruncated: false });
    expect(e.callSync('iam', 'DeleteRole', { RoleName: 'web' }).ok).toBe(true);
    expect(e.callSync('iam', 'GetRole', { RoleName: 'web' })).toEqual({ ok: false, error: { code: 'NoSuchEntity', message: 'The role with name web cannot be found.' } });
  });
});
