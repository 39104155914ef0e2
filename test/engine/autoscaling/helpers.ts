/** Shared setup for the Auto Scaling tests: an engine, a launch template and a group. */
import { expect } from 'vitest';
import { createEngine, SERVICES, type Engine, type Identity, type ServiceDef } from '../../../src/engine/index.ts';
import { listGroups, type GroupView } from '../../../src/engine/services/autoscaling/index.ts';

export const alice: Identity = { type: 'IAMUser', userName: 'alice' };

/**
 * A test-only service that lets a test emit engine events (as the cloudwatch service would)
 * through an internal call. Not an AWS API.
 */
export const emitterService: ServiceDef<Record<string, never>> = {
  name: 'testemitter',
  eventSource: 'test.invalid',
  init: () => ({}),
  operations: {
    SimEmit: {
      readOnly: false,
      internal: true,
      run(ctx, p) {
        ctx.emit(p.Type as string, p.Payload);
        return { output: {} };
      },
    },
  },
};

export function engine(withEmitter = false): Engine {
  return createEngine({ seed: 7, startTime: '2026-03-01T09:00:00Z' }, withEmitter ? [...SERVICES, emitterService] : SERVICES);
}

export function ok<O = Record<string, unknown>>(r: { ok: true; output: O } | { ok: false; error: { code: string; message: string } }): O {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.output;
}

export function errorOf(r: { ok: boolean; error?: { code: string; message: string } }): { code: string; message: string } {
  expect(r.ok).toBe(false);
  return r.error!;
}

export function template(e: Engine, name = 'web-lt'): string {
  const out = ok(e.callSync<{ LaunchTemplate: { LaunchTemplateId: string } }>('ec2', 'CreateLaunchTemplate', {
    LaunchTemplateName: name,
    LaunchTemplateData: { ImageId: 'ami-0abc1234', InstanceType: 't3.micro', Monitoring: { Enabled: true },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'App', Value: 'shop' }] }] },
  }, { identity: alice }));
  return out.LaunchTemplate.LaunchTemplateId;
}

export function group(e: Engine, opts: { name?: string; min?: number; max?: number; desired?: number; extra?: Record<string, unknown> } = {}): string {
  const name = opts.name ?? 'web';
  ok(e.callSync('autoscaling', 'CreateAutoScalingGroup', {
    AutoScalingGroupName: name,
    LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '$Latest' },
    MinSize: opts.min ?? 1, MaxSize: opts.max ?? 4, DesiredCapacity: opts.desired ?? 2,
    AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    Tags: [{ Key: 'Name', Value: 'web', PropagateAtLaunch: true }, { Key: 'Team', Value: 'ops', PropagateAtLaunch: false }],
    ...opts.extra,
  }, { identity: alice }));
  return name;
}

export const view = (e: Engine, name = 'web'): GroupView => listGroups(e.read('autoscaling')).find((g) => g.name === name)!;

export const inService = (e: Engine, name = 'web') => view(e, name).instances.filter((i) => i.lifecycleState === 'InService').map((i) => i.instanceId);
