/**
 * Issue #3's figure: LookupEvents over a 90-day Event history of 1,000,000 management events,
 * median time per page (MaxResults 50) for each lookup attribute, next to a raw `Array.filter`
 * over the same event array in the same run.
 *
 * The history is built directly with the cloudtrail store function (`storeEvent`) on a live
 * engine's state, not with 1 M `engine.call`s (about 1 M × record building would dominate the
 * run); records share their identity sub-objects to keep memory near 0.5 GB. Pages are then read
 * through `engine.callSync('cloudtrail', 'LookupEvents', ...)` as a learner would.
 */
import { createEngine } from '../../src/engine/index.ts';
import { storeEvent, type CloudTrailState, type StoredEvent } from '../../src/engine/services/cloudtrail/index.ts';

const N = 1_000_000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 5, 1);
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'AutoScaling', 'root', 'mallory'];
const EVENTS: [string, string, boolean, string | null][] = [
  ['DescribeInstances', 'ec2.amazonaws.com', true, null],
  ['RunInstances', 'ec2.amazonaws.com', false, 'AWS::EC2::Instance'],
  ['TerminateInstances', 'ec2.amazonaws.com', false, 'AWS::EC2::Instance'],
  ['StopInstances', 'ec2.amazonaws.com', false, 'AWS::EC2::Instance'],
  ['ListBuckets', 's3.amazonaws.com', true, null],
  ['CreateBucket', 's3.amazonaws.com', false, 'AWS::S3::Bucket'],
  ['DeleteBucket', 's3.amazonaws.com', false, 'AWS::S3::Bucket'],
  ['GetMetricData', 'monitoring.amazonaws.com', true, null],
  ['ConsoleLogin', 'signin.amazonaws.com', false, null],
  ['AssumeRole', 'sts.amazonaws.com', false, 'AWS::IAM::Role'],
];

/** A cheap deterministic generator (the bench needs spread, not quality). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function buildHistory(state: CloudTrailState): StoredEvent[] {
  const next = lcg(2026);
  const identities = USERS.map((u) => ({ type: 'IAMUser', principalId: `AIDA${u.toUpperCase().padEnd(17, 'X')}`, arn: `arn:aws:iam::111122223333:user/${u}`, accountId: '111122223333', accessKeyId: `AKIA${u.toUpperCase().padEnd(16, 'Q')}`.slice(0, 20), userName: u }));
  const tls = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.us-east-1.amazonaws.com' };
  const start = END - 90 * DAY;
  for (let i = 0; i < N; i++) {
    const t = start + Math.floor((i / N) * 90 * DAY);
    const u = next() % USERS.length;
    const [name, source, ro, rtype] = EVENTS[next() % EVENTS.length]!;
    const rname = rtype === 'AWS::EC2::Instance' ? `i-${(next() % 5000).toString(16).padStart(17, '0')}` : rtype === 'AWS::S3::Bucket' ? `bucket-${next() % 300}` : rtype ? 'arn:aws:iam::111122223333:role/Ops' : null;
    const id = `${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
    storeEvent(state, {
      t, region: 'us-east-1', username: USERS[u]!, accessKeyId: identities[u]!.accessKeyId,
      resources: rname ? [{ ResourceType: rtype!, ResourceName: rname }] : [],
      record: {
        eventVersion: '1.11', userIdentity: identities[u], eventTime: `${new Date(t).toISOString().slice(0, 19)}Z`, eventSource: source, eventName: name,
        awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', userAgent: 'aws-cli/2', requestParameters: null, responseElements: null,
        requestID: id, eventID: id, readOnly: ro, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: '111122223333',
        eventCategory: 'Management', tlsDetails: tls,
      },
    });
  }
  return state.events;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const ms = (x: number) => Number(x.toFixed(3));

export async function benchCloudtrail(): Promise<Record<string, number | string>> {
  const e = createEngine({ seed: 3, startTime: END });
  const state = e.read<CloudTrailState>('cloudtrail');
  const t0 = performance.now();
  const events = buildHistory(state);
  const buildMs = performance.now() - t0;
  const sample = events[N >> 1]!;
  const queries: [string, string, (ev: StoredEvent) => boolean][] = [
    ['EventId', sample.record.eventID as string, (ev) => ev.record.eventID === sample.record.eventID],
    ['EventName', 'TerminateInstances', (ev) => ev.record.eventName === 'TerminateInstances'],
    ['ReadOnly', 'false', (ev) => ev.record.readOnly === false],
    ['Username', 'mallory', (ev) => ev.username === 'mallory'],
    ['ResourceType', 'AWS::S3::Bucket', (ev) => ev.resources.some((r) => r.ResourceType === 'AWS::S3::Bucket')],
    ['ResourceName', 'bucket-7', (ev) => ev.resources.some((r) => r.ResourceName === 'bucket-7')],
    ['EventSource', 'sts.amazonaws.com', (ev) => ev.record.eventSource === 'sts.amazonaws.com'],
    ['AccessKeyId', events[0]!.accessKeyId!, (ev) => ev.accessKeyId === events[0]!.accessKeyId],
  ];
  const figures: Record<string, number | string> = {
    events: N, historyDays: 90, buildHistoryMs: ms(buildMs), method: 'history built with storeEvent; pages read with engine.callSync(LookupEvents, MaxResults 50)',
  };
  const REPS = 15;
  const windowStart = END - 90 * DAY;
  for (const [key, value, pred] of queries) {
    const lookupTimes: number[] = [];
    const filterTimes: number[] = [];
    let pageLen = 0;
    for (let r = 0; r < REPS; r++) {
      const a = performance.now();
      const out = e.callSync<{ Events: unknown[] }>('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }], MaxResults: 50 });
      lookupTimes.push(performance.now() - a);
      if (!out.ok) throw new Error(out.error.message);
      pageLen = out.output.Events.length;
      const b = performance.now();
      // The raw baseline: one pass of Array.filter over the whole array, then the newest 50.
      const hits = events.filter((ev) => ev.t >= windowStart && ev.region === 'us-east-1' && pred(ev));
      const page = hits.slice(-50).reverse().map((ev) => JSON.stringify(ev.record));
      filterTimes.push(performance.now() - b);
      if (page.length !== pageLen) throw new Error(`${key}: lookup page ${pageLen} vs filter page ${page.length}`);
    }
    figures[`${key}.lookupMedianMsPerPage`] = ms(median(lookupTimes));
    figures[`${key}.rawFilterMedianMs`] = ms(median(filterTimes));
    figures[`${key}.pageSize`] = pageLen;
  }
  // A deep page: the 20th page of a broad attribute, following NextToken.
  let token: string | undefined;
  const deep: number[] = [];
  for (let p = 0; p < 20; p++) {
    const a = performance.now();
    const out = e.callSync<{ NextToken?: string }>('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }], MaxResults: 50, ...(token ? { NextToken: token } : {}) });
    deep.push(performance.now() - a);
    if (!out.ok) throw new Error(out.error.message);
    token = out.output.NextToken;
  }
  figures['ReadOnly.pages1to20MedianMs'] = ms(median(deep));
  return figures;
}
