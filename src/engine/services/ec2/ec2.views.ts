/** Read-only selectors over EC2 state for the UI, scenario guards and other readers. */
import { STATE_CODES, type Ec2State, type Instance } from './ec2.model.ts';

export interface InstanceView {
  instanceId: string;
  name: string | null;
  instanceType: string;
  state: Instance['state'];
  stateCode: number;
  availabilityZone: string;
  launchTime: number;
  tags: Record<string, string>;
}

/** Instances in launch order (terminated ones while still visible). */
export function listInstances(state: Ec2State): InstanceView[] {
  return state.order.map((id) => state.instances[id]).filter((i): i is Instance => Boolean(i)).map((i) => ({
    instanceId: i.InstanceId,
    name: i.Tags.find((t) => t.Key === 'Name')?.Value ?? null,
    instanceType: i.InstanceType,
    state: i.state,
    stateCode: STATE_CODES[i.state],
    availabilityZone: i.AvailabilityZone,
    launchTime: i.LaunchTime,
    tags: Object.fromEntries(i.Tags.map((t) => [t.Key, t.Value])),
  }));
}

/** Counts of instances per state. */
export function countByState(state: Ec2State): Partial<Record<Instance['state'], number>> {
  const out: Partial<Record<Instance['state'], number>> = {};
  for (const id of state.order) {
    const i = state.instances[id];
    if (i) out[i.state] = (out[i.state] ?? 0) + 1;
  }
  return out;
}
