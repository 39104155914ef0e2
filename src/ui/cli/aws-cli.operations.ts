/**
 * The operations the simulated engine implements, as the terminal's AWS CLI sees them: for each
 * CLI service name, the API service it maps to and, per operation, the request members the
 * engine's validators read, with their types. Written from `src/engine/services/<svc>/` (the
 * operation tables and their `validate`/`run` readers); a test checks the operation lists against
 * the engine's registry and that every member named here is read by that service's source.
 * Simulator-only operations (`Sim*`) are not CLI operations and are left out.
 *
 * Types: 's' string (also timestamps and blobs, passed as text), 'n' number, 'b' boolean,
 * `[T]` a list of T, `{...}` a structure, `{ '*': T }` a map from any key to T.
 */
export type Shape = 's' | 'n' | 'b' | Shape[] | { [member: string]: Shape };

/** A structure whose members the terminal does not type (passed through as given). */
export const OPEN: Shape = { '?': 's' };

const S = 's' as const, N = 'n' as const, B = 'b' as const;
const list = (item: Shape): Shape[] => [item];
const map = (value: Shape): Shape => ({ '*': value });

const TAG: Shape = { Key: S, Value: S };
const DIMENSION: Shape = { Name: S, Value: S };
const TEMPLATE_REF: Shape = { LaunchTemplateId: S, LaunchTemplateName: S, Version: S };
const TAG_SPEC: Shape = { ResourceType: S, Tags: list(TAG) };
const BLOCK_DEVICE: Shape = {
  DeviceName: S, VirtualName: S, NoDevice: S,
  Ebs: { VolumeSize: N, VolumeType: S, Iops: N, Throughput: N, DeleteOnTermination: B, Encrypted: B, SnapshotId: S },
};
const METRIC: Shape = { Namespace: S, MetricName: S, Dimensions: list(DIMENSION) };
const METRIC_QUERY: Shape = {
  Id: S, Expression: S, Label: S, ReturnData: B, Period: N,
  MetricStat: { Metric: METRIC, Period: N, Stat: S, Unit: S },
};
const SINGLE_METRIC_DETECTOR: Shape = { AccountId: S, Namespace: S, MetricName: S, Dimensions: list(DIMENSION), Stat: S };
const ALARM_ACTIONS: Record<string, Shape> = { ActionsEnabled: B, OKActions: list(S), AlarmActions: list(S), InsufficientDataActions: list(S) };
const INSTANCE_IDS: Record<string, Shape> = { InstanceIds: list(S), DryRun: B };
const GROUP_CAPACITY: Record<string, Shape> = {
  AutoScalingGroupName: S, LaunchTemplate: TEMPLATE_REF, LaunchConfigurationName: S, MixedInstancesPolicy: OPEN,
  MinSize: N, MaxSize: N, DesiredCapacity: N, DefaultCooldown: N, DefaultInstanceWarmup: N, AvailabilityZones: list(S),
  VPCZoneIdentifier: S, HealthCheckType: S, HealthCheckGracePeriod: N, TerminationPolicies: list(S),
};

export interface CliService {
  /** the engine's service name */
  api: string;
  operations: Record<string, Record<string, Shape>>;
}

