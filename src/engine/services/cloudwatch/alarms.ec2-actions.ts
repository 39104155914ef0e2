/**
 * EC2 alarm actions, CloudWatch's half (spec §1.5): when an alarm transitions and its new state's
 * actions include `arn:aws:automate:<region>:ec2:stop|terminate|reboot|recover`, CloudWatch names
 * the instance (the alarm metric's `InstanceId` dimension) in the engine event
 * `cloudwatch/alarm-ec2-action`; the ec2 service performs it (`ec2.alarm-actions.ts`) and answers
 * with `ec2/alarm-action-completed`, which becomes the alarm's "Action" history item.
 *
 * The payload of `cloudwatch/alarm-state-changed` carries no dimensions, and services do not read
 * each other's state, hence this extra event from the service that owns the alarm.
 */
import type { EngineEvent, ServiceContext } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { addHistory } from './alarms.runner.ts';

type Ctx = ServiceContext<CloudWatchState>;

export const EC2_ACTION_ARN_RE = /^arn:aws[a-z-]*:automate:[a-z0-9-]+:ec2:(stop|terminate|reboot|recover)$/;

export type Ec2AlarmAction = 'stop' | 'terminate' | 'reboot' | 'recover';

/** `cloudwatch/alarm-ec2-action`: one EC2 action to perform for one alarm transition. */
export interface AlarmEc2ActionEvent {
  alarmName: string;
  alarmArn: string;
  newState: string;
  actionArn: string;
  action: Ec2AlarmAction;
  instanceId: string;
  namespace: string;
  metricName: string;
}

/** `ec2/alarm-action-completed`: what happened when ec2 performed an alarm's action. */
export interface AlarmActionCompletedEvent {
  alarmName: string;
  actionArn: string;
  instanceId: string;
  ok: boolean;
  /** Set when the action changed nothing (recover on a healthy instance). */
  noop?: boolean;
  error?: { code: string; message: string };
}

interface StateChanged { alarmName: string; newState: string; actions?: string[] }

/** On a transition: one `cloudwatch/alarm-ec2-action` per EC2 action of the new state. */
export function dispatchEc2Actions(ctx: Ctx, ev: EngineEvent<StateChanged>): void {
  const list = (ev.payload.actions ?? []).filter((a) => EC2_ACTION_ARN_RE.test(a));
  if (list.length === 0) return;
  const a = ctx.state.alarms.byName[ev.payload.alarmName];
  if (!a || a.kind !== 'metric') return;
  const instanceId = a.Dimensions.find((d) => d.Name === 'InstanceId')?.Value;
  if (!instanceId) return; // PutMetricAlarm refuses EC2 actions without an InstanceId dimension
  for (const actionArn of list) {
    const payload: AlarmEc2ActionEvent = {
      alarmName: a.AlarmName, alarmArn: a.AlarmArn, newState: ev.payload.newState, actionArn,
      action: EC2_ACTION_ARN_RE.exec(actionArn)![1] as Ec2AlarmAction, instanceId,
      namespace: a.Namespace, metricName: a.MetricName,
    };
    ctx.emit('cloudwatch/alarm-ec2-action', payload);
  }
}

/** Writes the "Action" history item of an EC2 action's outcome. */
export function recordEc2ActionOutcome(ctx: Ctx, ev: EngineEvent<AlarmActionCompletedEvent>): void {
  const e = ev.payload;
  const a = ctx.state.alarms.byName[e.alarmName];
  if (!a) return;
  const summary = e.ok ? `Successfully executed action ${e.actionArn}` : `Failed to execute action ${e.actionArn}`;
  addHistory(ctx, a, 'Action', summary, {
    actionState: e.ok ? 'Succeeded' : 'Failed',
    notificationResource: e.actionArn,
    stateUpdateTimestamp: a.StateUpdatedTimestamp,
    instanceId: e.instanceId,
    ...(e.noop ? { note: 'The instance is healthy: nothing to recover.' } : {}),
    ...(e.error ? { error: `${e.error.code}: ${e.error.message}` } : {}),
  });
}
