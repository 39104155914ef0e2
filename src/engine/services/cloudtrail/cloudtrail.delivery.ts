/**
 * Trail delivery (spec §4.5): records are buffered per trail and Region and written about every
 * 5 simulated minutes as gzipped `{"Records":[...]}` JSON files under the real key layout, through
 * `s3:PutObject` as the CloudTrail service principal (a data event, so it never loops back into
 * Event history), and to a CloudWatch Logs group when the trail names one.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
import { gzipSync, strToU8 } from 'fflate';
import { nextUint32 } from '../../kernel/rng.ts';
import { parseIso, utcParts } from '../../kernel/time.ts';
import type { ServiceContext } from '../../kernel/types.ts';
import type { CloudTrailState, Trail } from './cloudtrail.model.ts';

export const DELIVERY_INTERVAL_MS = 5 * 60_000;
/** Global service events (IAM, STS, sign-in) are recorded in this Region (spec §0). */
export const GLOBAL_REGION = 'us-east-1';
const GLOBAL_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com']);

/** Whether a trail logs a management event recorded in `region` from `eventSource`. */
export function trailSelects(t: Trail, region: string, eventSource: string): boolean {
  if (GLOBAL_SOURCES.has(eventSource) && !t.IncludeGlobalServiceEvents) return false;
  return t.IsMultiRegionTrail || t.HomeRegion === region;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >>> 18) & 63]! + B64[(n >>> 12) & 63]! + B64[(n >>> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${B64[(n >>> 18) & 63]}${B64[(n >>> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${B64[(n >>> 18) & 63]}${B64[(n >>> 12) & 63]}${B64[(n >>> 6) & 63]}=`;
  }
  return out;
}

/** Gzip (mtime 0, so the bytes depend only on the content) of a JSON log file, as base64. */
export function gzipJsonBase64(value: unknown): string {
  return toBase64(gzipSync(strToU8(JSON.stringify(value)), { mtime: 0 }));
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const p2 = (n: number) => String(n).padStart(2, '0');

/** `[prefix/]AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz` */
export function logFileKey(prefix: string | null, accountId: string, region: string, at: number, unique: string): string {
  const u = utcParts(at);
  const y = String(u.year).padStart(4, '0');
  const stamp = `${y}${p2(u.month)}${p2(u.day)}T${p2(u.hour)}${p2(u.minute)}Z`;
  return `${prefix ? `${prefix}/` : ''}AWSLogs/${accountId}/CloudTrail/${region}/${y}/${p2(u.month)}/${p2(u.day)}/${accountId}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/** Makes sure a logging trail has its next delivery scheduled. */
export function ensureDeliveryTimer(ctx: ServiceContext<CloudTrailState>, t: Trail): void {
  if (t.nextDelivery !== null) return;
  t.nextDelivery = ctx.now + DELIVERY_INTERVAL_MS;
  ctx.schedule(t.nextDelivery, 'deliver', { trailArn: t.TrailARN });
}

/** The `deliver` timer: writes what the trail buffered, then schedules the next round while logging. */
export function deliverTrail(ctx: ServiceContext<CloudTrailState>, trailArn: string): void {
  const t = ctx.state.trails[trailArn];
  if (!t) return;
  t.nextDelivery = null;
  for (const region of Object.keys(t.pending).sort()) {
    const records = t.pending[region]!;
    if (records.length === 0) continue;
    let unique = '';
    const rng = ctx.rng('delivery');
    for (let i = 0; i < 16; i++) unique += ALNUM[nextUint32(rng) % ALNUM.length];
    const key = logFileKey(t.S3KeyPrefix, ctx.accountId, region, ctx.now, unique);
    t.latestDeliveryAttemptTime = ctx.now;
    const r = ctx.call('s3', 'PutObject', {
      Bucket: t.S3BucketName, Key: key, Body: gzipJsonBase64({ Records: records }), ContentType: 'application/json',
    }, { identity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, region: t.HomeRegion });
    if (r.ok) {
      delete t.pending[region];
      t.latestDeliveryTime = ctx.now;
      t.latestDeliveryError = null;
      t.filesDelivered += 1;
      ctx.emit('cloudtrail/log-file-delivered', { trailArn, bucket: t.S3BucketName, key, records: records.length, region });
    } else {
      t.latestDeliveryError = r.error.code;
    }
  }
  if (t.CloudWatchLogsLogGroupArn) {
    for (const region of Object.keys(t.cwPending).sort()) {
      const records = t.cwPending[region]!;
      if (records.length === 0) continue;
      const stream = `${ctx.accountId}_CloudTrail_${region}`;
      const events = records.map((rec) => ({ timestamp: parseIso(String(rec.eventTime)), message: JSON.stringify(rec) }));
      const group = (ctx.state.logs[t.CloudWatchLogsLogGroupArn] ??= {});
      (group[stream] ??= []).push(...events);
      t.latestCloudWatchLogsDeliveryTime = ctx.now;
      ctx.emit('cloudtrail/logs-delivered', { trailArn, logGroupArn: t.CloudWatchLogsLogGroupArn, logStreamName: stream, events });
    }
  }
  t.cwPending = {};
  if (t.isLogging) ensureDeliveryTimer(ctx, t);
}
