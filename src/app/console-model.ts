/**
 * Builds the console's view model from a run: instances from the EC2 view, the CPU series of the
 * selected instance from the CloudWatch view (`metricSeries`, read directly, never through
 * `engine.call`, so looking at a graph leaves no trail). Pure: testable in Node.
 */
import type { Engine } from '../engine/index.ts';
import { metricSeries, type CloudWatchState } from '../engine/services/cloudwatch/index.ts';
import { listInstances, type Ec2State } from '../engine/services/ec2/index.ts';
import { DEFAULT_VIEW_REQUEST, type ConsoleModel, type CpuSeries, type InstanceTile, type RunViewLike, type Speed } from '../ui/ports.ts';
import { canvasGraphs } from './console-views.ts';

/** The CPU graph's window and period: the last 3 hours at 5 minutes (basic monitoring). */
export const GRAPH_WINDOW_MS = 3 * 3_600_000;
export const GRAPH_PERIOD_S = 300;

export function instanceTiles(engine: Engine): InstanceTile[] {
  const ec2 = engine.read<Ec2State | undefined>('ec2');
  if (!ec2) return [];
  return listInstances(ec2).map((i) => ({
    instanceId: i.instanceId, name: i.name, instanceType: i.instanceType, state: i.state, availabilityZone: i.availabilityZone,
  }));
}

/** The selected instance's CPUUtilization (Average), or null when the build has no CloudWatch. */
export function cpuSeries(engine: Engine, instance: InstanceTile | undefined): CpuSeries | null {
  if (!instance) return null;
  const state = engine.read<CloudWatchState | undefined>('cloudwatch');
  if (!state) return null;
  const end = engine.nowMs();
  const period = GRAPH_PERIOD_S * 1000;
  const start = Math.floor((end - GRAPH_WINDOW_MS) / period) * period;
  const s = metricSeries(state, {
    namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: instance.instanceId }],
    start, end, period: GRAPH_PERIOD_S, stat: 'Average',
  });
  return { instanceId: instance.instanceId, name: instance.name, timestamps: s.timestamps, values: s.values, periodSeconds: GRAPH_PERIOD_S };
}

export function buildConsoleModel(args: {
  scenarioId: string; engine: Engine; view: RunViewLike; speed: Speed; selected: string | null;
}): ConsoleModel {
  const instances = instanceTiles(args.engine);
  const selected = instances.find((i) => i.instanceId === args.selected)
    ?? instances.find((i) => i.state === 'running') ?? instances[0];
  return {
    scenarioId: args.scenarioId,
    accountId: args.engine.accountId,
    region: args.engine.region,
    speed: args.speed,
    view: args.view,
    instances,
    selectedInstanceId: selected?.instanceId ?? null,
    cpu: cpuSeries(args.engine, selected),
    graphs: canvasGraphs(args.engine, selected?.instanceId ?? null, 1, GRAPH_WINDOW_MS, GRAPH_PERIOD_S),
    request: { ...DEFAULT_VIEW_REQUEST, selectedInstanceId: args.selected },
    metricCatalogue: null, explorer: null, alarms: null, dashboards: null, health: null, inbox: null, groups: null,
  };
}
