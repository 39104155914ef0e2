/**
 * Golden record shapes per operation: the full CloudTrail record (minus random ids), checked
 * against the shapes of AWS's documented example records (spec §4.2, §4.3).
 */
import { describe, expect, it } from 'vitest';
import { AUTOSCALING_IDENTITY, createEngine } from '../../../src/engine/index.ts';
import { accessKeyOf, roleIdOf, rootKeyOf, sessionKeyOf, userIdOf, consoleKeyOf } from '../../../src/engine/kernel/identity.ts';
import { ACCT, engine, latestRecord, withoutIds } from './helpers.ts';

const IP = '192.0.2.10';
const CLI = 'aws-cli/2.22.35 md/awscrt#0.23.8 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const TLS = (host: string) => ({ tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host });
const alice = { type: 'IAMUser' as const, userName: 'alice' };
const aliceIdentity = {
  type: 'IAMUser', principalId: userIdOf(ACCT, 'alice'), arn: `arn:aws:iam::${ACCT}:user/alice`, accountId: ACCT,
  accessKeyId: accessKeyOf(ACCT, 'alice'), userName: 'alice',
};
const rootIdentity = { type: 'Root', principalId: ACCT, arn: `arn:aws:iam::${ACCT}:root`, accountId: ACCT, accessKeyId: rootKeyOf(ACCT) };
const tail = { managementEvent: true, recipientAccountId: ACCT, eventCategory: 'Management' };
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCT}:root` }, Action: 'sts:AssumeRole' }] });

function withUserAndInstance() {
  const e = engine();
  e.callSync('iam', 'CreateUser', { UserName: 'alice' }, { sourceIPAddress: IP });
  const run = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }, { identity: alice, sourceIPAddress: IP });
  if (!run.ok) throw new Error(run.error.message);
  e.advanceSync(120_000);
  return { e, id: run.output.Instances[0]!.InstanceId };
}

describe('EC2 records', () => {
  it('StopInstances: instancesSet, requestId inside responseElements, no record resources', () => {
    const { e, id } = withUserAndInstance();
    e.callSync('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: alice, sourceIPAddress: IP });
    expect(withoutIds(latestRecord(e, 'StopInstances'))).toEqual({
      eventVersion: '1.11', userIdentity: aliceIdentity, eventTime: '2026-03-01T00:02:00Z',
      eventSource: 'ec2.amazonaws.com', eventName: 'StopInstances', awsRegion: 'us-east-1',
      sourceIPAddress: IP, userAgent: CLI,
      requestParameters: { instancesSet: { items: [{ instanceId: id }] } },
      responseElements: {
        requestId: '<requestID>',
        instancesSet: { items: [{ instanceId: id, currentState: { code: 64, name: 'stopping' }, previousState: { code: 16, name: 'running' } }] },
      },
      requestID: '<requestID>', eventID: '<eventID>', readOnly: false, eventType: 'AwsApiCall', ...tail,
      tlsDetails: TLS('ec2.us-east-1.amazonaws.com'),
    });
  });

  it('StartInstances and TerminateInstances carry state changes; EC2 requestId equals requestID', () => {
    const { e, id } = withUserAndInstance();
    e.callSync('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: alice });
    e.advanceSync(600_000);
    e.callSync('ec2', 'StartInstances', { InstanceIds: [id] }, { identity: alice });
    const start = latestRecord(e, 'StartInstances');
    expect((start.responseElements as { requestId: string }).requestId).toBe(start.requestID);
    expect(start.responseElements).toMatchObject({ instancesSet: { items: [{ instanceId: id, currentState: { code: 0, name: 'pending' }, previousState: { code: 80, name: 'stopped' } }] } });
    e.advanceSync(600_000);
    e.callSync('ec2', 'TerminateInstances', { InstanceIds: [id] }, { identity: alice });
    expect(latestRecord(e, 'TerminateInstances').responseElements).toMatchObject({
      instancesSet: { items: [{ instanceId: id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] },
    });
  });

  it('RunInstances records the request and the launched instance', () => {
    const { e, id } = withUserAndInstance();
    const rec = withoutIds(latestRecord(e, 'RunInstances'));
    expect(rec.requestParameters).toEqual({
      instancesSet: { items: [{ imageId: 'ami-0abc', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro',
      blockDeviceMapping: {}, monitoring: { enabled: false }, disableApiTermination: false,
    });
    expect(rec.responseElements).toMatchObject({ requestId: '<requestID>', ownerId: ACCT, groupSet: {}, instancesSet: { items: [{ instanceId: id, imageId: 'ami-0abc', instanceState: { code: 0, name: 'pending' }, instanceType: 't3.micro' }] } });
    expect(rec).not.toHaveProperty('resources');
    expect(rec).toMatchObject({ eventName: 'RunInstances', readOnly: false, eventType: 'AwsApiCall', userIdentity: aliceIdentity });
  });

  it('CreateTags answers _return true; DescribeInstances is read-only with filterSet and null responseElements', () => {
    const { e, id } = withUserAndInstance();
    e.callSync('ec2', 'CreateTags', { Resources: [id], Tags: [{ Key: 'Team', Value: 'blue' }] }, { identity: alice, sourceIPAddress: IP });
    const tags = withoutIds(latestRecord(e, 'CreateTags'));
    expect(tags.requestParameters).toEqual({ resourcesSet: { items: [{ resourceId: id }] }, tagSet: { items: [{ key: 'Team', value: 'blue' }] } });
    expect(tags.responseElements).toEqual({ requestId: '<requestID>', _return: true });
    e.callSync('ec2', 'DescribeInstances', { Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }, { identity: alice, sourceIPAddress: IP });
    expect(withoutIds(latestRecord(e, 'DescribeInstances'))).toEqual({
      eventVersion: '1.11', userIdentity: aliceIdentity, eventTime: '2026-03-01T00:02:00Z',
      eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: CLI,
      requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] } },
      responseElements: null, requestID: '<requestID>', eventID: '<eventID>', readOnly: true, eventType: 'AwsApiCall', ...tail,
      tlsDetails: TLS('ec2.us-east-1.amazonaws.com'),
    });
  });

  it('a failed call records errorCode (EC2 client errors prefixed Client.) and errorMessage, with null responseElements', () => {
    const e = engine();
    const r = e.callSync('ec2', 'TerminateInstances', { InstanceIds: ['i-0123456789abcdef0'] }, { identity: alice, sourceIPAddress: IP });
    expect(r).toEqual({ ok: false, error: { code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-0123456789abcdef0' does not exist" } });
    expect(withoutIds(latestRecord(e, 'TerminateInstances'))).toEqual({
      eventVersion: '1.11', userIdentity: aliceIdentity, eventTime: '2026-03-01T00:00:00Z',
      eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: CLI,
      errorCode: 'Client.InvalidInstanceID.NotFound', errorMessage: "The instance ID 'i-0123456789abcdef0' does not exist",
      requestParameters: { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } }, responseElements: null,
      requestID: '<requestID>', eventID: '<eventID>', readOnly: false, eventType: 'AwsApiCall', ...tail,
      tlsDetails: TLS('ec2.us-east-1.amazonaws.com'),
    });
  });

  it('Auto Scaling acts through its service-linked role: AssumedRole with invokedBy, service as IP and user agent, no tlsDetails', () => {
    const e = engine();
    e.callSync('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1 }, { identity: AUTOSCALING_IDENTITY });
    const rec = withoutIds(latestRecord(e, 'RunInstances'));
    const roleId = roleIdOf(ACCT, 'AWSServiceRoleForAutoScaling');
    expect(rec.userIdentity).toEqual({
      type: 'AssumedRole', principalId: `${roleId}:AutoScaling`,
      arn: `arn:aws:sts::${ACCT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`, accountId: ACCT,
      accessKeyId: sessionKeyOf(ACCT, 'AWSServiceRoleForAutoScaling', 'AutoScaling'),
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`, accountId: ACCT, userName: 'AWSServiceRoleForAutoScaling' },
        webIdFederationData: {},
        attributes: { creationDate: '2026-03-01T00:00:00Z', mfaAuthenticated: 'false' },
      },
      invokedBy: 'autoscaling.amazonaws.com',
    });
    expect(rec.sourceIPAddress).toBe('autoscaling.amazonaws.com');
    expect(rec.userAgent).toBe('autoscaling.amazonaws.com');
    expect(rec).not.toHaveProperty('tlsDetails');
  });
});

