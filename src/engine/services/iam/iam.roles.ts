/**
 * IAM roles: CreateRole, GetRole, ListRoles, DeleteRole.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
import { roleArnOf, roleIdOf } from '../../kernel/identity.ts';
import { checkInt, checkString, err, firstError, readTags } from '../../kernel/params.ts';
import { parseIso, toIso, toRecordDate } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params } from '../../kernel/types.ts';
import type { IamRole, IamState } from './iam.model.ts';

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

/** IAM answers malformed input with `ValidationError` (not `ValidationException`). */
export const iamValidation = (e: ApiError | null): ApiError | null => (e && e.code === 'ValidationException' ? { ...e, code: 'ValidationError' } : e);

const roleArn = (r: IamRole, accountId: string) => (r.Path === '/' ? roleArnOf(accountId, r.RoleName) : `arn:aws:iam::${accountId}:role${r.Path}${r.RoleName}`);

/** The API shape of a role (the trust policy URL-encoded, as the IAM API returns it). */
export function roleOutput(r: IamRole, accountId: string): Record<string, unknown> {
  return {
    Path: r.Path, RoleName: r.RoleName, RoleId: r.RoleId, Arn: roleArn(r, accountId),
    CreateDate: toIso(r.CreateDate),
    AssumeRolePolicyDocument: encodeURIComponent(r.AssumeRolePolicyDocument),
    ...(r.Description !== null ? { Description: r.Description } : {}),
    MaxSessionDuration: r.MaxSessionDuration,
    ...(r.Tags.length ? { Tags: r.Tags.map((t) => ({ ...t })) } : {}),
  };
}

const noSuchRole = (name: string) => err('NoSuchEntity', `The role with name ${name} cannot be found.`);
const roleRes = (p: Params) => (typeof p.RoleName === 'string' ? [{ type: 'AWS::IAM::Role', name: p.RoleName }] : []);

export const roleOperations: Record<string, OperationDef<IamState>> = {
  CreateRole: {
    readOnly: false,
    validate: (p) => iamValidation(firstError(
      checkString(p, 'RoleName', { required: true, min: 1, max: 64, pattern: NAME }),
      checkString(p, 'AssumeRolePolicyDocument', { required: true, min: 1, max: 131072 }),
      checkString(p, 'Path', { min: 1, max: 512, pattern: PATH }),
      checkString(p, 'Description', { max: 1000 }),
      checkInt(p, 'MaxSessionDuration', { min: 3600, max: 43200 }),
    )),
    run(ctx, p) {
      const name = p.RoleName as string;
      if (Object.keys(ctx.state.roles).some((n) => n.toLowerCase() === name.toLowerCase()))
        return err('EntityAlreadyExists', `Role with name ${name} already exists.`);
      const doc = p.AssumeRolePolicyDocument as string;
      let policy: unknown;
      try { policy = JSON.parse(doc); } catch { return err('MalformedPolicyDocument', 'This policy contains invalid Json'); }
      if (!policy || typeof policy !== 'object' || !('Statement' in policy))
        return err('MalformedPolicyDocument', 'Syntax errors in policy.');
      const tags = readTags(p.Tags, 'Tags');
      if ('error' in tags) return tags;
      const role: IamRole = {
        RoleName: name, Path: (p.Path as string | undefined) ?? '/', RoleId: roleIdOf(ctx.accountId, name),
        CreateDate: ctx.now, AssumeRolePolicyDocument: doc, Description: (p.Description as string | undefined) ?? null,
        MaxSessionDuration: (p.MaxSessionDuration as number | undefined) ?? 3600, Tags: tags.tags,
      };
      ctx.state.roles[name] = role;
      ctx.emit('iam/role-created', {
        roleName: name, arn: roleArn(role, ctx.accountId), roleId: role.RoleId, trustPolicy: doc, maxSessionDuration: role.MaxSessionDuration,
      });
      return { output: { Role: roleOutput(role, ctx.accountId) } };
    },
    resources: roleRes,
    trail: {
      response: (o) => {
        const r = o.Role as Record<string, unknown>;
        return {
          role: {
            path: r.Path, roleName: r.RoleName, roleId: r.RoleId, arn: r.Arn,
            createDate: toRecordDate(parseIso(String(r.CreateDate))), assumeRolePolicyDocument: r.AssumeRolePolicyDocument,
            ...(r.Description !== undefined ? { description: r.Description } : {}),
            maxSessionDuration: r.MaxSessionDuration,
          },
        };
      },
    },
  },

  GetRole: {
    readOnly: true,
    validate: (p) => iamValidation(checkString(p, 'RoleName', { required: true, min: 1, max: 64, pattern: NAME })),
    run(ctx, p) {
      const r = ctx.state.roles[p.RoleName as string];
      if (!r) return noSuchRole(p.RoleName as string);
      return { output: { Role: roleOutput(r, ctx.accountId) } };
    },
    resources: roleRes,
  },

  ListRoles: {
    readOnly: true,
    validate: (p) => iamValidation(firstError(checkString(p, 'PathPrefix', { min: 1, max: 512 }), checkInt(p, 'MaxItems', { min: 1, max: 1000 }), checkString(p, 'Marker'))),
    run(ctx, p) {
      const prefix = (p.PathPrefix as string | undefined) ?? '/';
      const all = Object.values(ctx.state.roles).filter((r) => r.Path.startsWith(prefix)).sort((a, b) => (a.RoleName < b.RoleName ? -1 : 1));
      const from = typeof p.Marker === 'string' ? all.findIndex((r) => r.RoleName > (p.Marker as string)) : 0;
      const start = from < 0 ? all.length : from;
      const max = (p.MaxItems as number | undefined) ?? 100;
      const page = all.slice(start, start + max);
      const truncated = start + max < all.length;
      return { output: { Roles: page.map((r) => roleOutput(r, ctx.accountId)), IsTruncated: truncated, ...(truncated ? { Marker: page[page.length - 1]!.RoleName } : {}) } };
    },
  },

  DeleteRole: {
    readOnly: false,
    validate: (p) => iamValidation(checkString(p, 'RoleName', { required: true, min: 1, max: 64, pattern: NAME })),
    run(ctx, p) {
      const r = ctx.state.roles[p.RoleName as string];
      if (!r) return noSuchRole(p.RoleName as string);
      delete ctx.state.roles[r.RoleName];
      ctx.emit('iam/role-deleted', { roleName: r.RoleName });
      return { output: {} };
    },
    resources: roleRes,
  },
};
