import { describe, expect, it } from 'vitest';
import { createEngine, restoreEngine, type Engine, type EngineEvent } from '../../../src/engine/index.ts';
import { parseAlarmRule, evaluateRule } from '../../../src/engine/services/cloudwatch/alarms.composite.ts';

const T0 = '2026-03-01T00:00:00Z';
const fresh = () => createEngine({ seed: 5, startTime: T0 });
const base = {
  AlarmName: 'queue-depth', Namespace: 'App', MetricName: 'Depth', Statistic: 'Maximum', Period: 60,
  EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 100, ComparisonOperator: 'GreaterThanThreshold',
  AlarmActions: ['arn:aws:sns:us-east-1:111122223333:ops', 'arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:x:autoScalingGroupName/web:policyName/up'],
};
const alarm = (e: Engine, name = 'queue-depth') => {
  const r = e.callSync<{ MetricAlarms: Record<string, unknown>[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: [name] });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.MetricAlarms[0]!;
};
const putValue = (e: Engine, v: number) =>
  e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Depth', Value: v }] });

describe('PutMetricAlarm validation (spec §1.2)', () => {
  it.each([
    [{ Period: 45 }, 'InvalidParameterValue'],
    [{ Period: 20 }, 'ok'],
    [{ Period: 10, EvaluationPeriods: 8640 }, 'ok'],
    [{ Period: 60, EvaluationPeriods: 1441 }, 'ValidationError'],
    [{ Period: 3600, EvaluationPeriods: 168 }, 'ok'],
    [{ Period: 3600, EvaluationPeriods: 169 }, 'ValidationError'],
    [{ DatapointsToAlarm: 4 }, 'ValidationError'],
    [{ ComparisonOperator: 'Bigger' }, 'ValidationException'],
    [{ ComparisonOperator: 'LessThanLowerThreshold' }, 'ValidationError'],
    [{ TreatMissingData: 'zero' }, 'InvalidParameterValue'],
    [{ ExtendedStatistic: 'p99' }, 'InvalidParameterCombination'],
    [{ Statistic: undefined, ExtendedStatistic: 'p99', EvaluateLowSampleCountPercentile: 'skip' }, 'InvalidParameterValue'],
    [{ Statistic: undefined, ExtendedStatistic: 'Average' }, 'InvalidParameterValue'],
    [{ AlarmName: 'bad\u0007name' }, 'InvalidParameterValue'],
    [{ AlarmActions: ['arn:aws:automate:us-east-1:ec2:stop'] }, 'ValidationError'],
    [{ AlarmActions: Array.from({ length: 6 }, (_, i) => `arn:aws:sns:us-east-1:111122223333:t${i}`) }, 'ValidationException'],
  ])('%j → %s', (patch, code) => {
    const e = fresh();
    const r = e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, ...patch });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
});

