/**
 * The terminal's AWS CLI parser: every learner call in the scenarios' solutions, written the way
 * a learner types it (shorthand, and again as JSON), parses back to the solution's params; the
 * CLI's names, flags, quoting and errors; and the operation table matches the engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en/ui.json' with { type: 'json' };
import ko from '../../src/i18n/locales/ko/ui.json' with { type: 'json' };
import { SERVICES } from '../../src/engine/services/registry.ts';
import { CLI_SERVICES } from '../../src/ui/cli/aws-cli.operations.ts';
import { CLI_ERROR_CODES, kebab, parseAwsCli, parseShorthand, tokenize } from '../../src/ui/cli/aws-cli.parse.ts';
import { loadScenario, PROCESS, SCALING } from '../scenario/helpers.ts';

// ---------------------------------------------------------------- writing a CLI line from params

const CLI_NAME: Record<string, string> = Object.fromEntries(Object.entries(CLI_SERVICES).map(([cli, s]) => [s.api, cli]));
const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scalar inside shorthand: bare when it can be, else "double-quoted". */
const shortScalar = (v: unknown) => {
  const s = String(v);
  return /^[\w@%+:./-][\w@%+:./=-]*$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
};
/** A value inside shorthand: one-item lists written as the bare item (the CLI's types make it a list again). */
function shortValue(v: unknown): string {
  if (Array.isArray(v)) return v.length === 1 && !isObj(v[0]) ? shortScalar(v[0]) : `[${v.map(shortValue).join(',')}]`;
  if (isObj(v)) return `{${shorthand(v)}}`;
  return shortScalar(v);
}
const shorthand = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}=${shortValue(v)}`).join(',');

/** The words after `--option`: scalars as they are, lists one word per item, structures as shorthand or JSON. */
function optionWords(v: unknown, style: 'shorthand' | 'json'): string[] {
  if (Array.isArray(v)) {
    if (style === 'json' && v.some(isObj)) return [JSON.stringify(v)];
    return v.map((x) => (isObj(x) ? (style === 'json' ? JSON.stringify(x) : shorthand(x)) : String(x)));
  }
  if (isObj(v)) return [style === 'json' ? JSON.stringify(v) : shorthand(v)];
  return [String(v)];
}

function cliLine(call: string, params: Record<string, unknown>, style: 'shorthand' | 'json'): string {
  const [service, action] = call.split(':') as [string, string];
  const parts = ['aws', CLI_NAME[service]!, kebab(action)];
  for (const [member, v] of Object.entries(params)) {
    if (typeof v === 'boolean') { parts.push(`--${v ? '' : 'no-'}${kebab(member)}`); continue; }
    parts.push(`--${kebab(member)}`, ...optionWords(v, style).map(shellQuote));
  }
  // Long commands are typed over several lines with a trailing backslash.
  return parts.join(' ').replace(/ --/g, (m, at: number) => (at % 3 === 0 ? ' \\\n  --' : m));
}

const learnerCalls = [PROCESS, SCALING].flatMap((file) => loadScenario(file).solution
  .filter((s): s is typeof s & { call: string } => typeof (s as { call?: unknown }).call === 'string')
  .map((s, i) => ({ file, i, call: s.call, params: ((s as { with?: Record<string, unknown> }).with ?? {}) })));

describe('every learner call in the scenarios can be typed', () => {
  it('finds the solution calls', () => {
    expect(learnerCalls.length).toBeGreaterThanOrEqual(14);
    expect(learnerCalls.map((c) => c.call)).toEqual(expect.arrayContaining([
      'ssm:PutParameter', 'ssm:SendCommand', 'cloudwatch:PutMetricAlarm', 'autoscaling:DescribeScalingActivities',
      'autoscaling:DescribePolicies', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics',
    ]));
  });
  for (const style of ['shorthand', 'json'] as const) {
    it.each(learnerCalls)(`${style}: %s`, ({ call, params }) => {
      const line = cliLine(call, params, style);
      const r = parseAwsCli(line);
      const [service, action] = call.split(':');
      expect(r, line).toEqual({ kind: 'call', service, action, params, region: null });
    });
  }
  it('writes the agent configuration as one quoted word (a string member stays text, JSON or not)', () => {
    const put = learnerCalls.find((c) => c.call === 'ssm:PutParameter')!;
    const line = cliLine(put.call, put.params, 'shorthand');
    expect(line).toContain(`--value '{"agent"`);
    const r = parseAwsCli(line);
    expect(r.kind === 'call' && typeof r.params.Value).toBe('string');
  });
});

// ---------------------------------------------------------------- what learners type

