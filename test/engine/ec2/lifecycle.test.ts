import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Identity } from '../../../src/engine/index.ts';
import { listInstances } from '../../../src/engine/services/ec2/index.ts';

const alice: Identity = { type: 'IAMUser', userName: 'alice' };
const fresh = () => createEngine({ seed: 3, startTime: '2026-03-01T00:00:00Z', region: 'ap-northeast-2' });

async function launch(e: Engine, n = 1): Promise<string[]> {
  const r = await e.call<{ Instances: { InstanceId: string; State: { Name: string } }[] }>('ec2', 'RunInstances',
    { ImageId: 'ami-0abc', MinCount: n, MaxCount: n, InstanceType: 't3.micro', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] },
    { identity: alice });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.output.Instances.every((i) => i.State.Name === 'pending')).toBe(true);
  return r.output.Instances.map((i) => i.InstanceId);
}

const stateOf = (e: Engine, id: string) => listInstances(e.read('ec2')).find((i) => i.instanceId === id)?.state;

describe('EC2 lifecycle on the simulated clock', () => {
  it('pending → running → stopping → stopped → pending → running', async () => {
    const e = fresh();
    const [id] = await launch(e);
    const seen: string[] = [];
    e.subscribe((ev) => { if (ev.type === 'ec2/instance-state-changed') seen.push((ev.payload as { current: string }).current); });
    expect(stateOf(e, id!)).toBe('pending');
    await e.advance(10_000);
    expect(stateOf(e, id!)).toBe('pending'); // not instantaneous
    await e.advance(50_000);
    expect(stateOf(e, id!)).toBe('running');
    const stop = await e.call<{ StoppingInstances: { CurrentState: { Name: string }; PreviousState: { Name: string } }[] }>('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: alice });
    expect(stop.ok && stop.output.StoppingInstances[0]).toMatchObject({ CurrentState: { Name: 'stopping' }, PreviousState: { Name: 'running' } });
    await e.advance(120_000);
    expect(stateOf(e, id!)).toBe('stopped');
    await e.call('ec2', 'StartInstances', { InstanceIds: [id] }, { identity: alice });
    expect(stateOf(e, id!)).toBe('pending');
    await e.advance(60_000);
    expect(seen).toEqual(['running', 'stopping', 'stopped', 'pending', 'running']);
  });

  it('terminate: shutting-down → terminated, then gone from DescribeInstances after about an hour', async () => {
    const e = fresh();
    const [id] = await launch(e);
    await e.advance(60_000);
    await e.call('ec2', 'TerminateInstances', { InstanceIds: [id] }, { identity: alice });
    expect(stateOf(e, id!)).toBe('shutting-down');
    await e.advance(60_000);
    expect(stateOf(e, id!)).toBe('terminated');
    const d = await e.call<{ Reservations: { Instances: { State: { Code: number } }[] }[] }>('ec2', 'DescribeInstances', { InstanceIds: [id] }, { identity: alice });
    expect(d.ok && d.output.Reservations[0]!.Instances[0]!.State.Code).toBe(48);
    await e.advance(61 * 60_000);
    const gone = await e.call('ec2', 'DescribeInstances', { InstanceIds: [id] }, { identity: alice });
    expect(gone.ok ? 'ok' : gone.error.code).toBe('InvalidInstanceID.NotFound');
  });

  it('refuses transitions AWS refuses, and changes nothing when it does', async () => {
    const e = fresh();
    const [a, b] = await launch(e, 2);
    // pending instances cannot be stopped
    const r = await e.call('ec2', 'StopInstances', { InstanceIds: [a] }, { identity: alice });
    expect(r.ok ? 'ok' : r.error.code).toBe('IncorrectInstanceState');
    await e.advance(60_000);
    await e.call('ec2', 'TerminateInstances', { InstanceIds: [a] }, { identity: alice });
    await e.advance(60_000);
    const start = await e.call('ec2', 'StartInstances', { InstanceIds: [a] }, { identity: alice });
    expect(start.ok ? 'ok' : start.error.code).toBe('IncorrectInstanceState');
    // all or nothing: one unknown id fails the whole call
    const mixed = await e.call('ec2', 'StopInstances', { InstanceIds: [b, 'i-0123456789abcdef0'] }, { identity: alice });
    expect(mixed.ok ? 'ok' : mixed.error.code).toBe('InvalidInstanceID.NotFound');
    expect(stateOf(e, b!)).toBe('running');
    const malformed = await e.call('ec2', 'StopInstances', { InstanceIds: ['web-1'] }, { identity: alice });
    expect(malformed.ok ? 'ok' : malformed.error.code).toBe('InvalidInstanceID.Malformed');
  });

  it('DescribeInstances filters by state and tag, and pages with MaxResults/NextToken', async () => {
    const e = fresh();
    await launch(e, 7);
    await e.advance(60_000);
    const running = await e.call<{ Reservations: { Instances: unknown[] }[] }>('ec2', 'DescribeInstances', { Filters: [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:Name', Values: ['web'] }] });
    expect(running.ok && running.output.Reservations.flatMap((r) => r.Instances)).toHaveLength(7);
    const none = await e.call<{ Reservations: unknown[] }>('ec2', 'DescribeInstances', { Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] });
    expect(none.ok && none.output.Reservations).toHaveLength(0);
    const p1 = await e.call<{ Reservations: { Instances: unknown[] }[]; NextToken?: string }>('ec2', 'DescribeInstances', { MaxResults: 5 });
    expect(p1.ok && p1.output.Reservations[0]!.Instances).toHaveLength(5);
    const p2 = await e.call<{ Reservations: { Instances: unknown[] }[]; NextToken?: string }>('ec2', 'DescribeInstances', { MaxResults: 5, NextToken: p1.ok ? p1.output.NextToken : '' });
    expect(p2.ok && p2.output.Reservations[0]!.Instances).toHaveLength(2);
    expect(p2.ok && p2.output.NextToken).toBeUndefined();
    const bad = await e.call('ec2', 'DescribeInstances', { Filters: [{ Name: 'colour', Values: ['red'] }] });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('InvalidParameterValue');
  });
});

describe('CloudTrail records every management call', () => {
  it('records a successful and a failed call with the real fields', async () => {
    const e = fresh();
    const [id] = await launch(e);
    await e.advance(60_000);
    await e.call('ec2', 'StopInstances', { InstanceIds: ['i-0123456789abcdef0'] }, { identity: alice }); // fails
    await e.call('ec2', 'TerminateInstances', { InstanceIds: [id] }, { identity: { type: 'AssumedRole', roleName: 'Ops', sessionName: 'junho' }, sourceIPAddress: '198.51.100.7' });
    const r = await e.call<{ Events: { EventName: string; Username: string; CloudTrailEvent: string; Resources: unknown[] }[] }>('cloudtrail', 'LookupEvents', {}, { identity: alice });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.output.Events.map((x) => x.EventName)).toEqual(['TerminateInstances', 'StopInstances', 'RunInstances']);
    const [term, failed, run] = r.output.Events.map((x) => JSON.parse(x.CloudTrailEvent) as Record<string, any>) as [Record<string, any>, Record<string, any>, Record<string, any>];
    expect(term).toMatchObject({
      eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', awsRegion: 'ap-northeast-2',
      sourceIPAddress: '198.51.100.7', readOnly: false, eventType: 'AwsApiCall', managementEvent: true,
      eventCategory: 'Management', recipientAccountId: '111122223333',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Ops/junho' },
      requestParameters: { instancesSet: { items: [{ instanceId: id }] } },
      responseElements: { instancesSet: { items: [{ instanceId: id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } },
    });
    expect(term.eventTime).toBe('2026-03-01T00:01:00Z');
    expect(r.output.Events[0]!.Username).toBe('junho');
    // EC2 records client errors with the `Client.` prefix (#3).
    expect(failed).toMatchObject({ errorCode: 'Client.InvalidInstanceID.NotFound', responseElements: null, userIdentity: { type: 'IAMUser', userName: 'alice' } });
    expect(failed.errorMessage).toContain('i-0123456789abcdef0');
    expect(run.responseElements.instancesSet.items[0].instanceId).toBe(id);
    expect(term.eventID).not.toBe(run.eventID);
    expect(term.requestID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('does not record parameter-validation rejections, nor data events', async () => {
    const e = fresh();
    await e.call('ec2', 'RunInstances', { MinCount: 1, MaxCount: 1 }, { identity: alice }); // missing ImageId
    await e.call('s3', 'CreateBucket', { Bucket: 'logs-2026' }, { identity: alice });
    await e.call('s3', 'PutObject', { Bucket: 'logs-2026', Key: 'a.txt', Body: 'hi' }, { identity: alice });
    const r = await e.call<{ Events: { EventName: string }[] }>('cloudtrail', 'LookupEvents', {});
    expect(r.ok && r.output.Events.map((x) => x.EventName)).toEqual(['CreateBucket']);
  });
});
