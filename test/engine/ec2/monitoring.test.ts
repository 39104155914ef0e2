/** MonitorInstances / UnmonitorInstances: answers, DescribeInstances' Monitoring.State, errors, CloudTrail. */
import { describe, expect, it } from 'vitest';
import { restoreEngine, type Engine, type Identity } from '../../../src/engine/index.ts';
import { engine, latestRecord } from '../cloudtrail/helpers.ts';

const ops: Identity = { type: 'IAMUser', userName: 'ops' };
const MIN = 60_000;

function launch(e: Engine, n = 1, detailed = false): string[] {
  const r = e.callSync<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances',
    { ImageId: 'ami-0abc', MinCount: n, MaxCount: n, InstanceType: 't3.micro', Monitoring: { Enabled: detailed } }, { identity: ops });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Instances.map((i) => i.InstanceId);
}

function monitoringState(e: Engine, id: string): string {
  const r = e.callSync<{ Reservations: { Instances: { Monitoring: { State: string } }[] }[] }>('ec2', 'DescribeInstances', { InstanceIds: [id] });
  if (!r.ok) throw new Error(r.error.message);
  return r.output.Reservations[0]!.Instances[0]!.Monitoring.State;
}

type Answer = { InstanceMonitorings: { InstanceId: string; Monitoring: { State: string } }[] };

