/**
 * The `cloudwatch` service (eventSource `monitoring.amazonaws.com`): metrics, AWS/EC2 metrics from
 * seeded signals, and alarms evaluated on the clock (spec §1, §2).
 */
import { err } from '../../kernel/params.ts';
import { toMillis } from '../../kernel/time.ts';
import type { EngineEvent, ServiceDef } from '../../kernel/types.ts';
import { MINUTE, type CloudWatchState, type Signal } from './cloudwatch.model.ts';
import { metricOperations } from './cloudwatch.metrics-ops.ts';
import { metricDataOperations } from './cloudwatch.metric-data.ts';
import { defaultSignal, flushPending, instanceKey, publishEc2Minute } from './cloudwatch.signals.ts';
import { rollUp } from './cloudwatch.store.ts';
import { emptyAlarms } from './alarms.model.ts';
import { alarmOperations } from './alarms.operations.ts';
import { evaluateAlarms, pruneHistory } from './alarms.runner.ts';

interface InstanceStateChanged {
  instanceId: string;
  previous: string;
  current: string;
  instanceType: string;
  imageId: string;
  availabilityZone: string;
  monitoring: 'disabled' | 'enabled';
  tags: { Key: string; Value: string }[];
}

const HOUR = 3600_000;

export const cloudwatchService: ServiceDef<CloudWatchState> = {
  name: 'cloudwatch',
  eventSource: 'monitoring.amazonaws.com',
  init: ({ startTime }) => ({
    metrics: {}, metricOrder: [], instances: {}, instanceOrder: [], signals: {},
    nextRollup: startTime + HOUR,
    alarms: emptyAlarms(),
  }),
  start(ctx) {
    ctx.schedule(Math.floor(ctx.now / MINUTE) * MINUTE + MINUTE, 'tick', null);
  },
  operations: {
    ...metricOperations,
    ...metricDataOperations,
    ...alarmOperations,
    /**
     * Simulator-only (not an AWS API, not recorded in CloudTrail): shapes an instance's CPU signal.
     * Params: InstanceId, and any of Baseline, Wave, Noise (percent points), Incidents
     * [{From, To, Level?, Add?}] (times as ISO or epoch ms).
     */
    SimSetSignal: {
      readOnly: false,
      internal: true,
      run(ctx, p) {
        const id = p.InstanceId;
        if (typeof id !== 'string' || id.length === 0) return err('MissingParameter', 'The parameter InstanceId is required.');
        const inst = ctx.state.instances[id];
        const base: Signal = ctx.state.signals[id] ?? defaultSignal(inst?.key ?? instanceKey(ctx.seed, id));
        const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
        const incidents: Signal['incidents'] = [];
        if (p.Incidents !== undefined) {
          if (!Array.isArray(p.Incidents)) return err('InvalidParameterValue', 'Incidents must be a list');
          for (const x of p.Incidents as Record<string, unknown>[]) {
            const from = toMillis(x?.From), to = toMillis(x?.To);
            if (Number.isNaN(from) || Number.isNaN(to) || to <= from) return err('InvalidParameterValue', 'Each incident needs From < To');
            incidents.push({ from, to, ...(typeof x.Level === 'number' ? { level: x.Level } : {}), ...(typeof x.Add === 'number' ? { add: x.Add } : {}) });
          }
        }
        ctx.state.signals[id] = {
          baseline: num(p.Baseline, base.baseline),
          wave: num(p.Wave, base.wave),
          noise: num(p.Noise, base.noise),
          incidents: p.Incidents !== undefined ? incidents : base.incidents,
        };
        return { output: {} };
      },
    },
  },
  timers: {
    /** The one per-minute timer: EC2 datapoints, alarm evaluation, hourly roll-up and pruning. */
    tick(ctx) {
      const now = ctx.now;
      publishEc2Minute(ctx.state, now);
      evaluateAlarms(ctx, now, false);
      if (now >= ctx.state.nextRollup) {
        rollUp(ctx.state, now);
        pruneHistory(ctx);
        ctx.state.nextRollup = now + HOUR;
      }
      ctx.schedule(now + MINUTE, 'tick', null);
    },
    /** Every 10 s while alarms with 10/20/30 s periods exist (§1.3). */
    fast(ctx) {
      const al = ctx.state.alarms;
      const any = al.order.some((n) => { const a = al.byName[n]; return a?.kind === 'metric' && a.Period < 60; });
      if (!any) { al.fastTimer = false; return; }
      evaluateAlarms(ctx, ctx.now, true);
      ctx.schedule(ctx.now + 10_000, 'fast', null);
    },
  },
  on: {
    'ec2/instance-state-changed'(ctx, event: EngineEvent<InstanceStateChanged>) {
      const e = event.payload;
      const s = ctx.state;
      if (e.current === 'terminated') {
        const gone = s.instances[e.instanceId];
        if (gone) flushPending(s, gone, ctx.now);
        delete s.instances[e.instanceId];
        s.instanceOrder = s.instanceOrder.filter((x) => x !== e.instanceId);
        return;
      }
      let inst = s.instances[e.instanceId];
      if (!inst) {
        inst = {
          instanceId: e.instanceId, instanceType: e.instanceType, imageId: e.imageId, monitoring: e.monitoring,
          running: false, key: instanceKey(ctx.seed, e.instanceId), pending: [], pendingNetIn: [], pendingNetOut: [],
        };
        const asg = e.tags.find((t) => t.Key === 'aws:autoscaling:groupName');
        if (asg) inst.autoScalingGroupName = asg.Value;
        s.instances[e.instanceId] = inst;
        s.instanceOrder.push(e.instanceId);
      }
      inst.monitoring = e.monitoring;
      inst.running = e.current === 'running';
    },
  },
};

export * from './cloudwatch.model.ts';
export { metricSeries, listableMetrics, type SeriesQuery, type Series } from './cloudwatch.views.ts';
export { cpuAt, defaultSignal } from './cloudwatch.signals.ts';
export type { Alarm, MetricAlarm, CompositeAlarm, HistoryItem } from './alarms.model.ts';
