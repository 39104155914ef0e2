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
import {
  defaultSignal, ec2Settled, flagsOf, touchSeries, flushPending, instanceKey, publishEc2Minute, seriesOf, setSegment, setSignalFrom, upgradeState,
} from './cloudwatch.signals.ts';
import { rollUp } from './cloudwatch.store.ts';
import { publishGroupMinute } from './cloudwatch.group-metrics.ts';
import { emptyAlarms } from './alarms.model.ts';
import { alarmOperations } from './alarms.operations.ts';
import { evaluateAlarms, pruneHistory } from './alarms.runner.ts';
import { evaluateMathAlarms, mathPeriod } from './alarms.math.ts';
import { dashboardOperations } from './cloudwatch.dashboards.ts';
import { anomalyOperations } from './cloudwatch.anomaly-ops.ts';
import { dispatchEc2Actions, recordEc2ActionOutcome } from './alarms.ec2-actions.ts';
import { onBucketCreated, onBucketDeleted, onObjectCreated, onObjectDeleted, publishS3Daily } from './cloudwatch.s3-metrics.ts';
import { onGroupMetrics } from './cloudwatch.asg-metrics.ts';
import { onVolumeAttachmentChanged, onVolumeCreated, onVolumeDeleted } from './cloudwatch.ebs-events.ts';
import { joinAggregates } from './cloudwatch.ec2-aggregates.ts';

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

/** Runtime only: no group member ran at the last tick and no instance event arrived since. */
const groupsIdle = new WeakMap<CloudWatchState, boolean>();

/**
 * Wraps the handlers of EC2's events (the only ones that change what CloudWatch knows of instances)
 * so that such an event makes the next tick look at every instance again.
 */
function unsettling<T extends Record<string, NonNullable<ServiceDef<CloudWatchState>['on']>[string]>>(handlers: T): T {
  const out: Record<string, NonNullable<ServiceDef<CloudWatchState>['on']>[string]> = {};
  for (const [name, h] of Object.entries(handlers)) {
    out[name] = !name.startsWith('ec2/') ? h : (ctx, event) => { ec2Settled.delete(ctx.state); groupsIdle.delete(ctx.state); return h(ctx, event); };
  }
  return out as T;
}

