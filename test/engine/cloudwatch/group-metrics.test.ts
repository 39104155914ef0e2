import { describe, expect, it } from 'vitest';
import { createEngine, type Identity } from '../../../src/engine/index.ts';

const admin: Identity = { type: 'IAMUser', userName: 'admin' };
type Dp = { Timestamp: string; Average: number; SampleCount: number; Minimum: number; Maximum: number };

function groupAccount(detailed: boolean) {
  const e = createEngine({ seed: 12, startTime: '2026-03-01T00:00:00Z' });
  e.callSync('ec2', 'CreateLaunchTemplate', { LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: 'ami-0abc1234', InstanceType: 't3.micro', Monitoring: { Enabled: detailed } } }, { identity: admin });
  const r = e.callSync('autoscaling', 'CreateAutoScalingGroup', { AutoScalingGroupName: 'web-asg', LaunchTemplate: { LaunchTemplateName: 'web' }, MinSize: 2, MaxSize: 4, DesiredCapacity: 2, AvailabilityZones: ['us-east-1a', 'us-east-1b'] }, { identity: admin });
  expect(r.ok).toBe(true);
  e.advanceSync(30 * 60_000);
  return e;
}

const stats = (e: ReturnType<typeof createEngine>, dims: { Name: string; Value: string }[], period: number) => {
  const r = e.callSync<{ Datapoints: Dp[] }>('cloudwatch', 'GetMetricStatistics', {
    Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dims, StartTime: '2026-03-01T00:10:00Z', EndTime: '2026-03-01T00:25:00Z',
    Period: period, Statistics: ['Average', 'SampleCount', 'Minimum', 'Maximum'],
  }, { identity: admin });
  if (!r.ok) throw new Error(r.error.message);
  return [...r.output.Datapoints].sort((a, b) => a.Timestamp.localeCompare(b.Timestamp));
};

describe('AWS/EC2 CPUUtilization by AutoScalingGroupName', () => {
  it('aggregates the members’ own datapoints minute by minute (detailed monitoring)', () => {
    const e = groupAccount(true);
    const ids = e.read<{ order: string[] }>('ec2').order;
    expect(ids).toHaveLength(2);
    const group = stats(e, [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }], 60);
    const a = stats(e, [{ Name: 'InstanceId', Value: ids[0]! }], 60);
    const b = stats(e, [{ Name: 'InstanceId', Value: ids[1]! }], 60);
    expect(group).toHaveLength(15);
    group.forEach((g, i) => {
      expect(g.Timestamp).toBe(a[i]!.Timestamp);
      expect(g.SampleCount).toBe(2);
      expect(g.Average).toBeCloseTo((a[i]!.Average + b[i]!.Average) / 2, 9);
      expect(g.Minimum).toBe(Math.min(a[i]!.Minimum, b[i]!.Minimum));
      expect(g.Maximum).toBe(Math.max(a[i]!.Maximum, b[i]!.Maximum));
    });
  });

  it('publishes one set per 5 minutes under basic monitoring, and ListMetrics shows it', () => {
    const e = groupAccount(false);
    const group = stats(e, [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }], 60);
    expect(group.map((g) => g.Timestamp.slice(11, 16))).toEqual(['00:10', '00:15', '00:20']);
    expect(group.every((g) => g.SampleCount === 10)).toBe(true);
    const l = e.callSync<{ Metrics: unknown[] }>('cloudwatch', 'ListMetrics', { Namespace: 'AWS/EC2', Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web-asg' }] });
    expect(l.ok && l.output.Metrics).toHaveLength(1);
  });
});
