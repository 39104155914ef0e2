/** EC2 state: instances and their lifecycle, declared as data (spec §7.1). */

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** State codes as the EC2 API reports them. */
export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

/**
 * Automatic transitions driven by the simulated clock: the state an instance moves to on its own
 * and how long that takes (a base plus a seeded jitter, in ms).
 */
export const LIFECYCLE: Partial<Record<InstanceStateName, { next: InstanceStateName; baseMs: number; jitterMs: number }>> = {
  pending: { next: 'running', baseMs: 20_000, jitterMs: 20_000 },
  stopping: { next: 'stopped', baseMs: 30_000, jitterMs: 30_000 },
  'shutting-down': { next: 'terminated', baseMs: 20_000, jitterMs: 20_000 },
};

/** How long a terminated instance stays visible in DescribeInstances (about an hour). */
export const TERMINATED_VISIBLE_MS = 60 * 60_000;

export interface Tag { Key: string; Value: string }

/**
 * Detailed monitoring (the API's `Monitoring.State`): `pending` / `disabling` after
 * MonitorInstances / UnmonitorInstances until the next full minute, when the new tier starts.
 */
export type MonitoringState = 'disabled' | 'disabling' | 'enabled' | 'pending';

/** The tier an instance's metrics follow from the next minute on (`pending` already counts as enabled). */
export const monitoringTier = (m: MonitoringState): 'enabled' | 'disabled' => (m === 'enabled' || m === 'pending' ? 'enabled' : 'disabled');

export interface Instance {
  InstanceId: string;
  ImageId: string;
  InstanceType: string;
  KeyName?: string;
  LaunchTime: number;
  state: InstanceStateName;
  /** Bumped on every state change so a stale lifecycle timer can tell it is stale. */
  stateVersion: number;
  StateTransitionReason: string;
  AvailabilityZone: string;
  PrivateIpAddress: string;
  monitoring: MonitoringState;
  Tags: Tag[];
  ReservationId: string;
  /** Epoch ms of the last transition into `running` (for billing and metrics). */
  runningSince: number | null;
  terminatedAt: number | null;
}

export interface Ec2State {
  instances: Record<string, Instance>;
  /** Launch order, for stable DescribeInstances output. */
  order: string[];
}

/** Instance types the simulator knows, with vCPUs and memory (GiB); prices live in billing. */
export const INSTANCE_TYPES: Record<string, { vcpu: number; memGiB: number; burstable?: boolean }> = {
  't2.micro': { vcpu: 1, memGiB: 1, burstable: true },
  't2.small': { vcpu: 1, memGiB: 2, burstable: true },
  't3.micro': { vcpu: 2, memGiB: 1, burstable: true },
  't3.small': { vcpu: 2, memGiB: 2, burstable: true },
  't3.medium': { vcpu: 2, memGiB: 4, burstable: true },
  't3.large': { vcpu: 2, memGiB: 8, burstable: true },
  'm1.small': { vcpu: 1, memGiB: 1.7 },
  'm5.large': { vcpu: 2, memGiB: 8 },
  'm5.xlarge': { vcpu: 4, memGiB: 16 },
  'm5.2xlarge': { vcpu: 8, memGiB: 32 },
  'c5.large': { vcpu: 2, memGiB: 4 },
  'c5.xlarge': { vcpu: 4, memGiB: 8 },
  'r5.large': { vcpu: 2, memGiB: 16 },
};

export const INSTANCE_ID_RE = /^i-[0-9a-f]{8}([0-9a-f]{9})?$/;
