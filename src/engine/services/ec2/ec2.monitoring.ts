/**
 * MonitorInstances / UnmonitorInstances: switching an instance between basic (5-minute) and
 * detailed (1-minute) CloudWatch monitoring (spec §2.6, Monitoring tiers).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_MonitorInstances.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UnmonitorInstances.html
 *
 * The call answers `pending` (`disabling`) and the instance shows that state until the next full
 * minute of simulated time, when it becomes `enabled` (`disabled`): that minute is the first one
 * CloudWatch publishes at the new tier. CloudWatch learns of the switch from the engine event
 * `ec2/instance-monitoring-changed` `{ instanceId, monitoring }`, emitted at the call.
 */
import { checkBool, checkStringList, err, firstError } from '../../kernel/params.ts';
import type { OperationDef, Params, ServiceContext } from '../../kernel/types.ts';
import { type Ec2State, type Instance, type MonitoringState } from './ec2.model.ts';
import { resolveInstances } from './ec2.operations.ts';

type Ctx = ServiceContext<Ec2State>;

const MINUTE = 60_000;

/** What the switch does to one instance's monitoring state (`same`: nothing to do). */
const TARGET: Record<'enable' | 'disable', Record<MonitoringState, MonitoringState | 'same'>> = {
  enable: { disabled: 'pending', disabling: 'pending', pending: 'same', enabled: 'same' },
  disable: { enabled: 'disabling', pending: 'disabling', disabling: 'same', disabled: 'same' },
};

function switchOperation(mode: 'enable' | 'disable'): OperationDef<Ec2State> {
  return {
    readOnly: false,
    validate: (p) => firstError(
      checkStringList(p, 'InstanceIds', { required: true, minItems: 1, maxItems: 1000, item: { min: 1 } }, 'ec2'),
      checkBool(p, 'DryRun', 'ec2'),
    ),
    run(ctx, p) {
      const r = resolveInstances(ctx, p.InstanceIds as string[]);
      if ('error' in r) return r;
      // decision (AWS does not document it): instances on their way out cannot change tier
      for (const i of r.list) {
        if (i.state === 'shutting-down' || i.state === 'terminated')
          return err('IncorrectInstanceState', `The instance '${i.InstanceId}' is not in a state from which it can be ${mode === 'enable' ? 'monitored' : 'unmonitored'}.`);
      }
      if (p.DryRun === true) return err('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
      const seen = new Set<string>();
      const items = r.list.map((i) => {
        if (!seen.has(i.InstanceId)) { seen.add(i.InstanceId); switchTier(ctx, i, mode); }
        return { InstanceId: i.InstanceId, Monitoring: { State: i.monitoring } };
      });
      return { output: { InstanceMonitorings: items } };
    },
    resources: (p) => (Array.isArray(p.InstanceIds) ? (p.InstanceIds as string[]) : []).map((id) => ({ type: 'AWS::EC2::Instance', name: id })),
    trail: {
      request: (p: Params) => ({ instancesSet: { items: (p.InstanceIds as string[]).map((instanceId) => ({ instanceId })) } }),
      response: (o) => ({
        instancesSet: {
          items: (o.InstanceMonitorings as { InstanceId: string; Monitoring: { State: string } }[])
            .map((m) => ({ instanceId: m.InstanceId, monitoring: { state: m.Monitoring.State } })),
        },
      }),
    },
  };
}

/** Starts the switch of one instance: the transient state now, the new tier from the next minute. */
function switchTier(ctx: Ctx, inst: Instance, mode: 'enable' | 'disable'): void {
  const next = TARGET[mode][inst.monitoring];
  if (next === 'same') return;
  inst.monitoring = next;
  ctx.schedule(Math.floor(ctx.now / MINUTE) * MINUTE + MINUTE, 'monitoringSettled', { instanceId: inst.InstanceId });
  ctx.emit('ec2/instance-monitoring-changed', { instanceId: inst.InstanceId, monitoring: mode === 'enable' ? 'enabled' : 'disabled' });
}

/** Timer: at the next full minute, `pending` becomes `enabled` and `disabling` becomes `disabled`. */
export function onMonitoringSettled(ctx: Ctx, payload: { instanceId: string }): void {
  const inst = ctx.state.instances[payload.instanceId];
  if (!inst) return;
  if (inst.monitoring === 'pending') inst.monitoring = 'enabled';
  else if (inst.monitoring === 'disabling') inst.monitoring = 'disabled';
}

export const monitoringOperations: Record<string, OperationDef<Ec2State>> = {
  MonitorInstances: switchOperation('enable'),
  UnmonitorInstances: switchOperation('disable'),
};
