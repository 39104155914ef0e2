/** LookupEvents as AWS has it (spec §4.4): attributes, time range, order, paging, window, errors, Regions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTOSCALING_IDENTITY, type Engine } from '../../../src/engine/index.ts';
import { rebuildIndex, type CloudTrailState } from '../../../src/engine/services/cloudtrail/index.ts';
import { allEvents, engine, lookup, T0 } from './helpers.ts';

const DAY = 86_400_000;
const alice = { type: 'IAMUser' as const, userName: 'alice', accessKeyId: 'AKIAALICEEXAMPLE0001' };
const attr = (AttributeKey: string, AttributeValue: string) => ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });
const names = (e: Engine, p: Record<string, unknown>, region?: string) => allEvents(e, p, region).map((x) => x.EventName);

/** A small account history: root, alice, an assumed-role session and Auto Scaling. */
function history() {
  const e = engine();
  e.callSync('s3', 'CreateBucket', { Bucket: 'reports' });                                   // root
  e.advanceSync(60_000);
  const run = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1 }, { identity: alice });
  const id = run.ok ? run.output.Instances[0]!.InstanceId : '';
  e.advanceSync(60_000);
  e.callSync('ec2', 'DescribeInstances', {}, { identity: alice });
  e.advanceSync(60_000);
  e.callSync('s3', 'DeleteBucket', { Bucket: 'reports' }, { identity: { type: 'AssumedRole', roleName: 'Ops', sessionName: 'mallory' } });
  e.advanceSync(60_000);
  e.callSync('ec2', 'TerminateInstances', { InstanceIds: [id] }, { identity: AUTOSCALING_IDENTITY });
  return { e, id };
}

describe('lookup attributes', () => {
  it('EventName, ReadOnly, EventSource', () => {
    const { e } = history();
    expect(names(e, attr('ReadOnly', 'true'))).toEqual(['DescribeInstances']);
    // LookupEvents is itself a read-only management call, and AWS records it too.
    expect(names(e, attr('ReadOnly', 'true'))).toEqual(['LookupEvents', 'DescribeInstances']);
    expect(names(e, attr('EventName', 'DeleteBucket'))).toEqual(['DeleteBucket']);
    expect(names(e, attr('ReadOnly', 'false'))).toEqual(['TerminateInstances', 'DeleteBucket', 'RunInstances', 'CreateBucket']);
    expect(names(e, attr('EventSource', 's3.amazonaws.com'))).toEqual(['DeleteBucket', 'CreateBucket']);
    expect(names(e, attr('EventName', 'deletebucket'))).toEqual([]); // values are case-sensitive
  });

  it('Username: root, an IAM user, a role session name, AutoScaling', () => {
    const { e } = history();
    expect(names(e, attr('Username', 'root'))).toEqual(['CreateBucket']);
    expect(names(e, attr('Username', 'alice'))).toEqual(['DescribeInstances', 'RunInstances']);
    expect(names(e, attr('Username', 'mallory'))).toEqual(['DeleteBucket']);
    expect(names(e, attr('Username', 'AutoScaling'))).toEqual(['TerminateInstances']);
  });

  it('ResourceType and ResourceName for S3 buckets and EC2 instances', () => {
    const { e, id } = history();
    expect(names(e, attr('ResourceType', 'AWS::S3::Bucket'))).toEqual(['DeleteBucket', 'CreateBucket']);
    expect(names(e, attr('ResourceName', 'reports'))).toEqual(['DeleteBucket', 'CreateBucket']);
    expect(names(e, attr('ResourceType', 'AWS::EC2::Instance'))).toEqual(['TerminateInstances', 'RunInstances']);
    expect(names(e, attr('ResourceName', id))).toEqual(['TerminateInstances', 'RunInstances']);
    const del = lookup(e, attr('ResourceName', 'reports')).Events[0]!;
    expect(del.Resources).toEqual([{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'reports' }]);
  });

  it('AccessKeyId and EventId; CloudTrailEvent is the record as a JSON string', () => {
    const { e } = history();
    const any = lookup(e, { MaxResults: 1 }).Events[0]!;
    expect(names(e, attr('AccessKeyId', alice.accessKeyId))).toEqual(['DescribeInstances', 'RunInstances']);
    const byId = lookup(e, attr('EventId', any.EventId)).Events;
    expect(byId).toEqual([any]);
    const rec = JSON.parse(any.CloudTrailEvent) as Record<string, unknown>;
    expect(rec.eventID).toBe(any.EventId);
    expect(rec.eventName).toBe(any.EventName);
    expect(any.EventTime).toBe('2026-03-01T00:04:00.000Z');
    expect(any.ReadOnly).toBe('false');
  });
});

