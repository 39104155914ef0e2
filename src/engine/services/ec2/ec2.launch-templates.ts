/**
 * EC2 launch templates: CreateLaunchTemplate, CreateLaunchTemplateVersion,
 * DescribeLaunchTemplates, DescribeLaunchTemplateVersions, DeleteLaunchTemplate, and the
 * resolution RunInstances uses for `LaunchTemplate: {LaunchTemplateId|LaunchTemplateName, Version}`.
 * Templates live in the EC2 state under `launchTemplates` (added lazily, so older snapshots load).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
 */
import { principalArn } from '../../kernel/identity.ts';
import { checkString, err, firstError, readTags } from '../../kernel/params.ts';
import { nextHex } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { INSTANCE_TYPES, type Ec2State, type Tag } from './ec2.model.ts';
import { readBlockDeviceMappings } from './ec2.volumes.ts';

/** The members of LaunchTemplateData the simulator understands. */
export interface LaunchTemplateData {
  ImageId?: string;
  InstanceType?: string;
  KeyName?: string;
  Monitoring?: { Enabled: boolean };
  TagSpecifications?: { ResourceType: string; Tags: Tag[] }[];
  /** As given (checked by `readBlockDeviceMappings`); RunInstances creates the volumes. */
  BlockDeviceMappings?: Record<string, unknown>[];
}

export interface LaunchTemplateVersion {
  VersionNumber: number;
  VersionDescription?: string;
  CreateTime: number;
  CreatedBy: string;
  LaunchTemplateData: LaunchTemplateData;
}

export interface LaunchTemplate {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  CreateTime: number;
  CreatedBy: string;
  DefaultVersionNumber: number;
  LatestVersionNumber: number;
  Tags: Tag[];
  versions: LaunchTemplateVersion[];
}

/** EC2 state with the launch-template store (optional: snapshots from before it have none). */
export type Ec2StateWithTemplates = Ec2State & { launchTemplates?: Record<string, LaunchTemplate> };

type Ctx = ServiceContext<Ec2State>;

const NAME_RE = /^[a-zA-Z0-9().\-/_]+$/;
const ID_RE = /^lt-[0-9a-f]{17}$/;

export function templatesOf(state: Ec2State): Record<string, LaunchTemplate> {
  return ((state as Ec2StateWithTemplates).launchTemplates ??= {});
}

const nameProblem = (v: unknown, member: string): ApiError | null => {
  if (typeof v !== 'string' || v.length < 3 || v.length > 128 || !NAME_RE.test(v))
    return { code: 'InvalidLaunchTemplateName.MalformedException', message: `A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.' (${member})` };
  return null;
};

/** Reads and checks LaunchTemplateData; nothing changes. */
function readData(v: unknown): { data: LaunchTemplateData } | { error: ApiError } {
  if (v === undefined || v === null) return err('MissingParameter', 'The request must contain the parameter LaunchTemplateData');
  if (typeof v !== 'object' || Array.isArray(v)) return err('InvalidParameterValue', 'LaunchTemplateData must be a structure');
  const d = v as Record<string, unknown>;
  const data: LaunchTemplateData = {};
  if (d.ImageId !== undefined) {
    if (typeof d.ImageId !== 'string' || !/^ami-[0-9a-z]+$/.test(d.ImageId))
      return err('InvalidAMIID.Malformed', `Invalid id: "${String(d.ImageId)}" (expecting "ami-...")`);
    data.ImageId = d.ImageId;
  }
  if (d.InstanceType !== undefined) {
    if (typeof d.InstanceType !== 'string' || !INSTANCE_TYPES[d.InstanceType])
      return err('InvalidParameterValue', `Invalid value '${String(d.InstanceType)}' for InstanceType.`);
    data.InstanceType = d.InstanceType;
  }
  if (d.KeyName !== undefined) {
    if (typeof d.KeyName !== 'string') return err('InvalidParameterValue', 'KeyName must be a string');
    data.KeyName = d.KeyName;
  }
  if (d.Monitoring !== undefined) {
    const en = (d.Monitoring as { Enabled?: unknown } | null)?.Enabled;
    if (en !== undefined && typeof en !== 'boolean') return err('InvalidParameterValue', 'Monitoring.Enabled must be a boolean');
    data.Monitoring = { Enabled: en === true };
  }
  if (d.TagSpecifications !== undefined) {
    if (!Array.isArray(d.TagSpecifications)) return err('InvalidParameterValue', 'TagSpecifications must be a list');
    const specs: { ResourceType: string; Tags: Tag[] }[] = [];
    for (const [n, s] of (d.TagSpecifications as Record<string, unknown>[]).entries()) {
      if (s?.ResourceType !== 'instance' && s?.ResourceType !== 'volume')
        return err('InvalidParameterValue', `'${String(s?.ResourceType)}' is not a valid taggable resource type for this operation.`);
      const t = readTags(s.Tags, `LaunchTemplateData.TagSpecification.${n + 1}.Tag`);
      if ('error' in t) return t;
      specs.push({ ResourceType: s.ResourceType, Tags: t.tags });
    }
    data.TagSpecifications = specs;
  }
  if (d.BlockDeviceMappings !== undefined) {
    const bdm = readBlockDeviceMappings(d.BlockDeviceMappings);
    if ('error' in bdm) return bdm;
    data.BlockDeviceMappings = JSON.parse(JSON.stringify(d.BlockDeviceMappings)) as Record<string, unknown>[];
  }
  return { data };
}

