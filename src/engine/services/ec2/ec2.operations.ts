/**
 * EC2 operations: RunInstances, DescribeInstances, Start/Stop/TerminateInstances, CreateTags.
 * Request and response members as in the EC2 API reference; errors with EC2's codes.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/
 */
import { checkBool, checkInt, checkString, checkStringList, err, firstError, readTags } from '../../kernel/params.ts';
import { nextHex, nextUint32 } from '../../kernel/rng.ts';
import { parseIso, toIso } from '../../kernel/time.ts';
import type { ApiError, Identity, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { applyLaunchTemplate } from './ec2.launch-templates.ts';
import { ROOT_DEVICE, blockDeviceMappingsOf, createLaunchVolumes, readBlockDeviceMappings, volumeTags } from './ec2.volumes.ts';
import {
  INSTANCE_ID_RE, INSTANCE_TYPES, LIFECYCLE, STATE_CODES, TERMINATED_VISIBLE_MS, monitoringTier,
  type Ec2State, type Instance, type InstanceStateName, type Tag,
} from './ec2.model.ts';

type Ctx = ServiceContext<Ec2State>;

const stateOf = (s: InstanceStateName) => ({ Code: STATE_CODES[s], Name: s });

/** The DescribeInstances shape of one instance (its EBS volumes as BlockDeviceMappings). */
export function describeInstance(i: Instance, ctx: { state: Ec2State }): Record<string, unknown> {
  return {
    InstanceId: i.InstanceId,
    ImageId: i.ImageId,
    InstanceType: i.InstanceType,
    ...(i.KeyName ? { KeyName: i.KeyName } : {}),
    LaunchTime: toIso(i.LaunchTime),
    State: stateOf(i.state),
    StateTransitionReason: i.StateTransitionReason,
    Placement: { AvailabilityZone: i.AvailabilityZone, Tenancy: 'default' },
    PrivateIpAddress: i.state === 'terminated' ? undefined : i.PrivateIpAddress,
    Monitoring: { State: i.monitoring },
    Architecture: 'x86_64',
    RootDeviceType: 'ebs',
    Tags: i.Tags.map((t) => ({ ...t })),
    RootDeviceName: ROOT_DEVICE,
    BlockDeviceMappings: blockDeviceMappingsOf(ctx.state, i.InstanceId),
  };
}

/** Sets a new state, schedules the automatic next step, and emits the state-change event. */
export function setInstanceState(ctx: Ctx, inst: Instance, next: InstanceStateName, reason: string): void {
  const previous = inst.state;
  inst.state = next;
  inst.stateVersion += 1;
  if (reason) inst.StateTransitionReason = reason;
  if (next === 'running') inst.runningSince = ctx.now;
  if (previous === 'running') inst.runningSince = null;
  if (next === 'terminated') {
    inst.terminatedAt = ctx.now;
    ctx.schedule(ctx.now + TERMINATED_VISIBLE_MS, 'forget', { instanceId: inst.InstanceId });
  }
  const step = LIFECYCLE[next];
  if (step) {
    const jitter = step.jitterMs > 0 ? nextUint32(ctx.rng('lifecycle')) % step.jitterMs : 0;
    const delay = Math.floor((step.baseMs + jitter) / 1000) * 1000;
    ctx.schedule(ctx.now + delay, 'transition', { instanceId: inst.InstanceId, from: next, version: inst.stateVersion });
  }
  ctx.emit('ec2/instance-state-changed', {
    instanceId: inst.InstanceId,
    previous,
    current: next,
    instanceType: inst.InstanceType,
    imageId: inst.ImageId,
    availabilityZone: inst.AvailabilityZone,
    monitoring: monitoringTier(inst.monitoring),
    tags: inst.Tags.map((t) => ({ ...t })),
  });
}

/** Resolves instance ids, all or nothing: malformed → `.Malformed`, unknown → `.NotFound`. */
export function resolveInstances(ctx: Ctx, ids: string[]): { list: Instance[] } | { error: ApiError } {
  for (const id of ids) {
    if (!INSTANCE_ID_RE.test(id)) return err('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  }
  const missing = ids.filter((id) => !ctx.state.instances[id]);
  if (missing.length === 1) return err('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) return err('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  return { list: ids.map((id) => ctx.state.instances[id]!) };
}

const instanceIdsRule = (p: Params) =>
  checkStringList(p, 'InstanceIds', { required: true, minItems: 1, maxItems: 1000, item: { min: 1 } }, 'ec2');

const instanceResources = (p: Params) =>
  (Array.isArray(p.InstanceIds) ? (p.InstanceIds as string[]) : []).map((id) => ({ type: 'AWS::EC2::Instance', name: id }));

/** CloudTrail's EC2 record shape: `instancesSet.items` of instance ids. */
const trailInstancesSet = (p: Params) => ({
  instancesSet: { items: (p.InstanceIds as string[]).map((instanceId) => ({ instanceId })) },
  ...(p.Force !== undefined ? { force: p.Force } : {}),
});

const trailStateChanges = (o: Record<string, unknown>, key: string) => ({
  instancesSet: {
    items: (o[key] as { InstanceId: string; CurrentState: { Code: number; Name: string }; PreviousState: { Code: number; Name: string } }[])
      .map((c) => ({
        instanceId: c.InstanceId,
        currentState: { code: c.CurrentState.Code, name: c.CurrentState.Name },
        previousState: { code: c.PreviousState.Code, name: c.PreviousState.Name },
      })),
  },
});

function stateChangeOp(
  outKey: string,
  decide: (i: Instance) => InstanceStateName | 'same' | 'invalid',
  verb: string,
  reason: (ctx: Ctx) => string,
): OperationDef<Ec2State> {
  return {
    readOnly: false,
    validate: (p) => firstError(instanceIdsRule(p), checkBool(p, 'Force', 'ec2'), checkBool(p, 'DryRun', 'ec2')),
    run(ctx, p) {
      const r = resolveInstances(ctx, p.InstanceIds as string[]);
      if ('error' in r) return r;
      for (const i of r.list) {
        if (decide(i) === 'invalid')
          return err('IncorrectInstanceState', `The instance '${i.InstanceId}' is not in a state from which it can be ${verb}.`);
      }
      if (p.DryRun === true) return err('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const changes = r.list.map((i) => {
        const previous = i.state;
        const next = decide(i);
        if (next !== 'same' && next !== 'invalid') setInstanceState(ctx, i, next, reason(ctx));
        return { InstanceId: i.InstanceId, CurrentState: stateOf(i.state), PreviousState: stateOf(previous) };
      });
      return { output: { [outKey]: changes } };
    },
    resources: instanceResources,
  };
}

/** Calls Auto Scaling makes through its service-linked role. */
const byAutoScaling = (id: Identity) => id.type === 'AssumedRole' && id.invokedBy === 'autoscaling.amazonaws.com';

const userReason = (verb: string) => (ctx: Ctx) => `User initiated (${toIso(ctx.now).slice(0, 19).replace('T', ' ')} GMT)`.replace('User', verb);

const KNOWN_FILTERS = new Set(['instance-state-name', 'instance-id', 'instance-type', 'availability-zone', 'tag-key', 'image-id', 'monitoring-state']);

function matchesFilters(i: Instance, filters: { Name: string; Values: string[] }[]): boolean {
  return filters.every((f) => {
    if (f.Name.startsWith('tag:')) {
      const key = f.Name.slice(4);
      return i.Tags.some((t) => t.Key === key && f.Values.includes(t.Value));
    }
    switch (f.Name) {
      case 'instance-state-name': return f.Values.includes(i.state);
      case 'instance-id': return f.Values.includes(i.InstanceId);
      case 'instance-type': return f.Values.includes(i.InstanceType);
      case 'availability-zone': return f.Values.includes(i.AvailabilityZone);
      case 'image-id': return f.Values.includes(i.ImageId);
      case 'monitoring-state': return f.Values.includes(i.monitoring);
      case 'tag-key': return i.Tags.some((t) => f.Values.includes(t.Key));
      default: return false;
    }
  });
}

/** Reads a `Filters` list; names must be in `known` or start with `tag:` (DescribeInstances' set by default). */
export function readFilters(v: unknown, known: ReadonlySet<string> = KNOWN_FILTERS): { filters: { Name: string; Values: string[] }[] } | { error: ApiError } {
  if (v === undefined) return { filters: [] };
  if (!Array.isArray(v)) return err('InvalidParameterValue', 'Filters must be a list of {Name, Values}');
  const filters: { Name: string; Values: string[] }[] = [];
  for (const f of v as Record<string, unknown>[]) {
    const name = f?.Name, values = f?.Values;
    if (typeof name !== 'string' || !Array.isArray(values) || values.some((x) => typeof x !== 'string'))
      return err('InvalidParameterValue', 'Each filter needs a Name and a list of string Values');
    if (!name.startsWith('tag:') && !known.has(name))
      return err('InvalidParameterValue', `The filter '${name}' is invalid`);
    filters.push({ Name: name, Values: values as string[] });
  }
  return { filters };
}

export const ec2Operations: Record<string, OperationDef<Ec2State>> = {
  RunInstances: {
    readOnly: false,
    validate: (p) => firstError(
      checkString(p, 'ImageId', { required: p.LaunchTemplate === undefined, pattern: /^ami-[0-9a-z]+$/ }, 'ec2'),
      checkInt(p, 'MinCount', { required: true, min: 1, max: 100 }, 'ec2'),
      checkInt(p, 'MaxCount', { required: true, min: 1, max: 100 }, 'ec2'),
      checkString(p, 'InstanceType', {}, 'ec2'),
      checkString(p, 'KeyName', {}, 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
      typeof p.MinCount === 'number' && typeof p.MaxCount === 'number' && p.MinCount > p.MaxCount
        ? { code: 'InvalidParameterValue', message: `Value (${p.MinCount}) for parameter minCount is invalid. Minimum count must not exceed maximum count.` }
        : null,
    ),
    run(ctx, request, call) {
      const applied = applyLaunchTemplate(ctx.state, request);
      if ('error' in applied) return applied;
      const p = applied.params;
      const type = (p.InstanceType as string | undefined) ?? 'm1.small';
      if (!INSTANCE_TYPES[type]) return err('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`);
      const placement = (p.Placement ?? {}) as { AvailabilityZone?: unknown };
      const az = placement.AvailabilityZone ?? `${ctx.region}a`;
      if (typeof az !== 'string' || !az.startsWith(ctx.region) || !/^[a-z]$/.test(az.slice(ctx.region.length)))
        return err('InvalidParameterValue', `Invalid availability zone: [${String(az)}]`);
      const tagged: Tag[] = [];
      const specs = p.TagSpecifications;
      if (specs !== undefined) {
        if (!Array.isArray(specs)) return err('InvalidParameterValue', 'TagSpecifications must be a list');
        for (const [n, s] of (specs as Record<string, unknown>[]).entries()) {
          if (s?.ResourceType !== 'instance' && s?.ResourceType !== 'volume')
            return err('InvalidParameterValue', `'${String(s?.ResourceType)}' is not a valid taggable resource type for this operation.`);
          // Auto Scaling tags its instances with the reserved `aws:autoscaling:groupName` key.
          const reserved = byAutoScaling(call.identity) && Array.isArray(s.Tags)
            ? (s.Tags as Tag[]).filter((x) => typeof x?.Key === 'string' && x.Key.startsWith('aws:')) : [];
          const t = readTags(Array.isArray(s.Tags) ? (s.Tags as Tag[]).filter((x) => !reserved.includes(x)) : s.Tags, `TagSpecification.${n + 1}.Tag`);
          if ('error' in t) return t;
          if (s.ResourceType === 'instance') tagged.push(...t.tags, ...reserved.map((x) => ({ Key: x.Key, Value: String(x.Value ?? '') })));
        }
      }
      // EBS: the launch's volumes (the root one at least) and their tags
      const devices = readBlockDeviceMappings(p.BlockDeviceMappings);
      if ('error' in devices) return devices;
      const volumeTagged = volumeTags(Array.isArray(specs) ? (specs as Record<string, unknown>[]).filter((s) => s?.ResourceType === 'volume') : undefined, false);
      if ('error' in volumeTagged) return volumeTagged;
      const monitoring = (p.Monitoring as { Enabled?: unknown } | undefined)?.Enabled === true ? 'enabled' : 'disabled';
      if (p.DryRun === true) return err('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const rng = ctx.rng();
      const reservationId = `r-${nextHex(rng, 17)}`;
      const count = p.MaxCount as number;
      const launched: Instance[] = [];
      for (let n = 0; n < count; n++) {
        const id = `i-${nextHex(rng, 17)}`;
        const ip = nextUint32(rng);
        const inst: Instance = {
          InstanceId: id,
          ImageId: p.ImageId as string,
          InstanceType: type,
          ...(typeof p.KeyName === 'string' ? { KeyName: p.KeyName } : {}),
          LaunchTime: ctx.now,
          state: 'pending',
          stateVersion: 0,
          StateTransitionReason: '',
          AvailabilityZone: az,
          PrivateIpAddress: `10.0.${(ip >>> 8) & 255}.${(ip & 253) + 2}`,
          monitoring,
          Tags: tagged.map((t) => ({ ...t })),
          ReservationId: reservationId,
          runningSince: null,
          terminatedAt: null,
        };
        ctx.state.instances[id] = inst;
        ctx.state.order.push(id);
        launched.push(inst);
      }
      for (const inst of launched) {
        inst.state = 'stopped'; // placeholder so the launch emits pending as a change from nothing
        inst.stateVersion = -1;
        setInstanceState(ctx, inst, 'pending', '');
      }
      for (const inst of launched) createLaunchVolumes(ctx, inst, devices.devices, volumeTagged.tags);
      return {
        output: {
          ReservationId: reservationId,
          OwnerId: ctx.accountId,
          Groups: [],
          Instances: launched.map((i) => describeInstance(i, ctx)),
        },
        resources: launched.map((i) => ({ type: 'AWS::EC2::Instance', name: i.InstanceId })),
      };
    },
  },

  DescribeInstances: {
    readOnly: true,
    validate: (p) => firstError(
      checkStringList(p, 'InstanceIds', { item: { min: 1 } }, 'ec2'),
      checkInt(p, 'MaxResults', { min: 5, max: 1000 }, 'ec2'),
      checkString(p, 'NextToken', {}, 'ec2'),
      p.MaxResults !== undefined && p.InstanceIds !== undefined
        ? { code: 'InvalidParameterCombination', message: 'The parameter instancesSet cannot be used with the parameter maxResults' }
        : null,
    ),
    run(ctx, p) {
      const f = readFilters(p.Filters);
      if ('error' in f) return f;
      let list: Instance[];
      if (Array.isArray(p.InstanceIds) && p.InstanceIds.length > 0) {
        const r = resolveInstances(ctx, p.InstanceIds as string[]);
        if ('error' in r) return r;
        list = r.list;
      } else {
        list = ctx.state.order.map((id) => ctx.state.instances[id]!).filter(Boolean);
      }
      list = list.filter((i) => matchesFilters(i, f.filters));
      let start = 0;
      if (typeof p.NextToken === 'string') {
        start = Number.parseInt(p.NextToken, 36);
        if (!Number.isInteger(start) || start < 0 || start > list.length)
          return err('InvalidParameterValue', `Invalid value '${p.NextToken}' for NextToken`);
      }
      const max = (p.MaxResults as number | undefined) ?? list.length;
      const page = list.slice(start, start + max);
      const byReservation = new Map<string, Instance[]>();
      for (const i of page) byReservation.set(i.ReservationId, [...(byReservation.get(i.ReservationId) ?? []), i]);
      return {
        output: {
          Reservations: [...byReservation].map(([rid, insts]) => ({
            ReservationId: rid, OwnerId: ctx.accountId, Groups: [], Instances: insts.map((i) => describeInstance(i, ctx)),
          })),
          ...(start + max < list.length ? { NextToken: (start + max).toString(36) } : {}),
        },
      };
    },
  },

  StartInstances: stateChangeOp('StartingInstances', (i) =>
    i.state === 'stopped' ? 'pending' : i.state === 'running' || i.state === 'pending' ? 'same' : 'invalid',
  'started', () => ''),

  StopInstances: stateChangeOp('StoppingInstances', (i) =>
    i.state === 'running' ? 'stopping' : i.state === 'stopped' || i.state === 'stopping' ? 'same' : 'invalid',
  'stopped', userReason('User initiated')),

  TerminateInstances: stateChangeOp('TerminatingInstances', (i) =>
    i.state === 'terminated' || i.state === 'shutting-down' ? 'same' : 'shutting-down',
  'terminated', userReason('User initiated')),

  CreateTags: {
    readOnly: false,
    validate: (p) => firstError(
      checkStringList(p, 'Resources', { required: true, minItems: 1, item: { min: 1 } }, 'ec2'),
      p.Tags === undefined ? { code: 'MissingParameter', message: 'The request must contain the parameter Tags' } : null,
    ),
    run(ctx, p) {
      const t = readTags(p.Tags, 'Tag');
      if ('error' in t) return t;
      const ids = p.Resources as string[];
      const instanceIds = ids.filter((id) => id.startsWith('i-'));
      const other = ids.find((id) => !id.startsWith('i-'));
      if (other) return err('InvalidID', `The ID '${other}' is not valid`);
      const r = resolveInstances(ctx, instanceIds);
      if ('error' in r) return r;
      for (const inst of r.list) {
        if (inst.Tags.length + t.tags.filter((x) => !inst.Tags.some((y) => y.Key === x.Key)).length > 50)
          return err('TagLimitExceeded', `Tag limit exceeded for resource ${inst.InstanceId}`);
      }
      for (const inst of r.list) {
        for (const tag of t.tags) {
          const existing = inst.Tags.find((x) => x.Key === tag.Key);
          if (existing) existing.Value = tag.Value;
          else inst.Tags.push({ ...tag });
        }
        ctx.emit('ec2/tags-changed', { resourceId: inst.InstanceId, tags: inst.Tags.map((x) => ({ ...x })) });
      }
      return { output: {} };
    },
    resources: (p) => (Array.isArray(p.Resources) ? (p.Resources as string[]) : []).map((id) => ({ type: 'AWS::EC2::Instance', name: id })),
  },
};

const camelLaunchTemplate = (v: unknown) => {
  const lt = v as { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string };
  return {
    ...(lt.LaunchTemplateId ? { launchTemplateId: lt.LaunchTemplateId } : {}),
    ...(lt.LaunchTemplateName ? { launchTemplateName: lt.LaunchTemplateName } : {}),
    ...(lt.Version !== undefined ? { version: lt.Version } : {}),
  };
};

/** CloudTrail record shapes for EC2 (EC2 records use its XML-derived lower-case members). */
export const ec2TrailShapes: Record<string, { request?: (p: Params) => unknown; response?: (o: Record<string, unknown>) => unknown }> = {
  StartInstances: { request: trailInstancesSet, response: (o) => trailStateChanges(o, 'StartingInstances') },
  StopInstances: { request: trailInstancesSet, response: (o) => trailStateChanges(o, 'StoppingInstances') },
  TerminateInstances: { request: trailInstancesSet, response: (o) => trailStateChanges(o, 'TerminatingInstances') },
  RunInstances: {
    request: (p) => ({
      instancesSet: { items: [{ ...(p.ImageId ? { imageId: p.ImageId } : {}), minCount: p.MinCount, maxCount: p.MaxCount, ...(p.KeyName ? { keyName: p.KeyName } : {}) }] },
      ...(p.LaunchTemplate ? { launchTemplate: camelLaunchTemplate(p.LaunchTemplate) } : {}),
      ...(p.InstanceType || !p.LaunchTemplate ? { instanceType: p.InstanceType ?? 'm1.small' } : {}),
      blockDeviceMapping: {},
      monitoring: { enabled: (p.Monitoring as { Enabled?: boolean } | undefined)?.Enabled === true },
      disableApiTermination: false,
      ...(p.TagSpecifications ? { tagSpecificationSet: { items: (p.TagSpecifications as { ResourceType: string; Tags: Tag[] }[]).map((s) => ({ resourceType: s.ResourceType, tags: s.Tags.map((t) => ({ key: t.Key, value: t.Value })) })) } } : {}),
    }),
    response: (o) => ({
      reservationId: o.ReservationId,
      ownerId: o.OwnerId,
      groupSet: {},
      instancesSet: {
        items: (o.Instances as Record<string, unknown>[]).map((i) => ({
          instanceId: i.InstanceId, imageId: i.ImageId,
          instanceState: { code: (i.State as { Code: number }).Code, name: (i.State as { Name: string }).Name },
          privateIpAddress: i.PrivateIpAddress, instanceType: i.InstanceType,
          launchTime: parseIso(i.LaunchTime as string),
          placement: { availabilityZone: (i.Placement as { AvailabilityZone: string }).AvailabilityZone, tenancy: 'default' },
          monitoring: { state: (i.Monitoring as { State: string }).State },
        })),
      },
    }),
  },
  CreateTags: {
    request: (p) => ({
      resourcesSet: { items: (p.Resources as string[]).map((resourceId) => ({ resourceId })) },
      tagSet: { items: (p.Tags as Tag[]).map((t) => ({ key: t.Key, value: t.Value })) },
    }),
    response: () => ({ _return: true }),
  },
};
