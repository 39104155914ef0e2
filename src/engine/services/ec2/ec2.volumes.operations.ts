/**
 * EBS volume operations: CreateVolume, DescribeVolumes, AttachVolume, DetachVolume, DeleteVolume,
 * and the wrappers that give RunInstances, DescribeInstances and CreateTags their volume parts
 * (so the instance operations stay as they are). Members and errors as in the EC2 API reference.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVolume.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachVolume.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachVolume.html
 */
import { checkBool, checkInt, checkString, checkStringList, err, firstError, readTags } from '../../kernel/params.ts';
import { parseIso, toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, ResourceRef, ServiceContext } from '../../kernel/types.ts';
import { readFilters } from './ec2.operations.ts';
import { INSTANCE_ID_RE, type Ec2State, type Tag } from './ec2.model.ts';
import {
  DEVICE_RE, ROOT_DEVICE, VOLUME_ID_RE, addVolume, attachedTo, checkVolumeSpec, scheduleStep, setAttachment, startDeleting,
  volumeList, volumeTags, type Ec2StateWithVolumes, type Volume,
} from './ec2.volumes.ts';

type Ctx = ServiceContext<Ec2State>;

const dryRun = () => err('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');

/** The DescribeVolumes shape of a volume. */
export function describeVolume(v: Volume): Record<string, unknown> {
  const a = v.attachment;
  return {
    Attachments: a ? [{
      AttachTime: toIso(a.AttachTime), Device: a.Device, InstanceId: a.InstanceId, State: a.State, VolumeId: v.VolumeId,
      DeleteOnTermination: a.DeleteOnTermination,
    }] : [],
    AvailabilityZone: v.AvailabilityZone,
    CreateTime: toIso(v.CreateTime),
    Encrypted: v.Encrypted,
    Size: v.Size,
    SnapshotId: '',
    State: v.state,
    VolumeId: v.VolumeId,
    ...(v.Iops !== undefined ? { Iops: v.Iops } : {}),
    ...(v.Tags.length ? { Tags: v.Tags.map((t) => ({ ...t })) } : {}),
    VolumeType: v.VolumeType,
    MultiAttachEnabled: false,
    ...(v.Throughput !== undefined ? { Throughput: v.Throughput } : {}),
  };
}

