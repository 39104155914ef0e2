/**
 * EBS volumes, EC2's model: volume types and their limits, the clock-driven lifecycle
 * (creating → available, attaching → attached, detaching → detached, deleting → gone), the volumes
 * RunInstances creates from `BlockDeviceMappings`, and what terminating an instance does to them.
 * Volumes live in the EC2 state under `volumes`/`volumeOrder` (added on first need, so snapshots
 * from before them load). Other services learn of volumes only through engine events:
 * `ec2/volume-created`, `ec2/volume-attachment-changed`, `ec2/volume-deleted`.
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html
 */
import { err, readTags } from '../../kernel/params.ts';
import { nextHex, nextUint32 } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, EngineEvent, ServiceContext } from '../../kernel/types.ts';
import type { Ec2State, Instance, Tag } from './ec2.model.ts';

type Ctx = ServiceContext<Ec2State>;

export type VolumeStateName = 'creating' | 'available' | 'in-use' | 'deleting';
export type AttachmentStateName = 'attaching' | 'attached' | 'detaching';

export interface VolumeAttachment {
  InstanceId: string;
  Device: string;
  State: AttachmentStateName;
  AttachTime: number;
  DeleteOnTermination: boolean;
}

export interface Volume {
  VolumeId: string;
  Size: number;
  VolumeType: string;
  /** Provisioned (gp3, io1, io2) or baseline (gp2) IOPS; absent for st1, sc1, standard. */
  Iops?: number;
  /** gp3 only (MiB/s). */
  Throughput?: number;
  AvailabilityZone: string;
  CreateTime: number;
  Encrypted: boolean;
  state: VolumeStateName;
  /** Bumped on every change of `state` or the attachment, so a stale lifecycle timer can tell. */
  stateVersion: number;
  attachment: VolumeAttachment | null;
  Tags: Tag[];
}

/** EC2 state with the volume store (optional: snapshots from before volumes have none). */
export type Ec2StateWithVolumes = Ec2State & { volumes?: Record<string, Volume>; volumeOrder?: string[] };

/** The volume store, created on first need. */
export function volumesOf(state: Ec2State): { volumes: Record<string, Volume>; order: string[] } {
  const s = state as Ec2StateWithVolumes;
  s.volumes ??= {};
  s.volumeOrder ??= [];
  return { volumes: s.volumes, order: s.volumeOrder };
}

/** Volumes in creation order, without creating the store (for read-only callers). */
export function volumeList(state: Ec2State): Volume[] {
  const s = state as Ec2StateWithVolumes;
  return (s.volumeOrder ?? []).map((id) => s.volumes![id]).filter((v): v is Volume => Boolean(v));
}

/**
 * Volume types the simulator knows: size limits in GiB and, where the type takes them, IOPS and
 * throughput limits (EBS user guide, volume types; io2 as Block Express).
 */
export const VOLUME_TYPES: Record<string, {
  minSize: number; maxSize: number;
  iops?: { min: number; max: number; perGiB: number; required: boolean; default?: number };
  throughput?: { min: number; max: number; default: number };
}> = {
  gp2: { minSize: 1, maxSize: 16_384 },
  gp3: { minSize: 1, maxSize: 16_384, iops: { min: 3000, max: 16_000, perGiB: 500, required: false, default: 3000 }, throughput: { min: 125, max: 1000, default: 125 } },
  io1: { minSize: 4, maxSize: 16_384, iops: { min: 100, max: 64_000, perGiB: 50, required: true } },
  io2: { minSize: 4, maxSize: 65_536, iops: { min: 100, max: 256_000, perGiB: 1000, required: true } },
  st1: { minSize: 125, maxSize: 16_384 },
  sc1: { minSize: 125, maxSize: 16_384 },
  standard: { minSize: 1, maxSize: 1024 },
};

/** gp2's baseline: 3 IOPS per GiB, at least 100, at most 16,000 (what DescribeVolumes shows as Iops). */
export const gp2BaselineIops = (size: number): number => Math.min(16_000, Math.max(100, 3 * size));

