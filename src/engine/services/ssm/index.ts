/**
 * The `ssm` service: managed nodes follow EC2 instances (engine events), Run Command executes on
 * the simulated clock, and the CloudWatch agent inside a node publishes `CWAgent` metrics through
 * `cloudwatch:PutMetricData` as the instance's role, every collection interval.
 */
import type { EngineEvent, ServiceContext, ServiceDef } from '../../kernel/types.ts';
import { agentDatapoints, parseAgentConfig } from './ssm.agent.ts';
import { BASE_PROCESSES, OUTPUT_LIMIT, type ManagedNode, type SsmState } from './ssm.model.ts';
import { commandStatus, makeOperations } from './ssm.operations.ts';
import { runShell } from './ssm.shell.ts';

type Ctx = ServiceContext<SsmState>;

/** The role the agent publishes with (an instance profile; session name = instance id). */
export const AGENT_ROLE = 'CloudWatchAgentServerRole';

interface StateChanged { instanceId: string; current: string; tags: { Key: string; Value: string }[] }


function ensureCollecting(ctx: Ctx): void {
  if (ctx.state.collecting) return;
  if (!Object.values(ctx.state.nodes).some((n) => n.online && n.agent.running)) return;
  ctx.state.collecting = true;
  ctx.schedule(Math.floor(ctx.now / 60_000) * 60_000 + 60_000, 'collect', null);
}

