/** Console sign-in as CloudTrail records it (AWS's documented sign-in examples). */
import { describe, expect, it } from 'vitest';
import { userIdOf } from '../../../src/engine/kernel/identity.ts';
import { ACCT, engine, latestRecord, lookup, withoutIds } from '../cloudtrail/helpers.ts';

const IP = '198.51.100.7';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const LOGIN_TO = 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true';
const tail = { readOnly: false, eventType: 'AwsConsoleSignIn', managementEvent: true, recipientAccountId: ACCT, eventCategory: 'Management',
  tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'signin.aws.amazon.com' } };
const head = { eventVersion: '1.11', eventTime: '2026-03-01T00:00:00Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: BROWSER, requestParameters: null };

function withAlice() {
  const e = engine();
  e.callSync('iam', 'CreateUser', { UserName: 'alice' });
  return e;
}

describe('signin:ConsoleLogin', () => {
  it('an IAM user success: no access key, ConsoleLogin Success, LoginTo/MobileVersion/MFAUsed, no requestID, in us-east-1', () => {
    const e = withAlice();
    const r = e.callSync('signin', 'ConsoleLogin', {}, { identity: { type: 'IAMUser', userName: 'alice' }, sourceIPAddress: IP, region: 'ap-northeast-2' });
    expect(r).toEqual({ ok: true, output: { ConsoleLogin: 'Success' } });
    expect(withoutIds(latestRecord(e, 'ConsoleLogin'))).toEqual({
      ...head,
      userIdentity: { type: 'IAMUser', principalId: userIdOf(ACCT, 'alice'), arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT, userName: 'alice' },
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: LOGIN_TO, MobileVersion: 'No', MFAUsed: 'No' },
      eventID: '<eventID>', ...tail,
    });
    expect(lookup(e, {}, 'ap-northeast-2').Events).toEqual([]);
  });

  it('a wrong password: errorMessage "Failed authentication" without errorCode, ConsoleLogin Failure, empty access key', () => {
    const e = withAlice();
    const r = e.callSync('signin', 'ConsoleLogin', { Success: false, MFAUsed: true }, { identity: { type: 'IAMUser', userName: 'alice' }, sourceIPAddress: IP });
    expect(r).toEqual({ ok: false, error: { code: 'FailedAuthentication', message: 'Failed authentication' } });
    expect(withoutIds(latestRecord(e, 'ConsoleLogin'))).toEqual({
      ...head,
      userIdentity: { type: 'IAMUser', principalId: userIdOf(ACCT, 'alice'), accountId: ACCT, accessKeyId: '', userName: 'alice' },
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
      additionalEventData: { LoginTo: LOGIN_TO, MobileVersion: 'No', MFAIdentifier: `arn:aws:iam::${ACCT}:mfa/alice`, MFAUsed: 'Yes' },
      eventID: '<eventID>', ...tail,
    });
  });

  it('an unknown user name is recorded as HIDDEN_DUE_TO_SECURITY_REASONS and found under that Username', () => {
    const e = withAlice();
    e.callSync('signin', 'ConsoleLogin', {}, { identity: { type: 'IAMUser', userName: 'alcie' }, sourceIPAddress: IP });
    const rec = withoutIds(latestRecord(e, 'ConsoleLogin'));
    expect(rec.userIdentity).toEqual({ type: 'IAMUser', accountId: ACCT, accessKeyId: '', userName: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    expect(rec.errorMessage).toBe('No username found in supplied account');
    expect(rec).not.toHaveProperty('errorCode');
    const hidden = lookup(e, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'HIDDEN_DUE_TO_SECURITY_REASONS' }] }).Events;
    expect(hidden).toHaveLength(1);
    expect(lookup(e, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alcie' }] }).Events).toEqual([]);
  });

  it('a deleted user can no longer sign in', () => {
    const e = withAlice();
    e.callSync('iam', 'DeleteUser', { UserName: 'alice' });
    expect(e.callSync('signin', 'ConsoleLogin', {}, { identity: { type: 'IAMUser', userName: 'alice' } })).toMatchObject({ ok: false, error: { code: 'NoSuchEntity' } });
  });

  it('root sign-in: principalId is the account, empty access key, Event history user name root', () => {
    const e = engine();
    e.callSync('signin', 'ConsoleLogin', { MFAUsed: true }, { identity: { type: 'Root' }, sourceIPAddress: IP });
    const rec = latestRecord(e, 'ConsoleLogin');
    expect(rec.userIdentity).toEqual({ type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: '' });
    expect(rec.additionalEventData).toEqual({ LoginTo: LOGIN_TO, MobileVersion: 'No', MFAUsed: 'Yes' });
    const ev = lookup(e, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }] }).Events[0]!;
    expect(ev).toMatchObject({ Username: 'root', EventSource: 'signin.amazonaws.com', ReadOnly: 'false', Resources: [] });
    expect(ev).not.toHaveProperty('AccessKeyId');
  });

  it('a bad parameter type is rejected at the front door and not recorded', () => {
    const e = engine();
    const before = e.stateHash();
    expect(e.callSync('signin', 'ConsoleLogin', { Success: 'yes' }).ok).toBe(false);
    expect(e.stateHash()).toBe(before);
  });
});