export const CLI_SERVICES: Record<string, CliService> = {
  ec2: {
    api: 'ec2',
    operations: {
      RunInstances: {
        ImageId: S, MinCount: N, MaxCount: N, InstanceType: S, KeyName: S, DryRun: B, LaunchTemplate: TEMPLATE_REF,
        Placement: { AvailabilityZone: S }, Monitoring: { Enabled: B }, TagSpecifications: list(TAG_SPEC),
        BlockDeviceMappings: list(BLOCK_DEVICE),
      },
      DescribeInstances: { InstanceIds: list(S), Filters: list({ Name: S, Values: list(S) }), MaxResults: N, NextToken: S },
      StartInstances: INSTANCE_IDS,
      StopInstances: { ...INSTANCE_IDS, Force: B },
      TerminateInstances: INSTANCE_IDS,
      RebootInstances: INSTANCE_IDS,
      MonitorInstances: INSTANCE_IDS,
      UnmonitorInstances: INSTANCE_IDS,
      CreateTags: { Resources: list(S), Tags: list(TAG) },
      CreateVolume: {
        AvailabilityZone: S, Size: N, VolumeType: S, Iops: N, Throughput: N, SnapshotId: S, Encrypted: B, TagSpecifications: list(TAG_SPEC), DryRun: B,
      },
      DescribeVolumes: { VolumeIds: list(S), Filters: list({ Name: S, Values: list(S) }), MaxResults: N, NextToken: S, DryRun: B },
      AttachVolume: { VolumeId: S, InstanceId: S, Device: S, DryRun: B },
      DetachVolume: { VolumeId: S, InstanceId: S, Device: S, Force: B, DryRun: B },
      DeleteVolume: { VolumeId: S, DryRun: B },
      CreateLaunchTemplate: { LaunchTemplateName: S, VersionDescription: S, LaunchTemplateData: OPEN, TagSpecifications: list(TAG_SPEC) },
      CreateLaunchTemplateVersion: { LaunchTemplateId: S, LaunchTemplateName: S, SourceVersion: S, VersionDescription: S, LaunchTemplateData: OPEN },
      DescribeLaunchTemplates: { LaunchTemplateIds: list(S), LaunchTemplateNames: list(S) },
      DescribeLaunchTemplateVersions: { LaunchTemplateId: S, LaunchTemplateName: S, Versions: list(S) },
      DeleteLaunchTemplate: { LaunchTemplateId: S, LaunchTemplateName: S },
    },
  },
  s3api: {
    api: 's3',
    operations: {
      CreateBucket: { Bucket: S, CreateBucketConfiguration: { LocationConstraint: S } },
      ListBuckets: {},
      DeleteBucket: { Bucket: S },
      PutObject: { Bucket: S, Key: S, Body: S, ContentType: S, ContentLength: N },
      GetObject: { Bucket: S, Key: S },
      DeleteObject: { Bucket: S, Key: S },
      ListObjectsV2: { Bucket: S, Prefix: S, StartAfter: S, ContinuationToken: S, MaxKeys: N },
    },
  },
  iam: {
    api: 'iam',
    operations: {
      CreateUser: { UserName: S, Path: S, Tags: list(TAG) },
      ListUsers: { PathPrefix: S, Marker: S, MaxItems: N },
      DeleteUser: { UserName: S },
      CreateAccessKey: { UserName: S },
      ListAccessKeys: { UserName: S, Marker: S, MaxItems: N },
      DeleteAccessKey: { UserName: S, AccessKeyId: S },
      CreateRole: { RoleName: S, AssumeRolePolicyDocument: S, Path: S, Description: S, MaxSessionDuration: N, Tags: list(TAG) },
      GetRole: { RoleName: S },
      ListRoles: { PathPrefix: S, Marker: S, MaxItems: N },
      DeleteRole: { RoleName: S },
    },
  },
  sts: {
    api: 'sts',
    operations: {
      AssumeRole: { RoleArn: S, RoleSessionName: S, DurationSeconds: N, ExternalId: S },
      GetCallerIdentity: {},
    },
  },
  cloudtrail: {
    api: 'cloudtrail',
    operations: {
      LookupEvents: {
        LookupAttributes: list({ AttributeKey: S, AttributeValue: S }), StartTime: S, EndTime: S, EventCategory: S, MaxResults: N, NextToken: S,
      },
      CreateTrail: {
        Name: S, S3BucketName: S, IsMultiRegionTrail: B, IncludeGlobalServiceEvents: B, EnableLogFileValidation: B,
        CloudWatchLogsLogGroupArn: S, CloudWatchLogsRoleArn: S,
      },
      StartLogging: { Name: S },
      StopLogging: { Name: S },
      DeleteTrail: { Name: S },
      DescribeTrails: { trailNameList: list(S), includeShadowTrails: B },
      GetTrailStatus: { Name: S },
    },
  },
  ssm: {
    api: 'ssm',
    operations: {
      SendCommand: {
        DocumentName: S, InstanceIds: list(S), Targets: list({ Key: S, Values: list(S) }), Parameters: map(list(S)), Comment: S, TimeoutSeconds: N,
      },
      ListCommands: { CommandId: S, InstanceId: S },
      ListCommandInvocations: { CommandId: S, InstanceId: S, Details: B },
      GetCommandInvocation: { CommandId: S, InstanceId: S },
      DescribeInstanceInformation: {},
      PutParameter: { Name: S, Value: S, Type: S, Overwrite: B },
      GetParameter: { Name: S },
    },
  },
  cloudwatch: {
    api: 'cloudwatch',
    operations: {
      PutMetricData: {
        Namespace: S,
        MetricData: list({
          MetricName: S, Dimensions: list(DIMENSION), Timestamp: S, Value: N, Values: list(N), Counts: list(N), Unit: S,
          StorageResolution: N, StatisticValues: { SampleCount: N, Sum: N, Minimum: N, Maximum: N },
        }),
      },
      GetMetricStatistics: {
        Namespace: S, MetricName: S, Dimensions: list(DIMENSION), StartTime: S, EndTime: S, Period: N, Statistics: list(S),
        ExtendedStatistics: list(S), Unit: S,
      },
      ListMetrics: { Namespace: S, MetricName: S, Dimensions: list(DIMENSION), RecentlyActive: S, NextToken: S },
      GetMetricData: { MetricDataQueries: list(METRIC_QUERY), StartTime: S, EndTime: S, ScanBy: S, MaxDatapoints: N, NextToken: S },
      PutMetricAlarm: {
        AlarmName: S, AlarmDescription: S, ...ALARM_ACTIONS, MetricName: S, Namespace: S, Statistic: S, ExtendedStatistic: S,
        Dimensions: list(DIMENSION), Period: N, Unit: S, EvaluationPeriods: N, DatapointsToAlarm: N, Threshold: N,
        ComparisonOperator: S, TreatMissingData: S, EvaluateLowSampleCountPercentile: S, Metrics: list(METRIC_QUERY), ThresholdMetricId: S,
      },
      PutCompositeAlarm: { AlarmName: S, AlarmDescription: S, AlarmRule: S, ...ALARM_ACTIONS },
      DescribeAlarms: {
        AlarmNames: list(S), AlarmNamePrefix: S, AlarmTypes: list(S), StateValue: S, ActionPrefix: S, MaxRecords: N, NextToken: S,
      },
      DescribeAlarmsForMetric: {
        MetricName: S, Namespace: S, Statistic: S, ExtendedStatistic: S, Dimensions: list(DIMENSION), Period: N, Unit: S,
      },
      DescribeAlarmHistory: {
        AlarmName: S, AlarmTypes: list(S), HistoryItemType: S, StartDate: S, EndDate: S, MaxRecords: N, NextToken: S, ScanBy: S,
      },
      DeleteAlarms: { AlarmNames: list(S) },
      SetAlarmState: { AlarmName: S, StateValue: S, StateReason: S, StateReasonData: S },
      EnableAlarmActions: { AlarmNames: list(S) },
      DisableAlarmActions: { AlarmNames: list(S) },
      PutAnomalyDetector: {
        Namespace: S, MetricName: S, Dimensions: list(DIMENSION), Stat: S, SingleMetricAnomalyDetector: SINGLE_METRIC_DETECTOR,
        Configuration: { ExcludedTimeRanges: list({ StartTime: S, EndTime: S }), MetricTimezone: S }, MetricCharacteristics: { PeriodicSpikes: B },
      },
      DescribeAnomalyDetectors: { Namespace: S, MetricName: S, Dimensions: list(DIMENSION), AnomalyDetectorTypes: list(S), MaxResults: N, NextToken: S },
      DeleteAnomalyDetector: { Namespace: S, MetricName: S, Dimensions: list(DIMENSION), Stat: S, SingleMetricAnomalyDetector: SINGLE_METRIC_DETECTOR },
      PutDashboard: { DashboardName: S, DashboardBody: S },
      GetDashboard: { DashboardName: S },
      ListDashboards: { DashboardNamePrefix: S, NextToken: S },
      DeleteDashboards: { DashboardNames: list(S) },
    },
  },
  autoscaling: {
    api: 'autoscaling',
    operations: {
      CreateAutoScalingGroup: { ...GROUP_CAPACITY, Tags: list({ Key: S, Value: S, PropagateAtLaunch: B, ResourceId: S, ResourceType: S }) },
      UpdateAutoScalingGroup: GROUP_CAPACITY,
      SetDesiredCapacity: { AutoScalingGroupName: S, DesiredCapacity: N, HonorCooldown: B },
      DescribeAutoScalingGroups: { AutoScalingGroupNames: list(S), MaxRecords: N, NextToken: S },
      DescribeAutoScalingInstances: { InstanceIds: list(S), MaxRecords: N, NextToken: S },
      DescribeScalingActivities: { ActivityIds: list(S), AutoScalingGroupName: S, IncludeDeletedGroups: B, MaxRecords: N, NextToken: S },
      TerminateInstanceInAutoScalingGroup: { InstanceId: S, ShouldDecrementDesiredCapacity: B },
      DeleteAutoScalingGroup: { AutoScalingGroupName: S, ForceDelete: B },
      PutScalingPolicy: {
        AutoScalingGroupName: S, PolicyName: S, PolicyType: S, AdjustmentType: S, MinAdjustmentMagnitude: N, ScalingAdjustment: N,
        Cooldown: N, MetricAggregationType: S, EstimatedInstanceWarmup: N, Enabled: B,
        StepAdjustments: list({ MetricIntervalLowerBound: N, MetricIntervalUpperBound: N, ScalingAdjustment: N }),
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: S, ResourceLabel: S },
          CustomizedMetricSpecification: OPEN, TargetValue: N, DisableScaleIn: B,
        },
      },
      DescribePolicies: { AutoScalingGroupName: S, PolicyNames: list(S), PolicyTypes: list(S), MaxRecords: N, NextToken: S },
      DeletePolicy: { AutoScalingGroupName: S, PolicyName: S },
      ExecutePolicy: { AutoScalingGroupName: S, PolicyName: S, HonorCooldown: B, MetricValue: N, BreachThreshold: N },
      EnableMetricsCollection: { AutoScalingGroupName: S, Metrics: list(S), Granularity: S },
      DisableMetricsCollection: { AutoScalingGroupName: S, Metrics: list(S) },
    },
  },
  sns: {
    api: 'sns',
    operations: {
      CreateTopic: { Name: S, Attributes: map(S), Tags: list(TAG) },
      DeleteTopic: { TopicArn: S },
      ListTopics: { NextToken: S },
      GetTopicAttributes: { TopicArn: S },
      SetTopicAttributes: { TopicArn: S, AttributeName: S, AttributeValue: S },
      Subscribe: { TopicArn: S, Protocol: S, Endpoint: S, Attributes: map(S), ReturnSubscriptionArn: B },
      ConfirmSubscription: { TopicArn: S, Token: S },
      ListSubscriptions: { NextToken: S },
      ListSubscriptionsByTopic: { TopicArn: S, NextToken: S },
      Unsubscribe: { SubscriptionArn: S },
      Publish: {
        TopicArn: S, TargetArn: S, PhoneNumber: S, Message: S, Subject: S, MessageStructure: S,
        MessageAttributes: map({ DataType: S, StringValue: S }),
      },
    },
  },
};
