/**
 * The `s3` service: buckets and objects (CreateBucket, ListBuckets, DeleteBucket, PutObject,
 * GetObject, DeleteObject, ListObjectsV2). Bucket calls are management events; object calls are data events (spec §4.1).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/
 */
import { checkInt, checkString, err, firstError } from '../../kernel/params.ts';
import { fnv1a } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, Params, ServiceDef } from '../../kernel/types.ts';

export interface S3Object {
  Key: string; Size: number; ETag: string; LastModified: number; StorageClass: 'STANDARD';
  /** The body, kept only for objects written by AWS services (e.g. CloudTrail log files), base64. */
  BodyBase64?: string;
  ContentType?: string;
}
export interface Bucket { Name: string; CreationDate: number; region: string; objects: Record<string, S3Object> }
export interface S3State { buckets: Record<string, Bucket> }

/** Bucket naming rules (general purpose buckets). */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'Bucket names must be between 3 and 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'Bucket names can consist only of lowercase letters, numbers, dots and hyphens, and must begin and end with a letter or number';
  if (/\.\./.test(name)) return 'Bucket names must not contain two adjacent periods';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'Bucket names must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.endsWith('-s3alias') || name.endsWith('--ol-s3'))
    return 'Bucket names must not use a reserved prefix or suffix';
  return null;
}

const bucketRes = (p: Params) => (typeof p.Bucket === 'string' ? [{ type: 'AWS::S3::Bucket', name: p.Bucket }] : []);
const noSuchBucket = (name: string): { error: ApiError } => err('NoSuchBucket', `The specified bucket does not exist: ${name}`);
const host = (bucket: unknown, region: string) => `${String(bucket)}.s3.${region}.amazonaws.com`;

/** A 32-hex-digit ETag derived from the content (a stand-in for its MD5). */
function etagOf(body: string): string {
  let out = '';
  for (let i = 0; i < 4; i++) out += fnv1a(`${i}:${body}`).toString(16).padStart(8, '0');
  return `"${out}"`;
}

