import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine/index.ts';
import { dashboardModel, type CloudWatchState } from '../../../src/engine/services/cloudwatch/index.ts';
import { expandMetrics, relativeMs, validateDashboardBody, type ValidationMessage } from '../../../src/engine/services/cloudwatch/cloudwatch.dashboards.ts';

const T0 = '2026-03-01T00:00:00Z';
const ACCT = '111122223333';
const fresh = () => createEngine({ seed: 11, startTime: T0, accountId: ACCT, region: 'us-east-1' });
const body = (widgets: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ widgets, ...extra });
const put = (e: Engine, name: string, b: string) => e.callSync<{ DashboardValidationMessages: ValidationMessage[] }>('cloudwatch', 'PutDashboard', { DashboardName: name, DashboardBody: b });
const cpu = (id: string) => ({ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', id]], region: 'us-east-1', period: 60, title: 'CPU' } });

describe('the metrics array shorthand', () => {
  it('expands "..." (all of the previous row not given) and "." (same position)', () => {
    const out: ValidationMessage[] = [];
    const rows = expandMetrics([
      ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1'],
      ['...', 'i-2'],
      ['...', { stat: 'Maximum' }],
      ['.', 'NetworkIn', '.', '.', { label: 'in' }],
      [{ expression: 'm1 + m2', label: 'sum' }],
    ], '/m', out);
    expect(out).toEqual([]);
    expect(rows.map((r) => (r.kind === 'metric' ? [r.namespace, r.metricName, ...r.dimensions.flatMap((d) => [d.Name, d.Value]), r.options.stat ?? '-'] : [r.expression]))).toEqual([
      ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1', '-'],
      ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-2', '-'],
      ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-2', 'Maximum'],
      ['AWS/EC2', 'NetworkIn', 'InstanceId', 'i-2', '-'],
      ['m1 + m2'],
    ]);
  });

  it.each([
    [[['...', 'i-2']], '/m/0/0', '"..." has no previous metric to repeat'],
    [[['AWS/EC2', 5]], '/m/0/1', 'Invalid metric field type, only "String" type is allowed'],
    [['AWS/EC2'], '/m/0', 'Should be array'],
    [[['AWS/EC2', 'CPUUtilization', 'InstanceId']], '/m/0', 'A metric needs a namespace, a metric name, and a value for every dimension name'],
    [[['AWS/EC2', 'CPUUtilization', { color: 'red' }]], '/m/0/2/color', 'Should match pattern "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"'],
    [[['AWS/EC2', 'CPUUtilization', { stat: 'Median' }]], '/m/0/2/stat', 'Invalid statistic'],
  ])('%j → %s %s', (metrics, path, message) => {
    const out: ValidationMessage[] = [];
    expandMetrics(metrics as unknown[], '/m', out);
    expect(out[0]).toEqual({ DataPath: path, Message: message });
  });

  it.each([['-PT3H', 3 * 3600_000], ['-P7D', 7 * 86_400_000], ['-PT15M', 900_000], ['-P1W', 7 * 86_400_000], ['PT3H', NaN], ['-P', NaN]])('relative time %s = %d ms', (t, ms) => {
    expect(relativeMs(t)).toBe(ms);
  });
});

describe('DashboardBody validation (documented structure, AWS wording)', () => {
  it.each([
    ['not json', '', 'The field DashboardBody must be a valid JSON object'],
    ['{}', '', "Should have required property 'widgets'"],
    [body([{ type: 'graph', properties: {} }]), '/widgets/0/type', 'Should be equal to one of the allowed values'],
    [body([{ type: 'metric', properties: { region: 'us-east-1' } }]), '/widgets/0/properties', "Should have required property 'metrics'"],
    [body([{ type: 'metric', properties: { metrics: [['A', 'B']] } }]), '/widgets/0/properties', 'The metric widget should have specified a region and a data source or an alarm annotation'],
    [body([{ ...cpu('i-1'), width: 25 }]), '/widgets/0/width', 'Should be <= 24'],
    [body([{ ...cpu('i-1'), x: 24 }]), '/widgets/0/x', 'Should be <= 23'],
    [body([{ ...cpu('i-1'), height: 0 }]), '/widgets/0/height', 'Should be >= 1'],
    [body([{ type: 'text', x: 0, properties: { markdown: 'hi' } }]), '/widgets/0', 'Should have property y when property x is present'],
    [body([{ type: 'text', properties: {} }]), '/widgets/0/properties', "Should have required property 'markdown'"],
    [body([{ type: 'alarm', properties: { alarms: ['cpu-high'] } }]), '/widgets/0/properties/alarms/0', 'Should be an alarm ARN'],
    [body([{ type: 'metric', properties: { ...cpu('i-1').properties, view: 'line' } }]), '/widgets/0/properties/view', 'Should be equal to one of the allowed values'],
    [body([{ type: 'metric', properties: { ...cpu('i-1').properties, view: 'gauge' } }]), '/widgets/0/properties/yAxis', 'The gauge view requires yAxis.left.min and yAxis.left.max'],
    [body([{ type: 'metric', properties: { ...cpu('i-1').properties, period: 45 } }]), '/widgets/0/properties/period', 'The period must be 1, 5, 10, 30 or a multiple of 60'],
    [body([], { start: 'yesterday' }), '/start', 'Should be a relative time such as -PT3H or an ISO 8601 timestamp'],
  ])('%s → %s: %s', (b, path, message) => {
    expect(validateDashboardBody(b)).toContainEqual({ DataPath: path, Message: message });
  });

  it('accepts the documented example and an empty widgets array', () => {
    const doc = { start: '-PT6H', periodOverride: 'inherit', widgets: [cpu('i-012345'), { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello world' } }] };
    expect(validateDashboardBody(JSON.stringify(doc))).toEqual([]);
    expect(validateDashboardBody('{"widgets":[]}')).toEqual([]);
  });
});

describe('PutDashboard / GetDashboard / ListDashboards / DeleteDashboards', () => {
  it('stores, reads back, lists by prefix and deletes', () => {
    const e = fresh();
    const b = body([cpu('i-1')]);
    const r = put(e, 'web-ops', b);
    expect(r.ok && r.output.DashboardValidationMessages).toEqual([]);
    put(e, 'web_db', body([]));
    put(e, 'billing', body([]));
    const g = e.callSync('cloudwatch', 'GetDashboard', { DashboardName: 'web-ops' });
    expect(g.ok && g.output).toEqual({ DashboardArn: `arn:aws:cloudwatch::${ACCT}:dashboard/web-ops`, DashboardBody: b, DashboardName: 'web-ops' });
    const l = e.callSync<{ DashboardEntries: { DashboardName: string; Size: number; LastModified: string }[] }>('cloudwatch', 'ListDashboards', { DashboardNamePrefix: 'web' });
    expect(l.ok && l.output.DashboardEntries.map((x) => x.DashboardName)).toEqual(['web-ops', 'web_db']);
    expect(l.ok && l.output.DashboardEntries[0]!.Size).toBe(b.length);
    expect(l.ok && l.output.DashboardEntries[0]!.LastModified).toBe('2026-03-01T00:00:00.000Z');
    expect(e.callSync('cloudwatch', 'DeleteDashboards', { DashboardNames: ['web-ops', 'web_db'] }).ok).toBe(true);
    const all = e.callSync<{ DashboardEntries: { DashboardName: string }[] }>('cloudwatch', 'ListDashboards', {});
    expect(all.ok && all.output.DashboardEntries.map((x) => x.DashboardName)).toEqual(['billing']);
  });

  it('answers AWS errors: bad names, invalid bodies with their messages, missing dashboards (all-or-nothing delete)', () => {
    const e = fresh();
    const badName = put(e, 'Web Ops', body([]));
    expect(badName.ok ? '' : badName.error).toEqual({ code: 'InvalidParameterValue', message: 'The value Web Ops for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).' });
    const invalid = put(e, 'x', body([{ type: 'metric', properties: { region: 'us-east-1' } }]));
    expect(invalid.ok ? '' : invalid.error.code).toBe('InvalidParameterInput');
    expect(invalid.ok ? '' : invalid.error.message).toMatch(/^The dashboard body is invalid, there are 3 validation errors:\n\[\n {2}\{\n {4}"dataPath": "\/widgets\/0\/properties",\n {4}"message": "Should have required property 'metrics'"/);
    expect(e.callSync('cloudwatch', 'ListDashboards', {}).ok && (e.callSync<{ DashboardEntries: unknown[] }>('cloudwatch', 'ListDashboards', {}) as { output: { DashboardEntries: unknown[] } }).output.DashboardEntries).toEqual([]);
    const get = e.callSync('cloudwatch', 'GetDashboard', { DashboardName: 'nope' });
    expect(get.ok ? '' : get.error.code).toBe('ResourceNotFound');
    put(e, 'keep', body([]));
    const del = e.callSync('cloudwatch', 'DeleteDashboards', { DashboardNames: ['keep', 'nope'] });
    expect(del.ok ? '' : del.error.code).toBe('ResourceNotFound');
    expect(e.callSync('cloudwatch', 'GetDashboard', { DashboardName: 'keep' }).ok).toBe(true);
  });

  it('PutDashboard on an existing name replaces the body', () => {
    const e = fresh();
    put(e, 'd', body([]));
    const b2 = body([{ type: 'text', properties: { markdown: '# v2' } }]);
    put(e, 'd', b2);
    const g = e.callSync<{ DashboardBody: string }>('cloudwatch', 'GetDashboard', { DashboardName: 'd' });
    expect(g.ok && g.output.DashboardBody).toBe(b2);
  });
});

describe('dashboardModel (console view)', () => {
  async function withInstance() {
    const e = fresh();
    const r = await e.call<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-1', MinCount: 1, MaxCount: 1, Monitoring: { Enabled: true } });
    if (!r.ok) throw new Error(r.error.message);
    const id = r.output.Instances[0]!.InstanceId;
    e.callSync('cloudwatch', 'SimSetSignal', { InstanceId: id, Baseline: 50, Wave: 0, Noise: 0 });
    await e.advance(30 * 60_000);
    return { e, id };
  }

  it('resolves metric series (with shorthand and math), text, and alarm states; places widgets without positions on the grid', async () => {
    const { e, id } = await withInstance();
    e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'cpu-high', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Average', Dimensions: [{ Name: 'InstanceId', Value: id }],
      Period: 60, EvaluationPeriods: 1, Threshold: 40, ComparisonOperator: 'GreaterThanThreshold',
    });
    await e.advance(2 * 60_000);
    const arn = `arn:aws:cloudwatch:us-east-1:${ACCT}:alarm:cpu-high`;
    put(e, 'ops', body([
      { type: 'metric', width: 12, height: 6, properties: {
        region: 'us-east-1', period: 60, view: 'timeSeries', stacked: true, title: 'CPU',
        metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', id, { id: 'm1' }], ['...', { id: 'm2', stat: 'Maximum', visible: false }], [{ expression: 'm1 * 2', label: 'double', id: 'e1' }]],
      } },
      { type: 'text', width: 12, height: 2, properties: { markdown: '## Runbook' } },
      { type: 'alarm', width: 24, height: 2, properties: { title: 'Alarms', alarms: [arn, `arn:aws:cloudwatch:us-east-1:${ACCT}:alarm:gone`] } },
      { type: 'log', width: 6, height: 6, properties: { query: 'fields @message' } },
    ]));
    const now = e.nowMs();
    const m = dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'ops', now)!;
    expect(m.start).toBe(now - 3 * 3600_000);
    expect(m.widgets.map((w) => [w.type, w.x, w.y, w.width, w.height])).toEqual([
      ['metric', 0, 0, 12, 6], ['text', 12, 0, 12, 2], ['alarm', 0, 6, 24, 2], ['unsupported', 0, 8, 6, 6],
    ]);
    const mw = m.widgets[0]!;
    if (mw.type !== 'metric') throw new Error('not a metric widget');
    expect(mw).toMatchObject({ title: 'CPU', stacked: true, view: 'timeSeries', period: 60 });
    expect(mw.series.map((s) => s.label)).toEqual([`CPUUtilization ${id}`, 'double']); // m2 hidden
    const [raw, doubled] = mw.series;
    expect(raw!.values.length).toBeGreaterThanOrEqual(30);
    expect(raw!.latest).toBe(50);
    expect(doubled!.values).toEqual(raw!.values.map((v) => v * 2));
    const text = m.widgets[1]!;
    expect(text.type === 'text' && text.markdown).toBe('## Runbook');
    const al = m.widgets[2]!;
    expect(al.type === 'alarm' && al.alarms.map((a) => [a.name, a.state])).toEqual([['cpu-high', 'ALARM'], ['gone', null]]);
  });

  it('expressions resolve in order of dependency; a failing or circular one shows as that row\'s problem', async () => {
    const { e, id } = await withInstance();
    put(e, 'x', body([{ type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: {
      region: 'us-east-1', period: 60,
      metrics: [
        [{ expression: 'e1 + 1', label: 'later', id: 'e2' }], // refers to a row below it
        ['AWS/EC2', 'CPUUtilization', 'InstanceId', id, { id: 'm1' }],
        [{ expression: 'm1 * 2', label: 'double', id: 'e1' }],
        [{ expression: 'NOPE(m1)', label: 'broken', id: 'e3' }],
        [{ expression: 'c2 + 1', label: 'loop a', id: 'c1' }],
        [{ expression: 'c1 + 1', label: 'loop b', id: 'c2' }],
      ],
    } }]));
    const m = dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'x', e.nowMs())!;
    const w = m.widgets[0]!;
    if (w.type !== 'metric') throw new Error('not a metric widget');
    const byLabel = new Map(w.series.map((x) => [x.label, x]));
    expect(byLabel.get('later')!.values).toEqual(byLabel.get('double')!.values.map((v) => v + 1));
    expect(byLabel.get('later')!.problem).toBeUndefined();
    expect(byLabel.get('broken')!.problem).toBe('expression-error');
    expect(byLabel.get('loop a')!.problem).toBe('expression-error');
    expect(byLabel.get('loop b')!.problem).toBe('expression-error');
  });

  it('an alarm annotation graphs the alarm metric with its threshold; another Region shows no data', async () => {
    const { e, id } = await withInstance();
    e.callSync('cloudwatch', 'PutMetricAlarm', {
      AlarmName: 'cpu', Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Statistic: 'Maximum', Dimensions: [{ Name: 'InstanceId', Value: id }],
      Period: 60, EvaluationPeriods: 1, Threshold: 70, ComparisonOperator: 'GreaterThanThreshold',
    });
    put(e, 'a', body([
      { type: 'metric', x: 0, y: 0, properties: { region: 'us-east-1', annotations: { alarms: [`arn:aws:cloudwatch:us-east-1:${ACCT}:alarm:cpu`] } } },
      { type: 'metric', x: 6, y: 0, properties: { region: 'eu-west-1', metrics: [['AWS/EC2', 'CPUUtilization', 'InstanceId', id]] } },
    ]));
    const m = dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'a', e.nowMs())!;
    const [w0, w1] = m.widgets;
    if (w0!.type !== 'metric' || w1!.type !== 'metric') throw new Error('metric widgets expected');
    expect(w0!.thresholds).toEqual([{ value: 70, label: 'cpu' }]);
    expect(w0!.series[0]).toMatchObject({ metricName: 'CPUUtilization', stat: 'Maximum', period: 60 });
    expect(w0!.series[0]!.values.length).toBeGreaterThan(0);
    expect(w1!.series[0]).toMatchObject({ problem: 'other-region', values: [] });
    expect(dashboardModel(e.read<CloudWatchState>('cloudwatch'), 'missing', e.nowMs())).toBeNull();
  });
});