/** One volume by id, with EC2's malformed / not-found errors. */
function findVolume(ctx: Ctx, id: string): { vol: Volume } | { error: ApiError } {
  if (!VOLUME_ID_RE.test(id)) return err('InvalidVolumeID.Malformed', `Invalid id: "${id}" (expecting "vol-...")`);
  const vol = (ctx.state as Ec2StateWithVolumes).volumes?.[id]; // a read: the store is not created here
  return vol ? { vol } : err('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
}

const volumeResource = (id: unknown): ResourceRef[] => (typeof id === 'string' ? [{ type: 'AWS::EC2::Volume', name: id }] : []);

const KNOWN_FILTERS = new Set([
  'volume-id', 'volume-type', 'status', 'size', 'availability-zone', 'encrypted', 'tag-key',
  'attachment.instance-id', 'attachment.device', 'attachment.status', 'attachment.delete-on-termination',
]);

function matches(v: Volume, f: { Name: string; Values: string[] }): boolean {
  const a = v.attachment;
  if (f.Name.startsWith('tag:')) return v.Tags.some((t) => t.Key === f.Name.slice(4) && f.Values.includes(t.Value));
  switch (f.Name) {
    case 'volume-id': return f.Values.includes(v.VolumeId);
    case 'volume-type': return f.Values.includes(v.VolumeType);
    case 'status': return f.Values.includes(v.state);
    case 'size': return f.Values.includes(String(v.Size));
    case 'availability-zone': return f.Values.includes(v.AvailabilityZone);
    case 'encrypted': return f.Values.includes(String(v.Encrypted));
    case 'tag-key': return v.Tags.some((t) => f.Values.includes(t.Key));
    case 'attachment.instance-id': return a !== null && f.Values.includes(a.InstanceId);
    case 'attachment.device': return a !== null && f.Values.includes(a.Device);
    case 'attachment.status': return a !== null && f.Values.includes(a.State);
    case 'attachment.delete-on-termination': return a !== null && f.Values.includes(String(a.DeleteOnTermination));
    default: return false;
  }
}


const attachmentOut = (v: Volume) => ({
  AttachTime: toIso(v.attachment!.AttachTime), Device: v.attachment!.Device, InstanceId: v.attachment!.InstanceId,
  State: v.attachment!.State, VolumeId: v.VolumeId, DeleteOnTermination: v.attachment!.DeleteOnTermination,
});

/** CloudTrail's EC2 record of an attachment answer (lower-case members, epoch-ms attach time). */
const trailAttachment = (o: Record<string, unknown>) => ({
  volumeId: o.VolumeId, instanceId: o.InstanceId, device: o.Device, status: o.State,
  attachTime: parseIso(o.AttachTime as string), deleteOnTermination: o.DeleteOnTermination,
});

export const volumeOperations: Record<string, OperationDef<Ec2State>> = {
  CreateVolume: {
    readOnly: false,
    validate: (p) => firstError(
      checkString(p, 'AvailabilityZone', { required: true }, 'ec2'),
      checkInt(p, 'Size', { min: 1 }, 'ec2'),
      checkString(p, 'VolumeType', {}, 'ec2'),
      checkInt(p, 'Iops', { min: 1 }, 'ec2'),
      checkInt(p, 'Throughput', { min: 1 }, 'ec2'),
      checkString(p, 'SnapshotId', {}, 'ec2'),
      checkBool(p, 'Encrypted', 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
    ),
    run(ctx, p) {
      const az = p.AvailabilityZone as string;
      if (!az.startsWith(ctx.region) || !/^[a-z]$/.test(az.slice(ctx.region.length)))
        return err('InvalidParameterValue', `Invalid availability zone: [${az}]`);
      if (typeof p.SnapshotId === 'string') return err('InvalidSnapshot.NotFound', `The snapshot '${p.SnapshotId}' does not exist.`);
      if (p.Size === undefined) return err('MissingParameter', 'The request must contain the parameter size or snapshotId');
      const type = (p.VolumeType as string | undefined) ?? 'gp2'; // the API's default
      const bad = checkVolumeSpec(type, p.Size as number, p.Iops as number | undefined, p.Throughput as number | undefined);
      if (bad) return { error: bad };
      const t = volumeTags(p.TagSpecifications, false);
      if ('error' in t) return t;
      if (p.DryRun === true) return dryRun();
      const vol = addVolume(ctx, {
        size: p.Size as number, type, ...(p.Iops !== undefined ? { iops: p.Iops as number } : {}),
        ...(p.Throughput !== undefined ? { throughput: p.Throughput as number } : {}),
        az, encrypted: p.Encrypted === true, tags: t.tags, state: 'creating',
      });
      const { Attachments: _none, ...out } = describeVolume(vol);
      return { output: out, resources: volumeResource(vol.VolumeId) };
    },
    trail: {
      request: (p) => ({
        size: p.Size, zone: p.AvailabilityZone, volumeType: p.VolumeType ?? 'gp2',
        ...(p.Iops !== undefined ? { iops: p.Iops } : {}), ...(p.Throughput !== undefined ? { throughput: p.Throughput } : {}),
        encrypted: p.Encrypted === true,
        ...(p.TagSpecifications ? { tagSpecificationSet: { items: (p.TagSpecifications as { ResourceType: string; Tags: Tag[] }[]).map((s) => ({ resourceType: s.ResourceType, tags: s.Tags.map((t) => ({ key: t.Key, value: t.Value })) })) } } : {}),
      }),
      response: (o) => ({
        volumeId: o.VolumeId, size: String(o.Size), snapshotId: '', zone: o.AvailabilityZone, status: o.State,
        createTime: parseIso(o.CreateTime as string), volumeType: o.VolumeType, ...(o.Iops !== undefined ? { iops: o.Iops } : {}),
        encrypted: o.Encrypted, multiAttachEnabled: false, ...(o.Throughput !== undefined ? { throughput: o.Throughput } : {}),
      }),
    },
  },

  DescribeVolumes: {
    readOnly: true,
    validate: (p) => firstError(
      checkStringList(p, 'VolumeIds', { item: { min: 1 } }, 'ec2'),
      checkInt(p, 'MaxResults', { min: 5, max: 500 }, 'ec2'),
      checkString(p, 'NextToken', {}, 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
      p.MaxResults !== undefined && Array.isArray(p.VolumeIds) && p.VolumeIds.length > 0
        ? { code: 'InvalidParameterCombination', message: 'The parameter volumeSet cannot be used with the parameter maxResults' }
        : null,
    ),
    run(ctx, p) {
      const f = readFilters(p.Filters, KNOWN_FILTERS);
      if ('error' in f) return f;
      let list: Volume[];
      if (Array.isArray(p.VolumeIds) && p.VolumeIds.length > 0) {
        list = [];
        for (const id of p.VolumeIds as string[]) {
          const r = findVolume(ctx, id);
          if ('error' in r) return r;
          list.push(r.vol);
        }
      } else list = volumeList(ctx.state);
      if (p.DryRun === true) return dryRun();
      list = list.filter((v) => f.filters.every((x) => matches(v, x)));
      let start = 0;
      if (typeof p.NextToken === 'string') {
        start = Number.parseInt(p.NextToken, 36);
        if (!Number.isInteger(start) || start < 0 || start > list.length) return err('InvalidParameterValue', `Invalid value '${p.NextToken}' for NextToken`);
      }
      const max = (p.MaxResults as number | undefined) ?? list.length;
      return {
        output: {
          Volumes: list.slice(start, start + max).map(describeVolume),
          ...(start + max < list.length ? { NextToken: (start + max).toString(36) } : {}),
        },
      };
    },
    trail: {
      request: (p) => ({
        volumeSet: Array.isArray(p.VolumeIds) && p.VolumeIds.length ? { items: (p.VolumeIds as string[]).map((volumeId) => ({ volumeId })) } : {},
        filterSet: Array.isArray(p.Filters) && p.Filters.length
          ? { items: (p.Filters as { Name: string; Values: string[] }[]).map((x) => ({ name: x.Name, valueSet: { items: (x.Values ?? []).map((value) => ({ value })) } })) }
          : {},
        ...(typeof p.MaxResults === 'number' ? { maxResults: p.MaxResults } : {}),
      }),
    },
  },

  AttachVolume: {
    readOnly: false,
    validate: (p) => firstError(
      checkString(p, 'Device', { required: true }, 'ec2'),
      checkString(p, 'InstanceId', { required: true }, 'ec2'),
      checkString(p, 'VolumeId', { required: true }, 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
    ),
    run(ctx, p) {
      const r = findVolume(ctx, p.VolumeId as string);
      if ('error' in r) return r;
      const id = p.InstanceId as string;
      if (!INSTANCE_ID_RE.test(id)) return err('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
      const inst = ctx.state.instances[id];
      if (!inst) return err('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      const vol = r.vol;
      if (vol.state === 'in-use') return err('VolumeInUse', `${vol.VolumeId} is already attached to an instance`);
      if (vol.state !== 'available') return err('IncorrectState', `${vol.VolumeId} is not 'available'.`);
      if (inst.state !== 'running' && inst.state !== 'stopped') return err('IncorrectInstanceState', `Instance '${id}' is not 'running'.`);
      if (vol.AvailabilityZone !== inst.AvailabilityZone)
        return err('InvalidVolume.ZoneMismatch', `The volume '${vol.VolumeId}' is not in the same availability zone as instance '${id}'`);
      const device = p.Device as string;
      if (!DEVICE_RE.test(device) && device !== ROOT_DEVICE) return err('InvalidParameterValue', `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
      if (attachedTo(ctx.state, id).some((v) => v.attachment!.Device === device))
        return err('InvalidParameterValue', `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`);
      if (p.DryRun === true) return dryRun();
      vol.state = 'in-use';
      setAttachment(ctx, vol, { InstanceId: id, Device: device, State: 'attaching', AttachTime: ctx.now, DeleteOnTermination: false });
      scheduleStep(ctx, vol, 'attaching');
      return { output: attachmentOut(vol), resources: [...volumeResource(vol.VolumeId), { type: 'AWS::EC2::Instance', name: id }] };
    },
    trail: {
      request: (p) => ({ volumeId: p.VolumeId, instanceId: p.InstanceId, device: p.Device, deleteOnTermination: false }),
      response: trailAttachment,
    },
  },

  DetachVolume: {
    readOnly: false,
    validate: (p) => firstError(
      checkString(p, 'VolumeId', { required: true }, 'ec2'),
      checkString(p, 'InstanceId', {}, 'ec2'),
      checkString(p, 'Device', {}, 'ec2'),
      checkBool(p, 'Force', 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
    ),
    run(ctx, p) {
      const r = findVolume(ctx, p.VolumeId as string);
      if ('error' in r) return r;
      const vol = r.vol;
      const a = vol.attachment;
      if (!a) return err('IncorrectState', `Volume '${vol.VolumeId}' is in the '${vol.state}' state.`);
      if (a.State === 'detaching') return err('IncorrectState', `Volume '${vol.VolumeId}' is in the 'detaching' state.`);
      if (typeof p.InstanceId === 'string' && p.InstanceId !== a.InstanceId)
        return err('InvalidAttachment.NotFound', `The volume '${vol.VolumeId}' is not attached to instance '${p.InstanceId}'.`);
      if (typeof p.Device === 'string' && p.Device !== a.Device)
        return err('InvalidAttachment.NotFound', `The volume '${vol.VolumeId}' is not attached at device '${p.Device}'.`);
      const inst = ctx.state.instances[a.InstanceId];
      // Force is for stuck detachments: it never detaches the root volume of an instance that is not stopped
      if (a.Device === ROOT_DEVICE && inst && inst.state !== 'stopped')
        return err('IncorrectState', `Unable to detach root volume '${vol.VolumeId}' from instance '${a.InstanceId}'`);
      if (p.DryRun === true) return dryRun();
      setAttachment(ctx, vol, { ...a, State: 'detaching' });
      scheduleStep(ctx, vol, 'detaching');
      return { output: attachmentOut(vol), resources: [...volumeResource(vol.VolumeId), { type: 'AWS::EC2::Instance', name: a.InstanceId }] };
    },
    trail: {
      request: (p) => ({
        volumeId: p.VolumeId, ...(p.InstanceId !== undefined ? { instanceId: p.InstanceId } : {}),
        ...(p.Device !== undefined ? { device: p.Device } : {}), force: p.Force === true,
      }),
      response: trailAttachment,
    },
  },

  DeleteVolume: {
    readOnly: false,
    validate: (p) => firstError(checkString(p, 'VolumeId', { required: true }, 'ec2'), checkBool(p, 'DryRun', 'ec2')),
    run(ctx, p) {
      const r = findVolume(ctx, p.VolumeId as string);
      if ('error' in r) return r;
      const vol = r.vol;
      if (vol.attachment) return err('VolumeInUse', `Volume ${vol.VolumeId} is currently attached to ${vol.attachment.InstanceId}`);
      if (vol.state !== 'available') return err('IncorrectState', `The volume '${vol.VolumeId}' is not 'available'.`);
      if (p.DryRun === true) return dryRun();
      startDeleting(ctx, vol);
      return { output: {} };
    },
    resources: (p) => volumeResource(p.VolumeId),
    trail: { request: (p) => ({ volumeId: p.VolumeId }), response: () => ({ _return: true }) },
  },
};

/**
 * CreateTags on volumes too: volume ids are checked first, the instance part runs as before, and
 * only when that succeeded are the volumes tagged.
 */
export function withVolumeTags(op: OperationDef<Ec2State>): OperationDef<Ec2State> {
  return {
    ...op,
    run(ctx, p, call) {
      const ids = Array.isArray(p.Resources) ? (p.Resources as string[]) : [];
      const volIds = ids.filter((id) => id.startsWith('vol-'));
      if (volIds.length === 0) return op.run(ctx, p, call);
      const t = readTags(p.Tags, 'Tag');
      if ('error' in t) return t;
      const vols: Volume[] = [];
      for (const id of volIds) {
        const r = findVolume(ctx, id);
        if ('error' in r) return r;
        vols.push(r.vol);
      }
      for (const v of vols) {
        if (v.Tags.length + t.tags.filter((x) => !v.Tags.some((y) => y.Key === x.Key)).length > 50)
          return err('TagLimitExceeded', `Tag limit exceeded for resource ${v.VolumeId}`);
      }
      const rest = ids.filter((id) => !id.startsWith('vol-'));
      const result = rest.length ? op.run(ctx, { ...p, Resources: rest }, call) : { output: {} };
      if (!('output' in result)) return result;
      for (const v of vols) {
        for (const tag of t.tags) {
          const existing = v.Tags.find((x) => x.Key === tag.Key);
          if (existing) existing.Value = tag.Value;
          else v.Tags.push({ ...tag });
        }
      }
      return { ...result, resources: ids.map((id) => ({ type: id.startsWith('vol-') ? 'AWS::EC2::Volume' : 'AWS::EC2::Instance', name: id })) };
    },
  };
}
