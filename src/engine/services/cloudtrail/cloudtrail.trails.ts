/**
 * Trail operations: CreateTrail, StartLogging, StopLogging, DescribeTrails, GetTrailStatus,
 * DeleteTrail, with CloudTrail's error codes.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
 */
import { checkBool, checkString, checkStringList, err, firstError } from '../../kernel/params.ts';
import { toIso, toIsoSeconds } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params, ResourceRef, ServiceContext } from '../../kernel/types.ts';
import { deliverTrail, ensureDeliveryTimer } from './cloudtrail.delivery.ts';
import type { CloudTrailState, Trail } from './cloudtrail.model.ts';

type Ctx = ServiceContext<CloudTrailState>;

export const MAX_TRAILS_PER_REGION = 5;
const LOG_GROUP_ARN = /^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]{1,512}:\*$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Trail naming rules; null when the name is valid. */
export function trailNameProblem(name: string): string | null {
  if (name.length < 3) return `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`;
  if (name.length > 128) return `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return `Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).`;
  if (!/^[A-Za-z0-9]/.test(name) || !/[A-Za-z0-9]$/.test(name)) return 'Trail name must starts with a letter or number.';
  if (/[._-]{2}/.test(name)) return 'Trail name cannot contain adjacent periods, underscores or hyphens.';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'Trail name cannot be formatted as an IP address.';
  return null;
}

const notFound = (name: string, ctx: Ctx) => err('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.accountId}`);

/** Trails visible from `region`: its own, plus multi-Region trails homed elsewhere (shadow trails). */
function visible(ctx: Ctx, region: string): Trail[] {
  return Object.values(ctx.state.trails)
    .filter((t) => t.HomeRegion === region || t.IsMultiRegionTrail)
    .sort((a, b) => (a.TrailARN < b.TrailARN ? -1 : 1));
}

/** Finds a trail by name or ARN as seen from `region`. */
function resolve(ctx: Ctx, nameOrArn: string, region: string): Trail | null {
  if (nameOrArn.startsWith('arn:')) return ctx.state.trails[nameOrArn] ?? null;
  const list = visible(ctx, region).filter((t) => t.Name === nameOrArn);
  return list.find((t) => t.HomeRegion === region) ?? list[0] ?? null;
}

/** Finds a trail that must be changed from its home Region. */
function resolveHome(ctx: Ctx, p: Params, region: string): { trail: Trail } | { error: ApiError } {
  const name = p.Name as string;
  const t = resolve(ctx, name, region);
  if (!t) return notFound(name, ctx);
  if (t.HomeRegion !== region)
    return err('InvalidHomeRegionException', `This operation must be called from the trail's home region ${t.HomeRegion}.`);
  return { trail: t };
}

/** The DescribeTrails / CreateTrail shape of a trail. */
export function trailOutput(t: Trail): Record<string, unknown> {
  return {
    Name: t.Name,
    S3BucketName: t.S3BucketName,
    ...(t.S3KeyPrefix ? { S3KeyPrefix: t.S3KeyPrefix } : {}),
    IncludeGlobalServiceEvents: t.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: t.IsMultiRegionTrail,
    HomeRegion: t.HomeRegion,
    TrailARN: t.TrailARN,
    LogFileValidationEnabled: t.LogFileValidationEnabled,
    ...(t.CloudWatchLogsLogGroupArn ? { CloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn } : {}),
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
  };
}

const nameRule = (p: Params) => checkString(p, 'Name', { required: true, min: 1, max: 1024 });
const trailRes = (p: Params): ResourceRef[] => (typeof p.Name === 'string' ? [{ type: 'AWS::CloudTrail::Trail', name: p.Name }] : []);