describe('parsing', () => {
  const call = (line: string) => {
    const r = parseAwsCli(line);
    if (r.kind !== 'call') throw new Error(`${line}: ${JSON.stringify(r)}`);
    return r;
  };

  it('maps services, operations and options like the CLI', () => {
    expect(call('aws ec2 describe-instances')).toEqual({ kind: 'call', service: 'ec2', action: 'DescribeInstances', params: {}, region: null });
    expect(call('aws s3api list-objects-v2 --bucket b --max-keys 5')).toMatchObject({ service: 's3', action: 'ListObjectsV2', params: { Bucket: 'b', MaxKeys: 5 } });
    expect(call('aws cloudwatch put-metric-alarm --ok-actions arn:a arn:b').params).toEqual({ OKActions: ['arn:a', 'arn:b'] });
    expect(call('aws cloudtrail describe-trails --trail-name-list t1 --include-shadow-trails').params).toEqual({ trailNameList: ['t1'], includeShadowTrails: true });
    expect(call('aws autoscaling update-auto-scaling-group --auto-scaling-group-name g --vpc-zone-identifier subnet-1').params)
      .toEqual({ AutoScalingGroupName: 'g', VPCZoneIdentifier: 'subnet-1' });
    expect(kebab('S3BucketName')).toBe('s3-bucket-name');
  });

  it('reads shorthand filters, several structures and lists of ids', () => {
    expect(call('aws ec2 describe-instances --filters Name=instance-state-name,Values=running Name=tag:Role,Values=web,db').params).toEqual({
      Filters: [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:Role', Values: ['web', 'db'] }],
    });
    expect(call('aws ec2 stop-instances --instance-ids i-1 i-2 --force').params).toEqual({ InstanceIds: ['i-1', 'i-2'], Force: true });
    expect(call('aws ec2 terminate-instances --instance-ids i-1 --no-dry-run').params).toEqual({ InstanceIds: ['i-1'], DryRun: false });
    expect(call('aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=TerminateInstances').params)
      .toEqual({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'TerminateInstances' }] });
  });

  it('types numbers and booleans, including --no- flags and --opt=value', () => {
    expect(call('aws cloudwatch put-metric-alarm --threshold -2.5 --evaluation-periods=3 --no-actions-enabled').params)
      .toEqual({ Threshold: -2.5, EvaluationPeriods: 3, ActionsEnabled: false });
    expect(call('aws cloudwatch put-metric-alarm --actions-enabled').params).toEqual({ ActionsEnabled: true });
    expect(call('aws autoscaling set-desired-capacity --desired-capacity 2 --honor-cooldown').params).toEqual({ DesiredCapacity: 2, HonorCooldown: true });
  });

  it('reads maps of lists the way the CLI documents for send-command', () => {
    expect(call(`aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-1 --parameters 'commands=["echo a, b","uptime"]'`).params.Parameters)
      .toEqual({ commands: ['echo a, b', 'uptime'] });
    expect(call('aws ssm send-command --parameters commands="sudo systemctl restart nginx"').params.Parameters)
      .toEqual({ commands: ['sudo systemctl restart nginx'] });
    expect(call('aws ssm send-command --parameters action=Install,name=AmazonCloudWatchAgent').params.Parameters)
      .toEqual({ action: ['Install'], name: ['AmazonCloudWatchAgent'] });
    expect(call(`aws ssm send-command --parameters '{"commands":["ls"]}'`).params.Parameters).toEqual({ commands: ['ls'] });
  });

  it('tokenises like a shell: quotes, escapes, line continuations', () => {
    expect(tokenize(`a 'b c' "d \\"e\\"" f\\ g h\\\n  i`)).toEqual({ ok: true, tokens: ['a', 'b c', 'd "e"', 'f g', 'h', 'i'] });
    expect(tokenize(`x "it's" 'say "hi"'`)).toEqual({ ok: true, tokens: ['x', "it's", 'say "hi"'] });
    expect(tokenize(`a 'b`)).toEqual({ ok: false, quote: "'" });
    const multi = call('aws cloudwatch describe-alarm-history \\\n  --alarm-name shop-web-cpu-high \\\n  --history-item-type StateUpdate');
    expect(multi.params).toEqual({ AlarmName: 'shop-web-cpu-high', HistoryItemType: 'StateUpdate' });
  });

  it('shorthand: = inside a first value, escaped commas, nested structures', () => {
    expect(parseShorthand('Name=InstanceId,Value=tag:Name=web-1')).toEqual({ Name: 'InstanceId', Value: 'tag:Name=web-1' });
    expect(parseShorthand('a=x\\,y,b=[1,2],c={d=e,f=[g]}')).toEqual({ a: 'x,y', b: ['1', '2'], c: { d: 'e', f: ['g'] } });
    expect(parseShorthand(`k='a b',l=c`)).toEqual({ k: 'a b', l: 'c' });
  });

  it('keeps the current Region as a call option and accepts the harmless globals', () => {
    expect(call('aws --region ap-northeast-2 ec2 describe-instances --output json --no-cli-pager').region).toBe('ap-northeast-2');
    expect(call('aws ec2 describe-instances --region=us-east-1').region).toBe('us-east-1');
  });

  it('answers help from the same table', () => {
    expect(parseAwsCli('aws help')).toMatchObject({ kind: 'help', scope: 'services', items: expect.arrayContaining(['ec2', 's3api', 'ssm']) });
    const ops = parseAwsCli('aws ssm help');
    expect(ops).toMatchObject({ kind: 'help', scope: 'operations', service: 'ssm', items: expect.arrayContaining(['send-command', 'put-parameter']) });
    expect(ops.kind === 'help' && ops.items).not.toContain('sim-kill-process');
    expect(parseAwsCli('aws ec2 stop-instances help')).toMatchObject({ kind: 'help', scope: 'options',
      items: expect.arrayContaining([{ option: '--instance-ids', type: 'list<string>' }, { option: '--force', type: 'boolean' }]) });
  });
});