/** Finds a template by id or name (exactly one of them), with EC2's not-found errors. */
export function findTemplate(state: Ec2State, ref: { LaunchTemplateId?: unknown; LaunchTemplateName?: unknown }): { lt: LaunchTemplate } | { error: ApiError } {
  const all = templatesOf(state);
  if (ref.LaunchTemplateId !== undefined && ref.LaunchTemplateName !== undefined)
    return err('InvalidParameterCombination', 'Only one of LaunchTemplateId or LaunchTemplateName can be specified.');
  if (typeof ref.LaunchTemplateId === 'string') {
    if (!ID_RE.test(ref.LaunchTemplateId)) return err('InvalidLaunchTemplateId.Malformed', `The specified ID for the launch template, ${ref.LaunchTemplateId}, is malformed.`);
    const lt = all[ref.LaunchTemplateId];
    return lt ? { lt } : err('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${ref.LaunchTemplateId}, does not exist.`);
  }
  if (typeof ref.LaunchTemplateName === 'string') {
    const lt = Object.values(all).find((x) => x.LaunchTemplateName === ref.LaunchTemplateName);
    return lt ? { lt } : err('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${ref.LaunchTemplateName}, does not exist.`);
  }
  return err('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId');
}

/** Picks a version: a number, `$Latest`, `$Default` (or absent = default). */
export function pickVersion(lt: LaunchTemplate, version: unknown): { v: LaunchTemplateVersion } | { error: ApiError } {
  const n = version === undefined || version === null || version === '$Default' ? lt.DefaultVersionNumber
    : version === '$Latest' ? lt.LatestVersionNumber
    : typeof version === 'string' && /^\d+$/.test(version) ? Number(version)
    : typeof version === 'number' && Number.isInteger(version) ? version : Number.NaN;
  const v = lt.versions.find((x) => x.VersionNumber === n);
  if (!v) return err('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${String(version)} for launch template ID ${lt.LaunchTemplateId}`);
  return { v };
}

/**
 * Params for RunInstances with the template's data filled in: request members win over the
 * template's; instance tags from both are merged (request wins on the same key).
 */
export function applyLaunchTemplate(state: Ec2State, p: Params): { params: Params; templateRef: { id: string; version: number } | null } | { error: ApiError } {
  if (p.LaunchTemplate === undefined) return { params: p, templateRef: null };
  const ref = p.LaunchTemplate as Record<string, unknown> | null;
  if (!ref || typeof ref !== 'object' || Array.isArray(ref)) return err('InvalidParameterValue', 'LaunchTemplate must be a structure');
  const f = findTemplate(state, ref);
  if ('error' in f) return f;
  const pv = pickVersion(f.lt, ref.Version);
  if ('error' in pv) return pv;
  const d = pv.v.LaunchTemplateData;
  const out: Params = { ...p };
  if (out.ImageId === undefined && d.ImageId) out.ImageId = d.ImageId;
  if (out.InstanceType === undefined && d.InstanceType) out.InstanceType = d.InstanceType;
  if (out.KeyName === undefined && d.KeyName) out.KeyName = d.KeyName;
  if (out.Monitoring === undefined && d.Monitoring) out.Monitoring = { ...d.Monitoring };
  if (out.BlockDeviceMappings === undefined && d.BlockDeviceMappings) out.BlockDeviceMappings = JSON.parse(JSON.stringify(d.BlockDeviceMappings)) as unknown;
  const fromTemplate = d.TagSpecifications ?? [];
  if (fromTemplate.length) {
    const request = Array.isArray(p.TagSpecifications) ? (p.TagSpecifications as { ResourceType: string; Tags?: Tag[] }[]) : [];
    const merged: { ResourceType: string; Tags: Tag[] }[] = [];
    for (const type of ['instance', 'volume']) {
      const tags = new Map<string, string>();
      for (const s of fromTemplate) if (s.ResourceType === type) for (const t of s.Tags) tags.set(t.Key, t.Value);
      for (const s of request) if (s?.ResourceType === type && Array.isArray(s.Tags)) for (const t of s.Tags) tags.set(t.Key, t.Value);
      if (tags.size) merged.push({ ResourceType: type, Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) });
    }
    for (const s of request) if (s?.ResourceType !== 'instance' && s?.ResourceType !== 'volume') merged.push(s as { ResourceType: string; Tags: Tag[] });
    out.TagSpecifications = merged;
  }
  if (out.ImageId === undefined)
    return err('MissingParameter', 'The request must contain the parameter ImageId');
  return { params: out, templateRef: { id: f.lt.LaunchTemplateId, version: pv.v.VersionNumber } };
}

const describeTemplate = (lt: LaunchTemplate) => ({
  LaunchTemplateId: lt.LaunchTemplateId,
  LaunchTemplateName: lt.LaunchTemplateName,
  CreateTime: toIso(lt.CreateTime),
  CreatedBy: lt.CreatedBy,
  DefaultVersionNumber: lt.DefaultVersionNumber,
  LatestVersionNumber: lt.LatestVersionNumber,
  ...(lt.Tags.length ? { Tags: lt.Tags.map((t) => ({ ...t })) } : {}),
});

const describeVersion = (lt: LaunchTemplate, v: LaunchTemplateVersion) => ({
  LaunchTemplateId: lt.LaunchTemplateId,
  LaunchTemplateName: lt.LaunchTemplateName,
  VersionNumber: v.VersionNumber,
  ...(v.VersionDescription !== undefined ? { VersionDescription: v.VersionDescription } : {}),
  CreateTime: toIso(v.CreateTime),
  CreatedBy: v.CreatedBy,
  DefaultVersion: v.VersionNumber === lt.DefaultVersionNumber,
  LaunchTemplateData: JSON.parse(JSON.stringify(v.LaunchTemplateData)) as LaunchTemplateData,
});

/** What other services learn about a template (Auto Scaling validates against this). */
function announce(ctx: Ctx, lt: LaunchTemplate, deleted = false): void {
  ctx.emit(deleted ? 'ec2/launch-template-deleted' : 'ec2/launch-template-changed', {
    launchTemplateId: lt.LaunchTemplateId,
    launchTemplateName: lt.LaunchTemplateName,
    defaultVersion: lt.DefaultVersionNumber,
    latestVersion: lt.LatestVersionNumber,
    versions: lt.versions.map((v) => v.VersionNumber),
  });
}

const templateResources = (_p: Params, o: Record<string, unknown> | null) => {
  const lt = o?.LaunchTemplate as { LaunchTemplateId?: string } | undefined
    ?? (o?.LaunchTemplateVersion as { LaunchTemplateId?: string } | undefined);
  return lt?.LaunchTemplateId ? [{ type: 'AWS::EC2::LaunchTemplate', name: lt.LaunchTemplateId }] : [];
};

const descriptionRule = (p: Params) => checkString(p, 'VersionDescription', { max: 255 }, 'ec2');

export const launchTemplateOperations: Record<string, OperationDef<Ec2State>> = {
  CreateLaunchTemplate: {
    readOnly: false,
    validate: (p) => firstError(
      p.LaunchTemplateName === undefined ? { code: 'MissingParameter', message: 'The request must contain the parameter LaunchTemplateName' } : nameProblem(p.LaunchTemplateName, 'LaunchTemplateName'),
      descriptionRule(p),
    ),
    run(ctx, p, call) {
      const name = p.LaunchTemplateName as string;
      const all = templatesOf(ctx.state);
      if (Object.values(all).some((x) => x.LaunchTemplateName === name))
        return err('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
      const d = readData(p.LaunchTemplateData);
      if ('error' in d) return d;
      const tags: Tag[] = [];
      if (p.TagSpecifications !== undefined) {
        if (!Array.isArray(p.TagSpecifications)) return err('InvalidParameterValue', 'TagSpecifications must be a list');
        for (const [n, s] of (p.TagSpecifications as Record<string, unknown>[]).entries()) {
          if (s?.ResourceType !== 'launch-template')
            return err('InvalidParameterValue', `'${String(s?.ResourceType)}' is not a valid taggable resource type for this operation.`);
          const t = readTags(s.Tags, `TagSpecification.${n + 1}.Tag`);
          if ('error' in t) return t;
          tags.push(...t.tags);
        }
      }
      const createdBy = principalArn(call.identity, ctx.accountId);
      const lt: LaunchTemplate = {
        LaunchTemplateId: `lt-${nextHex(ctx.rng('launch-templates'), 17)}`,
        LaunchTemplateName: name,
        CreateTime: ctx.now,
        CreatedBy: createdBy,
        DefaultVersionNumber: 1,
        LatestVersionNumber: 1,
        Tags: tags,
        versions: [{
          VersionNumber: 1, CreateTime: ctx.now, CreatedBy: createdBy, LaunchTemplateData: d.data,
          ...(typeof p.VersionDescription === 'string' ? { VersionDescription: p.VersionDescription } : {}),
        }],
      };
      all[lt.LaunchTemplateId] = lt;
      announce(ctx, lt);
      return { output: { LaunchTemplate: describeTemplate(lt) } };
    },
    resources: templateResources,
  },

  CreateLaunchTemplateVersion: {
    readOnly: false,
    validate: (p) => firstError(descriptionRule(p), checkString(p, 'SourceVersion', {}, 'ec2')),
    run(ctx, p, call) {
      const f = findTemplate(ctx.state, p);
      if ('error' in f) return f;
      let base: LaunchTemplateData = {};
      if (p.SourceVersion !== undefined) {
        const sv = pickVersion(f.lt, p.SourceVersion);
        if ('error' in sv) return sv;
        base = sv.v.LaunchTemplateData;
      }
      const d = readData(p.LaunchTemplateData);
      if ('error' in d) return d;
      const lt = f.lt;
      const v: LaunchTemplateVersion = {
        VersionNumber: lt.LatestVersionNumber + 1,
        CreateTime: ctx.now,
        CreatedBy: principalArn(call.identity, ctx.accountId),
        LaunchTemplateData: { ...JSON.parse(JSON.stringify(base)) as LaunchTemplateData, ...d.data },
        ...(typeof p.VersionDescription === 'string' ? { VersionDescription: p.VersionDescription } : {}),
      };
      lt.versions.push(v);
      lt.LatestVersionNumber = v.VersionNumber;
      announce(ctx, lt);
      return { output: { LaunchTemplateVersion: describeVersion(lt, v) } };
    },
    resources: templateResources,
  },

  DescribeLaunchTemplates: {
    readOnly: true,
    run(ctx, p) {
      const all = Object.values(templatesOf(ctx.state));
      let list = all;
      if (Array.isArray(p.LaunchTemplateIds) && p.LaunchTemplateIds.length) {
        list = [];
        for (const id of p.LaunchTemplateIds as unknown[]) {
          const f = findTemplate(ctx.state, { LaunchTemplateId: id });
          if ('error' in f) return f;
          list.push(f.lt);
        }
      } else if (Array.isArray(p.LaunchTemplateNames) && p.LaunchTemplateNames.length) {
        const names = p.LaunchTemplateNames as unknown[];
        list = all.filter((x) => names.includes(x.LaunchTemplateName));
        if (list.length !== names.length)
          return err('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.');
      }
      return { output: { LaunchTemplates: list.map(describeTemplate) } };
    },
  },

  DescribeLaunchTemplateVersions: {
    readOnly: true,
    run(ctx, p) {
      const f = findTemplate(ctx.state, p);
      if ('error' in f) return f;
      let versions = f.lt.versions;
      if (Array.isArray(p.Versions) && p.Versions.length) {
        versions = [];
        for (const want of p.Versions as unknown[]) {
          const pv = pickVersion(f.lt, want);
          if ('error' in pv) return pv;
          versions.push(pv.v);
        }
      }
      return { output: { LaunchTemplateVersions: versions.map((v) => describeVersion(f.lt, v)) } };
    },
  },

  DeleteLaunchTemplate: {
    readOnly: false,
    run(ctx, p) {
      const f = findTemplate(ctx.state, p);
      if ('error' in f) return f;
      delete templatesOf(ctx.state)[f.lt.LaunchTemplateId];
      announce(ctx, f.lt, true);
      return { output: { LaunchTemplate: describeTemplate(f.lt) } };
    },
    resources: templateResources,
  },
};

/** Read-only view for the console: templates with their versions' data. */
export function listLaunchTemplates(state: Ec2State): ReturnType<typeof describeVersion>[][] {
  return Object.values((state as Ec2StateWithTemplates).launchTemplates ?? {}).map((lt) => lt.versions.map((v) => describeVersion(lt, v)));
}