export const trailOperations: Record<string, OperationDef<CloudTrailState>> = {
  CreateTrail: {
    readOnly: false,
    validate: (p) => firstError(
      checkString(p, 'Name', { required: true }),
      checkString(p, 'S3BucketName', { required: true }),
      checkString(p, 'S3KeyPrefix', { max: 200 }),
      checkBool(p, 'IsMultiRegionTrail'),
      checkBool(p, 'IncludeGlobalServiceEvents'),
      checkBool(p, 'EnableLogFileValidation'),
      checkString(p, 'CloudWatchLogsLogGroupArn'),
      checkString(p, 'CloudWatchLogsRoleArn'),
    ),
    run(ctx, p, call) {
      const name = p.Name as string;
      const problem = trailNameProblem(name);
      if (problem) return err('InvalidTrailNameException', problem);
      const arn = `arn:aws:cloudtrail:${call.region}:${ctx.accountId}:trail/${name}`;
      if (ctx.state.trails[arn] || visible(ctx, call.region).some((t) => t.Name === name))
        return err('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${ctx.accountId}`);
      if (Object.values(ctx.state.trails).filter((t) => t.HomeRegion === call.region).length >= MAX_TRAILS_PER_REGION)
        return err('MaximumNumberOfTrailsExceededException', `User: ${ctx.accountId} already has ${MAX_TRAILS_PER_REGION} trails in ${call.region}.`);
      const bucket = p.S3BucketName as string;
      if (!ctx.state.buckets[bucket]) return err('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`);
      const multi = p.IsMultiRegionTrail === true;
      const global = p.IncludeGlobalServiceEvents !== false;
      if (multi && !global)
        return err('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
      const group = (p.CloudWatchLogsLogGroupArn as string | undefined) ?? null;
      const role = (p.CloudWatchLogsRoleArn as string | undefined) ?? null;
      if (group && !LOG_GROUP_ARN.test(group)) return err('InvalidCloudWatchLogsLogGroupArnException', 'CloudWatch Logs log group ARN is invalid.');
      if (group && !role) return err('InvalidCloudWatchLogsRoleArnException', 'You must specify a role ARN along with a CloudWatch Logs log group ARN.');
      if (role && !group) return err('InvalidCloudWatchLogsLogGroupArnException', 'You must specify a CloudWatch Logs log group ARN along with a role ARN.');
      if (role && !ROLE_ARN.test(role)) return err('InvalidCloudWatchLogsRoleArnException', 'CloudWatch Logs role ARN is invalid.');
      const t: Trail = {
        Name: name, HomeRegion: call.region, TrailARN: arn, S3BucketName: bucket,
        S3KeyPrefix: (p.S3KeyPrefix as string | undefined) || null,
        IncludeGlobalServiceEvents: global, IsMultiRegionTrail: multi,
        LogFileValidationEnabled: p.EnableLogFileValidation === true,
        CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: role,
        isLogging: false, startLoggingTime: null, stopLoggingTime: null,
        latestDeliveryTime: null, latestDeliveryAttemptTime: null, latestDeliveryError: null,
        latestCloudWatchLogsDeliveryTime: null, pending: {}, cwPending: {}, nextDelivery: null, filesDelivered: 0,
      };
      ctx.state.trails[arn] = t;
      ctx.emit('cloudtrail/trail-created', { trailArn: arn, name });
      const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...out } = trailOutput(t);
      return { output: out, resources: [{ type: 'AWS::CloudTrail::Trail', name: arn }] };
    },
  },

  StartLogging: {
    readOnly: false,
    validate: nameRule,
    run(ctx, p, call) {
      const r = resolveHome(ctx, p, call.region);
      if ('error' in r) return r;
      const t = r.trail;
      if (!t.isLogging) {
        t.isLogging = true;
        t.startLoggingTime = ctx.now;
        ensureDeliveryTimer(ctx, t);
        ctx.emit('cloudtrail/logging-started', { trailArn: t.TrailARN });
      }
      return { output: {}, resources: [{ type: 'AWS::CloudTrail::Trail', name: t.TrailARN }] };
    },
    resources: trailRes,
  },

  StopLogging: {
    readOnly: false,
    validate: nameRule,
    run(ctx, p, call) {
      const r = resolveHome(ctx, p, call.region);
      if ('error' in r) return r;
      const t = r.trail;
      if (t.isLogging) {
        t.isLogging = false;
        t.stopLoggingTime = ctx.now;
        ctx.emit('cloudtrail/logging-stopped', { trailArn: t.TrailARN });
      }
      return { output: {}, resources: [{ type: 'AWS::CloudTrail::Trail', name: t.TrailARN }] };
    },
    resources: trailRes,
  },

  DeleteTrail: {
    readOnly: false,
    validate: nameRule,
    run(ctx, p, call) {
      const r = resolveHome(ctx, p, call.region);
      if ('error' in r) return r;
      const arn = r.trail.TrailARN;
      delete ctx.state.trails[arn];
      ctx.cancel('deliver', (x) => (x as { trailArn?: string }).trailArn === arn);
      ctx.emit('cloudtrail/trail-deleted', { trailArn: arn });
      return { output: {}, resources: [{ type: 'AWS::CloudTrail::Trail', name: arn }] };
    },
  },

  DescribeTrails: {
    readOnly: true,
    validate: (p) => firstError(checkStringList(p, 'trailNameList'), checkBool(p, 'includeShadowTrails')),
    run(ctx, p, call) {
      const names = p.trailNameList as string[] | undefined;
      const shadows = p.includeShadowTrails !== false;
      let list = visible(ctx, call.region).filter((t) => shadows || t.HomeRegion === call.region);
      if (names && names.length) list = names.map((n) => resolve(ctx, n, call.region)).filter((t): t is Trail => t !== null);
      return { output: { trailList: list.map(trailOutput) } };
    },
  },

  GetTrailStatus: {
    readOnly: true,
    validate: nameRule,
    run(ctx, p, call) {
      const t = resolve(ctx, p.Name as string, call.region);
      if (!t) return notFound(p.Name as string, ctx);
      return {
        output: {
          IsLogging: t.isLogging,
          ...(t.latestDeliveryError ? { LatestDeliveryError: t.latestDeliveryError } : {}),
          ...(t.latestDeliveryTime !== null ? { LatestDeliveryTime: toIso(t.latestDeliveryTime) } : {}),
          ...(t.startLoggingTime !== null ? { StartLoggingTime: toIso(t.startLoggingTime), TimeLoggingStarted: toIsoSeconds(t.startLoggingTime) } : {}),
          ...(t.stopLoggingTime !== null ? { StopLoggingTime: toIso(t.stopLoggingTime), TimeLoggingStopped: toIsoSeconds(t.stopLoggingTime) } : {}),
          ...(t.latestDeliveryAttemptTime !== null
            ? { LatestDeliveryAttemptTime: toIsoSeconds(t.latestDeliveryAttemptTime), LatestDeliveryAttemptSucceeded: t.latestDeliveryError ? '' : toIsoSeconds(t.latestDeliveryAttemptTime) }
            : {}),
          ...(t.latestCloudWatchLogsDeliveryTime !== null ? { LatestCloudWatchLogsDeliveryTime: toIso(t.latestCloudWatchLogsDeliveryTime) } : {}),
        },
      };
    },
  },
};

export { deliverTrail };
