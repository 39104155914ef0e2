/**
 * The `iam` service: users, roles and access keys, enough to give the trail real identities.
 * A global service: its CloudTrail events are recorded in us-east-1. Policies are not evaluated.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/
 */
import { userIdOf } from '../../kernel/identity.ts';
import { checkInt, checkString, err, firstError, readTags } from '../../kernel/params.ts';
import { nextAlnum, nextUint32 } from '../../kernel/rng.ts';
import { parseIso, toIso, toRecordDate } from '../../kernel/time.ts';
import type { Identity, Params, ServiceDef } from '../../kernel/types.ts';
import { MAX_KEYS_PER_USER, type IamAccessKey, type IamState, type IamUser } from './iam.model.ts';
import { iamValidation, roleOperations } from './iam.roles.ts';

const USER_NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const KEY_ID = /^[\w]+$/;

function userOutput(u: IamUser, accountId: string): Record<string, unknown> {
  return {
    Path: u.Path, UserName: u.UserName, UserId: u.UserId,
    Arn: `arn:aws:iam::${accountId}:user${u.Path}${u.UserName}`,
    CreateDate: toIso(u.CreateDate),
    ...(u.Tags.length ? { Tags: u.Tags.map((t) => ({ ...t })) } : {}),
  };
}

const keyMeta = (k: IamAccessKey) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: toIso(k.CreateDate) });
const noSuchUser = (name: string) => err('NoSuchEntity', `The user with name ${name} cannot be found.`);
const userRes = (p: Params) => (typeof p.UserName === 'string' ? [{ type: 'AWS::IAM::User', name: p.UserName }] : []);
const recordDate = (iso: unknown) => toRecordDate(parseIso(String(iso)));

