import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Identity } from '../../../src/engine/index.ts';
import { agentDatapoints, parseAgentConfig } from '../../../src/engine/services/ssm/ssm.agent.ts';
import { processRunning, type SsmState } from '../../../src/engine/services/ssm/index.ts';
import { runShell } from '../../../src/engine/services/ssm/ssm.shell.ts';
import type { ManagedNode } from '../../../src/engine/services/ssm/ssm.model.ts';

const ops: Identity = { type: 'IAMUser', userName: 'ops' };

async function webInstance(): Promise<{ e: Engine; id: string }> {
  const e = createEngine({ seed: 9, startTime: '2026-03-01T00:00:00Z' });
  const r = await e.call<{ Instances: { InstanceId: string }[] }>('ec2', 'RunInstances', { ImageId: 'ami-web', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Role', Value: 'web' }] }] }, { identity: ops });
  if (!r.ok) throw new Error(r.error.message);
  const id = r.output.Instances[0]!.InstanceId;
  await e.advance(60_000);
  expect((await e.call('ssm', 'SimStartProcess', { InstanceId: id, Name: 'nginx', Pids: 3 })).ok).toBe(true);
  return { e, id };
}

const node = (): ManagedNode => ({
  instanceId: 'i-0123456789abcdef0', online: true,
  processes: { nginx: { running: false, pids: 3, enabled: true } },
  agent: { installed: false, running: false, config: null },
});
const noFx = { readParameter: () => null, configureAgent: () => null };

describe('the shell inside a node', () => {
  it('restarts a process and reports the last line’s exit code', () => {
    const n = node();
    const r = runShell(n, ['sudo systemctl restart nginx', 'systemctl is-active nginx'], noFx);
    expect(n.processes.nginx!.running).toBe(true);
    expect(r).toEqual({ exitCode: 0, stdout: 'active\n', stderr: '' });
  });

  it('fails like bash on an unknown command or unit, continuing to the next line', () => {
    const n = node();
    const r = runShell(n, ['restart-everything', 'systemctl restart httpd'], noFx);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('bash: line 1: restart-everything: command not found');
    expect(r.stderr).toContain('Unit httpd.service not found');
    const ok = runShell(n, ['nonsense', 'echo done'], noFx);
    expect(ok.exitCode).toBe(0);
  });
});

describe('Run Command on the simulated clock', () => {
  it('SendCommand: Pending → InProgress → Success, restarting a dead process; recorded without its parameters', async () => {
    const { e, id } = await webInstance();
    await e.call('ssm', 'SimKillProcess', { InstanceId: id, Name: 'nginx' });
    expect(processRunning(e.read<SsmState>('ssm'), id, 'nginx')).toBe(false);
    const s = await e.call<{ Command: { CommandId: string; Status: string } }>('ssm', 'SendCommand', {
      DocumentName: 'AWS-RunShellScript', Targets: [{ Key: 'tag:Role', Values: ['web'] }],
      Parameters: { commands: ['sudo systemctl restart nginx', 'systemctl is-active nginx'] },
    }, { identity: ops });
    if (!s.ok) throw new Error(s.error.message);
    expect(s.output.Command.Status).toBe('Pending');
    const cid = s.output.Command.CommandId;
    const inv = async () => (await e.call<{ Status: string; StandardOutputContent: string; ResponseCode: number }>('ssm', 'GetCommandInvocation', { CommandId: cid, InstanceId: id }, { identity: ops }));
    expect((await inv()).ok && ((await inv()) as { output: { Status: string } }).output.Status).toBe('Pending');
    await e.advance(10_000);
    const done = await inv();
    expect(done.ok && done.output).toMatchObject({ Status: 'Success', ResponseCode: 0, StandardOutputContent: 'active\n' });
    expect(processRunning(e.read<SsmState>('ssm'), id, 'nginx')).toBe(true);
    const trail = await e.call<{ Events: { CloudTrailEvent: string }[] }>('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'SendCommand' }] });
    const rec = JSON.parse(trail.ok ? trail.output.Events[0]!.CloudTrailEvent : '{}');
    expect(rec.eventSource).toBe('ssm.amazonaws.com');
    expect(rec.requestParameters.parameters).toBe('HIDDEN_DUE_TO_SECURITY_REASONS');
    // Simulator-only incidents never reach the trail.
    const sim = await e.call<{ Events: unknown[] }>('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'SimKillProcess' }] });
    expect(sim.ok && sim.output.Events).toHaveLength(0);
  });

  it('refuses instances that are not running managed nodes, and unknown documents', async () => {
    const { e, id } = await webInstance();
    await e.call('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: ops });
    await e.advance(120_000);
    const r = await e.call('ssm', 'SendCommand', { DocumentName: 'AWS-RunShellScript', InstanceIds: [id], Parameters: { commands: ['true'] } });
    expect(r.ok ? 'ok' : r.error.code).toBe('InvalidInstanceId');
    const d = await e.call('ssm', 'SendCommand', { DocumentName: 'AWS-FormatDisk', InstanceIds: [id] });
    expect(d.ok ? 'ok' : d.error.code).toBe('InvalidDocument');
  });

  it('a reboot (stop/start) brings an enabled process back', async () => {
    const { e, id } = await webInstance();
    await e.call('ssm', 'SimKillProcess', { InstanceId: id, Name: 'nginx' });
    await e.call('ec2', 'StopInstances', { InstanceIds: [id] }, { identity: ops });
    await e.advance(120_000);
    await e.call('ec2', 'StartInstances', { InstanceIds: [id] }, { identity: ops });
    await e.advance(60_000);
    expect(processRunning(e.read<SsmState>('ssm'), id, 'nginx')).toBe(true);
  });
});

describe('the CloudWatch agent', () => {
  const config = JSON.stringify({
    agent: { metrics_collection_interval: 60 },
    metrics: {
      namespace: 'CWAgent', append_dimensions: { InstanceId: '${aws:InstanceId}' },
      metrics_collected: { mem: { measurement: ['mem_used_percent'] }, disk: { measurement: ['used_percent'], resources: ['/'] }, procstat: [{ exe: 'nginx', measurement: ['pid_count'] }] },
    },
  });

  it('parses the documented configuration and names what is wrong', () => {
    expect('config' in parseAgentConfig(config)).toBe(true);
    expect(parseAgentConfig('{')).toEqual({ error: 'the configuration is not valid JSON' });
    expect(parseAgentConfig(JSON.stringify({ metrics: { metrics_collected: { mem: { measurement: ['ram'] } } } }))).toEqual({ error: 'unknown measurement "ram" in mem' });
  });

  it('publishes memory, disk and procstat pid_count (0 when the process is dead)', () => {
    const n = node();
    const c = parseAgentConfig(config);
    if (!('config' in c)) throw new Error(c.error);
    n.agent = { installed: true, running: true, config: c.config };
    const dead = agentDatapoints(n, 1, 100);
    expect(dead.map((d) => d.MetricName)).toEqual(['mem_used_percent', 'disk_used_percent', 'procstat_lookup_pid_count']);
    expect(dead[2]).toMatchObject({ Value: 0, Dimensions: [{ Name: 'exe', Value: 'nginx' }, { Name: 'pid_finder', Value: 'native' }, { Name: 'InstanceId', Value: n.instanceId }] });
    n.processes.nginx!.running = true;
    expect(agentDatapoints(n, 1, 100)[2]!.Value).toBe(3);
    expect(agentDatapoints(n, 1, 100)[0]!.Value).toBe(agentDatapoints(n, 1, 100)[0]!.Value);
  });

  it('installs and configures through Run Command from Parameter Store', async () => {
    const { e, id } = await webInstance();
    expect((await e.call('ssm', 'PutParameter', { Name: 'AmazonCloudWatch-linux', Type: 'String', Value: config }, { identity: ops })).ok).toBe(true);
    await e.call('ssm', 'SendCommand', { DocumentName: 'AWS-ConfigureAWSPackage', InstanceIds: [id], Parameters: { action: ['Install'], name: ['AmazonCloudWatchAgent'] } }, { identity: ops });
    await e.advance(10_000);
    const c = await e.call<{ Command: { CommandId: string } }>('ssm', 'SendCommand', { DocumentName: 'AmazonCloudWatch-ManageAgent', InstanceIds: [id], Parameters: { action: ['configure'], mode: ['ec2'], optionalConfigurationSource: ['ssm'], optionalConfigurationLocation: ['AmazonCloudWatch-linux'], optionalRestart: ['yes'] } }, { identity: ops });
    await e.advance(10_000);
    const inv = await e.call<{ Status: string }>('ssm', 'GetCommandInvocation', { CommandId: c.ok ? c.output.Command.CommandId : '', InstanceId: id });
    expect(inv.ok && inv.output.Status).toBe('Success');
    expect(e.read<SsmState>('ssm').nodes[id]!.agent.running).toBe(true);
  });
});
