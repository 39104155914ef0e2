/**
 * Alarm operations: PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DescribeAlarmsForMetric,
 * DescribeAlarmHistory, DeleteAlarms, SetAlarmState, EnableAlarmActions, DisableAlarmActions.
 */
import { err, validationError } from '../../kernel/params.ts';
import { toIso } from '../../kernel/time.ts';
import type { ApiError, OperationDef, Params, ResourceRef } from '../../kernel/types.ts';
import { metricKey, type CloudWatchState } from './cloudwatch.model.ts';
import { checkName, checkNamespace, invalid, missing, readDimensions, readTime } from './cloudwatch.params.ts';
import { alarmsChanged, type Alarm } from './alarms.model.ts';
import { checkAlarmName, putCompositeAlarm, putMetricAlarm } from './alarms.put.ts';
import { evaluateComposites, transition } from './alarms.runner.ts';

const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

/** The DescribeAlarms shape of an alarm. */
export function describeAlarm(a: Alarm): Record<string, unknown> {
  const { kind, StateUpdatedTimestamp, StateTransitionedTimestamp, AlarmConfigurationUpdatedTimestamp, ...rest } = a;
  void kind;
  return {
    ...JSON.parse(JSON.stringify(rest)),
    StateUpdatedTimestamp: toIso(StateUpdatedTimestamp),
    StateTransitionedTimestamp: toIso(StateTransitionedTimestamp),
    AlarmConfigurationUpdatedTimestamp: toIso(AlarmConfigurationUpdatedTimestamp),
  };
}

function readNames(p: Params, member: string, required: boolean): { names: string[] } | { error: ApiError } {
  const v = p[member];
  if (v === undefined || v === null) return required ? missing(member) : { names: [] };
  if (!Array.isArray(v) || v.length > 100)
    return { error: validationError(member, Array.isArray(v) ? `[${v.length} items]` : v, 'Member must have length less than or equal to 100') };
  for (const [i, n] of v.entries()) { const e = checkAlarmName(n, `${member}.member.${i + 1}`); if (e) return e; }
  return { names: v as string[] };
}

function readPaging(p: Params, max: number): { size: number; offset: number } | { error: ApiError } {
  const size = p.MaxRecords ?? max;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 100)
    return { error: validationError('MaxRecords', size, 'Member must have value between 1 and 100') };
  const offset = p.NextToken === undefined ? 0 : Number.parseInt(String(p.NextToken), 10);
  if (!Number.isInteger(offset) || offset < 0) return invalid('NextToken', p.NextToken);
  return { size, offset };
}

const alarmResources = (p: Params): ResourceRef[] => {
  const names = Array.isArray(p.AlarmNames) ? (p.AlarmNames as unknown[]) : [p.AlarmName];
  return names.filter((n): n is string => typeof n === 'string').map((n) => ({ type: 'AWS::CloudWatch::Alarm', name: n }));
};

