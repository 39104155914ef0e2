/**
 * AWS/S3 daily storage metrics (spec §2.6): `BucketSizeBytes` (BucketName, StorageType=
 * StandardStorage, Bytes) and `NumberOfObjects` (BucketName, StorageType=AllStorageTypes, Count),
 * once per day. CloudWatch keeps its own tally of each bucket's objects from the S3 engine events
 * (`s3/bucket-created`, `s3/object-created`, `s3/object-deleted`, `s3/bucket-deleted`), since
 * services do not read each other's state.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html
 */
import type { EngineEvent, ServiceContext } from '../../kernel/types.ts';
import { DAY, type CloudWatchState, type Dimension } from './cloudwatch.model.ts';
import { addSamples, getMetric } from './cloudwatch.store.ts';

type Ctx = ServiceContext<CloudWatchState>;

export interface S3StorageState {
  /** Bucket → object key → size in bytes. */
  buckets: Record<string, Record<string, number>>;
  /** Whether the daily `s3Daily` timer is scheduled. */
  scheduled: boolean;
}

declare module './cloudwatch.model.ts' {
  interface CloudWatchState {
    /** The S3 storage tally (absent until the first bucket). */
    s3Storage?: S3StorageState;
  }
}

const storage = (s: CloudWatchState): S3StorageState => (s.s3Storage ??= { buckets: {}, scheduled: false });

function ensureDaily(ctx: Ctx): void {
  const st = storage(ctx.state);
  if (st.scheduled) return;
  st.scheduled = true;
  ctx.schedule(Math.floor(ctx.now / DAY) * DAY + DAY, 's3Daily', null);
}

export function onBucketCreated(ctx: Ctx, ev: EngineEvent<{ bucket: string }>): void {
  storage(ctx.state).buckets[ev.payload.bucket] ??= {};
  ensureDaily(ctx);
}

export function onBucketDeleted(ctx: Ctx, ev: EngineEvent<{ bucket: string }>): void {
  if (ctx.state.s3Storage) delete ctx.state.s3Storage.buckets[ev.payload.bucket];
}

export function onObjectCreated(ctx: Ctx, ev: EngineEvent<{ bucket: string; key: string; size: number }>): void {
  const b = (storage(ctx.state).buckets[ev.payload.bucket] ??= {});
  b[ev.payload.key] = ev.payload.size; // an overwrite replaces the old size
  ensureDaily(ctx);
}

export function onObjectDeleted(ctx: Ctx, ev: EngineEvent<{ bucket: string; key: string }>): void {
  const b = ctx.state.s3Storage?.buckets[ev.payload.bucket];
  if (b) delete b[ev.payload.key];
}

/** Totals of one bucket as the tally knows them. */
export function bucketTotals(state: CloudWatchState, bucket: string): { bytes: number; objects: number } | null {
  const b = state.s3Storage?.buckets[bucket];
  if (!b) return null;
  let bytes = 0, objects = 0;
  for (const k in b) { bytes += b[k]!; objects++; }
  return { bytes, objects };
}

/** Stores one AWS-published datapoint (a single sample) at minute resolution. */
function publishPoint(state: CloudWatchState, namespace: string, name: string, dims: Dimension[], unit: string, t: number, v: number, now: number): void {
  const m = getMetric(state, namespace, name, dims, true)!;
  addSamples(m, unit, t, 60, { n: 1, s: v, lo: v, hi: v, raw: null }, now);
}

/**
 * The daily run at 00:00 UTC: for every bucket holding objects, one datapoint per metric stamped
 * at the start of the day that just ended, with the bucket's size at the end of that day.
 */
export function publishS3Daily(ctx: Ctx): void {
  const st = storage(ctx.state);
  const stamp = Math.floor(ctx.now / DAY) * DAY - DAY;
  for (const bucket of Object.keys(st.buckets).sort()) {
    const t = bucketTotals(ctx.state, bucket)!;
    if (t.objects === 0) continue;
    publishPoint(ctx.state, 'AWS/S3', 'BucketSizeBytes', [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: 'StandardStorage' }], 'Bytes', stamp, t.bytes, ctx.now);
    publishPoint(ctx.state, 'AWS/S3', 'NumberOfObjects', [{ Name: 'BucketName', Value: bucket }, { Name: 'StorageType', Value: 'AllStorageTypes' }], 'Count', stamp, t.objects, ctx.now);
  }
  if (Object.keys(st.buckets).length === 0) { st.scheduled = false; return; }
  ctx.schedule(Math.floor(ctx.now / DAY) * DAY + DAY, 's3Daily', null);
}
