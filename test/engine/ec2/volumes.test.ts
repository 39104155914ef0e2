/**
 * EBS volumes in EC2: the volumes a launch creates (BlockDeviceMappings, launch templates), the
 * volume operations with EC2's errors, the clock-driven lifecycle, what stop and terminate do,
 * DescribeInstances' BlockDeviceMappings, and the CloudTrail records.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Identity } from '../../../src/engine/index.ts';
import { listVolumes } from '../../../src/engine/services/ec2/index.ts';

const alice: Identity = { type: 'IAMUser', userName: 'alice' };
const fresh = () => createEngine({ seed: 5, startTime: '2026-03-01T00:00:00Z', region: 'us-east-1' });

interface Vol {
  VolumeId: string; Size: number; VolumeType: string; State: string; Iops?: number; Throughput?: number; AvailabilityZone: string;
  CreateTime: string; Tags?: { Key: string; Value: string }[];
  Attachments: { InstanceId: string; Device: string; State: string; DeleteOnTermination: boolean; AttachTime: string }[];
}

function call<T = Record<string, unknown>>(e: Engine, action: string, params: Record<string, unknown>): T {
  const r = e.callSync<T>('ec2', action, params, { identity: alice });
  if (!r.ok) throw new Error(`${action}: ${r.error.code} ${r.error.message}`);
  return r.output;
}
const code = (e: Engine, action: string, params: Record<string, unknown>) => {
  const r = e.callSync('ec2', action, params, { identity: alice });
  return r.ok ? 'ok' : r.error.code;
};
const launch = (e: Engine, extra: Record<string, unknown> = {}) =>
  call<{ Instances: { InstanceId: string; RootDeviceName: string; BlockDeviceMappings: unknown[] }[] }>(e, 'RunInstances',
    { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ...extra }).Instances[0]!;
const volumes = (e: Engine, p: Record<string, unknown> = {}) => call<{ Volumes: Vol[] }>(e, 'DescribeVolumes', p).Volumes;
const volume = (e: Engine, id: string) => volumes(e, { VolumeIds: [id] })[0]!;
const create = (e: Engine, p: Record<string, unknown> = {}) => call<Vol>(e, 'CreateVolume', { AvailabilityZone: 'us-east-1a', Size: 20, ...p });

describe('volumes a launch creates', () => {
  it('gives every instance an 8 GiB gp3 root volume, attached and deleted on termination', () => {
    const e = fresh();
    const inst = launch(e);
    expect(inst.RootDeviceName).toBe('/dev/xvda');
    const [v, ...rest] = volumes(e);
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ Size: 8, VolumeType: 'gp3', Iops: 3000, Throughput: 125, State: 'in-use', AvailabilityZone: 'us-east-1a', CreateTime: '2026-03-01T00:00:00.000Z' });
    expect(v!.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(v!.Attachments).toEqual([{ AttachTime: '2026-03-01T00:00:00.000Z', Device: '/dev/xvda', InstanceId: inst.InstanceId, State: 'attached', VolumeId: v!.VolumeId, DeleteOnTermination: true }]);
    const d = call<{ Reservations: { Instances: { BlockDeviceMappings: unknown[]; RootDeviceName: string }[] }[] }>(e, 'DescribeInstances', { InstanceIds: [inst.InstanceId] });
    expect(d.Reservations[0]!.Instances[0]!.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { AttachTime: '2026-03-01T00:00:00.000Z', DeleteOnTermination: true, Status: 'attached', VolumeId: v!.VolumeId } },
    ]);
  });

  it('follows BlockDeviceMappings: root size and type, extra devices, DeleteOnTermination, volume tags', () => {
    const e = fresh();
    const inst = launch(e, {
      BlockDeviceMappings: [
        { DeviceName: '/dev/sdf', Ebs: { VolumeSize: 125, VolumeType: 'st1' } },
        { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp2', DeleteOnTermination: false } },
        { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
      ],
      TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'team', Value: 'db' }] }],
    });
    const list = volumes(e, { Filters: [{ Name: 'attachment.instance-id', Values: [inst.InstanceId] }] });
    expect(list.map((v) => [v.Attachments[0]!.Device, v.Size, v.VolumeType, v.Iops, v.Attachments[0]!.DeleteOnTermination])).toEqual([
      ['/dev/xvda', 30, 'gp2', 100, false], ['/dev/sdf', 125, 'st1', undefined, true],
    ]);
    expect(list.every((v) => v.Tags?.[0]?.Key === 'team')).toBe(true);
    // refused launches (st1 starts at 125 GiB) create neither instances nor volumes
    const e2 = fresh();
    expect(code(e2, 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1 })).toBe('ok');
    expect(code(e2, 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 100, VolumeType: 'st1' } }] })).toBe('InvalidParameterValue');
    expect(code(e2, 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 4 } }] })).toBe('InvalidBlockDeviceMapping');
    expect(code(e2, 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1, BlockDeviceMappings: [{ DeviceName: '/dev/sdg', Ebs: { VolumeSize: 50, VolumeType: 'io1' } }] })).toBe('MissingParameter');
    expect(listVolumes(e2.read('ec2'))).toHaveLength(1); // only the first launch's root volume
  });

  it('takes a launch template\'s BlockDeviceMappings', () => {
    const e = fresh();
    call(e, 'CreateLaunchTemplate', { LaunchTemplateName: 'db-disks', LaunchTemplateData: { ImageId: 'ami-0abc', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 40, VolumeType: 'gp2' } }] } });
    launch(e, { ImageId: undefined, LaunchTemplate: { LaunchTemplateName: 'db-disks' } });
    expect(volumes(e).map((v) => [v.Size, v.VolumeType])).toEqual([[40, 'gp2']]);
    const bad = e.callSync('ec2', 'CreateLaunchTemplate', { LaunchTemplateName: 'bad', LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 10, VolumeType: 'gp9' } }] } });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('InvalidParameterValue');
  });

  it('stop keeps the volumes attached; terminate deletes DeleteOnTermination volumes and frees the others', () => {
    const e = fresh();
    const inst = launch(e, { BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 10, DeleteOnTermination: false } }] });
    e.advanceSync(60_000);
    call(e, 'StopInstances', { InstanceIds: [inst.InstanceId] });
    e.advanceSync(120_000);
    expect(volumes(e).map((v) => [v.State, v.Attachments[0]?.State])).toEqual([['in-use', 'attached'], ['in-use', 'attached']]);
    call(e, 'TerminateInstances', { InstanceIds: [inst.InstanceId] });
    const terminated = () => call<{ Reservations: { Instances: { State: { Name: string } }[] }[] }>(e, 'DescribeInstances', { InstanceIds: [inst.InstanceId] }).Reservations[0]!.Instances[0]!.State.Name === 'terminated';
    for (let s = 0; s < 60 && !terminated(); s++) e.advanceSync(1000);
    const [root, data] = volumes(e);
    expect(root!.State).toBe('deleting');
    expect(data).toMatchObject({ State: 'available', Attachments: [] });
    e.advanceSync(10_000);
    expect(volumes(e).map((v) => v.VolumeId)).toEqual([data!.VolumeId]);
    expect(code(e, 'DescribeVolumes', { VolumeIds: [root!.VolumeId] })).toBe('InvalidVolume.NotFound');
  });
});

describe('volume operations', () => {
  it('CreateVolume: creating → available on the clock, with the type\'s performance', () => {
    const e = fresh();
    const v = create(e, { VolumeType: 'io1', Iops: 500, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] });
    expect(v).toMatchObject({ State: 'creating', Size: 20, VolumeType: 'io1', Iops: 500, Tags: [{ Key: 'Name', Value: 'data' }] });
    expect(v).not.toHaveProperty('Attachments');
    e.advanceSync(1000);
    expect(volume(e, v.VolumeId).State).toBe('creating'); // not instantaneous
    e.advanceSync(15_000);
    expect(volume(e, v.VolumeId).State).toBe('available');
    expect(create(e, {}).VolumeType).toBe('gp2'); // the API's default type
    expect(create(e, { Size: 2000 }).Iops).toBe(6000); // gp2: 3 IOPS per GiB
  });

  it('CreateVolume refuses what EC2 refuses, and creates nothing then', () => {
    const e = fresh();
    const cases: [Record<string, unknown>, string][] = [
      [{ AvailabilityZone: undefined }, 'MissingParameter'],
      [{ AvailabilityZone: 'eu-west-1a' }, 'InvalidParameterValue'],
      [{ Size: undefined }, 'MissingParameter'],
      [{ VolumeType: 'gp9' }, 'InvalidParameterValue'],
      [{ VolumeType: 'st1', Size: 20 }, 'InvalidParameterValue'],
      [{ VolumeType: 'io1' }, 'MissingParameter'],
      [{ VolumeType: 'io1', Iops: 5000 }, 'InvalidParameterValue'], // 250 IOPS per GiB > 50
      [{ VolumeType: 'gp2', Iops: 3000 }, 'InvalidParameterCombination'],
      [{ VolumeType: 'gp3', Throughput: 2000 }, 'InvalidParameterValue'],
      [{ SnapshotId: 'snap-0123456789abcdef0' }, 'InvalidSnapshot.NotFound'],
      [{ DryRun: true }, 'DryRunOperation'],
    ];
    for (const [p, c] of cases) expect(code(e, 'CreateVolume', { AvailabilityZone: 'us-east-1a', Size: 20, ...p }), JSON.stringify(p)).toBe(c);
    expect(volumes(e)).toEqual([]);
  });

  it('AttachVolume and DetachVolume move through attaching/attached/detaching with EC2\'s errors', () => {
    const e = fresh();
    const inst = launch(e);
    const other = launch(e, { Placement: { AvailabilityZone: 'us-east-1b' } });
    const v = create(e);
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' })).toBe('IncorrectState'); // still creating
    e.advanceSync(60_000);
    expect(code(e, 'AttachVolume', { VolumeId: 'vol-0123456789abcdef0', InstanceId: inst.InstanceId, Device: '/dev/sdf' })).toBe('InvalidVolume.NotFound');
    expect(code(e, 'AttachVolume', { VolumeId: 'disk-1', InstanceId: inst.InstanceId, Device: '/dev/sdf' })).toBe('InvalidVolumeID.Malformed');
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: 'i-0123456789abcdef0', Device: '/dev/sdf' })).toBe('InvalidInstanceID.NotFound');
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: other.InstanceId, Device: '/dev/sdf' })).toBe('InvalidVolume.ZoneMismatch');
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/xvda' })).toBe('InvalidParameterValue'); // root in use
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: 'sdf' })).toBe('InvalidParameterValue');
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId })).toBe('MissingParameter');
    expect(code(e, 'DetachVolume', { VolumeId: v.VolumeId })).toBe('IncorrectState'); // not attached
    const a = call<{ State: string; Device: string; InstanceId: string; DeleteOnTermination: boolean }>(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' });
    expect(a).toMatchObject({ State: 'attaching', Device: '/dev/sdf', InstanceId: inst.InstanceId, DeleteOnTermination: false });
    expect(volume(e, v.VolumeId).State).toBe('in-use');
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdg' })).toBe('VolumeInUse');
    expect(code(e, 'DeleteVolume', { VolumeId: v.VolumeId })).toBe('VolumeInUse');
    e.advanceSync(10_000);
    expect(volume(e, v.VolumeId).Attachments[0]!.State).toBe('attached');
    expect(code(e, 'DetachVolume', { VolumeId: v.VolumeId, InstanceId: other.InstanceId })).toBe('InvalidAttachment.NotFound');
    const root = volumes(e, { Filters: [{ Name: 'attachment.instance-id', Values: [inst.InstanceId] }, { Name: 'attachment.device', Values: ['/dev/xvda'] }] })[0]!;
    expect(code(e, 'DetachVolume', { VolumeId: root.VolumeId, Force: true })).toBe('IncorrectState'); // root of a running instance
    expect(call<{ State: string }>(e, 'DetachVolume', { VolumeId: v.VolumeId }).State).toBe('detaching');
    expect(volume(e, v.VolumeId).Attachments[0]!.State).toBe('detaching');
    e.advanceSync(15_000);
    expect(volume(e, v.VolumeId)).toMatchObject({ State: 'available', Attachments: [] });
    expect(code(e, 'DeleteVolume', { VolumeId: v.VolumeId, DryRun: true })).toBe('DryRunOperation');
    expect(code(e, 'DeleteVolume', { VolumeId: v.VolumeId })).toBe('ok');
    expect(volume(e, v.VolumeId).State).toBe('deleting');
    e.advanceSync(10_000);
    expect(code(e, 'DescribeVolumes', { VolumeIds: [v.VolumeId] })).toBe('InvalidVolume.NotFound');
    expect(code(e, 'DeleteVolume', { VolumeId: v.VolumeId })).toBe('InvalidVolume.NotFound');
  });

  it('a stopped instance\'s root volume can be detached; attaching needs a running or stopped instance', () => {
    const e = fresh();
    const inst = launch(e);
    const v = create(e);
    e.advanceSync(15_000);
    expect(code(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' })).toBe('IncorrectInstanceState'); // pending
    e.advanceSync(60_000);
    call(e, 'StopInstances', { InstanceIds: [inst.InstanceId] });
    e.advanceSync(120_000);
    const root = volumes(e, { Filters: [{ Name: 'attachment.device', Values: ['/dev/xvda'] }] })[0]!;
    expect(code(e, 'DetachVolume', { VolumeId: root.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/xvda' })).toBe('ok');
  });

  it('DescribeVolumes filters, pages, and refuses unknown filters', () => {
    const e = fresh();
    launch(e);
    launch(e);
    create(e, { VolumeType: 'gp3' });
    create(e, { VolumeType: 'sc1', Size: 500 });
    e.advanceSync(30_000);
    expect(volumes(e, { Filters: [{ Name: 'status', Values: ['available'] }] }).map((v) => v.VolumeType)).toEqual(['gp3', 'sc1']);
    expect(volumes(e, { Filters: [{ Name: 'volume-type', Values: ['gp3'] }, { Name: 'status', Values: ['in-use'] }] })).toHaveLength(2);
    const page = call<{ Volumes: Vol[]; NextToken?: string }>(e, 'DescribeVolumes', { MaxResults: 5 });
    expect(page.Volumes).toHaveLength(4);
    expect(page.NextToken).toBeUndefined();
    expect(code(e, 'DescribeVolumes', { Filters: [{ Name: 'snapshot-id', Values: ['x'] }] })).toBe('InvalidParameterValue');
    expect(code(e, 'DescribeVolumes', { MaxResults: 1 })).toBe('InvalidParameterValue');
  });

  it('CreateTags tags volumes too (all or nothing)', () => {
    const e = fresh();
    const inst = launch(e);
    const v = create(e);
    call(e, 'CreateTags', { Resources: [inst.InstanceId, v.VolumeId], Tags: [{ Key: 'env', Value: 'prod' }] });
    expect(volumes(e, { Filters: [{ Name: 'tag:env', Values: ['prod'] }] }).map((x) => x.VolumeId)).toEqual([v.VolumeId]);
    expect(code(e, 'CreateTags', { Resources: [v.VolumeId, 'vol-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })).toBe('InvalidVolume.NotFound');
    expect(volume(e, v.VolumeId).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
  });
});

describe('volume lifecycle and records', () => {
  it('emits the events other services learn volumes from', () => {
    const e = fresh();
    const seen: string[] = [];
    e.subscribe((ev) => {
      if (!ev.type.startsWith('ec2/volume-')) return;
      const p = ev.payload as { state?: string };
      seen.push(p.state ? `${ev.type}:${p.state}` : ev.type);
    });
    const inst = launch(e);
    e.advanceSync(60_000);
    call(e, 'TerminateInstances', { InstanceIds: [inst.InstanceId] });
    e.advanceSync(120_000);
    expect(seen).toEqual(['ec2/volume-created', 'ec2/volume-attachment-changed:attached', 'ec2/volume-attachment-changed:detached', 'ec2/volume-deleted']);
  });

  it('CloudTrail records the calls in EC2\'s shape, with the volume as a resource', () => {
    const e = fresh();
    const inst = launch(e);
    e.advanceSync(60_000);
    const v = create(e, { VolumeType: 'gp3' });
    e.advanceSync(15_000);
    call(e, 'AttachVolume', { VolumeId: v.VolumeId, InstanceId: inst.InstanceId, Device: '/dev/sdf' });
    expect(code(e, 'DeleteVolume', { VolumeId: v.VolumeId })).toBe('VolumeInUse');
    const events = e.callSync<{ Events: { EventName: string; CloudTrailEvent: string; Resources: { ResourceType: string; ResourceName: string }[] }[] }>(
      'cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: v.VolumeId }] });
    expect(events.ok).toBe(true);
    if (!events.ok) return;
    expect(events.output.Events.map((x) => x.EventName)).toEqual(['DeleteVolume', 'AttachVolume', 'CreateVolume']);
    const [del, att, cre] = events.output.Events.map((x) => JSON.parse(x.CloudTrailEvent) as Record<string, any>);
    expect(cre!.requestParameters).toEqual({ size: 20, zone: 'us-east-1a', volumeType: 'gp3', encrypted: false });
    expect(cre!.responseElements).toMatchObject({ volumeId: v.VolumeId, size: '20', status: 'creating', volumeType: 'gp3', iops: 3000 });
    expect(att!.requestParameters).toEqual({ volumeId: v.VolumeId, instanceId: inst.InstanceId, device: '/dev/sdf', deleteOnTermination: false });
    expect(att!.responseElements).toMatchObject({ volumeId: v.VolumeId, status: 'attaching', attachTime: e.nowMs() });
    expect(del!.errorCode).toBe('Client.VolumeInUse');
    expect(events.output.Events[1]!.Resources).toEqual(expect.arrayContaining([{ ResourceType: 'AWS::EC2::Volume', ResourceName: v.VolumeId }]));
  });
});