export const alarmOperations: Record<string, OperationDef<CloudWatchState>> = {
  PutMetricAlarm: { readOnly: false, run: (ctx, p) => putMetricAlarm(ctx, p), resources: alarmResources },
  PutCompositeAlarm: { readOnly: false, run: (ctx, p) => putCompositeAlarm(ctx, p), resources: alarmResources },

  DescribeAlarms: {
    readOnly: true,
    run(ctx, p) {
      const names = readNames(p, 'AlarmNames', false);
      if ('error' in names) return names;
      if (p.AlarmNamePrefix !== undefined) {
        const e = checkName(p.AlarmNamePrefix, 'AlarmNamePrefix');
        if (e) return e;
        if (names.names.length) return err('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be used together.');
      }
      if (p.StateValue !== undefined && !(STATES as readonly unknown[]).includes(p.StateValue))
        return { error: validationError('StateValue', p.StateValue, `Member must satisfy enum value set: [${STATES.join(', ')}]`) };
      const types = (p.AlarmTypes ?? ['MetricAlarm']) as unknown[];
      if (!Array.isArray(types) || types.some((t) => t !== 'MetricAlarm' && t !== 'CompositeAlarm')) return invalid('AlarmTypes', p.AlarmTypes);
      const paging = readPaging(p, 50);
      if ('error' in paging) return paging;
      const all = ctx.state.alarms.order.map((n) => ctx.state.alarms.byName[n]!).filter((a) =>
        (names.names.length === 0 || names.names.includes(a.AlarmName)) &&
        (p.AlarmNamePrefix === undefined || a.AlarmName.startsWith(p.AlarmNamePrefix as string)) &&
        (p.StateValue === undefined || a.StateValue === p.StateValue) &&
        (p.ActionPrefix === undefined || [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((x) => x.startsWith(String(p.ActionPrefix)))) &&
        types.includes(a.kind === 'composite' ? 'CompositeAlarm' : 'MetricAlarm'))
        .sort((x, y) => (x.AlarmName < y.AlarmName ? -1 : 1));
      const page = all.slice(paging.offset, paging.offset + paging.size);
      return {
        output: {
          MetricAlarms: page.filter((a) => a.kind !== 'composite').map(describeAlarm),
          CompositeAlarms: page.filter((a) => a.kind === 'composite').map(describeAlarm),
          ...(paging.offset + paging.size < all.length ? { NextToken: String(paging.offset + paging.size) } : {}),
        },
      };
    },
  },

  DescribeAlarmsForMetric: {
    readOnly: true,
    run(ctx, p) {
      const e = checkNamespace(p.Namespace) ?? checkName(p.MetricName, 'MetricName');
      if (e) return e;
      const dims = readDimensions(p.Dimensions, 'Dimensions');
      if ('error' in dims) return dims;
      const key = metricKey(p.Namespace as string, p.MetricName as string, dims.dims);
      const list = ctx.state.alarms.order.map((n) => ctx.state.alarms.byName[n]!).filter((a) =>
        a.kind === 'metric' && metricKey(a.Namespace, a.MetricName, a.Dimensions) === key &&
        (p.Statistic === undefined || a.Statistic === p.Statistic) &&
        (p.ExtendedStatistic === undefined || a.ExtendedStatistic === p.ExtendedStatistic) &&
        (p.Period === undefined || a.Period === p.Period) &&
        (p.Unit === undefined || a.Unit === p.Unit));
      return { output: { MetricAlarms: list.map(describeAlarm) } };
    },
  },

  DescribeAlarmHistory: {
    readOnly: true,
    run(ctx, p) {
      if (p.AlarmName !== undefined) { const e = checkAlarmName(p.AlarmName); if (e) return e; }
      const types = ['ConfigurationUpdate', 'StateUpdate', 'Action'];
      if (p.HistoryItemType !== undefined && !types.includes(p.HistoryItemType as string))
        return { error: validationError('HistoryItemType', p.HistoryItemType, `Member must satisfy enum value set: [${types.join(', ')}]`) };
      const sd = readTime(p.StartDate, 'StartDate', false), ed = readTime(p.EndDate, 'EndDate', false);
      if ('error' in sd) return sd;
      if ('error' in ed) return ed;
      const scan = p.ScanBy ?? 'TimestampDescending';
      if (scan !== 'TimestampDescending' && scan !== 'TimestampAscending') return invalid('ScanBy', scan);
      const alarmTypes = (p.AlarmTypes ?? ['MetricAlarm', 'CompositeAlarm']) as unknown[];
      const paging = readPaging(p, 100);
      if ('error' in paging) return paging;
      const items = ctx.state.alarms.history.filter((h) =>
        (p.AlarmName === undefined || h.AlarmName === p.AlarmName) &&
        (p.HistoryItemType === undefined || h.HistoryItemType === p.HistoryItemType) &&
        (sd.t === undefined || h.Timestamp >= sd.t) && (ed.t === undefined || h.Timestamp <= ed.t) &&
        alarmTypes.includes(h.AlarmType));
      if (scan === 'TimestampDescending') items.reverse();
      const page = items.slice(paging.offset, paging.offset + paging.size);
      return {
        output: {
          AlarmHistoryItems: page.map((h) => ({ ...h, Timestamp: toIso(h.Timestamp) })),
          ...(paging.offset + paging.size < items.length ? { NextToken: String(paging.offset + paging.size) } : {}),
        },
      };
    },
  },

  DeleteAlarms: {
    readOnly: false,
    resources: alarmResources,
    run(ctx, p) {
      const names = readNames(p, 'AlarmNames', true);
      if ('error' in names) return names;
      const al = ctx.state.alarms;
      const unknown = names.names.filter((n) => !al.byName[n]);
      if (unknown.length) return err('ResourceNotFound', `The following alarms were not found: [${unknown.join(', ')}]`);
      for (const n of names.names) delete al.byName[n];
      al.order = al.order.filter((n) => al.byName[n]);
      alarmsChanged(al);
      evaluateComposites(ctx);
      return { output: {} };
    },
  },

  SetAlarmState: {
    readOnly: false,
    resources: alarmResources,
    run(ctx, p) {
      const e = checkAlarmName(p.AlarmName);
      if (e) return e;
      if (p.StateValue === undefined) return missing('StateValue');
      if (!(STATES as readonly unknown[]).includes(p.StateValue))
        return { error: validationError('StateValue', p.StateValue, `Member must satisfy enum value set: [${STATES.join(', ')}]`) };
      if (p.StateReason === undefined) return missing('StateReason');
      if (typeof p.StateReason !== 'string' || p.StateReason.length > 1023)
        return { error: validationError('StateReason', p.StateReason, 'Member must have length less than or equal to 1023') };
      if (p.StateReasonData !== undefined) {
        let ok = typeof p.StateReasonData === 'string' && p.StateReasonData.length <= 4000;
        try { if (ok) JSON.parse(p.StateReasonData as string); } catch { ok = false; }
        if (!ok) return invalid('StateReasonData', p.StateReasonData, 'StateReasonData must be JSON of at most 4000 characters.');
      }
      const a = ctx.state.alarms.byName[p.AlarmName as string];
      if (!a) return err('ResourceNotFound', `Alarm ${String(p.AlarmName)} not found`);
      if (a.StateValue === p.StateValue) {
        a.StateReason = p.StateReason;
        a.StateUpdatedTimestamp = ctx.now;
      } else transition(ctx, a, p.StateValue as Alarm['StateValue'], p.StateReason, p.StateReasonData as string | undefined);
      evaluateComposites(ctx);
      return { output: {} };
    },
  },

  EnableAlarmActions: {
    readOnly: false,
    resources: alarmResources,
    run(ctx, p) {
      const names = readNames(p, 'AlarmNames', true);
      if ('error' in names) return names;
      for (const n of names.names) { const a = ctx.state.alarms.byName[n]; if (a) a.ActionsEnabled = true; }
      alarmsChanged(ctx.state.alarms);
      return { output: {} };
    },
  },

  DisableAlarmActions: {
    readOnly: false,
    resources: alarmResources,
    run(ctx, p) {
      const names = readNames(p, 'AlarmNames', true);
      if ('error' in names) return names;
      for (const n of names.names) { const a = ctx.state.alarms.byName[n]; if (a) a.ActionsEnabled = false; }
      alarmsChanged(ctx.state.alarms);
      return { output: {} };
    },
  },
};
