/** Auto Scaling state: groups, their instances, scaling activities and policies (spec §7.2–§7.4). */

export type LifecycleState = 'Pending' | 'InService' | 'Terminating' | 'Terminated';
export type ActivityStatus = 'PreInService' | 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';
export type AdjustmentType = 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';
export type PolicyType = 'SimpleScaling' | 'StepScaling' | 'TargetTrackingScaling';

export interface GroupLaunchTemplate {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  /** As the caller gave it: `$Default`, `$Latest` or a number as a string. */
  Version: string;
}

export interface AsgInstance {
  InstanceId: string;
  AvailabilityZone: string;
  InstanceType: string;
  LifecycleState: LifecycleState;
  HealthStatus: 'Healthy' | 'Unhealthy';
  /** The template and resolved version the instance was launched from. */
  LaunchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  launchedAt: number;
  inServiceAt: number | null;
  /** The launch or terminate activity in progress for this instance. */
  activityId: string | null;
}

export interface GroupTag {
  Key: string;
  Value: string;
  PropagateAtLaunch: boolean;
}

export interface Group {
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  LaunchTemplate: GroupLaunchTemplate;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  /** Seconds. */
  DefaultCooldown: number;
  DefaultInstanceWarmup?: number;
  AvailabilityZones: string[];
  HealthCheckType: 'EC2' | 'ELB';
  HealthCheckGracePeriod: number;
  CreatedTime: number;
  Tags: GroupTag[];
  TerminationPolicies: string[];
  /** `Delete in progress` while a forced delete terminates the instances. */
  deleting: boolean;
  instances: Record<string, AsgInstance>;
  /** Launch order. */
  order: string[];
  /** The cause clause of the last desired-capacity change, used by the launches/terminations it starts. */
  pendingCause: string | null;
  /** Cooldown (ms) that starts when the activities of the current scaling batch complete. */
  batch: { cooldownMs: number; activityIds: string[] } | null;
  /** Simple scaling waits until this time (epoch ms). */
  cooldownUntil: number;
  /** Consecutive failed launches, for the retry back-off. */
  launchFailures: number;
  reconcileScheduled: boolean;
}

export interface Activity {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: ActivityStatus;
  StatusMessage?: string;
  Progress: number;
  Details: string;
  instanceId?: string;
}

export interface StepAdjustment {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

export interface TargetTrackingConfiguration {
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: {
    MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: string }[]; Statistic: string; Unit?: string;
  };
  TargetValue: number;
  DisableScaleIn: boolean;
}

export interface Policy {
  PolicyARN: string;
  PolicyName: string;
  AutoScalingGroupName: string;
  PolicyType: PolicyType;
  AdjustmentType?: AdjustmentType;
  MinAdjustmentMagnitude?: number;
  ScalingAdjustment?: number;
  Cooldown?: number;
  StepAdjustments?: StepAdjustment[];
  MetricAggregationType?: 'Average' | 'Minimum' | 'Maximum';
  EstimatedInstanceWarmup?: number;
  TargetTrackingConfiguration?: TargetTrackingConfiguration;
  /** Alarms this policy owns (target tracking): high first, then low. */
  Alarms: { AlarmName: string; AlarmARN: string }[];
  Enabled: boolean;
}

/** What the last state change of an alarm said (its threshold and datapoints), for step scaling. */
export interface AlarmFacts {
  state: string;
  threshold: number | null;
  values: number[];
}

export interface AutoScalingState {
  groups: Record<string, Group>;
  /** Instance id → group name. */
  instanceGroup: Record<string, string>;
  /** Oldest first; kept six weeks. */
  activities: Activity[];
  policies: Record<string, Policy>;
  /** Launch templates as EC2 announced them (id → summary). */
  templates: Record<string, { name: string; defaultVersion: number; latestVersion: number; versions: number[] }>;
  alarms: Record<string, AlarmFacts>;
}

export const emptyAutoScaling = (): AutoScalingState => ({
  groups: {}, instanceGroup: {}, activities: [], policies: {}, templates: {}, alarms: {},
});

/** Activities are kept for six weeks (AWS keeps scaling activity history for 6 weeks). */
export const ACTIVITY_RETENTION_MS = 42 * 86_400_000;

/** Valid AdjustmentType and PolicyType values. */
export const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'];
export const POLICY_TYPES: readonly PolicyType[] = ['SimpleScaling', 'StepScaling', 'TargetTrackingScaling'];

/** Predefined target-tracking metrics and the CloudWatch metric their alarms watch. */
export const PREDEFINED_METRICS: Record<string, { namespace: string; metric: string; statistic: string }> = {
  ASGAverageCPUUtilization: { namespace: 'AWS/EC2', metric: 'CPUUtilization', statistic: 'Average' },
  ASGAverageNetworkIn: { namespace: 'AWS/EC2', metric: 'NetworkIn', statistic: 'Average' },
  ASGAverageNetworkOut: { namespace: 'AWS/EC2', metric: 'NetworkOut', statistic: 'Average' },
  ALBRequestCountPerTarget: { namespace: 'AWS/ApplicationELB', metric: 'RequestCountPerTarget', statistic: 'Sum' },
};

export const groupArnOf = (region: string, account: string, uuid: string, name: string) =>
  `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:${uuid}:autoScalingGroupName/${name}`;

export const policyArnOf = (region: string, account: string, uuid: string, group: string, policy: string) =>
  `arn:aws:autoscaling:${region}:${account}:scalingPolicy:${uuid}:autoScalingGroupName/${group}:policyName/${policy}`;
