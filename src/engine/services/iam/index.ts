/**
 * The `iam` service: users (CreateUser, ListUsers), enough to give the trail real identities.
 * A global service: its CloudTrail events are recorded in us-east-1.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/
 */
import { userIdOf } from '../../kernel/identity.ts';
import { checkInt, checkString, err, firstError, readTags } from '../../kernel/params.ts';
import { toIso } from '../../kernel/time.ts';
import type { ServiceDef } from '../../kernel/types.ts';

export interface IamUser { UserName: string; Path: string; UserId: string; CreateDate: number; Tags: { Key: string; Value: string }[] }
export interface IamState { users: Record<string, IamUser> }

const USER_NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;

function userOutput(u: IamUser, accountId: string): Record<string, unknown> {
  return {
    Path: u.Path, UserName: u.UserName, UserId: u.UserId,
    Arn: `arn:aws:iam::${accountId}:user${u.Path}${u.UserName}`,
    CreateDate: toIso(u.CreateDate),
    ...(u.Tags.length ? { Tags: u.Tags.map((t) => ({ ...t })) } : {}),
  };
}

export const iamService: ServiceDef<IamState> = {
  name: 'iam',
  eventSource: 'iam.amazonaws.com',
  global: true,
  init: () => ({ users: {} }),
  operations: {
    CreateUser: {
      readOnly: false,
      validate: (p) => firstError(
        checkString(p, 'UserName', { required: true, min: 1, max: 64, pattern: USER_NAME }),
        checkString(p, 'Path', { min: 1, max: 512, pattern: PATH }),
      ),
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
      resources: (p) => [{ type: 'AWS::IAM::User', name: String(p.UserName) }],
    },
    ListUsers: {
      readOnly: true,
      validate: (p) => firstError(checkString(p, 'PathPrefix', { min: 1, max: 512 }), checkInt(p, 'MaxItems', { min: 1, max: 1000 }), checkString(p, 'Marker')),
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
  },
};