/** The root device of every simulated image (Amazon Linux style). */
export const ROOT_DEVICE = '/dev/xvda';
/** The root volume when the request maps none: 8 GiB gp3, deleted on termination. */
export const DEFAULT_ROOT: LaunchDevice = { DeviceName: ROOT_DEVICE, VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false };
/** Device names EBS accepts here: /dev/sd[a-z], /dev/sd[a-z][1-15], /dev/xvd[a-z] and /dev/xvd[a-z][a-z]. */
export const DEVICE_RE = /^\/dev\/(sd[a-z]([1-9]|1[0-5])?|xvd[a-z]{1,2})$/;
export const VOLUME_ID_RE = /^vol-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** Lifecycle steps driven by the simulated clock: a base plus a seeded jitter, in ms. */
export const VOLUME_STEPS: Record<'creating' | 'attaching' | 'detaching' | 'deleting', { baseMs: number; jitterMs: number }> = {
  creating: { baseMs: 4_000, jitterMs: 6_000 },
  attaching: { baseMs: 2_000, jitterMs: 4_000 },
  detaching: { baseMs: 4_000, jitterMs: 6_000 },
  deleting: { baseMs: 2_000, jitterMs: 4_000 },
};

/** Checks size, IOPS and throughput against the type's limits (EC2's wording where known). */
export function checkVolumeSpec(type: string, size: number, iops: number | undefined, throughput: number | undefined): ApiError | null {
  const t = VOLUME_TYPES[type];
  if (!t) return { code: 'InvalidParameterValue', message: `Value (${type}) for parameter volumeType is invalid. Valid values: ${Object.keys(VOLUME_TYPES).join(', ')}.` };
  if (size < t.minSize) return { code: 'InvalidParameterValue', message: `Volume of ${size}GiB is too small; minimum is ${t.minSize}GiB.` };
  if (size > t.maxSize) return { code: 'InvalidParameterValue', message: `Volume of ${size}GiB is too large; maximum is ${t.maxSize}GiB.` };
  if (iops !== undefined) {
    if (!t.iops) return { code: 'InvalidParameterCombination', message: `The parameter iops is not supported for ${type} volumes.` };
    if (iops < t.iops.min) return { code: 'InvalidParameterValue', message: `Volume iops of ${iops} is too low; minimum is ${t.iops.min}.` };
    if (iops > t.iops.max) return { code: 'InvalidParameterValue', message: `Volume iops of ${iops} is too high; maximum is ${t.iops.max}.` };
    if (iops / size > t.iops.perGiB)
      return { code: 'InvalidParameterValue', message: `Iops to volume size ratio of ${(iops / size).toFixed(6)} is too high; maximum is ${t.iops.perGiB.toFixed(6)}.` };
  } else if (t.iops?.required) {
    return { code: 'MissingParameter', message: 'The request must contain the parameter iops' };
  }
  if (throughput !== undefined) {
    if (!t.throughput) return { code: 'InvalidParameterCombination', message: `The parameter throughput is not supported for ${type} volumes.` };
    if (throughput < t.throughput.min) return { code: 'InvalidParameterValue', message: `Throughput of ${throughput} is too low; minimum is ${t.throughput.min}.` };
    if (throughput > t.throughput.max) return { code: 'InvalidParameterValue', message: `Throughput of ${throughput} is too high; maximum is ${t.throughput.max}.` };
  }
  return null;
}

