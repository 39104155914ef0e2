/**
 * How each service writes its CloudTrail records, where services differ (from AWS's documented
 * example records): EC2 prefixes client errors with `Client.` and repeats the request id inside
 * `responseElements`; S3 brackets the user agent, uses 16-hex request ids and adds
 * `additionalEventData`; only some services fill the record's `resources` (STS with the role,
 * S3 with the bucket) while Event history lists resources for every call; console sign-ins carry
 * no request id and no error code.
 */
import { CONSOLE_BROWSER_USER_AGENT } from '../../kernel/identity.ts';
import { fnv1a } from '../../kernel/rng.ts';
import type { ApiCallEvent, Identity } from '../../kernel/types.ts';

export interface RecordConventions {
  /** Resource types that appear in the record's `resources` (Event history shows all of them). */
  recordResourceTypes: readonly string[];
  errorCode(code: string): string;
  requestId(uuid: string): string;
  response(call: ApiCallEvent): unknown;
  request?(call: ApiCallEvent): unknown;
  additionalEventData?(call: ApiCallEvent): Record<string, unknown>;
  userAgent?(id: Identity): string | undefined;
  wrapUserAgent?: boolean;
  /** `tlsDetails.clientProvidedHostHeader`. */
  host(call: ApiCallEvent): string;
}

const same = (x: string) => x;
const regionalHost = (c: ApiCallEvent) => `${c.eventSource.replace('.amazonaws.com', '')}.${c.region}.amazonaws.com`;

const DEFAULT: RecordConventions = {
  recordResourceTypes: [],
  errorCode: same,
  requestId: same,
  response: (c) => c.responseElements ?? null,
  host: regionalHost,
};

/** EC2 Describe* records list their filters as `filterSet.items[].valueSet.items[]`. */
function ec2DescribeRequest(c: ApiCallEvent): unknown {
  if (c.action !== 'DescribeInstances') return undefined;
  const p = c.params;
  const ids = Array.isArray(p.InstanceIds) ? (p.InstanceIds as string[]) : [];
  const filters = Array.isArray(p.Filters) ? (p.Filters as { Name: string; Values: string[] }[]) : [];
  return {
    ...(typeof p.MaxResults === 'number' ? { maxResults: p.MaxResults } : {}),
    instancesSet: ids.length ? { items: ids.map((instanceId) => ({ instanceId })) } : {},
    filterSet: filters.length
      ? { items: filters.map((f) => ({ name: f.Name, valueSet: { items: (f.Values ?? []).map((value) => ({ value })) } })) }
      : {},
  };
}

/** A 16-hex-digit S3 request id derived from the kernel's request uuid. */
const s3RequestId = (uuid: string) =>
  (fnv1a(uuid).toString(16).padStart(8, '0') + fnv1a(`${uuid}#2`).toString(16).padStart(8, '0')).toUpperCase();

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function amzId2(seed: string): string {
  let out = '';
  let h = fnv1a(seed);
  for (let i = 0; out.length < 76; i++) { h = fnv1a(`${i}`, h); out += B64[h & 63]! + B64[(h >>> 6) & 63]!; }
  return `${out.slice(0, 76)}=`;
}

const BY_SOURCE: Record<string, Partial<RecordConventions>> = {
  'ec2.amazonaws.com': {
    errorCode: (code) => (code.startsWith('Client.') || code.startsWith('Server.') ? code : `Client.${code}`),
    response: (c) => {
      const r = c.responseElements;
      if (r === null || r === undefined || typeof r !== 'object') return r ?? null;
      return { requestId: c.requestId, ...(r as Record<string, unknown>) };
    },
    request: ec2DescribeRequest,
  },
  's3.amazonaws.com': {
    recordResourceTypes: ['AWS::S3::Bucket', 'AWS::S3::Object'],
    requestId: s3RequestId,
    wrapUserAgent: true,
    additionalEventData: (c) => ({
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': amzId2(c.requestId),
      bytesTransferredOut: 0,
    }),
    host: (c) => {
      const rp = c.requestParameters as { Host?: unknown } | null;
      return typeof rp?.Host === 'string' ? rp.Host : 's3.amazonaws.com';
    },
  },
  'iam.amazonaws.com': { host: () => 'iam.amazonaws.com' },
  'sts.amazonaws.com': { recordResourceTypes: ['AWS::IAM::Role'], host: () => 'sts.amazonaws.com' },
  'signin.amazonaws.com': { host: () => 'signin.aws.amazon.com', userAgent: () => CONSOLE_BROWSER_USER_AGENT },
};

export function conventionsFor(eventSource: string): RecordConventions {
  return { ...DEFAULT, ...BY_SOURCE[eventSource] };
}

/** Success, a wrong password, or a user name that matches no user (recorded masked). */
export function signInOutcome(call: ApiCallEvent): 'Success' | 'Failure' | 'UnknownUser' {
  if (!call.error) return 'Success';
  return call.error.code === 'NoSuchEntity' ? 'UnknownUser' : 'Failure';
}