describe('time range and order', () => {
  it('StartTime and EndTime are both inclusive; start after end is InvalidTimeRangeException', () => {
    const { e } = history();
    const at = (m: number) => new Date(Date.parse(T0) + m * 60_000).toISOString();
    expect(names(e, { StartTime: at(1), EndTime: at(3) })).toEqual(['DeleteBucket', 'DescribeInstances', 'RunInstances']);
    expect(names(e, { StartTime: Date.parse(T0) + 60_001, EndTime: Date.parse(T0) + 179_999 })).toEqual(['DescribeInstances']);
    const bad = e.callSync('cloudtrail', 'LookupEvents', { StartTime: at(3), EndTime: at(1) });
    expect(bad).toMatchObject({ ok: false, error: { code: 'InvalidTimeRangeException' } });
  });

  it('newest first; events at the same instant come latest call first', () => {
    const e = engine();
    for (const b of ['b-one', 'b-two', 'b-three']) e.callSync('s3', 'CreateBucket', { Bucket: b });
    expect(allEvents(e).map((x) => JSON.parse(x.CloudTrailEvent).requestParameters.bucketName)).toEqual(['b-three', 'b-two', 'b-one']);
  });

  it('the 90-day window: an event exactly 90 days old is shown, a millisecond later it is gone', () => {
    const e = engine();
    e.callSync('s3', 'CreateBucket', { Bucket: 'old-one' });
    e.advanceSync(90 * DAY);
    expect(names(e, {})).toEqual(['CreateBucket']);
    e.advanceSync(1);
    expect(lookup(e, {}).Events.filter((x) => x.EventName === 'CreateBucket')).toEqual([]);
    expect(names(e, { StartTime: T0 })).not.toContain('CreateBucket');
  });
});

describe('paging', () => {
  function many(n: number) {
    const e = engine();
    for (let i = 0; i < n; i++) { e.callSync('ec2', 'DescribeInstances', {}); if (i % 7 === 0) e.advanceSync(1000); }
    return e;
  }

  it('MaxResults 1–50 with NextToken walks every event once, in the same order as one long read', () => {
    const e = many(120);
    const q = { MaxResults: 50, ...attr('EventName', 'DescribeInstances') };
    const first = lookup(e, q);
    expect(first.Events).toHaveLength(50);
    const second = lookup(e, { ...q, NextToken: first.NextToken });
    const third = lookup(e, { ...q, NextToken: second.NextToken });
    expect(second.Events).toHaveLength(50);
    expect(third.Events).toHaveLength(20);
    expect(third.NextToken).toBeUndefined();
    const ids = [...first.Events, ...second.Events, ...third.Events].map((x) => x.EventId);
    expect(new Set(ids).size).toBe(120);
    expect(allEvents(e, { MaxResults: 7, ...attr('EventName', 'DescribeInstances') }).map((x) => x.EventId)).toEqual(ids);
    expect(lookup(e).Events).toHaveLength(50); // default page size (spec §9 #20)
  });

  it('a NextToken only works with identical parameters; bad tokens and sizes are rejected', () => {
    const e = many(60);
    const first = lookup(e, { MaxResults: 10, ...attr('EventName', 'DescribeInstances') });
    expect(e.callSync('cloudtrail', 'LookupEvents', { MaxResults: 10, NextToken: first.NextToken })).toMatchObject({ ok: false, error: { code: 'InvalidNextTokenException' } });
    expect(e.callSync('cloudtrail', 'LookupEvents', { MaxResults: 20, NextToken: first.NextToken, ...attr('EventName', 'DescribeInstances') })).toMatchObject({ ok: false, error: { code: 'InvalidNextTokenException' } });
    expect(e.callSync('cloudtrail', 'LookupEvents', { NextToken: 'garbage' })).toMatchObject({ ok: false, error: { code: 'InvalidNextTokenException' } });
    expect(lookup(e, { MaxResults: 10, NextToken: first.NextToken, ...attr('EventName', 'DescribeInstances') }).Events).toHaveLength(10);
    for (const m of [0, 51, 2.5, '10']) expect(e.callSync('cloudtrail', 'LookupEvents', { MaxResults: m })).toMatchObject({ ok: false, error: { code: 'InvalidMaxResultsException' } });
    expect(lookup(e, { MaxResults: 1 }).Events).toHaveLength(1);
  });

  it('a later page is not disturbed by events recorded after the first page', () => {
    const e = many(30);
    const first = lookup(e, { MaxResults: 20 });
    e.callSync('s3', 'CreateBucket', { Bucket: 'late-bucket' });
    const second = lookup(e, { MaxResults: 20, NextToken: first.NextToken });
    expect(second.Events).toHaveLength(10);
    expect(second.Events.map((x) => x.EventName)).not.toContain('CreateBucket');
  });
});

