/** Trails (spec §4.5): creation rules, logging, 5-minute delivery to S3 and CloudWatch Logs. */
import { gunzipSync, strFromU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CloudTrailState } from '../../../src/engine/services/cloudtrail/index.ts';
import type { S3State } from '../../../src/engine/services/s3/index.ts';
import { ACCT, engine } from './helpers.ts';

const KEY_RE = /^AWSLogs\/111122223333\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/111122223333_CloudTrail_\1_(\d{8})T(\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$/;
const GROUP = `arn:aws:logs:us-east-1:${ACCT}:log-group:trail-logs:*`;
const ROLE = `arn:aws:iam::${ACCT}:role/CloudTrailToLogs`;

function withBucket() {
  const e = engine();
  e.callSync('s3', 'CreateBucket', { Bucket: 'trail-bucket' });
  return e;
}

function logFiles(e: ReturnType<typeof engine>, bucket = 'trail-bucket'): { key: string; records: Record<string, unknown>[] }[] {
  const b = e.read<S3State>('s3').buckets[bucket]!;
  return Object.values(b.objects).filter((o) => o.Key.endsWith('.json.gz')).map((o) => ({
    key: o.Key,
    records: (JSON.parse(strFromU8(gunzipSync(Buffer.from(o.BodyBase64!, 'base64')))) as { Records: Record<string, unknown>[] }).Records,
  }));
}

describe('CreateTrail', () => {
  it('needs an existing bucket, a valid unique name, and global events for a multi-Region trail', () => {
    const e = engine();
    const code = (p: Record<string, unknown>) => { const r = e.callSync('cloudtrail', 'CreateTrail', p); return r.ok ? 'ok' : r.error.code; };
    expect(code({ Name: 'main', S3BucketName: 'nope-bucket' })).toBe('S3BucketDoesNotExistException');
    e.callSync('s3', 'CreateBucket', { Bucket: 'trail-bucket' });
    expect(code({ Name: 'ab', S3BucketName: 'trail-bucket' })).toBe('InvalidTrailNameException');
    expect(code({ Name: 'my--trail', S3BucketName: 'trail-bucket' })).toBe('InvalidTrailNameException');
    expect(code({ Name: 'main', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })).toBe('InvalidParameterCombinationException');
    expect(code({ Name: 'main', S3BucketName: 'trail-bucket', CloudWatchLogsLogGroupArn: GROUP })).toBe('InvalidCloudWatchLogsRoleArnException');
    expect(code({ Name: 'main', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true })).toBe('ok');
    expect(code({ Name: 'main', S3BucketName: 'trail-bucket' })).toBe('TrailAlreadyExistsException');
    for (let i = 2; i <= 5; i++) expect(code({ Name: `t${i}x`, S3BucketName: 'trail-bucket' })).toBe('ok');
    expect(code({ Name: 't6x', S3BucketName: 'trail-bucket' })).toBe('MaximumNumberOfTrailsExceededException');
  });

  it('a new trail is not logging; DescribeTrails shows it from every Region when multi-Region', () => {
    const e = withBucket();
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'org', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true });
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'local', S3BucketName: 'trail-bucket' });
    expect(e.callSync('cloudtrail', 'GetTrailStatus', { Name: 'org' })).toEqual({ ok: true, output: { IsLogging: false } });
    const inEu = e.callSync<{ trailList: { Name: string; HomeRegion: string }[] }>('cloudtrail', 'DescribeTrails', {}, { region: 'eu-west-1' });
    expect(inEu.ok && inEu.output.trailList.map((t) => `${t.Name}@${t.HomeRegion}`)).toEqual(['org@us-east-1']);
    expect(e.callSync('cloudtrail', 'StartLogging', { Name: 'org' }, { region: 'eu-west-1' })).toMatchObject({ ok: false, error: { code: 'InvalidHomeRegionException' } });
    expect(e.callSync('cloudtrail', 'StartLogging', { Name: 'missing' })).toEqual({ ok: false, error: { code: 'TrailNotFoundException', message: `Unknown trail: missing for the user: ${ACCT}` } });
  });
});

