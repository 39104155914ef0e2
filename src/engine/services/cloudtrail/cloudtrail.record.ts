/**
 * Builds a CloudTrail record from a completed API call (spec §4.2, §4.3). Pure: the caller
 * supplies the event id. Field order follows AWS's documented records.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import {
  accessKeyIdOf, defaultSourceIp, defaultUserAgent, eventHistoryUsername, HIDDEN_USER_NAME,
  signInIdentityRecord, userIdentityRecord,
} from '../../kernel/identity.ts';
import { toIsoSeconds } from '../../kernel/time.ts';
import type { ApiCallEvent } from '../../kernel/types.ts';
import type { StoredEvent } from './cloudtrail.model.ts';
import { conventionsFor, signInOutcome } from './cloudtrail.conventions.ts';

export const EVENT_VERSION = '1.11';

/** ARNs for the resource types the simulator knows. */
export function resourceArn(type: string, name: string, region: string, accountId: string): string | undefined {
  switch (type) {
    case 'AWS::EC2::Instance': return `arn:aws:ec2:${region}:${accountId}:instance/${name}`;
    case 'AWS::EC2::Volume': return `arn:aws:ec2:${region}:${accountId}:volume/${name}`;
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
    case 'AWS::S3::Object': return `arn:aws:s3:::${name}`;
    case 'AWS::IAM::User': return `arn:aws:iam::${accountId}:user/${name}`;
    case 'AWS::IAM::Role': return name.startsWith('arn:') ? name : `arn:aws:iam::${accountId}:role/${name}`;
    case 'AWS::IAM::AccessKey': return `arn:aws:iam::${accountId}:accesskey/${name}`;
    case 'AWS::CloudWatch::Alarm': return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
    case 'AWS::CloudTrail::Trail': return name.startsWith('arn:') ? name : `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
    default: return undefined;
  }
}

/** True when the call was made by AWS itself (a service principal or a service-linked role). */
const byService = (c: ApiCallEvent) => c.identity.type === 'AWSService' || (c.identity.type === 'AssumedRole' && !!c.identity.invokedBy);

export function buildRecord(call: ApiCallEvent, ctx: { accountId: string; now: number }, eventId: string): StoredEvent {
  const { identity } = call;
  const conv = conventionsFor(call.eventSource);
  const signIn = call.eventType === 'AwsConsoleSignIn' ? signInOutcome(call) : null;
  const userIdentity = signIn ? signInIdentityRecord(identity, ctx.accountId, signIn) : userIdentityRecord(identity, ctx.accountId, ctx.now);
  const ua = call.userAgent ?? conv.userAgent?.(identity) ?? defaultUserAgent(identity);
  const recordResources = call.resources.filter((r) => conv.recordResourceTypes.includes(r.type));
  const viaConsole = identity.type !== 'AWSService' && identity.console === true;
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity,
    eventTime: toIsoSeconds(ctx.now),
    eventSource: call.eventSource,
    eventName: call.action,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIPAddress ?? defaultSourceIp(identity),
    userAgent: byService(call) ? ua : conv.wrapUserAgent ? `[${ua}]` : ua,
    ...(call.error
      ? signIn ? { errorMessage: call.error.message } : { errorCode: conv.errorCode(call.error.code), errorMessage: call.error.message }
      : {}),
    requestParameters: conv.request?.(call) ?? call.requestParameters ?? null,
    responseElements: conv.response(call),
    ...(call.additionalEventData || conv.additionalEventData
      ? { additionalEventData: call.additionalEventData ?? conv.additionalEventData!(call) }
      : {}),
    ...(signIn ? {} : { requestID: conv.requestId(call.requestId) }),
    eventID: eventId,
    readOnly: call.readOnly,
    ...(recordResources.length
      ? {
          resources: recordResources.map((r) => ({
            ...(r.type === 'AWS::S3::Object' ? {} : { accountId: ctx.accountId }),
            type: r.type,
            ARN: r.arn ?? resourceArn(r.type, r.name, call.region, ctx.accountId) ?? r.name,
          })),
        }
      : {}),
    eventType: call.eventType,
    managementEvent: call.category === 'Management',
    recipientAccountId: ctx.accountId,
    eventCategory: call.category,
    ...(byService(call) ? {} : {
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: conv.host(call) },
    }),
    ...(viaConsole && !signIn ? { sessionCredentialFromConsole: 'true' } : {}),
  };
  return {
    t: ctx.now,
    region: call.region,
    username: signIn === 'UnknownUser' ? HIDDEN_USER_NAME : eventHistoryUsername(identity) ?? null,
    accessKeyId: signIn ? null : accessKeyIdOf(identity, ctx.accountId, ctx.now) ?? null,
    resources: call.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    record,
  };
}
