/** Read-only selectors over Auto Scaling state for the console (group view with activities). */
import type { AsgInstance, AutoScalingState, Policy } from './autoscaling.model.ts';
import { describeActivity } from './autoscaling.groups.ts';

export interface GroupView {
  name: string;
  arn: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  availabilityZones: string[];
  launchTemplate: { id: string; name: string; version: string };
  status: 'active' | 'deleting';
  instances: { instanceId: string; availabilityZone: string; lifecycleState: AsgInstance['LifecycleState']; healthStatus: AsgInstance['HealthStatus']; launchTemplateVersion: string }[];
  counts: { pending: number; inService: number; terminating: number };
  policies: { name: string; arn: string; type: Policy['PolicyType']; alarms: string[] }[];
  /** Epoch ms until which simple scaling waits (0 when none). */
  cooldownUntil: number;
}

export function listGroups(state: AutoScalingState): GroupView[] {
  return Object.values(state.groups).map((g) => {
    const instances = g.order.map((id) => g.instances[id]!).filter(Boolean);
    return {
      name: g.AutoScalingGroupName,
      arn: g.AutoScalingGroupARN,
      minSize: g.MinSize,
      maxSize: g.MaxSize,
      desiredCapacity: g.DesiredCapacity,
      availabilityZones: [...g.AvailabilityZones],
      launchTemplate: { id: g.LaunchTemplate.LaunchTemplateId, name: g.LaunchTemplate.LaunchTemplateName, version: g.LaunchTemplate.Version },
      status: g.deleting ? 'deleting' : 'active',
      instances: instances.map((i) => ({
        instanceId: i.InstanceId, availabilityZone: i.AvailabilityZone, lifecycleState: i.LifecycleState,
        healthStatus: i.HealthStatus, launchTemplateVersion: i.LaunchTemplate.Version,
      })),
      counts: {
        pending: instances.filter((i) => i.LifecycleState === 'Pending').length,
        inService: instances.filter((i) => i.LifecycleState === 'InService').length,
        terminating: instances.filter((i) => i.LifecycleState === 'Terminating').length,
      },
      policies: Object.values(state.policies).filter((p) => p.AutoScalingGroupName === g.AutoScalingGroupName)
        .map((p) => ({ name: p.PolicyName, arn: p.PolicyARN, type: p.PolicyType, alarms: p.Alarms.map((a) => a.AlarmName) })),
      cooldownUntil: g.cooldownUntil,
    };
  });
}

/** A group's scaling activities, newest first, in DescribeScalingActivities' shape. */
export function groupActivities(state: AutoScalingState, name: string): ReturnType<typeof describeActivity>[] {
  return state.activities.filter((a) => a.AutoScalingGroupName === name).reverse().map(describeActivity);
}