describe('alarm lifecycle on the clock', () => {
  it('starts in INSUFFICIENT_DATA, goes to ALARM on 2 of 3 breaching minutes, with history, reason and events', () => {
    const e = fresh();
    const events: EngineEvent[] = [];
    e.subscribe((ev) => { if (ev.type.startsWith('cloudwatch/alarm')) events.push(ev); });
    expect(e.callSync('cloudwatch', 'PutMetricAlarm', base).ok).toBe(true);
    expect(alarm(e).StateValue).toBe('INSUFFICIENT_DATA');
    expect(alarm(e).StateReason).toBe('Unchecked: Initial alarm creation');
    e.advanceSync(5_000); putValue(e, 50);
    e.advanceSync(60_000); putValue(e, 150);
    e.advanceSync(60_000);
    expect(alarm(e).StateValue).toBe('OK'); // 1 breaching of 2 real points, one good → OK
    putValue(e, 180);
    e.advanceSync(60_000);
    const a = alarm(e);
    expect(a.StateValue).toBe('ALARM');
    expect(a.StateReason).toBe('Threshold Crossed: 2 out of the last 3 datapoints [180.0 (01/03/26 00:02:00), 150.0 (01/03/26 00:01:00)] were greater than the threshold (100.0) (minimum 2 datapoints for OK -> ALARM transition).');
    const data = JSON.parse(a.StateReasonData as string);
    expect(data.recentDatapoints).toEqual([50, 150, 180]);
    const changes = events.filter((x) => x.type === 'cloudwatch/alarm-state-changed').map((x) => x.payload as { newState: string; actions: string[] });
    expect(changes.map((c) => c.newState)).toEqual(['OK', 'ALARM']);
    expect(changes[1]!.actions).toHaveLength(2);
    // Auto Scaling actions repeat every minute while in ALARM; SNS does not.
    putValue(e, 190);
    e.advanceSync(60_000);
    const repeats = events.filter((x) => x.type === 'cloudwatch/alarm-action-repeat');
    expect(repeats).toHaveLength(1);
    expect((repeats[0]!.payload as { actions: string[] }).actions).toEqual([base.AlarmActions[1]]);
    const hist = e.callSync<{ AlarmHistoryItems: { HistorySummary: string; HistoryData: string }[] }>('cloudwatch', 'DescribeAlarmHistory', { AlarmName: 'queue-depth', HistoryItemType: 'StateUpdate' });
    expect(hist.ok && hist.output.AlarmHistoryItems.map((h) => h.HistorySummary)).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
    // the texts are written by hand for speed: they must be exactly JSON.stringify of their objects
    expect(JSON.stringify(data)).toBe(a.StateReasonData);
    expect(Object.keys(data)).toEqual(['version', 'queryDate', 'startDate', 'statistic', 'period', 'recentDatapoints', 'threshold', 'evaluatedDatapoints']);
    const item = hist.ok ? hist.output.AlarmHistoryItems[0]! : null;
    const parsed = JSON.parse(item!.HistoryData) as { newState: { stateReason: string; stateReasonData: unknown } };
    expect(JSON.stringify(parsed)).toBe(item!.HistoryData);
    expect(parsed.newState.stateReasonData).toEqual(data);
    expect(parsed.newState.stateReason).toBe(a.StateReason);
  });

  it('TreatMissingData breaching: no data at all goes to ALARM; missing → INSUFFICIENT_DATA', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'b', TreatMissingData: 'breaching' });
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'm' });
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'n', TreatMissingData: 'notBreaching' });
    e.advanceSync(120_000);
    expect(alarm(e, 'b').StateValue).toBe('ALARM');
    expect(alarm(e, 'b').StateReason).toBe('Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].');
    expect(alarm(e, 'm').StateValue).toBe('INSUFFICIENT_DATA');
    expect(alarm(e, 'n').StateValue).toBe('OK');
  });

  it('SetAlarmState holds until the next evaluation; disabled actions emit no action ARNs', () => {
    const e = fresh();
    const events: { newState: string; actions: string[] }[] = [];
    e.subscribe((ev) => { if (ev.type === 'cloudwatch/alarm-state-changed') events.push(ev.payload as never); });
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, TreatMissingData: 'notBreaching' });
    e.callSync('cloudwatch', 'DisableAlarmActions', { AlarmNames: ['queue-depth'] });
    expect(e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'queue-depth', StateValue: 'ALARM', StateReason: 'testing' }).ok).toBe(true);
    expect(alarm(e).StateValue).toBe('ALARM');
    expect(alarm(e).ActionsEnabled).toBe(false);
    e.advanceSync(60_000);
    expect(alarm(e).StateValue).toBe('OK');
    expect(events.map((x) => [x.newState, x.actions.length])).toEqual([['ALARM', 0], ['OK', 0]]);
    const missing = e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' });
    expect(!missing.ok && missing.error.code).toBe('ResourceNotFound');
  });

  it('DescribeAlarmsForMetric and DeleteAlarms (all or nothing)', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', base);
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'other', MetricName: 'Other' });
    const f = e.callSync<{ MetricAlarms: { AlarmName: string }[] }>('cloudwatch', 'DescribeAlarmsForMetric', { Namespace: 'App', MetricName: 'Depth' });
    expect(f.ok && f.output.MetricAlarms.map((a) => a.AlarmName)).toEqual(['queue-depth']);
    const d = e.callSync('cloudwatch', 'DeleteAlarms', { AlarmNames: ['queue-depth', 'ghost'] });
    expect(!d.ok && d.error.code).toBe('ResourceNotFound');
    expect(alarm(e).AlarmName).toBe('queue-depth');
    expect(e.callSync('cloudwatch', 'DeleteAlarms', { AlarmNames: ['queue-depth'] }).ok).toBe(true);
  });

  it('10-second alarms are evaluated every 10 s on high-resolution data', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'fast', Period: 10, EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    e.advanceSync(3_000);
    e.callSync('cloudwatch', 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Depth', Value: 500, StorageResolution: 1 }] });
    e.advanceSync(10_000);
    expect(alarm(e, 'fast').StateValue).toBe('ALARM');
  });

  it('percentile alarms with EvaluateLowSampleCountPercentile=ignore keep their state on few samples', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'p', Statistic: undefined, ExtendedStatistic: 'p90', EvaluationPeriods: 1, DatapointsToAlarm: 1, EvaluateLowSampleCountPercentile: 'ignore' });
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'q', Statistic: undefined, ExtendedStatistic: 'p90', EvaluationPeriods: 1, DatapointsToAlarm: 1 });
    putValue(e, 500);
    e.advanceSync(60_000);
    expect(alarm(e, 'p').StateValue).toBe('INSUFFICIENT_DATA');
    expect(alarm(e, 'q').StateValue).toBe('ALARM');
  });
});

