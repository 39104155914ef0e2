/**
 * SSM operations: Run Command (SendCommand, ListCommands, ListCommandInvocations,
 * GetCommandInvocation), DescribeInstanceInformation, Parameter Store (PutParameter,
 * GetParameter), and simulator-only incidents (SimStartProcess, SimKillProcess).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/
 */
import { checkBool, checkString, checkStringList, err, firstError } from '../../kernel/params.ts';
import { nextUint32, nextUuid } from '../../kernel/rng.ts';
import { toIso } from '../../kernel/time.ts';
import type { OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { DOCUMENTS, type Command, type Invocation, type SsmState } from './ssm.model.ts';

type Ctx = ServiceContext<SsmState>;

const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The command-level status from its invocations (MaxErrors 0: any failure fails the command). */
export function commandStatus(c: Command): string {
  const inv = Object.values(c.invocations);
  if (inv.some((i) => i.status === 'Pending' || i.status === 'InProgress')) return inv.some((i) => i.status !== 'Pending') ? 'InProgress' : 'Pending';
  if (inv.some((i) => i.status === 'TimedOut')) return 'TimedOut';
  if (inv.some((i) => i.status === 'Failed')) return 'Failed';
  return 'Success';
}

function commandOutput(c: Command): Record<string, unknown> {
  const inv = Object.values(c.invocations);
  return {
    CommandId: c.CommandId, DocumentName: c.DocumentName, DocumentVersion: '$DEFAULT', Comment: c.Comment,
    Parameters: c.Parameters, InstanceIds: [...c.instanceOrder], Targets: [],
    RequestedDateTime: toIso(c.requested), Status: commandStatus(c), StatusDetails: commandStatus(c),
    TargetCount: inv.length, CompletedCount: inv.filter((i) => !['Pending', 'InProgress'].includes(i.status)).length,
    ErrorCount: inv.filter((i) => i.status === 'Failed').length, DeliveryTimedOutCount: 0,
    MaxConcurrency: '50', MaxErrors: '0', TimeoutSeconds: c.TimeoutSeconds,
  };
}

function invocationOutput(c: Command, i: Invocation, details: boolean): Record<string, unknown> {
  return {
    CommandId: c.CommandId, InstanceId: i.instanceId, DocumentName: c.DocumentName, Comment: c.Comment,
    RequestedDateTime: toIso(c.requested), Status: i.status, StatusDetails: i.status,
    ...(details ? { CommandPlugins: [{ Name: pluginOf(c.DocumentName), Status: i.status, ResponseCode: i.responseCode, Output: i.stdout + i.stderr }] } : {}),
  };
}

const pluginOf = (doc: string) => (doc === 'AWS-RunShellScript' ? 'aws:runShellScript' : doc === 'AWS-ConfigureAWSPackage' ? 'configurePackage' : 'ControlCloudWatchAgentLinux');

/** Instance ids from `InstanceIds` or `Targets` (`InstanceIds` / `tag:<key>` keys). */
function targetIds(ctx: Ctx, p: Params, tagsOf: (id: string) => Record<string, string>): string[] | { code: string; message: string } {
  if (Array.isArray(p.InstanceIds)) return p.InstanceIds as string[];
  const targets = p.Targets as { Key?: string; Values?: string[] }[] | undefined;
  if (!Array.isArray(targets) || targets.length === 0) return { code: 'InvalidParameters', message: 'Specify either InstanceIds or Targets.' };
  let ids = Object.keys(ctx.state.nodes);
  for (const t of targets) {
    if (t.Key === 'InstanceIds') ids = ids.filter((id) => t.Values?.includes(id));
    else if (t.Key?.startsWith('tag:')) ids = ids.filter((id) => t.Values?.includes(tagsOf(id)[t.Key!.slice(4)] ?? '\u0000'));
    else return { code: 'InvalidTarget', message: `Target key ${String(t.Key)} is not supported.` };
  }
  return ids;
}

export function makeOperations(tagsOf: (ctx: Ctx, id: string) => Record<string, string>): Record<string, OperationDef<SsmState>> {
  return {
    SendCommand: {
      readOnly: false,
      validate: (p) => firstError(
        checkString(p, 'DocumentName', { required: true }),
        checkStringList(p, 'InstanceIds', { minItems: 1, maxItems: 50 }),
        checkString(p, 'Comment', { max: 100 }),
      ),
      run(ctx, p) {
        const doc = p.DocumentName as string;
        if (!(DOCUMENTS as readonly string[]).includes(doc)) return err('InvalidDocument', `Document with name ${doc} does not exist.`);
        const params = (p.Parameters ?? {}) as Record<string, unknown>;
        if (typeof params !== 'object' || Object.values(params).some((v) => !Array.isArray(v) || v.some((x) => typeof x !== 'string')))
          return err('InvalidParameters', 'Parameters must map names to lists of strings.');
        if (doc === 'AWS-RunShellScript' && !Array.isArray(params.commands))
          return err('InvalidParameters', 'Parameters do not match the document: commands is required.');
        const ids = targetIds(ctx, p, (id) => tagsOf(ctx, id));
        if (!Array.isArray(ids)) return { error: ids };
        const offline = ids.filter((id) => !ctx.state.nodes[id]?.online);
        if (offline.length || ids.length === 0)
          return err('InvalidInstanceId', `Instances [[${offline.join(', ')}]] not in a valid state for account ${ctx.accountId}`);
        const c: Command = {
          CommandId: nextUuid(ctx.rng()), DocumentName: doc, Comment: (p.Comment as string | undefined) ?? '',
          Parameters: params as Record<string, string[]>, requested: ctx.now, invocations: {}, instanceOrder: [...ids],
          TimeoutSeconds: typeof p.TimeoutSeconds === 'number' ? p.TimeoutSeconds : 3600,
        };
        for (const id of ids) {
          c.invocations[id] = { instanceId: id, status: 'Pending', responseCode: -1, stdout: '', stderr: '', started: null, ended: null };
          const delay = 1000 + (nextUint32(ctx.rng('delivery')) % 2000);
          ctx.schedule(ctx.now + delay, 'deliver', { commandId: c.CommandId, instanceId: id });
        }
        ctx.state.commands[c.CommandId] = c;
        ctx.state.commandOrder.push(c.CommandId);
        return { output: { Command: commandOutput(c) }, resources: ids.map((id) => ({ type: 'AWS::EC2::Instance', name: id })) };
      },
      trail: {
        request: (p) => ({ documentName: p.DocumentName, instanceIds: p.InstanceIds, targets: p.Targets, parameters: HIDDEN, interactive: false }),
        response: (o) => ({ command: { ...(o.Command as Record<string, unknown>), parameters: HIDDEN } }),
      },
    },
    ListCommands: {
      readOnly: true,
      validate: (p) => firstError(checkString(p, 'CommandId'), checkString(p, 'InstanceId')),
      run(ctx, p) {
        const list = [...ctx.state.commandOrder].reverse().map((id) => ctx.state.commands[id]!)
          .filter((c) => (p.CommandId === undefined || c.CommandId === p.CommandId) && (p.InstanceId === undefined || c.invocations[p.InstanceId as string]));
        if (p.CommandId !== undefined && list.length === 0) return err('InvalidCommandId', 'The specified command ID is not valid.');
        return { output: { Commands: list.map(commandOutput) } };
      },
    },
    ListCommandInvocations: {
      readOnly: true,
      validate: (p) => firstError(checkString(p, 'CommandId'), checkString(p, 'InstanceId'), checkBool(p, 'Details')),
      run(ctx, p) {
        const out: Record<string, unknown>[] = [];
        for (const id of [...ctx.state.commandOrder].reverse()) {
          const c = ctx.state.commands[id]!;
          if (p.CommandId !== undefined && c.CommandId !== p.CommandId) continue;
          for (const i of c.instanceOrder.map((x) => c.invocations[x]!)) {
            if (p.InstanceId === undefined || i.instanceId === p.InstanceId) out.push(invocationOutput(c, i, p.Details === true));
          }
        }
        return { output: { CommandInvocations: out } };
      },
    },
    GetCommandInvocation: {
      readOnly: true,
      validate: (p) => firstError(checkString(p, 'CommandId', { required: true }), checkString(p, 'InstanceId', { required: true })),
      run(ctx, p) {
        const c = ctx.state.commands[p.CommandId as string];
        const i = c?.invocations[p.InstanceId as string];
        if (!c || !i) return err('InvocationDoesNotExist', 'An error occurred (InvocationDoesNotExist) when calling the GetCommandInvocation operation');
        return {
          output: {
            CommandId: c.CommandId, InstanceId: i.instanceId, Comment: c.Comment, DocumentName: c.DocumentName, DocumentVersion: '$DEFAULT',
            PluginName: pluginOf(c.DocumentName), ResponseCode: i.responseCode,
            ExecutionStartDateTime: i.started === null ? '' : toIso(i.started), ExecutionElapsedTime: i.started !== null && i.ended !== null ? `PT${((i.ended - i.started) / 1000).toFixed(3)}S` : '',
            ExecutionEndDateTime: i.ended === null ? '' : toIso(i.ended), Status: i.status, StatusDetails: i.status,
            StandardOutputContent: i.stdout, StandardErrorContent: i.stderr,
          },
        };
      },
    },
    DescribeInstanceInformation: {
      readOnly: true,
      run(ctx) {
        return {
          output: {
            InstanceInformationList: Object.values(ctx.state.nodes).map((n) => ({
              InstanceId: n.instanceId, PingStatus: n.online ? 'Online' : 'ConnectionLost', AgentVersion: '3.3.1611.0',
              IsLatestVersion: true, PlatformType: 'Linux', PlatformName: 'Amazon Linux', PlatformVersion: '2023', ResourceType: 'EC2Instance',
            })),
          },
        };
      },
    },
    PutParameter: {
      readOnly: false,
      validate: (p) => firstError(
        checkString(p, 'Name', { required: true, min: 1, max: 2048, pattern: /^[a-zA-Z0-9_.\-/]+$/ }),
        checkString(p, 'Value', { required: true, max: 4096 }),
        checkString(p, 'Type', { oneOf: ['String', 'StringList', 'SecureString'] }),
        checkBool(p, 'Overwrite'),
      ),
      run(ctx, p) {
        const name = p.Name as string;
        const existing = ctx.state.parameters[name];
        if (existing && p.Overwrite !== true) return err('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
        const version = (existing?.Version ?? 0) + 1;
        ctx.state.parameters[name] = { Name: name, Type: (p.Type as 'String' | undefined) ?? existing?.Type ?? 'String', Value: p.Value as string, Version: version, LastModifiedDate: ctx.now };
        return { output: { Version: version, Tier: 'Standard' } };
      },
      trail: { request: (p) => ({ name: p.Name, type: p.Type ?? 'String', overwrite: p.Overwrite ?? false, value: HIDDEN }) },
    },
    GetParameter: {
      readOnly: true,
      validate: (p) => checkString(p, 'Name', { required: true }),
      run(ctx, p) {
        const param = ctx.state.parameters[p.Name as string];
        if (!param) return err('ParameterNotFound', `Parameter ${String(p.Name)} not found.`);
        return { output: { Parameter: { Name: param.Name, Type: param.Type, Value: param.Value, Version: param.Version, LastModifiedDate: toIso(param.LastModifiedDate), ARN: `arn:aws:ssm:${ctx.region}:${ctx.accountId}:parameter/${param.Name.replace(/^\//, '')}`, DataType: 'text' } } };
      },
    },
    SimStartProcess: {
      readOnly: false,
      internal: true,
      validate: (p) => firstError(checkString(p, 'InstanceId', { required: true }), checkString(p, 'Name', { required: true, pattern: /^[\w.@-]+$/ })),
      run(ctx, p) {
        const node = ctx.state.nodes[p.InstanceId as string];
        if (!node) return err('InvalidInstanceId', `Instance ${String(p.InstanceId)} is not a running managed node.`);
        const pids = typeof p.Pids === 'number' && p.Pids >= 1 ? Math.floor(p.Pids) : 1;
        node.processes[p.Name as string] = { running: true, pids, enabled: p.Enabled !== false };
        ctx.emit('ssm/process-state-changed', { instanceId: node.instanceId, name: p.Name, running: true });
        return { output: {} };
      },
    },
    SimKillProcess: {
      readOnly: false,
      internal: true,
      validate: (p) => firstError(checkString(p, 'InstanceId', { required: true }), checkString(p, 'Name', { required: true })),
      run(ctx, p) {
        const proc = ctx.state.nodes[p.InstanceId as string]?.processes[p.Name as string];
        if (!proc) return err('InvalidParameters', `No process ${String(p.Name)} on ${String(p.InstanceId)}.`);
        proc.running = false;
        ctx.emit('ssm/process-state-changed', { instanceId: p.InstanceId, name: p.Name, running: false });
        return { output: {} };
      },
    },
  };
}