describe('delivery', () => {
  it('about every 5 minutes, gzipped {"Records":[...]} files under the real key layout, written as a data event', () => {
    const e = withBucket();
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'main', S3BucketName: 'trail-bucket' });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
    e.callSync('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1 });
    e.advanceSync(4 * 60_000);
    expect(logFiles(e)).toEqual([]);
    e.advanceSync(60_000);
    const files = logFiles(e);
    expect(files).toHaveLength(1);
    const m = KEY_RE.exec(files[0]!.key)!;
    expect(m.slice(1)).toEqual(['us-east-1', '2026', '03', '01', '20260301', '0005']);
    expect(files[0]!.records.map((r) => r.eventName)).toEqual(['StartLogging', 'RunInstances']);
    // Records in the file are the same records Event history holds.
    const st = e.read<CloudTrailState>('cloudtrail');
    expect(files[0]!.records[1]).toEqual(st.events.find((x) => x.record.eventName === 'RunInstances')!.record);
    // The PutObject that delivered it is a data event: no new management event.
    expect(st.events.map((x) => x.record.eventName)).toEqual(['CreateBucket', 'CreateTrail', 'StartLogging', 'RunInstances']);
    const status = e.callSync('cloudtrail', 'GetTrailStatus', { Name: 'main' });
    expect(status).toMatchObject({ ok: true, output: { IsLogging: true, LatestDeliveryTime: '2026-03-01T00:05:00.000Z', TimeLoggingStarted: '2026-03-01T00:00:00Z' } });
    e.advanceSync(10 * 60_000); // quiet periods write no empty files
    expect(logFiles(e).filter((f) => !f.records.some((r) => r.eventName === 'GetTrailStatus'))).toHaveLength(1);
  });

  it('GetObject gives the stored body back to a reader', () => {
    const e = withBucket();
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'main', S3BucketName: 'trail-bucket' });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
    e.advanceSync(5 * 60_000);
    const key = logFiles(e)[0]!.key;
    const r = e.callSync<{ Body: string; ContentLength: number }>('s3', 'GetObject', { Bucket: 'trail-bucket', Key: key });
    if (!r.ok) throw new Error(r.error.message);
    expect(Buffer.from(r.output.Body, 'base64').length).toBe(r.output.ContentLength);
    expect(Buffer.from(r.output.Body, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('single-Region trails get their own Region; multi-Region trails get every Region, one file per Region', () => {
    const e = withBucket();
    e.callSync('s3', 'CreateBucket', { Bucket: 'single-bucket' });
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'all', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true });
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'here', S3BucketName: 'single-bucket', S3KeyPrefix: 'audit' });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'all' });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'here' });
    e.callSync('ec2', 'DescribeInstances', {}, { region: 'eu-west-1' });
    e.callSync('iam', 'CreateUser', { UserName: 'pat' });
    e.advanceSync(5 * 60_000);
    const all = logFiles(e);
    expect(all.map((f) => KEY_RE.exec(f.key)![1]).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(all.find((f) => f.key.includes('/eu-west-1/'))!.records.map((r) => r.eventName)).toEqual(['DescribeInstances']);
    const single = logFiles(e, 'single-bucket');
    expect(single).toHaveLength(1);
    expect(single[0]!.key.startsWith('audit/AWSLogs/111122223333/CloudTrail/us-east-1/')).toBe(true);
    expect(single[0]!.records.map((r) => r.eventName)).toEqual(['StartLogging', 'CreateUser']);
  });

  it('StopLogging stops capture; the next delivery still writes what was captured; DeleteTrail cancels delivery', () => {
    const e = withBucket();
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'main', S3BucketName: 'trail-bucket' });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
    e.callSync('s3', 'CreateBucket', { Bucket: 'captured' });
    e.callSync('cloudtrail', 'StopLogging', { Name: 'main' });
    e.callSync('s3', 'CreateBucket', { Bucket: 'not-captured' });
    e.advanceSync(5 * 60_000);
    const names = logFiles(e).flatMap((f) => f.records.map((r) => (r.requestParameters as { bucketName?: string } | null)?.bucketName ?? r.eventName));
    expect(names).toEqual(['StartLogging', 'captured', 'StopLogging']);
    e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
    e.callSync('cloudtrail', 'DeleteTrail', { Name: 'main' });
    e.advanceSync(10 * 60_000);
    expect(logFiles(e)).toHaveLength(1);
    expect(e.callSync('cloudtrail', 'GetTrailStatus', { Name: 'main' })).toMatchObject({ ok: false, error: { code: 'TrailNotFoundException' } });
  });

  it('a trail with a log group also sends each record to CloudWatch Logs (stream <acct>_CloudTrail_<region>)', () => {
    const e = withBucket();
    const seen: unknown[] = [];
    e.subscribe((ev) => { if (ev.type === 'cloudtrail/logs-delivered') seen.push(ev.payload); });
    e.callSync('cloudtrail', 'CreateTrail', { Name: 'main', S3BucketName: 'trail-bucket', CloudWatchLogsLogGroupArn: GROUP, CloudWatchLogsRoleArn: ROLE });
    e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
    e.callSync('s3', 'DeleteBucket', { Bucket: 'gone-bucket' });
    e.advanceSync(5 * 60_000);
    const stream = e.read<CloudTrailState>('cloudtrail').logs[GROUP]![`${ACCT}_CloudTrail_us-east-1`]!;
    expect(stream.map((x) => (JSON.parse(x.message) as { eventName: string }).eventName)).toEqual(['StartLogging', 'DeleteBucket']);
    expect(stream[1]!.timestamp).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(seen).toHaveLength(1);
    expect(e.callSync('cloudtrail', 'GetTrailStatus', { Name: 'main' })).toMatchObject({ ok: true, output: { LatestCloudWatchLogsDeliveryTime: '2026-03-01T00:05:00.000Z' } });
  });

  it('delivery is deterministic: same seed and calls give the same keys and bytes', () => {
    const run = () => {
      const e = withBucket();
      e.callSync('cloudtrail', 'CreateTrail', { Name: 'main', S3BucketName: 'trail-bucket' });
      e.callSync('cloudtrail', 'StartLogging', { Name: 'main' });
      e.advanceSync(15 * 60_000);
      return e.stateHash();
    };
    expect(run()).toBe(run());
  });
});
