import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.ts';
import { bucketTotals, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 9, 0); // 09:00 on 1 March (tests may use Date; the engine may not)
const fresh = () => createEngine({ seed: 4, startTime: T0, region: 'us-east-1' });

interface Dp { Timestamp: string; Maximum: number; Unit: string }
function stats(e: Engine, metric: string, bucket: string, storageType: string): Dp[] {
  const r = e.callSync<{ Datapoints: Dp[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/S3', MetricName: metric, Dimensions: [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: storageType }],
    StartTime: Date.UTC(2026, 1, 27), EndTime: e.nowMs(), Period: 86_400, Statistics: ['Maximum'],
  });
  if (!r.ok) throw new Error(r.error.message);
  return [...r.output.Datapoints].sort((a, b) => a.Timestamp.localeCompare(b.Timestamp));
}

const putObj = (e: Engine, bucket: string, key: string, size: number) =>
  e.callSync('s3', 'PutObject', { Bucket: bucket, Key: key, Body: 'x', ContentLength: size });

describe('AWS/S3 daily storage metrics', () => {
  it('publishes BucketSizeBytes and NumberOfObjects once per day, stamped at the start of the day just ended', async () => {
    const e = fresh();
    expect(e.callSync('s3', 'CreateBucket', { Bucket: 'logs-2026' }).ok).toBe(true);
    putObj(e, 'logs-2026', 'a.log', 1000);
    putObj(e, 'logs-2026', 'b.log', 2500);
    await e.advance(12 * 3600_000); // 21:00, same day: nothing yet
    expect(stats(e, 'BucketSizeBytes', 'logs-2026', 'StandardStorage')).toEqual([]);
    await e.advance(4 * 3600_000); // past midnight
    expect(stats(e, 'BucketSizeBytes', 'logs-2026', 'StandardStorage')).toEqual([{ Timestamp: '2026-03-01T00:00:00.000Z', Maximum: 3500, Unit: 'Bytes' }]);
    expect(stats(e, 'NumberOfObjects', 'logs-2026', 'AllStorageTypes')).toEqual([{ Timestamp: '2026-03-01T00:00:00.000Z', Maximum: 2, Unit: 'Count' }]);
    // day 2: one object overwritten with a bigger body, one deleted, one added
    putObj(e, 'logs-2026', 'a.log', 4000);
    expect(e.callSync('s3', 'DeleteObject', { Bucket: 'logs-2026', Key: 'b.log' }).ok).toBe(true);
    putObj(e, 'logs-2026', 'c.log', 10);
    await e.advance(DAY);
    expect(stats(e, 'BucketSizeBytes', 'logs-2026', 'StandardStorage').map((d) => d.Maximum)).toEqual([3500, 4010]);
    expect(stats(e, 'NumberOfObjects', 'logs-2026', 'AllStorageTypes').map((d) => d.Maximum)).toEqual([2, 2]);
    expect(bucketTotals(e.read<CloudWatchState>('cloudwatch'), 'logs-2026')).toEqual({ bytes: 4010, objects: 2 });
  });

  it('the metrics are listed under AWS/S3 with their documented dimensions; empty and deleted buckets publish nothing', async () => {
    const e = fresh();
    e.callSync('s3', 'CreateBucket', { Bucket: 'empty-bucket' });
    e.callSync('s3', 'CreateBucket', { Bucket: 'gone-bucket' });
    putObj(e, 'gone-bucket', 'k', 5);
    e.callSync('s3', 'DeleteObject', { Bucket: 'gone-bucket', Key: 'k' });
    e.callSync('s3', 'DeleteBucket', { Bucket: 'gone-bucket' });
    e.callSync('s3', 'CreateBucket', { Bucket: 'site' });
    putObj(e, 'site', 'index.html', 512);
    await e.advance(2 * DAY);
    const r = e.callSync<{ Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/S3' });
    expect(r.ok && r.output.Metrics.map((m) => `${m.MetricName} ${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`).sort()).toEqual([
      'BucketSizeBytes BucketName=site,StorageType=StandardStorage',
      'NumberOfObjects BucketName=site,StorageType=AllStorageTypes',
    ]);
    expect(stats(e, 'BucketSizeBytes', 'site', 'StandardStorage').map((d) => d.Timestamp)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
  });

  it('DeleteObject: a missing key succeeds without an event; a missing bucket is NoSuchBucket', () => {
    const e = fresh();
    e.callSync('s3', 'CreateBucket', { Bucket: 'b-1' });
    const seen: string[] = [];
    e.subscribe((ev) => seen.push(ev.type));
    expect(e.callSync('s3', 'DeleteObject', { Bucket: 'b-1', Key: 'nope' }).ok).toBe(true);
    expect(seen).not.toContain('s3/object-deleted');
    const r = e.callSync('s3', 'DeleteObject', { Bucket: 'b-2', Key: 'k' });
    expect(r.ok ? '' : r.error.code).toBe('NoSuchBucket');
  });

  it('no bucket, no daily timer: an account without S3 keeps its queue as before', () => {
    const e = fresh();
    const before = e.snapshot().state.queue.map((q) => q.kind);
    expect(before).not.toContain('cloudwatch/s3Daily');
    e.callSync('s3', 'CreateBucket', { Bucket: 'b-1' });
    expect(e.snapshot().state.queue.map((q) => q.kind)).toContain('cloudwatch/s3Daily');
  });
});
