import { describe, expect, it } from 'vitest';
import { groupActivities } from '../../../src/engine/services/autoscaling/index.ts';
import { listInstances } from '../../../src/engine/services/ec2/index.ts';
import { alice, engine, errorOf, group, inService, ok, template, view } from './helpers.ts';

type Activities = { Activities: { Description: string; Cause: string; StatusCode: string; ActivityId: string }[] };

describe('Auto Scaling capacity on the clock', () => {
  it('launches to desired capacity across zones, with AWS-style activities and propagated tags', () => {
    const e = engine();
    template(e);
    group(e);
    expect(view(e).desiredCapacity).toBe(2);
    e.advanceSync(0);
    expect(view(e).counts).toEqual({ pending: 2, inService: 0, terminating: 0 });
    e.advanceSync(60_000);
    const g = view(e);
    expect(g.counts.inService).toBe(2);
    expect(g.instances.map((i) => i.availabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b']);
    const acts = ok(e.callSync<Activities>('autoscaling', 'DescribeScalingActivities', { AutoScalingGroupName: 'web' }, { identity: alice })).Activities;
    expect(acts).toHaveLength(2);
    expect(acts.every((a) => a.StatusCode === 'Successful')).toBe(true);
    expect(acts[0]!.Description).toMatch(/^Launching a new EC2 instance: i-[0-9a-f]{17}$/);
    expect(acts[0]!.Cause).toBe(
      'At 2026-03-01T09:00:00Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 2. '
      + 'At 2026-03-01T09:00:00Z an instance was started in response to a difference between desired and running capacity, increasing the capacity from 0 to 2.');
    const inst = listInstances(e.read('ec2')).find((i) => i.instanceId === g.instances[0]!.instanceId)!;
    // template tags, PropagateAtLaunch tags and the reserved group tag; not the non-propagated one
    expect(inst.tags).toEqual({ App: 'shop', Name: 'web', 'aws:autoscaling:groupName': 'web' });
    expect(inst.instanceType).toBe('t3.micro');
  });

  it('replaces an instance a person terminates, and CloudTrail shows AutoScaling launching the replacement', () => {
    const e = engine();
    template(e);
    group(e);
    e.advanceSync(60_000);
    const [victim, survivor] = inService(e);
    e.advanceToSync('2026-03-01T10:00:00Z');
    ok(e.callSync('ec2', 'TerminateInstances', { InstanceIds: [victim] }, { identity: alice }));
    e.advanceSync(0);
    // the terminated one is on its way out, a replacement is already pending
    expect(view(e).counts).toEqual({ pending: 1, inService: 1, terminating: 1 });
    e.advanceSync(120_000);
    const now = inService(e);
    expect(now).toHaveLength(2);
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);

    const acts = groupActivities(e.read('autoscaling'), 'web');
    expect(acts[0]!.Cause).toBe('At 2026-03-01T10:00:00Z an instance was started in response to a difference between desired and running capacity, increasing the capacity from 1 to 2.');
    expect(acts[1]).toMatchObject({
      Description: `Terminating EC2 instance: ${victim}`,
      Cause: 'At 2026-03-01T10:00:00Z an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.',
      StatusCode: 'Successful',
    });

    const look = ok(e.callSync<{ Events: { EventName: string; Username?: string; CloudTrailEvent: string; EventTime: string }[] }>(
      'cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'RunInstances' }] }, { identity: alice })).Events;
    const replacement = look.find((x) => x.EventTime.startsWith('2026-03-01T10:00'))!;
    expect(replacement.Username).toBe('AutoScaling');
    const rec = JSON.parse(replacement.CloudTrailEvent) as { userIdentity: Record<string, unknown>; sourceIPAddress: string; userAgent: string };
    expect(rec.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling',
      invokedBy: 'autoscaling.amazonaws.com',
    });
    expect(rec.sourceIPAddress).toBe('autoscaling.amazonaws.com');
    expect(rec.userAgent).toBe('autoscaling.amazonaws.com');
    // the person's own terminate is recorded under alice
    const term = ok(e.callSync<{ Events: { Username?: string }[] }>('cloudtrail', 'LookupEvents',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'TerminateInstances' }] }, { identity: alice })).Events;
    expect(term.map((t) => t.Username)).toEqual(['alice']);
  });

  it('replaces a stopped instance too (it is terminated by Auto Scaling)', () => {
    const e = engine();
    template(e);
    group(e, { desired: 1 });
    e.advanceSync(60_000);
    const [id] = inService(e);
    ok(e.callSync('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: alice }));
    e.advanceSync(180_000);
    expect(inService(e)).toHaveLength(1);
    expect(inService(e)).not.toContain(id);
    expect(listInstances(e.read('ec2')).find((i) => i.instanceId === id)!.state).toBe('terminated');
  });

  it('does not replace an instance terminated with ShouldDecrementDesiredCapacity', () => {
    const e = engine();
    template(e);
    group(e, { min: 1, desired: 2 });
    e.advanceSync(60_000);
    const [victim] = inService(e);
    const out = ok(e.callSync<{ Activity: { Cause: string; StatusCode: string } }>('autoscaling', 'TerminateInstanceInAutoScalingGroup',
      { InstanceId: victim, ShouldDecrementDesiredCapacity: true }, { identity: alice }));
    expect(out.Activity.Cause).toBe(`At 2026-03-01T09:01:00Z instance ${victim} was taken out of service in response to a user request, shrinking the capacity from 2 to 1.`);
    e.advanceSync(300_000);
    expect(view(e).desiredCapacity).toBe(1);
    expect(view(e).instances).toHaveLength(1);
    expect(listInstances(e.read('ec2')).filter((i) => i.state !== 'terminated')).toHaveLength(1);
    // a second decrement would go below MinSize
    const err = errorOf(e.callSync('autoscaling', 'TerminateInstanceInAutoScalingGroup', { InstanceId: inService(e)[0], ShouldDecrementDesiredCapacity: true }, { identity: alice }));
    expect(err.code).toBe('ValidationError');
    expect(err.message).toContain("desiredCapacity is 1 and minSize is 1");
  });

  it('without decrement, TerminateInstanceInAutoScalingGroup gets a replacement', () => {
    const e = engine();
    template(e);
    group(e, { desired: 2 });
    e.advanceSync(60_000);
    const [victim] = inService(e);
    ok(e.callSync('autoscaling', 'TerminateInstanceInAutoScalingGroup', { InstanceId: victim, ShouldDecrementDesiredCapacity: false }, { identity: alice }));
    e.advanceSync(120_000);
    expect(inService(e)).toHaveLength(2);
    expect(inService(e)).not.toContain(victim);
  });

  it('scales in with the default termination policy: the zone with most instances first', () => {
    const e = engine();
    template(e);
    group(e, { desired: 3, max: 5 });
    e.advanceSync(60_000);
    const before = view(e).instances;
    const zoneA = before.filter((i) => i.availabilityZone === 'us-east-1a');
    expect(zoneA).toHaveLength(2); // a, b, a
    ok(e.callSync('autoscaling', 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 2 }, { identity: alice }));
    e.advanceSync(120_000);
    const after = view(e).instances;
    expect(after).toHaveLength(2);
    expect(after.map((i) => i.availabilityZone).sort()).toEqual(['us-east-1a', 'us-east-1b']);
    const gone = before.find((i) => !after.some((x) => x.instanceId === i.instanceId))!;
    const acts = groupActivities(e.read('autoscaling'), 'web');
    expect(acts[0]!.Cause).toBe(
      'At 2026-03-01T09:01:00Z a user request explicitly set group desired capacity changing the desired capacity from 3 to 2. '
      + 'At 2026-03-01T09:01:00Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 3 to 2. '
      + `At 2026-03-01T09:01:00Z instance ${gone.instanceId} was selected for termination.`);
  });

  it('ForceDelete terminates the instances and removes the group; without it a group with instances stays', () => {
    const e = engine();
    template(e);
    group(e);
    e.advanceSync(60_000);
    expect(errorOf(e.callSync('autoscaling', 'DeleteAutoScalingGroup', { AutoScalingGroupName: 'web' }, { identity: alice })).code).toBe('ResourceInUse');
    ok(e.callSync('autoscaling', 'DeleteAutoScalingGroup', { AutoScalingGroupName: 'web', ForceDelete: true }, { identity: alice }));
    const d = ok(e.callSync<{ AutoScalingGroups: { Status?: string }[] }>('autoscaling', 'DescribeAutoScalingGroups', { AutoScalingGroupNames: ['web'] }, { identity: alice }));
    expect(d.AutoScalingGroups[0]!.Status).toBe('Delete in progress');
    e.advanceSync(120_000);
    expect(ok(e.callSync<{ AutoScalingGroups: unknown[] }>('autoscaling', 'DescribeAutoScalingGroups', {}, { identity: alice })).AutoScalingGroups).toHaveLength(0);
    expect(listInstances(e.read('ec2')).every((i) => i.state === 'terminated')).toBe(true);
    e.advanceSync(600_000);
    expect(listInstances(e.read('ec2')).filter((i) => i.state !== 'terminated')).toHaveLength(0); // nothing came back
  });
});