describe('errors', () => {
  const error = (line: string) => {
    const r = parseAwsCli(line);
    if (r.kind !== 'error') throw new Error(`${line}: expected an error, got ${JSON.stringify(r)}`);
    return r;
  };
  it('names unknown options and stray words', () => {
    expect(error('aws ec2 describe-instances --foo 1 --instance-ids i-1')).toEqual({ kind: 'error', code: 'unknownOptions', params: { options: '--foo, 1' } });
    expect(error('aws ec2 describe-instances --no-instance-ids').params.options).toBe('--no-instance-ids');
  });
  it('unknown services and operations list the choices', () => {
    expect(error('aws lambda invoke')).toMatchObject({ code: 'unknownService', params: { service: 'lambda' } });
    expect(error('aws signin console-login').code).toBe('unknownService');
    const op = error('aws ec2 describe-snapshots');
    expect(op).toMatchObject({ code: 'unknownOperation', params: { operation: 'describe-snapshots' } });
    expect(op.params.choices).toContain('describe-instances');
    expect(error('aws cloudwatch sim-set-signal').code).toBe('unknownOperation');
    expect(error('aws ec2').code).toBe('missingOperation');
  });
  it('file://, bad JSON, bad numbers, bad shorthand, missing values, quotes', () => {
    expect(error('aws cloudwatch put-dashboard --dashboard-name d --dashboard-body file://body.json')).toMatchObject({ code: 'fileNotSupported' });
    expect(error('aws ec2 describe-instances --filters file://f.json').code).toBe('fileNotSupported');
    expect(error(`aws ec2 describe-instances --filters '[{"Name": }]'`)).toMatchObject({ code: 'badJson', params: { option: '--filters' } });
    expect(error('aws cloudwatch put-metric-alarm --threshold high')).toMatchObject({ code: 'badValue', params: { type: 'number' } });
    expect(error('aws ec2 describe-instances --filters Name')).toMatchObject({ code: 'badShorthand', params: { expected: "'='", received: 'EOF' } });
    expect(error('aws ec2 describe-instances --instance-ids')).toMatchObject({ code: 'missingValue', params: { option: '--instance-ids' } });
    expect(error(`aws ec2 describe-instances --filters 'Name=x`).code).toBe('unclosedQuote');
    expect(error('aws ec2 stop-instances --force --force').code).toBe('duplicateOption');
  });
  it('what the terminal cannot do, it says', () => {
    expect(error('aws ec2 describe-instances --output table')).toMatchObject({ code: 'outputNotSupported', params: { value: 'table' } });
    expect(error('aws ec2 describe-instances --query Reservations').code).toBe('queryNotSupported');
    expect(error('ls -la')).toMatchObject({ code: 'notAws', params: { command: 'ls' } });
    expect(error('   ').code).toBe('empty');
  });
  it('every error code is worded in both languages', () => {
    const words = (d: unknown, code: string) => ((d as { terminal: { error: Record<string, string> } }).terminal.error[code] ?? '');
    for (const code of CLI_ERROR_CODES) {
      expect(words(en, code), code).not.toBe('');
      expect(words(ko, code), code).not.toBe('');
    }
  });
});

// ---------------------------------------------------------------- the table against the engine

describe('the operation table follows the engine', () => {
  const engineOps = new Map(SERVICES.map((s) => [s.name, Object.entries(s.operations).filter(([n, op]) => !n.startsWith('Sim') && !(op as { internal?: boolean }).internal).map(([n]) => n).sort()]));
  it('lists exactly the engine operations of each CLI service (simulator-only ones left out)', () => {
    for (const [cli, svc] of Object.entries(CLI_SERVICES)) expect(Object.keys(svc.operations).sort(), cli).toEqual(engineOps.get(svc.api));
    // signin has no CLI; every other engine service is reachable.
    expect(new Set(Object.values(CLI_SERVICES).map((s) => s.api))).toEqual(new Set(SERVICES.map((s) => s.name).filter((n) => n !== 'signin')));
  });
  it('every member it names is read by that service in the engine', () => {
    for (const svc of Object.values(CLI_SERVICES)) {
      const dir = join(import.meta.dirname, '../../src/engine/services', svc.api);
      const source = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      const names = (shape: unknown): string[] => Array.isArray(shape) ? names(shape[0])
        : isObj(shape) ? Object.entries(shape).flatMap(([k, v]) => [...(k === '*' || k === '?' ? [] : [k]), ...names(v)]) : [];
      for (const [op, members] of Object.entries(svc.operations)) {
        for (const m of names(members)) expect(source.includes(m), `${svc.api}:${op} ${m}`).toBe(true);
      }
    }
  });
});