/** Which user a key call is about: the named one, or the calling IAM user. */
function targetUser(p: Params, identity: Identity): string | null {
  if (typeof p.UserName === 'string') return p.UserName;
  return identity.type === 'IAMUser' ? identity.userName : null;
}

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export const iamService: ServiceDef<IamState> = {
  name: 'iam',
  eventSource: 'iam.amazonaws.com',
  global: true,
  init: () => ({ users: {}, roles: {}, accessKeys: {} }),
  operations: {
    CreateUser: {
      readOnly: false,
      validate: (p) => iamValidation(firstError(
        checkString(p, 'UserName', { required: true, min: 1, max: 64, pattern: USER_NAME }),
        checkString(p, 'Path', { min: 1, max: 512, pattern: PATH }),
      )),
      run(ctx, p) {
        const name = p.UserName as string;
        // IAM user names are unique case-insensitively.
        if (Object.keys(ctx.state.users).some((n) => n.toLowerCase() === name.toLowerCase()))
          return err('EntityAlreadyExists', `User with name ${name} already exists.`);
        const tags = readTags(p.Tags, 'Tags');
        if ('error' in tags) return tags;
        const user: IamUser = { UserName: name, Path: (p.Path as string | undefined) ?? '/', UserId: userIdOf(ctx.accountId, name), CreateDate: ctx.now, Tags: tags.tags };
        ctx.state.users[name] = user;
        ctx.emit('iam/user-created', { userName: name });
        return { output: { User: userOutput(user, ctx.accountId) } };
      },
      resources: userRes,
      trail: {
        response: (o) => {
          const u = o.User as Record<string, unknown>;
          return { user: { path: u.Path, userName: u.UserName, userId: u.UserId, arn: u.Arn, createDate: recordDate(u.CreateDate) } };
        },
      },
    },
    ListUsers: {
      readOnly: true,
      validate: (p) => iamValidation(firstError(checkString(p, 'PathPrefix', { min: 1, max: 512 }), checkInt(p, 'MaxItems', { min: 1, max: 1000 }), checkString(p, 'Marker'))),
      run(ctx, p) {
        const prefix = (p.PathPrefix as string | undefined) ?? '/';
        const all = Object.values(ctx.state.users).filter((u) => u.Path.startsWith(prefix)).sort((a, b) => (a.UserName < b.UserName ? -1 : 1));
        const start = typeof p.Marker === 'string' ? all.findIndex((u) => u.UserName > (p.Marker as string)) : 0;
        const max = (p.MaxItems as number | undefined) ?? 100;
        const from = start < 0 ? all.length : start;
        const page = all.slice(from, from + max);
        const truncated = from + max < all.length;
        return { output: { Users: page.map((u) => userOutput(u, ctx.accountId)), IsTruncated: truncated, ...(truncated ? { Marker: page[page.length - 1]!.UserName } : {}) } };
      },
    },
    DeleteUser: {
      readOnly: false,
      validate: (p) => iamValidation(checkString(p, 'UserName', { required: true, min: 1, max: 64, pattern: USER_NAME })),
      run(ctx, p) {
        const u = ctx.state.users[p.UserName as string];
        if (!u) return noSuchUser(p.UserName as string);
        if (Object.values(ctx.state.accessKeys).some((k) => k.UserName === u.UserName))
          return err('DeleteConflict', 'Cannot delete entity, must delete access keys first.');
        delete ctx.state.users[u.UserName];
        ctx.emit('iam/user-deleted', { userName: u.UserName });
        return { output: {} };
      },
      resources: userRes,
    },
    CreateAccessKey: {
      readOnly: false,
      validate: (p) => iamValidation(checkString(p, 'UserName', { min: 1, max: 128, pattern: USER_NAME })),
      run(ctx, p, call) {
        const name = targetUser(p, call.identity);
        if (name === null) return err('ValidationError', 'Must specify userName when calling with non-User credentials');
        const u = ctx.state.users[name];
        if (!u) return noSuchUser(name);
        if (Object.values(ctx.state.accessKeys).filter((k) => k.UserName === name).length >= MAX_KEYS_PER_USER)
          return err('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
        const rng = ctx.rng('keys');
        const key: IamAccessKey = { AccessKeyId: `AKIA${nextAlnum(rng, 16)}`, UserName: name, Status: 'Active', CreateDate: ctx.now };
        let secret = '';
        for (let i = 0; i < 40; i++) secret += SECRET_CHARS[nextUint32(rng) & 63];
        ctx.state.accessKeys[key.AccessKeyId] = key;
        ctx.emit('iam/access-key-created', { userName: name, accessKeyId: key.AccessKeyId });
        return {
          output: { AccessKey: { ...keyMeta(key), SecretAccessKey: secret } },
          resources: [{ type: 'AWS::IAM::AccessKey', name: key.AccessKeyId }, { type: 'AWS::IAM::User', name }],
        };
      },
      resources: userRes,
      // The secret never reaches the trail.
      trail: {
        response: (o) => {
          const k = o.AccessKey as Record<string, unknown>;
          return { accessKey: { userName: k.UserName, accessKeyId: k.AccessKeyId, status: k.Status, createDate: recordDate(k.CreateDate) } };
        },
      },
    },
    ListAccessKeys: {
      readOnly: true,
      validate: (p) => iamValidation(checkString(p, 'UserName', { min: 1, max: 128, pattern: USER_NAME })),
      run(ctx, p, call) {
        const name = targetUser(p, call.identity);
        if (name === null) return err('ValidationError', 'Must specify userName when calling with non-User credentials');
        if (!ctx.state.users[name]) return noSuchUser(name);
        const keys = Object.values(ctx.state.accessKeys).filter((k) => k.UserName === name).sort((a, b) => a.CreateDate - b.CreateDate || (a.AccessKeyId < b.AccessKeyId ? -1 : 1));
        return { output: { AccessKeyMetadata: keys.map(keyMeta), IsTruncated: false } };
      },
      resources: userRes,
    },
    DeleteAccessKey: {
      readOnly: false,
      validate: (p) => iamValidation(firstError(
        checkString(p, 'AccessKeyId', { required: true, min: 16, max: 128, pattern: KEY_ID }),
        checkString(p, 'UserName', { min: 1, max: 128, pattern: USER_NAME }),
      )),
      run(ctx, p, call) {
        const id = p.AccessKeyId as string;
        const name = targetUser(p, call.identity);
        const k = ctx.state.accessKeys[id];
        if (name !== null && !ctx.state.users[name]) return noSuchUser(name);
        if (!k || (name !== null && k.UserName !== name)) return err('NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
        delete ctx.state.accessKeys[id];
        ctx.emit('iam/access-key-deleted', { userName: k.UserName, accessKeyId: id });
        return { output: {}, resources: [{ type: 'AWS::IAM::AccessKey', name: id }, { type: 'AWS::IAM::User', name: k.UserName }] };
      },
      resources: (p) => (typeof p.AccessKeyId === 'string' ? [{ type: 'AWS::IAM::AccessKey', name: p.AccessKeyId }] : []),
    },
    ...roleOperations,
  },
};

export type { IamAccessKey, IamRole, IamState, IamUser } from './iam.model.ts';
export { roleOutput } from './iam.roles.ts';
