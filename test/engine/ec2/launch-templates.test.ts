import { describe, expect, it } from 'vitest';
import { createEngine, type Identity } from '../../../src/engine/index.ts';
import { listInstances } from '../../../src/engine/services/ec2/index.ts';

const alice: Identity = { type: 'IAMUser', userName: 'alice' };
const fresh = () => createEngine({ seed: 11, startTime: '2026-03-01T00:00:00Z' });

describe('EC2 launch templates', () => {
  it('create, version, describe, launch from, delete', () => {
    const e = fresh();
    const c = e.callSync<{ LaunchTemplate: { LaunchTemplateId: string; LatestVersionNumber: number; CreatedBy: string } }>('ec2', 'CreateLaunchTemplate', {
      LaunchTemplateName: 'web-lt',
      LaunchTemplateData: { ImageId: 'ami-0abc', InstanceType: 't3.small', Monitoring: { Enabled: true }, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'App', Value: 'shop' }] }] },
    }, { identity: alice });
    if (!c.ok) throw new Error(c.error.message);
    const id = c.output.LaunchTemplate.LaunchTemplateId;
    expect(id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(c.output.LaunchTemplate).toMatchObject({ LatestVersionNumber: 1, CreatedBy: 'arn:aws:iam::111122223333:user/alice' });

    const v2 = e.callSync<{ LaunchTemplateVersion: { VersionNumber: number; LaunchTemplateData: Record<string, unknown> } }>('ec2', 'CreateLaunchTemplateVersion',
      { LaunchTemplateId: id, SourceVersion: '1', LaunchTemplateData: { InstanceType: 'm5.large' } }, { identity: alice });
    expect(v2.ok && v2.output.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, LaunchTemplateData: { ImageId: 'ami-0abc', InstanceType: 'm5.large' } });

    // $Default is still version 1; $Latest is 2; request members override the template
    const run1 = e.callSync<{ Instances: { InstanceId: string; InstanceType: string; ImageId: string; Monitoring: { State: string } }[] }>('ec2', 'RunInstances',
      { LaunchTemplate: { LaunchTemplateName: 'web-lt' }, MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'a' }] }] }, { identity: alice });
    expect(run1.ok && run1.output.Instances[0]).toMatchObject({ InstanceType: 't3.small', ImageId: 'ami-0abc', Monitoring: { State: 'enabled' } });
    const id1 = run1.ok ? run1.output.Instances[0]!.InstanceId : '';
    expect(listInstances(e.read('ec2')).find((i) => i.instanceId === id1)!.tags).toEqual({ App: 'shop', Name: 'a' });
    const run2 = e.callSync<{ Instances: { InstanceType: string }[] }>('ec2', 'RunInstances',
      { LaunchTemplate: { LaunchTemplateId: id, Version: '$Latest' }, MinCount: 1, MaxCount: 1 }, { identity: alice });
    expect(run2.ok && run2.output.Instances[0]!.InstanceType).toBe('m5.large');

    const d = e.callSync<{ LaunchTemplates: { LaunchTemplateName: string; DefaultVersionNumber: number; LatestVersionNumber: number }[] }>('ec2', 'DescribeLaunchTemplates', {}, { identity: alice });
    expect(d.ok && d.output.LaunchTemplates).toEqual([expect.objectContaining({ LaunchTemplateName: 'web-lt', DefaultVersionNumber: 1, LatestVersionNumber: 2 })]);

    expect(e.callSync('ec2', 'DeleteLaunchTemplate', { LaunchTemplateName: 'web-lt' }, { identity: alice }).ok).toBe(true);
    const gone = e.callSync('ec2', 'RunInstances', { LaunchTemplate: { LaunchTemplateId: id }, MinCount: 1, MaxCount: 1 }, { identity: alice });
    expect(gone.ok ? null : gone.error).toEqual({ code: 'InvalidLaunchTemplateId.NotFound', message: `The specified launch template, with template ID ${id}, does not exist.` });
  });

  it('rejects duplicates, missing data, unknown versions, and a launch with neither image nor template', () => {
    const e = fresh();
    const mk = () => e.callSync('ec2', 'CreateLaunchTemplate', { LaunchTemplateName: 'lt1', LaunchTemplateData: { ImageId: 'ami-1' } }, { identity: alice });
    expect(mk().ok).toBe(true);
    const dup = mk();
    expect(dup.ok ? null : dup.error.code).toBe('InvalidLaunchTemplateName.AlreadyExistsException');
    const noData = e.callSync('ec2', 'CreateLaunchTemplate', { LaunchTemplateName: 'lt2' }, { identity: alice });
    expect(noData.ok ? null : noData.error.code).toBe('MissingParameter');
    const badVersion = e.callSync('ec2', 'RunInstances', { LaunchTemplate: { LaunchTemplateName: 'lt1', Version: '7' }, MinCount: 1, MaxCount: 1 }, { identity: alice });
    expect(badVersion.ok ? null : badVersion.error.code).toBe('InvalidLaunchTemplateId.VersionNotFound');
    const neither = e.callSync('ec2', 'RunInstances', { MinCount: 1, MaxCount: 1 }, { identity: alice });
    expect(neither.ok ? null : neither.error).toEqual({ code: 'MissingParameter', message: 'The request must contain the parameter ImageId' });
    // reserved tag keys stay reserved for people
    const reserved = e.callSync('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'aws:autoscaling:groupName', Value: 'x' }] }] }, { identity: alice });
    expect(reserved.ok).toBe(false);
    expect(listInstances(e.read('ec2'))).toHaveLength(0);
  });
});