describe('Auto Scaling validation', () => {
  const call = (e: ReturnType<typeof engine>, action: string, p: Record<string, unknown>) => e.callSync('autoscaling', action, p, { identity: alice });
  const base = { AutoScalingGroupName: 'g', LaunchTemplate: { LaunchTemplateName: 'web-lt' }, AvailabilityZones: ['us-east-1a'] };

  it.each([
    [{ MinSize: 3, MaxSize: 2 }, 'Max bound, 2, must be greater than or equal to min bound, 3'],
    [{ MinSize: 1, MaxSize: 3, DesiredCapacity: 5 }, 'Desired capacity:5 must be between the specified min size:1 and max size:3'],
    [{ MinSize: 2, MaxSize: 3, DesiredCapacity: 1 }, 'Desired capacity:1 must be between the specified min size:2 and max size:3'],
    [{ MinSize: -1, MaxSize: 3 }, "1 validation error detected: Value '-1' at 'minSize' failed to satisfy constraint: Member must have value greater than or equal to 0"],
  ])('CreateAutoScalingGroup %j → ValidationError', (sizes, message) => {
    const e = engine();
    template(e);
    const err = errorOf(call(e, 'CreateAutoScalingGroup', { ...base, ...sizes }));
    expect(err).toEqual({ code: 'ValidationError', message });
    expect(view(e, 'g')).toBeUndefined();
  });

  it('names the missing member, the missing template and the duplicate group', () => {
    const e = engine();
    template(e);
    expect(errorOf(call(e, 'CreateAutoScalingGroup', { ...base, MaxSize: 1 })).message)
      .toBe("1 validation error detected: Value null at 'minSize' failed to satisfy constraint: Member must not be null");
    expect(errorOf(call(e, 'CreateAutoScalingGroup', { ...base, LaunchTemplate: { LaunchTemplateName: 'nope' }, MinSize: 0, MaxSize: 1 })).message)
      .toBe('You must use a valid fully-formed launch template. The specified launch template, with template name nope, does not exist.');
    expect(errorOf(call(e, 'CreateAutoScalingGroup', { AutoScalingGroupName: 'g', AvailabilityZones: ['us-east-1a'], MinSize: 0, MaxSize: 1 })).message)
      .toBe('Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
    expect(errorOf(call(e, 'CreateAutoScalingGroup', { ...base, AvailabilityZones: undefined, MinSize: 0, MaxSize: 1 })).message)
      .toBe('At least one Availability Zone or VPC Subnet is required.');
    ok(call(e, 'CreateAutoScalingGroup', { ...base, MinSize: 0, MaxSize: 1 }));
    expect(errorOf(call(e, 'CreateAutoScalingGroup', { ...base, MinSize: 0, MaxSize: 1 }))).toEqual({
      code: 'AlreadyExists', message: 'AutoScalingGroup by this name already exists - A group with the name g already exists',
    });
  });

  it('SetDesiredCapacity and UpdateAutoScalingGroup keep min ≤ desired ≤ max', () => {
    const e = engine();
    template(e);
    group(e, { min: 1, max: 4, desired: 2 });
    e.advanceSync(60_000);
    expect(errorOf(call(e, 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 5 })).message)
      .toBe('New SetDesiredCapacity value 5 is above max value 4 for the AutoScalingGroup.');
    expect(errorOf(call(e, 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 0 })).message)
      .toBe('New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.');
    expect(errorOf(call(e, 'SetDesiredCapacity', { AutoScalingGroupName: 'nope', DesiredCapacity: 1 })).message)
      .toBe('AutoScalingGroup name not found - AutoScalingGroup nope not found');
    // a new MinSize above the current desired capacity raises it
    ok(call(e, 'UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', MinSize: 3 }));
    expect(view(e).desiredCapacity).toBe(3);
    expect(errorOf(call(e, 'UpdateAutoScalingGroup', { AutoScalingGroupName: 'web', MaxSize: 2 })).message)
      .toBe('Max bound, 2, must be greater than or equal to min bound, 3');
    e.advanceSync(0);
    expect(groupActivities(e.read('autoscaling'), 'web')[0]!.Cause).toBe(
      'At 2026-03-01T09:01:00Z a user request update of AutoScalingGroup constraints to min: 3, max: 4, desired: 3 changing the desired capacity from 2 to 3. '
      + 'At 2026-03-01T09:01:00Z an instance was started in response to a difference between desired and running capacity, increasing the capacity from 2 to 3.');
  });

  it('SetDesiredCapacity with HonorCooldown is refused while an activity is in progress', () => {
    const e = engine();
    template(e);
    group(e);
    e.advanceSync(0); // launches in progress
    const err = errorOf(call(e, 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 3, HonorCooldown: true }));
    expect(err.code).toBe('ScalingActivityInProgress');
    expect(err.message).toMatch(/^Scaling activity [0-9a-f-]{36} is in progress and blocks this action$/);
    ok(call(e, 'SetDesiredCapacity', { AutoScalingGroupName: 'web', DesiredCapacity: 3 })); // manual scaling ignores cooldown by default
  });

  it('a failed launch is a Failed activity, retried later', () => {
    const e = engine();
    const id = template(e);
    group(e, { desired: 1 });
    ok(e.callSync('ec2', 'DeleteLaunchTemplate', { LaunchTemplateId: id }, { identity: alice }));
    e.advanceSync(0);
    const acts = groupActivities(e.read('autoscaling'), 'web');
    expect(acts[0]).toMatchObject({ StatusCode: 'Failed' });
    expect(acts[0]!.StatusMessage).toContain(`The specified launch template, with template ID ${id}, does not exist.`);
    e.advanceSync(61_000);
    expect(groupActivities(e.read('autoscaling'), 'web').filter((a) => a.StatusCode === 'Failed')).toHaveLength(2);
  });
});