describe('composite alarms (spec §1.6)', () => {
  it('parses the rule grammar', () => {
    const r = parseAlarmRule('(ALARM(cpu) OR ALARM("disk")) AND NOT OK(arn:aws:cloudwatch:us-east-1:111122223333:alarm:net)');
    expect(typeof r).toBe('object');
    const states: Record<string, string> = { cpu: 'ALARM', disk: 'OK', net: 'ALARM' };
    expect(evaluateRule(r as never, (n) => states[n] as never)).toBe(true);
    states.net = 'OK';
    expect(evaluateRule(r as never, (n) => states[n] as never)).toBe(false);
    for (const bad of ['ALARM(cpu) AND', 'ALARM(cpu', 'MAYBE(cpu)', 'ALARM()', 'TRUE FALSE']) expect(typeof parseAlarmRule(bad)).toBe('string');
    expect(parseAlarmRule('NOT ALARM(a) AND ALARM(b)')).toEqual({ op: 'and', args: [{ op: 'not', arg: { op: 'state', state: 'ALARM', alarm: 'a' } }, { op: 'state', state: 'ALARM', alarm: 'b' }] });
  });

  it('follows its children and rejects Auto Scaling actions', () => {
    const e = fresh();
    e.callSync('cloudwatch', 'PutMetricAlarm', { ...base, AlarmName: 'a', TreatMissingData: 'notBreaching' });
    expect(e.callSync('cloudwatch', 'PutCompositeAlarm', { AlarmName: 'c', AlarmRule: 'ALARM(a)', AlarmActions: [base.AlarmActions[1]] }).ok).toBe(false);
    expect(e.callSync('cloudwatch', 'PutCompositeAlarm', { AlarmName: 'c', AlarmRule: 'ALARM(a)' }).ok).toBe(true);
    const comp = () => {
      const r = e.callSync<{ CompositeAlarms: { StateValue: string }[] }>('cloudwatch', 'DescribeAlarms', { AlarmNames: ['c'], AlarmTypes: ['CompositeAlarm'] });
      return r.ok ? r.output.CompositeAlarms[0]!.StateValue : 'error';
    };
    expect(comp()).toBe('OK');
    e.callSync('cloudwatch', 'SetAlarmState', { AlarmName: 'a', StateValue: 'ALARM', StateReason: 'test' });
    expect(comp()).toBe('ALARM');
    e.advanceSync(60_000);
    expect(comp()).toBe('OK');
  });
});

describe('alarm evaluation after a restore (runtime caches start cold)', () => {
  it('snapshot mid-evaluation-range, across midnight → the same transitions and hash as the uninterrupted run', () => {
    const start = '2026-03-01T23:20:00Z';
    const script = (e: Engine) => {
      const run = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 3, MaxCount: 3, Monitoring: { Enabled: true } });
      if (!run.ok) throw new Error(run.error.message);
      const ids = run.output.Instances.map((i) => i.InstanceId);
      const basic = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-0abc', MinCount: 1, MaxCount: 1 });
      if (!basic.ok) throw new Error(basic.error.message);
      ids.push(basic.output.Instances[0]!.InstanceId);
      const stats = ['Average', 'Maximum', 'Minimum', 'Sum'];
      ids.forEach((id, k) => {
        const r = e.callSync('cloudwatch', 'PutMetricAlarm', {
          AlarmName: `cpu-${k}`, Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }],
          Statistic: stats[k], Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: stats[k] === 'Sum' ? 300 : 60,
          ComparisonOperator: 'GreaterThanThreshold',
        });
        if (!r.ok) throw new Error(r.error.message);
      });
      // incidents that cross the snapshot time and midnight, so alarms transition around both
      for (const id of ids) {
        const r = e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Incidents: [{ From: '2026-03-01T23:41:00Z', To: '2026-03-02T00:13:00Z', Level: 90 }] });
        if (!r.ok) throw new Error(r.error.message);
      }
    };
    const history = (e: Engine) => {
      const r = e.callSync<{ AlarmHistoryItems: { AlarmName: string; Timestamp: string; HistoryData: string }[] }>('cloudwatch', 'DescribeAlarmHistory', { HistoryItemType: 'StateUpdate' });
      if (!r.ok) throw new Error(r.error.message);
      return r.output.AlarmHistoryItems;
    };
    const a = createEngine({ seed: 11, startTime: start });
    script(a);
    a.advanceSync(90 * 60_000);
    const b = createEngine({ seed: 11, startTime: start });
    script(b);
    b.advanceSync(47 * 60_000 + 30_000); // 00:07:30: inside the incident, mid 5-minute window, after midnight
    const c = restoreEngine(JSON.parse(JSON.stringify(b.snapshot())));
    c.advanceSync(42 * 60_000 + 30_000);
    const ha = history(a);
    // each alarm went OK → ALARM in the incident and back to OK after it (that one after the restore)
    const moves = ha.map((h) => { const d = JSON.parse(h.HistoryData); return `${h.AlarmName} ${d.oldState.stateValue}->${d.newState.stateValue}`; });
    for (const k of [0, 1, 2, 3]) expect(moves.filter((m) => m.startsWith(`cpu-${k} `)).reverse()).toEqual([`cpu-${k} INSUFFICIENT_DATA->OK`, `cpu-${k} OK->ALARM`, `cpu-${k} ALARM->OK`]);
    expect(ha.filter((h) => h.HistoryData.includes('"oldState":{"stateValue":"ALARM"}')).every((h) => h.Timestamp > '2026-03-02T00:07:30')).toBe(true);
    expect(history(c)).toEqual(ha);
    expect(c.stateHash()).toBe(a.stateHash());
  });
});
