/**
 * EC2 alarm actions, EC2's half (spec §1.5), and RebootInstances.
 *
 * CloudWatch names the instance in `cloudwatch/alarm-ec2-action` (see
 * `cloudwatch/alarms.ec2-actions.ts`); here the action is performed through the public API
 * (`ctx.call`), so CloudTrail records StopInstances / TerminateInstances / RebootInstances made by
 * the service-linked role `AWSServiceRoleForCloudWatchEvents`, which trusts CloudWatch Events
 * (`events.amazonaws.com`) and carries the `CloudWatchEventsServiceRolePolicy` (ec2:StopInstances,
 * TerminateInstances, RebootInstances, ...).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingAlarmActions.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudWatchEventsServiceRolePolicy.html
 */
import { checkBool, checkStringList, err, firstError } from '../../kernel/params.ts';
import type { EngineEvent, Identity, OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { INSTANCE_ID_RE, type Ec2State } from './ec2.model.ts';

type Ctx = ServiceContext<Ec2State>;

/** The role CloudWatch alarm EC2 actions run as. */
export const ALARM_ACTION_ROLE = 'AWSServiceRoleForCloudWatchEvents';

/**
 * The identity of an alarm's EC2 action: the service-linked role assumed by CloudWatch Events.
 * The session name is the simulator's choice (AWS does not document it): the alarm name reduced
 * to the characters a role session name allows, so Event history shows which alarm acted.
 */
export function alarmActionIdentity(alarmName: string): Identity {
  const session = alarmName.replace(/[^\w+=,.@-]/g, '_').slice(0, 64) || 'alarm';
  return { type: 'AssumedRole', roleName: ALARM_ACTION_ROLE, sessionName: session, invokedBy: 'events.amazonaws.com' };
}

interface AlarmEc2Action {
  alarmName: string;
  actionArn: string;
  action: 'stop' | 'terminate' | 'reboot' | 'recover';
  instanceId: string;
}

const API: Record<Exclude<AlarmEc2Action['action'], 'recover'>, string> = {
  stop: 'StopInstances', terminate: 'TerminateInstances', reboot: 'RebootInstances',
};

/** Performs one alarm EC2 action and reports the outcome (`ec2/alarm-action-completed`). */
export function onAlarmEc2Action(ctx: Ctx, ev: EngineEvent<AlarmEc2Action>): void {
  const e = ev.payload;
  const report = (r: { ok: boolean; noop?: boolean; error?: { code: string; message: string } }) =>
    ctx.emit('ec2/alarm-action-completed', { alarmName: e.alarmName, actionArn: e.actionArn, instanceId: e.instanceId, ...r });
  if (e.action === 'recover') {
    // The simulator has no failing host hardware: recovering a healthy instance changes nothing.
    const inst = ctx.state.instances[e.instanceId];
    if (!inst || inst.state === 'terminated') report({ ok: false, error: { code: 'InvalidInstanceID.NotFound', message: `The instance ID '${e.instanceId}' does not exist` } });
    else report({ ok: true, noop: true });
    return;
  }
  const r = ctx.call('ec2', API[e.action], { InstanceIds: [e.instanceId] }, { identity: alarmActionIdentity(e.alarmName) });
  report(r.ok ? { ok: true } : { ok: false, error: r.error });
}

/**
 * RebootInstances: a running instance stays `running` (no state change, no new billing minimum)
 * and its OS restarts, which the engine announces as `ec2/instance-rebooted`. Other states are
 * ignored, as AWS ignores reboot requests for terminated instances.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RebootInstances.html
 */
export const rebootOperation: OperationDef<Ec2State> = {
  readOnly: false,
  validate: (p) => firstError(
    checkStringList(p, 'InstanceIds', { required: true, minItems: 1, maxItems: 1000, item: { min: 1 } }, 'ec2'),
    checkBool(p, 'DryRun', 'ec2'),
  ),
  run(ctx, p) {
    const ids = p.InstanceIds as string[];
    for (const id of ids) if (!INSTANCE_ID_RE.test(id)) return err('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
    const missing = ids.filter((id) => !ctx.state.instances[id]);
    if (missing.length === 1) return err('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    if (missing.length > 1) return err('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
    if (p.DryRun === true) return err('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
    for (const id of ids) {
      const inst = ctx.state.instances[id]!;
      if (inst.state === 'running') ctx.emit('ec2/instance-rebooted', { instanceId: id });
    }
    return { output: {} };
  },
  resources: (p) => (Array.isArray(p.InstanceIds) ? (p.InstanceIds as string[]) : []).map((id) => ({ type: 'AWS::EC2::Instance', name: id })),
  trail: {
    request: (p: Params) => ({ instancesSet: { items: (p.InstanceIds as string[]).map((instanceId) => ({ instanceId })) } }),
    response: () => ({ _return: true }),
  },
};