describe('errors and categories', () => {
  it('answers the five error codes', () => {
    const e = engine();
    const code = (p: Record<string, unknown>) => { const r = e.callSync('cloudtrail', 'LookupEvents', p); return r.ok ? 'ok' : r.error.code; };
    expect(code({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'A' }, { AttributeKey: 'Username', AttributeValue: 'B' }] })).toBe('InvalidLookupAttributesException');
    expect(code(attr('eventname', 'A'))).toBe('InvalidLookupAttributesException');
    expect(code(attr('EventName', ''))).toBe('InvalidLookupAttributesException');
    expect(code({ MaxResults: 99 })).toBe('InvalidMaxResultsException');
    expect(code({ StartTime: '2026-03-02T00:00:00Z', EndTime: T0 })).toBe('InvalidTimeRangeException');
    expect(code({ NextToken: 'x' })).toBe('InvalidNextTokenException');
    expect(code({ EventCategory: 'management' })).toBe('InvalidEventCategoryException');
  });

  it('EventCategory insight returns Insights events only (none are generated)', () => {
    const { e } = history();
    expect(lookup(e, { EventCategory: 'insight' }).Events).toEqual([]);
  });

  it('data events (S3 PutObject) never appear in Event history', () => {
    const e = engine();
    e.callSync('s3', 'CreateBucket', { Bucket: 'data-bucket' });
    e.callSync('s3', 'PutObject', { Bucket: 'data-bucket', Key: 'a.txt', Body: 'hi' });
    expect(names(e, {})).toEqual(['CreateBucket']);
  });
});

describe('per-Region Event history', () => {
  it('regional events stay in their Region; IAM, STS and sign-in events are in us-east-1', () => {
    const e = engine();
    e.callSync('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1 }, { region: 'eu-west-1' });
    e.callSync('iam', 'CreateUser', { UserName: 'zed' }, { region: 'eu-west-1' });
    e.callSync('sts', 'GetCallerIdentity', {}, { region: 'ap-northeast-2' });
    expect(names(e, {}, 'eu-west-1')).toEqual(['RunInstances']);
    expect(names(e, {}, 'us-east-1')).toEqual(['GetCallerIdentity', 'CreateUser']);
    expect(names(e, {}, 'ap-northeast-2')).toEqual([]);
    const rec = JSON.parse(lookup(e, {}, 'eu-west-1').Events[0]!.CloudTrailEvent) as { awsRegion: string };
    expect(rec.awsRegion).toBe('eu-west-1');
  });
});

describe('incremental index', () => {
  const ops: ((e: Engine, i: number) => void)[] = [
    (e, i) => void e.callSync('s3', 'CreateBucket', { Bucket: `bucket-${i % 5}` }, { identity: alice }),
    (e, i) => void e.callSync('s3', 'DeleteBucket', { Bucket: `bucket-${i % 5}` }),
    (e) => void e.callSync('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 2 }, { identity: AUTOSCALING_IDENTITY }),
    (e) => void e.callSync('ec2', 'DescribeInstances', {}, { region: 'eu-west-1' }),
    (e, i) => void e.callSync('iam', 'CreateUser', { UserName: `u${i}` }),
    (e) => void e.callSync('signin', 'ConsoleLogin', {}, { identity: { type: 'IAMUser', userName: 'ghost' } }),
    (e) => e.advanceSync(3_600_000),
  ];
  for (const seed of [1, 42, 2026]) {
    it(`equals a from-scratch rebuild after random calls (seed ${seed})`, () => {
      fc.assert(fc.property(fc.array(fc.nat(ops.length - 1), { maxLength: 60 }), (picks) => {
        const e = engine(seed);
        picks.forEach((p, i) => ops[p]!(e, i));
        const st = e.read<CloudTrailState>('cloudtrail');
        expect(st.index).toEqual(rebuildIndex(st.events));
      }), { seed, numRuns: 40 });
    });
  }
});
