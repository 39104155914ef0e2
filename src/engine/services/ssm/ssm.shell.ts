/**
 * A tiny, pure interpreter for the shell lines learners send with AWS-RunShellScript: enough to
 * restart a process with systemctl/service, check it, and install/configure the CloudWatch agent.
 * Lines run in order like a bash script without `set -e`; the exit code is the last line's.
 */
import type { ManagedNode } from './ssm.model.ts';

export interface ShellEffects {
  /** Asks for an agent configuration stored in Parameter Store. */
  readParameter(name: string): string | null;
  /** Parses the agent JSON; returns an error text or null on success. */
  configureAgent(node: ManagedNode, json: string): string | null;
}

export interface ShellResult { exitCode: number; stdout: string; stderr: string }

const AGENT_CTL = /^\/opt\/aws\/amazon-cloudwatch-agent\/bin\/amazon-cloudwatch-agent-ctl$/;

function unitName(arg: string | undefined): string | null {
  if (!arg) return null;
  return arg.replace(/\.service$/, '');
}

/** Runs the script's lines against a node (mutating it); returns what the command printed. */
export function runShell(node: ManagedNode, lines: readonly string[], fx: ShellEffects): ShellResult {
  let out = '', errOut = '', code = 0;
  lines.forEach((raw, idx) => {
    const words = raw.trim().split(/\s+/).filter(Boolean);
    while (words[0] === 'sudo') words.shift();
    if (words.length === 0) return;
    const [cmd, ...args] = words as [string, ...string[]];
    const line = idx + 1;
    const say = (s: string) => { out += `${s}\n`; };
    const fail = (s: string, c: number) => { errOut += `${s}\n`; code = c; };
    code = 0;
    switch (cmd) {
      case 'echo': say(args.join(' ').replace(/^["']|["']$/g, '')); break;
      case 'true': break;
      case 'false': code = 1; break;
      case 'systemctl': {
        const [verb, unitArg] = args;
        const unit = unitName(unitArg);
        if (!verb || !unit) { fail('Too few arguments.', 1); break; }
        const p = node.processes[unit];
        if (!p && verb !== 'is-active' && verb !== 'status') { fail(`Failed to ${verb} ${unit}.service: Unit ${unit}.service not found.`, 5); break; }
        if (verb === 'start' || verb === 'restart') { p!.running = true; if (unit === 'amazon-cloudwatch-agent') node.agent.running = node.agent.config !== null; }
        else if (verb === 'stop') { p!.running = false; if (unit === 'amazon-cloudwatch-agent') node.agent.running = false; }
        else if (verb === 'enable') p!.enabled = true;
        else if (verb === 'disable') p!.enabled = false;
        else if (verb === 'is-active') { if (p?.running) say('active'); else { say(p ? 'inactive' : 'unknown'); code = 3; } }
        else if (verb === 'status') {
          if (!p) fail(`Unit ${unit}.service could not be found.`, 4);
          else { say(`● ${unit}.service\n   Active: ${p.running ? 'active (running)' : 'inactive (dead)'}`); code = p.running ? 0 : 3; }
        } else fail(`Unknown command verb ${verb}.`, 1);
        break;
      }
      case 'service': {
        const [name, verb] = args;
        const p = name ? node.processes[name] : undefined;
        if (!name || !verb) { fail('Usage: service < option > | --status-all | [ service_name [ command | --full-restart ] ]', 1); break; }
        if (!p) { fail(`Redirecting to /bin/systemctl ${verb} ${name}.service\nFailed to ${verb} ${name}.service: Unit not found.`, 5); break; }
        if (verb === 'start' || verb === 'restart') p.running = true;
        else if (verb === 'stop') p.running = false;
        else if (verb === 'status') { say(`${name} is ${p.running ? 'running' : 'stopped'}`); code = p.running ? 0 : 3; }
        break;
      }
      case 'pgrep':
      case 'pidof': {
        const name = args.filter((a) => !a.startsWith('-'))[0] ?? '';
        const p = node.processes[name];
        if (p?.running) say(Array.from({ length: p.pids }, (_, i) => String(1000 + i * 7)).join(cmd === 'pidof' ? ' ' : '\n'));
        else code = 1;
        break;
      }
      case 'yum':
      case 'dnf': {
        if (args[0] !== 'install') { fail(`${cmd}: only 'install' is simulated`, 1); break; }
        const pkgs = args.slice(1).filter((a) => !a.startsWith('-'));
        if (pkgs.includes('amazon-cloudwatch-agent')) {
          node.agent.installed = true;
          node.processes['amazon-cloudwatch-agent'] ??= { running: false, pids: 1, enabled: true };
          say('Installed:\n  amazon-cloudwatch-agent\n\nComplete!');
        } else if (pkgs.length) say(`Package ${pkgs.join(' ')} already installed and latest version\nNothing to do`);
        break;
      }
      default: {
        if (AGENT_CTL.test(cmd)) {
          if (!node.agent.installed) { fail(`bash: line ${line}: ${cmd}: No such file or directory`, 127); break; }
          const a = args[args.indexOf('-a') + 1];
          if (a === 'fetch-config') {
            const src = args[args.indexOf('-c') + 1] ?? '';
            if (!src.startsWith('ssm:')) { fail('Only -c ssm:<parameter-name> is simulated', 1); break; }
            const value = fx.readParameter(src.slice(4));
            if (value === null) { fail(`ParameterNotFound: parameter ${src.slice(4)} does not exist`, 1); break; }
            const problem = fx.configureAgent(node, value);
            if (problem) { fail(`Configuration validation first phase failed: ${problem}`, 1); break; }
            say('Successfully fetched the config and saved in /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.d/ssm_' + src.slice(4));
            if (args.includes('-s')) { node.agent.running = true; node.processes['amazon-cloudwatch-agent']!.running = true; }
          } else if (a === 'start') {
            if (!node.agent.config) { fail('No configuration: run -a fetch-config first', 1); break; }
            node.agent.running = true; node.processes['amazon-cloudwatch-agent']!.running = true;
          } else if (a === 'stop') { node.agent.running = false; node.processes['amazon-cloudwatch-agent']!.running = false; }
          else if (a === 'status') say(JSON.stringify({ status: node.agent.running ? 'running' : 'stopped', configstatus: node.agent.config ? 'configured' : 'not configured' }));
          else fail(`unknown action ${String(a)}`, 1);
        } else {
          fail(`bash: line ${line}: ${cmd}: command not found`, 127);
        }
      }
    }
  });
  return { exitCode: code, stdout: out, stderr: errOut };
}