function execute(ctx: Ctx, node: ManagedNode, doc: string, params: Record<string, string[]>): { code: number; stdout: string; stderr: string } {
  const fx = {
    readParameter: (name: string) => ctx.state.parameters[name]?.Value ?? null,
    configureAgent: (n: ManagedNode, json: string) => {
      const r = parseAgentConfig(json);
      if ('error' in r) return r.error;
      n.agent.config = r.config;
      return null;
    },
  };
  if (doc === 'AWS-RunShellScript') {
    const r = runShell(node, params.commands ?? [], fx);
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  }
  if (doc === 'AWS-ConfigureAWSPackage') {
    if ((params.name ?? [])[0] !== 'AmazonCloudWatchAgent' || (params.action ?? ['Install'])[0] !== 'Install')
      return { code: 1, stdout: '', stderr: 'Only Install of AmazonCloudWatchAgent is simulated.\n' };
    const r = runShell(node, ['yum install -y amazon-cloudwatch-agent'], fx);
    return { code: r.exitCode, stdout: `Initiating AmazonCloudWatchAgent installation\n${r.stdout}Successfully installed AmazonCloudWatchAgent\n`, stderr: r.stderr };
  }
  // AmazonCloudWatch-ManageAgent
  const action = (params.action ?? ['configure'])[0];
  const location = (params.optionalConfigurationLocation ?? [''])[0]!;
  const line = action === 'configure'
    ? `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c ssm:${location} ${(params.optionalRestart ?? ['yes'])[0] === 'yes' ? '-s' : ''}`
    : `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a ${action}`;
  const r = runShell(node, [line], fx);
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

export const ssmService: ServiceDef<SsmState> = {
  name: 'ssm',
  eventSource: 'ssm.amazonaws.com',
  init: () => ({ nodes: {}, parameters: {}, commands: {}, commandOrder: [], collecting: false, tags: {} }),
  operations: makeOperations((ctx, id) => ctx.state.tags[id] ?? {}),
  timers: {
    deliver(ctx, p: { commandId: string; instanceId: string }) {
      const c = ctx.state.commands[p.commandId];
      const inv = c?.invocations[p.instanceId];
      if (!c || !inv || inv.status !== 'Pending') return;
      inv.status = 'InProgress';
      inv.started = ctx.now;
      ctx.schedule(ctx.now + 2000, 'finish', p);
    },
    finish(ctx, p: { commandId: string; instanceId: string }) {
      const c = ctx.state.commands[p.commandId];
      const inv = c?.invocations[p.instanceId];
      const node = ctx.state.nodes[p.instanceId];
      if (!c || !inv || inv.status !== 'InProgress') return;
      if (!node?.online) {
        inv.status = 'Failed'; inv.responseCode = -1; inv.stderr = 'The instance stopped while the command ran.\n';
      } else {
        const r = execute(ctx, node, c.DocumentName, c.Parameters);
        inv.status = r.code === 0 ? 'Success' : 'Failed';
        inv.responseCode = r.code;
        inv.stdout = r.stdout.slice(0, OUTPUT_LIMIT);
        inv.stderr = r.stderr.slice(0, OUTPUT_LIMIT);
      }
      inv.ended = ctx.now;
      ctx.emit('ssm/command-status-changed', { commandId: c.CommandId, instanceId: inv.instanceId, status: inv.status, commandStatus: commandStatus(c) });
      ensureCollecting(ctx);
    },
    collect(ctx) {
      const minute = Math.floor(ctx.now / 60_000);
      let any = false;
      for (const node of Object.values(ctx.state.nodes)) {
        if (!node.online || !node.agent.running || !node.agent.config) continue;
        any = true;
        if ((minute * 60) % Math.max(60, node.agent.config.intervalSec) !== 0) continue;
        const data = agentDatapoints(node, ctx.seed, minute);
        if (data.length === 0) continue;
        for (let i = 0; i < data.length; i += 1000) {
          ctx.call('cloudwatch', 'PutMetricData', { Namespace: node.agent.config.namespace, MetricData: data.slice(i, i + 1000).map((d) => ({ ...d, Timestamp: ctx.now })) },
            { identity: { type: 'AssumedRole', roleName: AGENT_ROLE, sessionName: node.instanceId }, userAgent: 'CWAgent/1.300049.1 (go1.22.7; linux; amd64)' });
        }
      }
      ctx.state.collecting = any;
      if (any) ctx.schedule(ctx.now + 60_000, 'collect', null);
    },
  },
  on: {
    'ec2/instance-state-changed'(ctx, ev: EngineEvent<StateChanged>) {
      const { instanceId, current, tags } = ev.payload;
      ctx.state.tags[instanceId] = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
      const node = ctx.state.nodes[instanceId];
      if (current === 'running') {
        if (!node) {
          ctx.state.nodes[instanceId] = { instanceId, online: true, processes: structuredCopy(BASE_PROCESSES), agent: { installed: false, running: false, config: null } };
        } else {
          node.online = true;
          // A boot starts the enabled services again (a killed process comes back after a reboot).
          for (const p of Object.values(node.processes)) p.running = p.enabled;
          node.agent.running = node.agent.config !== null && (node.processes['amazon-cloudwatch-agent']?.enabled ?? false);
        }
        ensureCollecting(ctx);
      } else if (node) {
        node.online = false;
        if (current === 'terminated') { delete ctx.state.nodes[instanceId]; delete ctx.state.tags[instanceId]; }
      }
    },
    /** A reboot restarts the OS: every enabled service (and the agent) runs again. */
    'ec2/instance-rebooted'(ctx, ev: EngineEvent<{ instanceId: string }>) {
      const node = ctx.state.nodes[ev.payload.instanceId];
      if (!node?.online) return;
      for (const p of Object.values(node.processes)) p.running = p.enabled;
      node.agent.running = node.agent.config !== null && (node.processes['amazon-cloudwatch-agent']?.enabled ?? false);
      ensureCollecting(ctx);
    },
    'ec2/tags-changed'(ctx, ev: EngineEvent<{ resourceId: string; tags: { Key: string; Value: string }[] }>) {
      ctx.state.tags[ev.payload.resourceId] = Object.fromEntries(ev.payload.tags.map((t) => [t.Key, t.Value]));
    },
  },
};

function structuredCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Views for the console and scenario guards. */
export function processRunning(state: SsmState, instanceId: string, name: string): boolean {
  return state.nodes[instanceId]?.processes[name]?.running ?? false;
}
export function agentRunning(state: SsmState, instanceId: string): boolean {
  return state.nodes[instanceId]?.agent.running ?? false;
}
export * from './ssm.model.ts';
export { parseAgentConfig } from './ssm.agent.ts';