describe('MonitorInstances / UnmonitorInstances', () => {
  it('answers pending, shows pending until the next full minute, then enabled (and back: disabling → disabled)', () => {
    const e = engine();
    const [a, b] = launch(e, 2);
    e.advanceSync(2 * MIN + 30_000); // 00:02:30
    expect(monitoringState(e, a!)).toBe('disabled');
    const r = e.callSync<Answer>('ec2', 'MonitorInstances', { InstanceIds: [a, b] }, { identity: ops });
    expect(r.ok && r.output).toEqual({ InstanceMonitorings: [
      { InstanceId: a, Monitoring: { State: 'pending' } }, { InstanceId: b, Monitoring: { State: 'pending' } },
    ] });
    e.advanceSync(29_000); // 00:02:59
    expect(monitoringState(e, a!)).toBe('pending');
    e.advanceSync(1_000); // 00:03:00
    expect(monitoringState(e, a!)).toBe('enabled');
    expect(monitoringState(e, b!)).toBe('enabled');
    // again: nothing to switch, the answer is the current state
    const again = e.callSync<Answer>('ec2', 'MonitorInstances', { InstanceIds: [a] }, { identity: ops });
    expect(again.ok && again.output.InstanceMonitorings[0]!.Monitoring.State).toBe('enabled');
    e.advanceSync(10_000);
    const off = e.callSync<Answer>('ec2', 'UnmonitorInstances', { InstanceIds: [a] }, { identity: ops });
    expect(off.ok && off.output.InstanceMonitorings).toEqual([{ InstanceId: a, Monitoring: { State: 'disabling' } }]);
    expect(monitoringState(e, a!)).toBe('disabling');
    expect(monitoringState(e, b!)).toBe('enabled');
    e.advanceSync(50_000); // 00:04:00
    expect(monitoringState(e, a!)).toBe('disabled');
  });

  it('switching back within the same minute ends in the last requested state', () => {
    const e = engine();
    const [a] = launch(e);
    e.advanceSync(MIN + 5_000);
    e.callSync('ec2', 'MonitorInstances', { InstanceIds: [a] }, { identity: ops });
    e.advanceSync(20_000);
    const off = e.callSync<Answer>('ec2', 'UnmonitorInstances', { InstanceIds: [a] }, { identity: ops });
    expect(off.ok && off.output.InstanceMonitorings[0]!.Monitoring.State).toBe('disabling');
    e.advanceSync(MIN);
    expect(monitoringState(e, a!)).toBe('disabled');
  });

  it('works on stopped instances; DescribeInstances filters by monitoring-state', () => {
    const e = engine();
    const [a, b] = launch(e, 2);
    e.advanceSync(MIN);
    e.callSync('ec2', 'StopInstances', { InstanceIds: [a] }, { identity: ops });
    e.advanceSync(2 * MIN);
    expect(e.callSync('ec2', 'MonitorInstances', { InstanceIds: [a] }, { identity: ops }).ok).toBe(true);
    e.advanceSync(MIN);
    const r = e.callSync<{ Reservations: { Instances: { InstanceId: string }[] }[] }>('ec2', 'DescribeInstances', { Filters: [{ Name: 'monitoring-state', Values: ['enabled'] }] });
    expect(r.ok && r.output.Reservations.flatMap((x) => x.Instances.map((i) => i.InstanceId))).toEqual([a]);
    const basic = e.callSync<{ Reservations: { Instances: { InstanceId: string }[] }[] }>('ec2', 'DescribeInstances', { Filters: [{ Name: 'monitoring-state', Values: ['disabled'] }] });
    expect(basic.ok && basic.output.Reservations.flatMap((x) => x.Instances.map((i) => i.InstanceId))).toEqual([b]);
  });

  it('answers EC2 errors and changes nothing when it does', () => {
    const e = engine();
    const [a, gone] = launch(e, 2);
    e.advanceSync(MIN);
    e.callSync('ec2', 'TerminateInstances', { InstanceIds: [gone] }, { identity: ops });
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
    const unknown = e.callSync('ec2', 'MonitorInstances', { InstanceIds: [a, 'i-0123456789abcdef0'] }, { identity: ops });
    expect(code(unknown)).toBe('InvalidInstanceID.NotFound');
    expect(!unknown.ok && unknown.error.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    const two = e.callSync('ec2', 'UnmonitorInstances', { InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] }, { identity: ops });
    expect(!two.ok && two.error.message).toBe("The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    expect(code(e.callSync('ec2', 'MonitorInstances', { InstanceIds: ['web-1'] }, { identity: ops }))).toBe('InvalidInstanceID.Malformed');
    expect(code(e.callSync('ec2', 'MonitorInstances', {}, { identity: ops }))).toBe('MissingParameter');
    expect(code(e.callSync('ec2', 'MonitorInstances', { InstanceIds: [gone] }, { identity: ops }))).toBe('IncorrectInstanceState');
    expect(code(e.callSync('ec2', 'MonitorInstances', { InstanceIds: [a], DryRun: true }, { identity: ops }))).toBe('DryRunOperation');
    expect(monitoringState(e, a!)).toBe('disabled');
    e.advanceSync(MIN);
    expect(monitoringState(e, a!)).toBe('disabled');
  });

  it('is recorded by CloudTrail with EC2’s record members', () => {
    const e = engine();
    const [a] = launch(e);
    e.advanceSync(MIN);
    e.callSync('ec2', 'MonitorInstances', { InstanceIds: [a] }, { identity: ops });
    const rec = latestRecord(e, 'MonitorInstances');
    expect(rec).toMatchObject({
      eventSource: 'ec2.amazonaws.com', eventName: 'MonitorInstances', readOnly: false,
      userIdentity: { type: 'IAMUser', userName: 'ops' },
      requestParameters: { instancesSet: { items: [{ instanceId: a }] } },
      responseElements: { instancesSet: { items: [{ instanceId: a, monitoring: { state: 'pending' } }] } },
    });
    e.callSync('ec2', 'UnmonitorInstances', { InstanceIds: ['i-0123456789abcdef0'] }, { identity: ops });
    expect(latestRecord(e, 'UnmonitorInstances')).toMatchObject({ errorCode: 'Client.InvalidInstanceID.NotFound', responseElements: null });
  });

  it('a snapshot taken while pending resumes to the same state as the uninterrupted run', () => {
    const run = (e: Engine) => { launch(e, 2); e.advanceSync(90_000); e.callSync('ec2', 'MonitorInstances', { InstanceIds: [e.read<{ order: string[] }>('ec2').order[0]] }, { identity: ops }); };
    const a = engine(); run(a); a.advanceSync(3 * 3600_000);
    const b = engine(); run(b); b.advanceSync(10_000);
    const c = restoreEngine(JSON.parse(JSON.stringify(b.snapshot())));
    c.advanceSync(3 * 3600_000 - 10_000);
    expect(c.stateHash()).toBe(a.stateHash());
    expect(monitoringState(c, c.read<{ order: string[] }>('ec2').order[0]!)).toBe('enabled');
  });
});