/** One EBS device a launch creates. */
export interface LaunchDevice {
  DeviceName: string;
  VolumeSize: number;
  VolumeType: string;
  Iops?: number;
  Throughput?: number;
  DeleteOnTermination: boolean;
  Encrypted: boolean;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Reads `BlockDeviceMappings` (RunInstances, launch template data) into the EBS devices a launch
 * creates, the root device first (8 GiB gp3 unless mapped). Mappings without `Ebs` (instance store
 * `VirtualName`, `NoDevice`) create nothing. Nothing changes.
 */
export function readBlockDeviceMappings(v: unknown): { devices: LaunchDevice[] } | { error: ApiError } {
  if (v === undefined || v === null) return { devices: [{ ...DEFAULT_ROOT }] };
  if (!Array.isArray(v)) return err('InvalidParameterValue', 'BlockDeviceMappings must be a list');
  const seen = new Set<string>();
  const devices: LaunchDevice[] = [];
  for (const [n, m] of (v as Record<string, unknown>[]).entries()) {
    const name = m?.DeviceName;
    if (typeof name !== 'string' || name.length === 0) return err('MissingParameter', `The request must contain the parameter BlockDeviceMapping.${n + 1}.DeviceName`);
    const short = name.replace(/^\/dev\//, '');
    if (seen.has(short)) return err('InvalidBlockDeviceMapping', `The device '${short}' is used in more than one block-device mapping`);
    seen.add(short);
    const ebs = m.Ebs as Record<string, unknown> | undefined | null;
    if (ebs === undefined || ebs === null) continue;
    if (typeof ebs !== 'object' || Array.isArray(ebs)) return err('InvalidParameterValue', `BlockDeviceMapping.${n + 1}.Ebs must be a structure`);
    if (name !== ROOT_DEVICE && !DEVICE_RE.test(name)) return err('InvalidBlockDeviceMapping', `Invalid device name ${name}`);
    const root = name === ROOT_DEVICE;
    for (const k of ['VolumeSize', 'Iops', 'Throughput'] as const) {
      if (ebs[k] !== undefined && (!isInt(ebs[k]) || (ebs[k] as number) < 1))
        return err('InvalidParameterValue', `Value (${String(ebs[k])}) for parameter ${k.charAt(0).toLowerCase() + k.slice(1)} is invalid.`);
    }
    for (const k of ['DeleteOnTermination', 'Encrypted'] as const) {
      if (ebs[k] !== undefined && typeof ebs[k] !== 'boolean') return err('InvalidParameterValue', `BlockDeviceMapping.${n + 1}.Ebs.${k} must be a boolean`);
    }
    if (ebs.SnapshotId !== undefined) return err('InvalidSnapshot.NotFound', `The snapshot '${String(ebs.SnapshotId)}' does not exist.`);
    const size = (ebs.VolumeSize as number | undefined) ?? (root ? DEFAULT_ROOT.VolumeSize : undefined);
    if (size === undefined) return err('InvalidBlockDeviceMapping', `The request must contain the parameter volumeSize or snapshotId for device ${name}`);
    if (root && size < DEFAULT_ROOT.VolumeSize)
      return err('InvalidBlockDeviceMapping', `Volume of size ${size}GB is smaller than the image's root snapshot, expect size >= ${DEFAULT_ROOT.VolumeSize}GB`);
    const type = typeof ebs.VolumeType === 'string' ? ebs.VolumeType : DEFAULT_ROOT.VolumeType;
    const bad = checkVolumeSpec(type, size, ebs.Iops as number | undefined, ebs.Throughput as number | undefined);
    if (bad) return { error: bad };
    devices.push({
      DeviceName: name, VolumeSize: size, VolumeType: type,
      ...(ebs.Iops !== undefined ? { Iops: ebs.Iops as number } : {}),
      ...(ebs.Throughput !== undefined ? { Throughput: ebs.Throughput as number } : {}),
      DeleteOnTermination: ebs.DeleteOnTermination !== false, // true for every volume created at launch
      Encrypted: ebs.Encrypted === true,
    });
  }
  if (!devices.some((d) => d.DeviceName === ROOT_DEVICE)) devices.unshift({ ...DEFAULT_ROOT });
  else devices.sort((a, b) => (a.DeviceName === ROOT_DEVICE ? -1 : b.DeviceName === ROOT_DEVICE ? 1 : 0));
  return { devices };
}

/** IOPS and throughput DescribeVolumes shows for a type (the type's default when not given). */
export function performanceOf(type: string, size: number, iops?: number, throughput?: number): { Iops?: number; Throughput?: number } {
  if (type === 'gp2') return { Iops: gp2BaselineIops(size) };
  const t = VOLUME_TYPES[type];
  return {
    ...(t?.iops ? { Iops: iops ?? t.iops.default } : {}),
    ...(t?.throughput ? { Throughput: throughput ?? t.throughput.default } : {}),
  };
}

/** Creates a volume record (no attachment), emits `ec2/volume-created`, and returns it. */
export function addVolume(ctx: Ctx, spec: {
  size: number; type: string; iops?: number; throughput?: number; az: string; encrypted: boolean; tags: Tag[]; state: VolumeStateName;
}): Volume {
  const store = volumesOf(ctx.state);
  const vol: Volume = {
    VolumeId: `vol-${nextHex(ctx.rng('volumes'), 17)}`,
    Size: spec.size,
    VolumeType: spec.type,
    ...performanceOf(spec.type, spec.size, spec.iops, spec.throughput),
    AvailabilityZone: spec.az,
    CreateTime: ctx.now,
    Encrypted: spec.encrypted,
    state: spec.state,
    stateVersion: 0,
    attachment: null,
    Tags: spec.tags.map((t) => ({ ...t })),
  };
  store.volumes[vol.VolumeId] = vol;
  store.order.push(vol.VolumeId);
  ctx.emit('ec2/volume-created', {
    volumeId: vol.VolumeId, volumeType: vol.VolumeType, size: vol.Size, iops: vol.Iops ?? null, throughput: vol.Throughput ?? null,
    availabilityZone: vol.AvailabilityZone,
  });
  if (spec.state === 'creating') scheduleStep(ctx, vol, 'creating');
  return vol;
}

/** Schedules a volume's next automatic step (creating, attaching, detaching, deleting). */
export function scheduleStep(ctx: Ctx, vol: Volume, step: keyof typeof VOLUME_STEPS): void {
  const s = VOLUME_STEPS[step];
  const jitter = s.jitterMs > 0 ? nextUint32(ctx.rng('volume-lifecycle')) % s.jitterMs : 0;
  const delay = Math.floor((s.baseMs + jitter) / 1000) * 1000;
  ctx.schedule(ctx.now + delay, 'volumeStep', { volumeId: vol.VolumeId, version: vol.stateVersion });
}

/** Sets the attachment (null = detached) and tells other services what the attachment now is. */
export function setAttachment(ctx: Ctx, vol: Volume, att: VolumeAttachment | null, previousInstance?: string): void {
  vol.attachment = att;
  vol.stateVersion += 1;
  ctx.emit('ec2/volume-attachment-changed', {
    volumeId: vol.VolumeId,
    instanceId: att?.InstanceId ?? previousInstance ?? null,
    device: att?.Device ?? null,
    state: att?.State ?? 'detached',
  });
}

/** Starts deleting a volume (gone from DescribeVolumes a few seconds later). */
export function startDeleting(ctx: Ctx, vol: Volume): void {
  vol.state = 'deleting';
  vol.stateVersion += 1;
  scheduleStep(ctx, vol, 'deleting');
}

/** Timer: one automatic step of a volume, ignored when the volume moved on meanwhile. */
export function volumeStep(ctx: Ctx, payload: { volumeId: string; version: number }): void {
  const store = volumesOf(ctx.state);
  const vol = store.volumes[payload.volumeId];
  if (!vol || vol.stateVersion !== payload.version) return;
  if (vol.state === 'creating') {
    vol.state = 'available';
    vol.stateVersion += 1;
  } else if (vol.state === 'deleting') {
    delete store.volumes[vol.VolumeId];
    const i = store.order.indexOf(vol.VolumeId);
    if (i >= 0) store.order.splice(i, 1);
    ctx.emit('ec2/volume-deleted', { volumeId: vol.VolumeId });
  } else if (vol.attachment?.State === 'attaching') {
    setAttachment(ctx, vol, { ...vol.attachment, State: 'attached' });
  } else if (vol.attachment?.State === 'detaching') {
    const from = vol.attachment.InstanceId;
    vol.state = 'available';
    setAttachment(ctx, vol, null, from);
  }
}

/** Volumes attached (in any attachment state) to an instance, in creation order. */
export function attachedTo(state: Ec2State, instanceId: string): Volume[] {
  return volumeList(state).filter((v) => v.attachment?.InstanceId === instanceId);
}

/** The volumes a launch creates for one instance: in use and attached from the launch on. */
export function createLaunchVolumes(ctx: Ctx, inst: Instance, devices: readonly LaunchDevice[], tags: Tag[]): void {
  for (const d of devices) {
    const vol = addVolume(ctx, {
      size: d.VolumeSize, type: d.VolumeType, ...(d.Iops !== undefined ? { iops: d.Iops } : {}),
      ...(d.Throughput !== undefined ? { throughput: d.Throughput } : {}),
      az: inst.AvailabilityZone, encrypted: d.Encrypted, tags, state: 'in-use',
    });
    setAttachment(ctx, vol, { InstanceId: inst.InstanceId, Device: d.DeviceName, State: 'attached', AttachTime: ctx.now, DeleteOnTermination: d.DeleteOnTermination });
  }
}

/** DescribeInstances' `BlockDeviceMappings` of an instance. */
export function blockDeviceMappingsOf(state: Ec2State, instanceId: string): Record<string, unknown>[] {
  return attachedTo(state, instanceId).map((v) => ({
    DeviceName: v.attachment!.Device,
    Ebs: { AttachTime: toIso(v.attachment!.AttachTime), DeleteOnTermination: v.attachment!.DeleteOnTermination, Status: v.attachment!.State, VolumeId: v.VolumeId },
  }));
}

/**
 * EC2's own `ec2/instance-state-changed`: when an instance is terminated its volumes are detached;
 * those marked DeleteOnTermination are deleted, the others become available. Stopping keeps them.
 */
export function onInstanceStateForVolumes(ctx: Ctx, event: EngineEvent<{ instanceId: string; current: string }>): void {
  if (event.payload.current !== 'terminated') return;
  const s = ctx.state as Ec2StateWithVolumes;
  if (!s.volumes) return;
  for (const vol of attachedTo(ctx.state, event.payload.instanceId)) {
    const dot = vol.attachment!.DeleteOnTermination;
    vol.state = 'available';
    setAttachment(ctx, vol, null, event.payload.instanceId);
    if (dot) startDeleting(ctx, vol);
  }
}

/** Read-only view for the console and scenario guards. */
export interface VolumeView {
  volumeId: string;
  volumeType: string;
  size: number;
  state: VolumeStateName;
  availabilityZone: string;
  instanceId: string | null;
  device: string | null;
  attachmentState: AttachmentStateName | null;
}

export function listVolumes(state: Ec2State): VolumeView[] {
  return volumeList(state).map((v) => ({
    volumeId: v.VolumeId, volumeType: v.VolumeType, size: v.Size, state: v.state, availabilityZone: v.AvailabilityZone,
    instanceId: v.attachment?.InstanceId ?? null, device: v.attachment?.Device ?? null, attachmentState: v.attachment?.State ?? null,
  }));
}

/** The tags of `TagSpecifications` entries for `volume` (other resource types refused). */
export function volumeTags(specs: unknown, allowInstance: boolean): { tags: Tag[] } | { error: ApiError } {
  if (specs === undefined) return { tags: [] };
  if (!Array.isArray(specs)) return err('InvalidParameterValue', 'TagSpecifications must be a list');
  const tags: Tag[] = [];
  for (const [n, s] of (specs as Record<string, unknown>[]).entries()) {
    if (s?.ResourceType !== 'volume' && !(allowInstance && s?.ResourceType === 'instance'))
      return err('InvalidParameterValue', `'${String(s?.ResourceType)}' is not a valid taggable resource type for this operation.`);
    if (s.ResourceType !== 'volume') continue;
    // reserved `aws:` keys (Auto Scaling's) belong on instances; volumes take the others
    const list = Array.isArray(s.Tags) ? (s.Tags as Tag[]).filter((t) => !(typeof t?.Key === 'string' && t.Key.startsWith('aws:'))) : s.Tags;
    const t = readTags(list, `TagSpecification.${n + 1}.Tag`);
    if ('error' in t) return t;
    for (const x of t.tags) {
      const i = tags.findIndex((y) => y.Key === x.Key);
      if (i >= 0) tags[i] = x;
      else tags.push(x);
    }
  }
  return { tags };
}
