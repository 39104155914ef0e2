/**
 * AWS/AutoScaling group metrics (spec §2.6): the autoscaling service emits
 * `autoscaling/group-metrics` `{ group, time, values }` each minute for groups with metrics
 * collection enabled; each value becomes one datapoint (dimension AutoScalingGroupName, unit None).
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html
 */
import type { EngineEvent, ServiceContext } from '../../kernel/types.ts';
import type { CloudWatchState } from './cloudwatch.model.ts';
import { addSamples, getMetric } from './cloudwatch.store.ts';

interface GroupMetrics { group: string; time: number; values: Record<string, number> }

export function onGroupMetrics(ctx: ServiceContext<CloudWatchState>, ev: EngineEvent<GroupMetrics>): void {
  const { group, time, values } = ev.payload;
  const dims = [{ Name: 'AutoScalingGroupName', Value: group }];
  for (const name of Object.keys(values)) {
    const v = values[name]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const m = getMetric(ctx.state, 'AWS/AutoScaling', name, dims, true)!;
    addSamples(m, 'None', time, 60, { n: 1, s: v, lo: v, hi: v, raw: null }, ctx.now);
  }
}