describe('S3 records', () => {
  it('CreateBucket: bucketName and Host, bracketed user agent, 16-hex request id, additionalEventData, bucket resource', () => {
    const e = engine();
    e.callSync('s3', 'CreateBucket', { Bucket: 'team-data' }, { identity: alice, sourceIPAddress: IP });
    const raw = latestRecord(e, 'CreateBucket');
    expect(raw.requestID).toMatch(/^[0-9A-F]{16}$/);
    expect(withoutIds(raw)).toEqual({
      eventVersion: '1.11', userIdentity: aliceIdentity, eventTime: '2026-03-01T00:00:00Z',
      eventSource: 's3.amazonaws.com', eventName: 'CreateBucket', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: `[${CLI}]`,
      requestParameters: { bucketName: 'team-data', Host: 'team-data.s3.us-east-1.amazonaws.com' }, responseElements: null,
      additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': '<x-amz-id-2>', bytesTransferredOut: 0 },
      requestID: '<requestID>', eventID: '<eventID>', readOnly: false,
      resources: [{ accountId: ACCT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::team-data' }],
      eventType: 'AwsApiCall', ...tail, tlsDetails: TLS('team-data.s3.us-east-1.amazonaws.com'),
    });
  });

  it('DeleteBucket records the bucket; ListBuckets is read-only with Host s3.amazonaws.com and no resources', () => {
    const e = engine();
    e.callSync('s3', 'CreateBucket', { Bucket: 'team-data' });
    e.callSync('s3', 'DeleteBucket', { Bucket: 'team-data' }, { identity: alice });
    expect(latestRecord(e, 'DeleteBucket')).toMatchObject({
      requestParameters: { bucketName: 'team-data' }, responseElements: null, readOnly: false,
      resources: [{ accountId: ACCT, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::team-data' }],
    });
    e.callSync('s3', 'ListBuckets', {}, { identity: alice });
    const list = latestRecord(e, 'ListBuckets');
    expect(list).toMatchObject({ requestParameters: { Host: 's3.amazonaws.com' }, responseElements: null, readOnly: true, tlsDetails: TLS('s3.amazonaws.com') });
    expect(list).not.toHaveProperty('resources');
  });
});

describe('IAM and STS records', () => {
  it('CreateUser: global service in us-east-1 with a Java-style createDate', () => {
    const e = createEngine({ seed: 7, startTime: '2026-03-01T00:00:00Z', accountId: ACCT, region: 'eu-west-1' });
    e.callSync('iam', 'CreateUser', { UserName: 'bob' }, { sourceIPAddress: IP });
    expect(withoutIds(latestRecord(e, 'CreateUser', 'us-east-1'))).toEqual({
      eventVersion: '1.11', userIdentity: rootIdentity, eventTime: '2026-03-01T00:00:00Z',
      eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: CLI,
      requestParameters: { userName: 'bob' },
      responseElements: { user: { path: '/', userName: 'bob', userId: userIdOf(ACCT, 'bob'), arn: `arn:aws:iam::${ACCT}:user/bob`, createDate: 'Mar 1, 2026, 12:00:00 AM' } },
      requestID: '<requestID>', eventID: '<eventID>', readOnly: false, eventType: 'AwsApiCall', ...tail, tlsDetails: TLS('iam.amazonaws.com'),
    });
  });

  it('AssumeRole: credentials and assumedRoleUser, the role as record resource, three resources in Event history', () => {
    const e = engine();
    e.callSync('iam', 'CreateUser', { UserName: 'alice' });
    e.callSync('iam', 'CreateRole', { RoleName: 'Ops', AssumeRolePolicyDocument: TRUST });
    const r = e.callSync<{ Credentials: { AccessKeyId: string; SessionToken: string } }>('sts', 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCT}:role/Ops`, RoleSessionName: 'alice-ops', DurationSeconds: 1800 }, { identity: alice, sourceIPAddress: IP });
    if (!r.ok) throw new Error(r.error.message);
    const roleId = roleIdOf(ACCT, 'Ops');
    expect(withoutIds(latestRecord(e, 'AssumeRole'))).toEqual({
      eventVersion: '1.11', userIdentity: aliceIdentity, eventTime: '2026-03-01T00:00:00Z',
      eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: 'us-east-1', sourceIPAddress: IP, userAgent: CLI,
      requestParameters: { roleArn: `arn:aws:iam::${ACCT}:role/Ops`, roleSessionName: 'alice-ops', durationSeconds: 1800 },
      responseElements: {
        credentials: { accessKeyId: r.output.Credentials.AccessKeyId, sessionToken: r.output.Credentials.SessionToken, expiration: 'Mar 1, 2026, 12:30:00 AM' },
        assumedRoleUser: { assumedRoleId: `${roleId}:alice-ops`, arn: `arn:aws:sts::${ACCT}:assumed-role/Ops/alice-ops` },
      },
      requestID: '<requestID>', eventID: '<eventID>', readOnly: false,
      resources: [{ accountId: ACCT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCT}:role/Ops` }],
      eventType: 'AwsApiCall', ...tail, tlsDetails: TLS('sts.amazonaws.com'),
    });
  });

  it('GetCallerIdentity is read-only with null request and response', () => {
    const e = engine();
    e.callSync('sts', 'GetCallerIdentity', {}, { identity: alice });
    expect(latestRecord(e, 'GetCallerIdentity')).toMatchObject({ requestParameters: null, responseElements: null, readOnly: true, eventSource: 'sts.amazonaws.com' });
  });
});

describe('console records', () => {
  it('a call from a console session carries sessionContext, ASIA credentials and sessionCredentialFromConsole', () => {
    const e = engine();
    const created = Date.UTC(2026, 1, 28, 23, 0);
    e.callSync('s3', 'ListBuckets', {}, { identity: { ...alice, console: true, sessionCreated: created }, sourceIPAddress: IP });
    const rec = latestRecord(e, 'ListBuckets');
    expect(rec.userIdentity).toEqual({
      ...aliceIdentity, accessKeyId: consoleKeyOf(ACCT, 'user/alice', created),
      sessionContext: { sessionIssuer: {}, webIdFederationData: {}, attributes: { creationDate: '2026-02-28T23:00:00Z', mfaAuthenticated: 'false' } },
    });
    expect(rec.userAgent).toBe('[signin.amazonaws.com]');
    expect(rec.sessionCredentialFromConsole).toBe('true');
  });
});
