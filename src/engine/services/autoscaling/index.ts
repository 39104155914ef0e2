/**
 * The `autoscaling` service: groups that keep a desired capacity of EC2 instances on the engine
 * clock, replace instances that leave `running`, and scale with simple, step and target-tracking
 * policies driven by CloudWatch alarms (spec §7.2–§7.4, §1.5).
 */
import type { EngineEvent, ServiceDef } from '../../kernel/types.ts';
import { emptyAutoScaling, type AutoScalingState } from './autoscaling.model.ts';
import { onInstanceState, reconcile } from './autoscaling.capacity.ts';
import { groupOperations } from './autoscaling.groups.ts';
import { onAlarmActions, policyOperations } from './autoscaling.policies.ts';
import { metricsOperations, publishGroupMetrics } from './autoscaling.metrics.ts';

/** `cloudwatch/alarm-state-changed` as the cloudwatch service emits it (extra members tolerated). */
interface AlarmStateChanged {
  alarmName: string;
  newState: string;
  actions?: string[];
  reasonData?: string | null;
  /** Optional direct facts (a metric value and threshold) when no reasonData is given. */
  value?: number;
  threshold?: number;
  /** The evaluated datapoints' values, newest first, when the emitter gives them (saves parsing reasonData). */
  values?: number[];
}

interface AlarmActionRepeat { alarmName: string; state?: string; actions: string[]; value?: number; threshold?: number }

/** Threshold and datapoint values from an alarm's StateReasonData JSON. */
function factsOf(ev: AlarmStateChanged): { threshold: number | null; values: number[] } {
  let threshold: number | null = typeof ev.threshold === 'number' ? ev.threshold : null;
  let values: number[] = typeof ev.value === 'number' ? [ev.value] : [];
  if (Array.isArray(ev.values) && typeof ev.threshold === 'number') return { threshold, values: [...ev.values] };
  if (typeof ev.reasonData === 'string') {
    try {
      const d = JSON.parse(ev.reasonData) as { threshold?: unknown; recentDatapoints?: unknown; evaluatedDatapoints?: { value?: unknown }[] };
      if (typeof d.threshold === 'number') threshold = d.threshold;
      const evaluated = Array.isArray(d.evaluatedDatapoints) ? d.evaluatedDatapoints.map((x) => x?.value).filter((x): x is number => typeof x === 'number') : [];
      const recent = Array.isArray(d.recentDatapoints) ? d.recentDatapoints.filter((x): x is number => typeof x === 'number') : [];
      // newest first, as recentDatapoints lists them
      if (evaluated.length) values = [...evaluated].reverse();
      else if (recent.length) values = recent;
    } catch {
      // not JSON: keep what the payload said directly
    }
  }
  return { threshold, values };
}

const isPolicyArn = (a: string) => a.startsWith('arn:aws:autoscaling:') && a.includes(':scalingPolicy:');

export const autoscalingService: ServiceDef<AutoScalingState> = {
  name: 'autoscaling',
  eventSource: 'autoscaling.amazonaws.com',
  init: emptyAutoScaling,
  operations: { ...groupOperations, ...policyOperations, ...metricsOperations },
  timers: {
    reconcile(ctx, payload: { group: string }) {
      reconcile(ctx, payload.group);
    },
    /** Each minute while a group has metrics enabled: `autoscaling/group-metrics` events. */
    groupMetrics: publishGroupMetrics,
  },
  on: {
    'ec2/instance-state-changed'(ctx, event: EngineEvent<{ instanceId: string; previous: string; current: string }>) {
      onInstanceState(ctx, event.payload);
    },
    'ec2/launch-template-changed'(ctx, event: EngineEvent<{ launchTemplateId: string; launchTemplateName: string; defaultVersion: number; latestVersion: number; versions: number[] }>) {
      const e = event.payload;
      ctx.state.templates[e.launchTemplateId] = { name: e.launchTemplateName, defaultVersion: e.defaultVersion, latestVersion: e.latestVersion, versions: [...e.versions] };
    },
    'ec2/launch-template-deleted'(ctx, event: EngineEvent<{ launchTemplateId: string }>) {
      delete ctx.state.templates[event.payload.launchTemplateId];
    },
    'cloudwatch/alarm-state-changed'(ctx, event: EngineEvent<AlarmStateChanged>) {
      const e = event.payload;
      const facts = factsOf(e);
      ctx.state.alarms[e.alarmName] = { state: e.newState, ...facts };
      const actions = (e.actions ?? []).filter(isPolicyArn);
      if (actions.length) onAlarmActions(ctx, e.alarmName, e.newState, actions);
    },
    'cloudwatch/alarm-action-repeat'(ctx, event: EngineEvent<AlarmActionRepeat>) {
      const e = event.payload;
      const known = ctx.state.alarms[e.alarmName];
      if (known && (typeof e.value === 'number' || typeof e.threshold === 'number')) {
        if (typeof e.value === 'number') known.values = [e.value];
        if (typeof e.threshold === 'number') known.threshold = e.threshold;
      }
      const state = e.state ?? known?.state ?? 'ALARM';
      const actions = (e.actions ?? []).filter(isPolicyArn);
      if (actions.length) onAlarmActions(ctx, e.alarmName, state, actions);
    },
  },
};

export * from './autoscaling.model.ts';
export { listGroups, groupActivities, type GroupView } from './autoscaling.views.ts';
export { GROUP_METRICS, groupMetricValues, type GroupMetricsEvent } from './autoscaling.metrics.ts';
export { applyAdjustment, findStep, readSteps, targetTrackingAlarms } from './autoscaling.policies.ts';
