/**
 * Builds a CloudTrail record from a completed API call (spec §4.2, §4.3). Pure: the caller
 * supplies the event id.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import {
  accessKeyIdOf, defaultSourceIp, defaultUserAgent, eventHistoryUsername, userIdentityRecord,
} from '../../kernel/identity.ts';
import { toIsoSeconds } from '../../kernel/time.ts';
import type { ApiCallEvent } from '../../kernel/types.ts';
import type { StoredEvent } from './cloudtrail.model.ts';

export const EVENT_VERSION = '1.11';

/** ARNs for the resource types the simulator knows. */
export function resourceArn(type: string, name: string, region: string, accountId: string): string | undefined {
  switch (type) {
    case 'AWS::EC2::Instance': return `arn:aws:ec2:${region}:${accountId}:instance/${name}`;
    case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
    case 'AWS::S3::Object': return `arn:aws:s3:::${name}`;
    case 'AWS::IAM::User': return `arn:aws:iam::${accountId}:user/${name}`;
    case 'AWS::IAM::Role': return `arn:aws:iam::${accountId}:role/${name}`;
    case 'AWS::CloudWatch::Alarm': return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
    default: return undefined;
  }
}

export function buildRecord(call: ApiCallEvent, ctx: { accountId: string; now: number }, eventId: string): StoredEvent {
  const { identity } = call;
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentityRecord(identity, ctx.accountId, ctx.now),
    eventTime: toIsoSeconds(ctx.now),
    eventSource: call.eventSource,
    eventName: call.action,
    awsRegion: call.region,
    sourceIPAddress: call.sourceIPAddress ?? defaultSourceIp(identity),
    userAgent: call.userAgent ?? defaultUserAgent(identity),
    ...(call.error ? { errorCode: call.error.code, errorMessage: call.error.message } : {}),
    requestParameters: call.requestParameters ?? null,
    responseElements: call.responseElements ?? null,
    ...(call.additionalEventData ? { additionalEventData: call.additionalEventData } : {}),
    requestID: call.requestId,
    eventID: eventId,
    readOnly: call.readOnly,
    ...(call.resources.length
      ? {
          resources: call.resources.map((r) => ({
            accountId: ctx.accountId,
            type: r.type,
            ARN: r.arn ?? resourceArn(r.type, r.name, call.region, ctx.accountId) ?? r.name,
          })),
        }
      : {}),
    eventType: call.eventType,
    managementEvent: call.category === 'Management',
    recipientAccountId: ctx.accountId,
    eventCategory: call.category,
  };
  return {
    t: ctx.now,
    region: call.region,
    username: eventHistoryUsername(identity) ?? null,
    accessKeyId: accessKeyIdOf(identity, ctx.accountId) ?? null,
    resources: call.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    record,
  };
}
