/**
 * The `signin` service: AWS Management Console sign-in, recorded by CloudTrail as AWS does
 * (eventSource `signin.amazonaws.com`, eventType `AwsConsoleSignIn`, in us-east-1,
 * `responseElements.ConsoleLogin` Success or Failure, `additionalEventData` with LoginTo,
 * MobileVersion and MFAUsed). Sign-in learns which IAM users exist from IAM's events.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
 *
 * Call: `engine.call('signin', 'ConsoleLogin', { Success?, MFAUsed?, LoginTo?, MobileVersion? }, { identity })`.
 */
import { checkBool, checkString, err, firstError } from '../../kernel/params.ts';
import type { EngineEvent, ServiceDef } from '../../kernel/types.ts';

export interface SigninState {
  /** IAM user names that exist (from `iam/user-created` / `iam/user-deleted`). */
  users: Record<string, true>;
  /** Successful and failed sign-ins, for views. */
  successes: number;
  failures: number;
}

export const DEFAULT_LOGIN_TO = 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true';

export const signinService: ServiceDef<SigninState> = {
  name: 'signin',
  eventSource: 'signin.amazonaws.com',
  global: true,
  init: () => ({ users: {}, successes: 0, failures: 0 }),
  operations: {
    ConsoleLogin: {
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      validate: (p) => firstError(checkBool(p, 'Success'), checkBool(p, 'MFAUsed'), checkBool(p, 'MobileVersion'), checkString(p, 'LoginTo', { min: 1, max: 1024 })),
      run(ctx, p, call) {
        const id = call.identity;
        const mfa = p.MFAUsed === true;
        const additionalEventData = {
          LoginTo: (p.LoginTo as string | undefined) ?? DEFAULT_LOGIN_TO,
          MobileVersion: p.MobileVersion === true ? 'Yes' : 'No',
          ...(mfa && id.type === 'IAMUser' ? { MFAIdentifier: `arn:aws:iam::${ctx.accountId}:mfa/${id.userName}` } : {}),
          MFAUsed: mfa ? 'Yes' : 'No',
        };
        const failure = { responseElements: { ConsoleLogin: 'Failure' }, additionalEventData };
        if (id.type === 'IAMUser' && !ctx.state.users[id.userName]) {
          ctx.state.failures += 1;
          return { ...err('NoSuchEntity', 'No username found in supplied account'), ...failure };
        }
        if (p.Success === false || id.type === 'AWSService') {
          ctx.state.failures += 1;
          return { ...err('FailedAuthentication', 'Failed authentication'), ...failure };
        }
        ctx.state.successes += 1;
        ctx.emit('signin/console-login-succeeded', { type: id.type, ...(id.type === 'IAMUser' ? { userName: id.userName } : {}) });
        return { output: { ConsoleLogin: 'Success' }, responseElements: { ConsoleLogin: 'Success' }, additionalEventData };
      },
      trail: { request: () => null },
    },
  },
  on: {
    'iam/user-created'(ctx, e: EngineEvent<{ userName: string }>) {
      ctx.state.users[e.payload.userName] = true;
    },
    'iam/user-deleted'(ctx, e: EngineEvent<{ userName: string }>) {
      delete ctx.state.users[e.payload.userName];
    },
  },
};