export const cloudwatchService: ServiceDef<CloudWatchState> = {
  name: 'cloudwatch',
  eventSource: 'monitoring.amazonaws.com',
  init: ({ startTime }) => ({
    metrics: {}, metricOrder: [], instances: {}, instanceOrder: [], signals: {}, series: {},
    lastTick: Math.floor(startTime / MINUTE) * MINUTE,
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
    ...dashboardOperations,
    ...anomalyOperations,
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
        upgradeState(ctx.state, ctx.now, ctx.seed);
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
        const signal: Signal = {
          baseline: num(p.Baseline, base.baseline),
          wave: num(p.Wave, base.wave),
          noise: num(p.Noise, base.noise),
          incidents: p.Incidents !== undefined ? incidents : base.incidents,
        };
        ctx.state.signals[id] = signal;
        // the series keeps it with the tick it applies from (earlier minutes keep their values)
        setSignalFrom(seriesOf(ctx.state, id, ctx.seed), ctx.state.lastTick + MINUTE, { ...signal, incidents: signal.incidents.map((x) => ({ ...x })) });
        return { output: {} };
      },
    },
  },
  timers: {
    /** 00:00 UTC while buckets exist: AWS/S3 daily storage metrics. */
    s3Daily: publishS3Daily,
    /** The one per-minute timer: EC2 datapoints, alarm evaluation, hourly roll-up and pruning. */
    tick(ctx) {
      const now = ctx.now;
      upgradeState(ctx.state, now, ctx.seed);
      if (ec2Settled.get(ctx.state) === true) ctx.state.lastTick = now;
      else ec2Settled.set(ctx.state, publishEc2Minute(ctx.state, now));
      if (groupsIdle.get(ctx.state) !== true) groupsIdle.set(ctx.state, !publishGroupMinute(ctx.state, now));
      evaluateMathAlarms(ctx, now, false); // before evaluateAlarms, which ends with the composites
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
      const any = al.order.some((n) => { const a = al.byName[n]; return a?.kind === 'metric' ? a.Period < 60 : a?.kind === 'math' && mathPeriod(a) < 60; });
      if (!any) { al.fastTimer = false; return; }
      evaluateMathAlarms(ctx, ctx.now, true);
      evaluateAlarms(ctx, ctx.now, true);
      ctx.schedule(ctx.now + 10_000, 'fast', null);
    },
  },
  on: unsettling({
    'cloudwatch/alarm-state-changed': dispatchEc2Actions,
    'ec2/alarm-action-completed': recordEc2ActionOutcome,
    's3/bucket-created': onBucketCreated,
    's3/bucket-deleted': onBucketDeleted,
    's3/object-created': onObjectCreated,
    's3/object-deleted': onObjectDeleted,
    'autoscaling/group-metrics': onGroupMetrics,
    'ec2/volume-created': onVolumeCreated,
    'ec2/volume-attachment-changed': onVolumeAttachmentChanged,
    'ec2/volume-deleted': onVolumeDeleted,
    'ec2/instance-state-changed'(ctx, event: EngineEvent<InstanceStateChanged>) {
      const e = event.payload;
      const s = ctx.state;
      upgradeState(s, ctx.now, ctx.seed);
      // the next tick is the first to see the change
      const series = seriesOf(s, e.instanceId, ctx.seed);
      if (e.current === 'terminated') {
        const gone = s.instances[e.instanceId];
        if (gone) flushPending(s, gone, ctx.now);
        setSegment(series, s.lastTick + MINUTE, 0);
        series.gone = ctx.now;
        touchSeries();
        delete s.instances[e.instanceId];
        s.instanceOrder = s.instanceOrder.filter((x) => x !== e.instanceId);
        return;
      }
      let inst = s.instances[e.instanceId];
      if (!inst) {
        inst = {
          instanceId: e.instanceId, instanceType: e.instanceType, imageId: e.imageId, monitoring: e.monitoring,
          running: false, key: instanceKey(ctx.seed, e.instanceId), pend: false,
        };
        const asg = e.tags.find((t) => t.Key === 'aws:autoscaling:groupName');
        if (asg) inst.autoScalingGroupName = asg.Value;
        s.instances[e.instanceId] = inst;
        s.instanceOrder.push(e.instanceId);
      }
      inst.monitoring = e.monitoring;
      inst.running = e.current === 'running';
      setSegment(series, s.lastTick + MINUTE, flagsOf(inst));
      if (inst.monitoring === 'enabled') joinAggregates(s, inst, series);
    },
    /** MonitorInstances / UnmonitorInstances: the tier changes from the next tick on (as a launch does). */
    'ec2/instance-monitoring-changed'(ctx, event: EngineEvent<{ instanceId: string; monitoring: 'disabled' | 'enabled' }>) {
      const e = event.payload;
      const s = ctx.state;
      upgradeState(s, ctx.now, ctx.seed);
      const inst = s.instances[e.instanceId];
      if (!inst) return; // not launched as far as CloudWatch knows, or already terminated
      const series = seriesOf(s, e.instanceId, ctx.seed);
      inst.monitoring = e.monitoring;
      setSegment(series, s.lastTick + MINUTE, flagsOf(inst));
      if (inst.monitoring === 'enabled') joinAggregates(s, inst, series);
    },
  }),
};

export * from './cloudwatch.model.ts';
export { metricSeries, listableMetrics, type SeriesQuery, type Series } from './cloudwatch.views.ts';
export { cpuAt, defaultSignal } from './cloudwatch.signals.ts';
export { dashboardModel, listDashboardNames, validateDashboardBody, type DashboardView, type WidgetView, type SeriesView, type AlarmRef } from './cloudwatch.dashboards.ts';
export { bucketTotals } from './cloudwatch.s3-metrics.ts';
export { mathPeriod } from './alarms.math.ts';
export { bandAlarmInfo } from './alarms.anomaly.ts';
export { findDetector, detectorState, type AnomalyDetector } from './cloudwatch.anomaly.ts';
export type { Alarm, MetricAlarm, MathAlarm, AlarmMetricQuery, CompositeAlarm, HistoryItem } from './alarms.model.ts';