export const s3Service: ServiceDef<S3State> = {
  name: 's3',
  eventSource: 's3.amazonaws.com',
  init: () => ({ buckets: {} }),
  operations: {
    CreateBucket: {
      readOnly: false,
      validate: (p) => checkString(p, 'Bucket', { required: true }),
      run(ctx, p, call) {
        const name = p.Bucket as string;
        const problem = bucketNameProblem(name);
        if (problem) return err('InvalidBucketName', `The specified bucket is not valid. ${problem}.`);
        const loc = (p.CreateBucketConfiguration as { LocationConstraint?: unknown } | undefined)?.LocationConstraint;
        if (call.region !== 'us-east-1' && loc !== call.region)
          return err('IllegalLocationConstraintException', `The ${String(loc ?? 'unspecified')} location constraint is incompatible for the region specific endpoint this request was sent to.`);
        if (ctx.state.buckets[name]) return err('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.');
        ctx.state.buckets[name] = { Name: name, CreationDate: ctx.now, region: call.region, objects: {} };
        ctx.emit('s3/bucket-created', { bucket: name });
        return { output: { Location: call.region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/` } };
      },
      resources: bucketRes,
      trail: { request: (p) => ({ bucketName: p.Bucket, Host: host(p.Bucket, 'us-east-1') }), response: () => null },
    },
    ListBuckets: {
      readOnly: true,
      run(ctx) {
        const names = Object.keys(ctx.state.buckets).sort();
        return {
          output: {
            Buckets: names.map((n) => ({ Name: n, CreationDate: toIso(ctx.state.buckets[n]!.CreationDate), BucketRegion: ctx.state.buckets[n]!.region })),
            Owner: { ID: fnv1a(ctx.accountId).toString(16).padStart(8, '0').repeat(8) },
          },
        };
      },
      trail: { request: () => ({ Host: 's3.amazonaws.com' }) },
    },
    DeleteBucket: {
      readOnly: false,
      validate: (p) => checkString(p, 'Bucket', { required: true }),
      run(ctx, p) {
        const b = ctx.state.buckets[p.Bucket as string];
        if (!b) return noSuchBucket(p.Bucket as string);
        if (Object.keys(b.objects).length > 0) return err('BucketNotEmpty', 'The bucket you tried to delete is not empty');
        delete ctx.state.buckets[b.Name];
        ctx.emit('s3/bucket-deleted', { bucket: b.Name });
        return { output: {} };
      },
      resources: bucketRes,
      trail: { request: (p) => ({ bucketName: p.Bucket, Host: host(p.Bucket, 'us-east-1') }), response: () => null },
    },
    PutObject: {
      readOnly: false,
      category: 'Data',
      validate: (p) => firstError(checkString(p, 'Bucket', { required: true }), checkString(p, 'Key', { required: true, min: 1, max: 1024 })),
      run(ctx, p, call) {
        const b = ctx.state.buckets[p.Bucket as string];
        if (!b) return noSuchBucket(p.Bucket as string);
        const body = typeof p.Body === 'string' ? p.Body : p.Body === undefined ? '' : JSON.stringify(p.Body);
        // AWS services send binary bodies as base64 (the JSON form of a blob); keep those bodies.
        const fromService = call.identity.type === 'AWSService' && typeof p.Body === 'string';
        const size = typeof p.ContentLength === 'number' ? p.ContentLength : fromService ? base64Length(body) : body.length;
        const obj: S3Object = {
          Key: p.Key as string, Size: size, ETag: etagOf(body), LastModified: ctx.now, StorageClass: 'STANDARD',
          ...(fromService ? { BodyBase64: body } : {}),
          ...(typeof p.ContentType === 'string' ? { ContentType: p.ContentType } : {}),
        };
        b.objects[obj.Key] = obj;
        ctx.emit('s3/object-created', { bucket: b.Name, key: obj.Key, size });
        return { output: { ETag: obj.ETag } };
      },
      resources: (p) => [{ type: 'AWS::S3::Object', name: `${String(p.Bucket)}/${String(p.Key)}` }, ...bucketRes(p)],
    },
    GetObject: {
      readOnly: true,
      category: 'Data',
      validate: (p) => firstError(checkString(p, 'Bucket', { required: true }), checkString(p, 'Key', { required: true, min: 1 })),
      run(ctx, p) {
        const b = ctx.state.buckets[p.Bucket as string];
        if (!b) return noSuchBucket(p.Bucket as string);
        const o = b.objects[p.Key as string];
        if (!o) return err('NoSuchKey', 'The specified key does not exist.');
        return {
          output: {
            ContentLength: o.Size, ETag: o.ETag, LastModified: toIso(o.LastModified),
            ...(o.ContentType ? { ContentType: o.ContentType } : {}),
            ...(o.BodyBase64 !== undefined ? { Body: o.BodyBase64 } : {}),
          },
        };
      },
      resources: (p) => [{ type: 'AWS::S3::Object', name: `${String(p.Bucket)}/${String(p.Key)}` }, ...bucketRes(p)],
    },
    /** DeleteObject: deleting a missing key still succeeds (204), as in an unversioned bucket. */
    DeleteObject: {
      readOnly: false,
      category: 'Data',
      validate: (p) => firstError(checkString(p, 'Bucket', { required: true }), checkString(p, 'Key', { required: true, min: 1, max: 1024 })),
      run(ctx, p) {
        const b = ctx.state.buckets[p.Bucket as string];
        if (!b) return noSuchBucket(p.Bucket as string);
        const key = p.Key as string;
        if (b.objects[key]) {
          delete b.objects[key];
          ctx.emit('s3/object-deleted', { bucket: b.Name, key });
        }
        return { output: {} };
      },
      resources: (p) => [{ type: 'AWS::S3::Object', name: `${String(p.Bucket)}/${String(p.Key)}` }, ...bucketRes(p)],
    },
    ListObjectsV2: {
      readOnly: true,
      category: 'Data',
      validate: (p) => firstError(
        checkString(p, 'Bucket', { required: true }),
        checkString(p, 'Prefix'),
        checkString(p, 'StartAfter'),
        checkString(p, 'ContinuationToken'),
        checkInt(p, 'MaxKeys', { min: 0, max: 1000 }),
      ),
      run(ctx, p) {
        const b = ctx.state.buckets[p.Bucket as string];
        if (!b) return noSuchBucket(p.Bucket as string);
        const prefix = (p.Prefix as string | undefined) ?? '';
        const max = (p.MaxKeys as number | undefined) ?? 1000;
        let after = (p.StartAfter as string | undefined) ?? '';
        if (typeof p.ContinuationToken === 'string') {
          const decoded = decodeToken(p.ContinuationToken);
          if (decoded === null) return err('InvalidArgument', 'The continuation token provided is incorrect');
          after = decoded;
        }
        const keys = Object.keys(b.objects).filter((k) => k.startsWith(prefix) && k > after).sort();
        const page = keys.slice(0, max);
        const truncated = keys.length > page.length;
        return {
          output: {
            Name: b.Name, Prefix: prefix, MaxKeys: max, KeyCount: page.length, IsTruncated: truncated,
            Contents: page.map((k) => {
              const o = b.objects[k]!;
              return { Key: o.Key, LastModified: toIso(o.LastModified), ETag: o.ETag, Size: o.Size, StorageClass: o.StorageClass };
            }),
            ...(truncated && page.length ? { NextContinuationToken: encodeToken(page[page.length - 1]!) } : {}),
            ...(p.ContinuationToken ? { ContinuationToken: p.ContinuationToken } : {}),
          },
        };
      },
      resources: bucketRes,
    },
  },
};

/** Bytes encoded by a base64 string. */
function base64Length(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

/** The stored body (base64) of an object written by an AWS service, or null. */
export function objectBody(state: S3State, bucket: string, key: string): string | null {
  return state.buckets[bucket]?.objects[key]?.BodyBase64 ?? null;
}

function encodeToken(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) out += key.charCodeAt(i).toString(16).padStart(4, '0');
  return `1${out}`;
}
function decodeToken(token: string): string | null {
  if (!/^1([0-9a-f]{4})*$/.test(token)) return null;
  let out = '';
  for (let i = 1; i < token.length; i += 4) out += String.fromCharCode(Number.parseInt(token.slice(i, i + 4), 16));
  return out;
}
