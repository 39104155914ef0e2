/** The `ec2` service: instances with a clock-driven lifecycle. */
import type { ServiceDef } from '../../kernel/types.ts';
import { LIFECYCLE, type Ec2State } from './ec2.model.ts';
import { ec2Operations, ec2TrailShapes, setInstanceState } from './ec2.operations.ts';
import { launchTemplateOperations } from './ec2.launch-templates.ts';
import { onAlarmEc2Action, rebootOperation } from './ec2.alarm-actions.ts';
import { monitoringOperations, onMonitoringSettled } from './ec2.monitoring.ts';
import { onInstanceStateForVolumes, volumeStep } from './ec2.volumes.ts';
import { volumeOperations, withVolumeTags } from './ec2.volumes.operations.ts';

const operations = Object.fromEntries(
  Object.entries({ ...ec2Operations, ...launchTemplateOperations, ...monitoringOperations, RebootInstances: rebootOperation }).map(([name, op]) => [name, ec2TrailShapes[name] ? { ...op, trail: ec2TrailShapes[name] } : op]),
);
// EBS volumes: their operations, and CreateTags on volume ids too
Object.assign(operations, volumeOperations, { CreateTags: withVolumeTags(operations.CreateTags!) });

export const ec2Service: ServiceDef<Ec2State> = {
  name: 'ec2',
  eventSource: 'ec2.amazonaws.com',
  init: () => ({ instances: {}, order: [] }),
  operations,
  timers: {
    /** An automatic lifecycle step (pending → running, ...), ignored if the instance moved on. */
    transition(ctx, payload: { instanceId: string; from: string; version: number }) {
      const inst = ctx.state.instances[payload.instanceId];
      if (!inst || inst.stateVersion !== payload.version || inst.state !== payload.from) return;
      const step = LIFECYCLE[inst.state];
      if (step) setInstanceState(ctx, inst, step.next, inst.state === 'shutting-down' || inst.state === 'stopping' ? inst.StateTransitionReason : '');
    },
    /** MonitorInstances/UnmonitorInstances: the new tier is in force (pending → enabled, disabling → disabled). */
    monitoringSettled: onMonitoringSettled,
    /** An EBS volume's automatic step (creating, attaching, detaching, deleting). */
    volumeStep,
    /** A terminated instance drops out of DescribeInstances about an hour later. */
    forget(ctx, payload: { instanceId: string }) {
      const inst = ctx.state.instances[payload.instanceId];
      if (!inst || inst.state !== 'terminated') return;
      delete ctx.state.instances[payload.instanceId];
      ctx.state.order = ctx.state.order.filter((id) => id !== payload.instanceId);
    },
  },
  on: {
    /** A CloudWatch alarm's stop/terminate/reboot/recover action (spec §1.5). */
    'cloudwatch/alarm-ec2-action': onAlarmEc2Action,
    /** Terminated instances lose their volumes (DeleteOnTermination) or leave them available. */
    'ec2/instance-state-changed': onInstanceStateForVolumes,
  },
};

export * from './ec2.model.ts';
export * from './ec2.views.ts';
export { ALARM_ACTION_ROLE, alarmActionIdentity } from './ec2.alarm-actions.ts';
export { listVolumes, type Volume, type VolumeView } from './ec2.volumes.ts';
export { listLaunchTemplates, type LaunchTemplate, type LaunchTemplateData } from './ec2.launch-templates.ts';
