/**
 * The in-game terminal's AWS CLI: turns a command line such as
 * `aws cloudwatch put-metric-alarm --alarm-name x --dimensions Name=InstanceId,Value=i-1 ...`
 * into an API call `{service, action, params}` for the engine, like AWS CLI v2 would send it.
 * Pure (no DOM): a POSIX-shell-like tokeniser, the CLI's option names (kebab-case of the API
 * member), JSON or the CLI's shorthand syntax for structured values, boolean flags, and typing
 * driven by the operation table in `aws-cli.operations.ts`.
 *
 * Problems come back as `{ kind: 'error', code, params }`; the terminal words them (i18n).
 *
 * Where it differs from AWS CLI v2: one request per command (no automatic pagination; pass
 * --next-token yourself); `--output json` only, no `--query`; `--region` only names the run's own
 * Region (the terminal checks); `file://`/`fileb://` are refused (no file system); string members
 * are always taken literally (a JSON document for `--value` stays text, as in the CLI); keys of
 * untyped structures are passed through unchecked; a shorthand csv given to a string member is
 * joined back with commas instead of being refused.
 */
import { CLI_SERVICES, type Shape } from './aws-cli.operations.ts';

/** Every problem the parser reports; the terminal words each as `terminal.error.<code>`. */
export const CLI_ERROR_CODES = [
  'empty', 'notAws', 'unclosedQuote', 'unknownService', 'unknownOperation', 'unknownOptions', 'missingValue',
  'badValue', 'badJson', 'badShorthand', 'fileNotSupported', 'outputNotSupported', 'queryNotSupported',
  'duplicateOption', 'missingOperation',
] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export type CliParse =
  | { kind: 'call'; service: string; action: string; params: Record<string, unknown>; region: string | null }
  | { kind: 'help'; scope: 'services'; items: string[] }
  | { kind: 'help'; scope: 'operations'; service: string; items: string[] }
  | { kind: 'help'; scope: 'options'; service: string; operation: string; items: { option: string; type: string }[] }
  | { kind: 'error'; code: CliErrorCode; params: Record<string, string> };

type Err = Extract<CliParse, { kind: 'error' }>;
const fail = (code: CliErrorCode, params: Record<string, string> = {}): Err => ({ kind: 'error', code, params });
class CliError extends Error { constructor(readonly detail: Err) { super(detail.code); } }
const raise = (code: CliErrorCode, params: Record<string, string> = {}): never => { throw new CliError(fail(code, params)); };

// ---------------------------------------------------------------- tokens

/**
 * Splits a command line like a POSIX shell: whitespace separates words; '…' keeps everything
 * literally; "…" keeps everything but lets \ escape " \ $ ` and newline; an unquoted \ escapes
 * the next character; backslash-newline continues the line. No expansion ($, globs) happens.
 */
export function tokenize(line: string): { ok: true; tokens: string[] } | { ok: false; quote: string } {
  const tokens: string[] = [];
  let cur = '', inWord = false, i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) { i++; continue; }
      if (next === '\n') { i += 2; continue; }
      if (next === '\r' && line[i + 2] === '\n') { i += 3; continue; }
      cur += next; inWord = true; i += 2; continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, quote: "'" };
      cur += line.slice(i + 1, end); inWord = true; i = end + 1; continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') { closed = true; i++; break; }
        if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') cur += line[i + 1];
          i += 2; continue;
        }
        cur += d; i++;
      }
      if (!closed) return { ok: false, quote: '"' };
      inWord = true; continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) { tokens.push(cur); cur = ''; inWord = false; }
      i++; continue;
    }
    cur += c; inWord = true; i++;
  }
  if (inWord) tokens.push(cur);
  return { ok: true, tokens };
}

// ---------------------------------------------------------------- names

/** `DescribeInstances` → `describe-instances`, `OKActions` → `ok-actions`, `ListObjectsV2` → `list-objects-v2`. */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/([a-z])([0-9])/gi, (m, a: string, d: string) => (/[A-Z]/.test(a) ? m : `${a}-${d}`))
    .toLowerCase();
}

/** The CLI service names the terminal knows, sorted. */
export const cliServices = (): string[] => Object.keys(CLI_SERVICES).sort();

/** An operation's CLI name → API name, for one CLI service. */
function operationsOf(service: string): Map<string, string> {
  const ops = CLI_SERVICES[service]?.operations ?? {};
  return new Map(Object.keys(ops).map((api) => [kebab(api), api]));
}

// ---------------------------------------------------------------- values

const isStruct = (s: Shape): s is { [m: string]: Shape } => typeof s === 'object' && !Array.isArray(s);
const isMap = (s: Shape): boolean => isStruct(s) && '*' in s;
const isOpen = (s: Shape): boolean => isStruct(s) && '?' in s;

/** How the help text names a type. */
export function typeName(s: Shape): string {
  if (s === 's') return 'string';
  if (s === 'n') return 'number';
  if (s === 'b') return 'boolean';
  if (Array.isArray(s)) return `list<${typeName(s[0]!)}>`;
  if (isMap(s)) return `map<string, ${typeName((s as Record<string, Shape>)['*']!)}>`;
  return 'structure';
}

/**
 * The CLI's shorthand syntax (`Name=InstanceId,Value=i-1`, `Values=a,b`, `commands=["x","y"]`,
 * `k={a=b}`): a port of AWS CLI v2's ShorthandParser, producing strings, lists and objects.
 */
class Shorthand {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Record<string, unknown> {
    const out = this.params();
    this.ws();
    if (this.i < this.s.length) this.expected("','");
    return out;
  }

  private expected(what: string): never {
    return raise('badShorthand', { expected: what, received: this.i < this.s.length ? `'${this.s[this.i]}'` : 'EOF', input: this.s });
  }

  private ws(): void { while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++; }

  private params(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      const key = this.key();
      this.ws();
      if (this.s[this.i] !== '=') this.expected("'='");
      this.i++;
      this.ws();
      out[key] = this.values();
      this.ws();
      if (this.s[this.i] !== ',') return out;
      this.i++;
      this.ws();
    }
  }

  private key(): string {
    const m = /^[^=,\s[\]{}"']+/.exec(this.s.slice(this.i));
    if (!m) return this.expected('a key');
    this.i += m[0].length;
    return m[0];
  }

  private values(): unknown {
    const c = this.s[this.i];
    if (c === '[') return this.explicitList();
    if (c === '{') return this.hash();
    return this.csv();
  }

  private explicitList(): unknown[] {
    this.i++; // [
    this.ws();
    const out: unknown[] = [];
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === '[') out.push(this.explicitList());
      else if (c === '{') out.push(this.hash());
      else out.push(this.scalar(',]'));
      this.ws();
      if (this.s[this.i] === ',') { this.i++; continue; }
      if (this.s[this.i] === ']') { this.i++; return out; }
      return this.expected("']'");
    }
  }

  private hash(): Record<string, unknown> {
    this.i++; // {
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return {}; }
    const out = this.params();
    this.ws();
    if (this.s[this.i] !== '}') this.expected("'}'");
    this.i++;
    return out;
  }

  /** One value: quoted ('…' or "…") or bare up to a stop character; `\` escapes. */
  private scalar(stops: string, allowEquals = true): string {
    const q = this.s[this.i];
    if (q === '"' || q === "'") {
      let out = '';
      this.i++;
      while (this.i < this.s.length && this.s[this.i] !== q) {
        if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) this.i++;
        out += this.s[this.i++];
      }
      if (this.i >= this.s.length) this.expected(q);
      this.i++;
      return out;
    }
    let out = '';
    while (this.i < this.s.length && !stops.includes(this.s[this.i]!)) {
      const c = this.s[this.i]!;
      if (!allowEquals && c === '=') return raise('badShorthand', { expected: "','", received: "'='", input: this.s });
      if (c === '\\' && this.i + 1 < this.s.length) { out += this.s[this.i + 1]; this.i += 2; continue; }
      out += c; this.i++;
    }
    return out.trimEnd();
  }

  /** `a` → 'a'; `a,b,c` → ['a','b','c'] unless what follows a comma is the next `key=`. */
  private csv(): unknown {
    const first = this.scalar(',]}');
    const list = [first];
    for (;;) {
      if (this.s[this.i] !== ',') break;
      const back = this.i;
      this.i++;
      this.ws();
      try {
        const next = this.scalar(',]}', false);
        list.push(next);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        this.i = back;
        break;
      }
    }
    return list.length === 1 ? first : list;
  }
}

/** Parses shorthand text into an object (exported for tests). */
export function parseShorthand(text: string): Record<string, unknown> {
  return new Shorthand(text).parse();
}

function parseJson(text: string, option: string): unknown {
  try { return JSON.parse(text) as unknown; } catch (e) {
    return raise('badJson', { option, detail: e instanceof Error ? e.message : String(e), input: text });
  }
}

const looksJson = (v: string): boolean => /^\s*[[{"]/.test(v);

/** Gives a shorthand/JSON value the member's type: numbers, booleans, one-item lists. */
function coerce(v: unknown, shape: Shape, option: string): unknown {
  if (shape === 's') {
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(',');
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return raise('badValue', { option, value: JSON.stringify(v), type: 'string' });
  }
  if (shape === 'n') {
    if (typeof v === 'number') return v;
    const x = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (!Number.isFinite(x)) raise('badValue', { option, value: String(v), type: 'number' });
    return x;
  }
  if (shape === 'b') {
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return raise('badValue', { option, value: String(v), type: 'boolean' });
  }
  if (Array.isArray(shape)) {
    const items = Array.isArray(v) ? v : [v];
    return items.map((x) => coerce(x, shape[0]!, option));
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return raise('badValue', { option, value: JSON.stringify(v), type: typeName(shape) });
  if (isOpen(shape)) return v;
  const out: Record<string, unknown> = {};
  const each = (shape as Record<string, Shape>)['*'];
  for (const [k, x] of Object.entries(v)) {
    const member = each ?? (shape as Record<string, Shape>)[k];
    out[k] = member === undefined ? x : coerce(x, member, option);
  }
  return out;
}

/** One word given to an option → the value for an item of `shape`. */
function wordValue(word: string, shape: Shape, option: string): unknown {
  if (/^fileb?:\/\//.test(word)) raise('fileNotSupported', { option, value: word });
  if (shape === 's') return word;
  if (shape === 'n' || shape === 'b') return coerce(looksJson(word) ? parseJson(word, option) : word, shape, option);
  if (looksJson(word)) return coerce(parseJson(word, option), shape, option);
  if (Array.isArray(shape)) return coerce(isStruct(shape[0]!) ? parseShorthand(word) : word, shape, option);
  return coerce(parseShorthand(word), shape, option);
}

/** All the words an option received → its member value. */
function optionValue(words: string[], shape: Shape, option: string): unknown {
  if (Array.isArray(shape)) {
    const item = shape[0]!;
    // One JSON list, or items one per word (a shorthand word may itself hold a list).
    if (words.length === 1 && /^\s*\[/.test(words[0]!)) {
      if (/^fileb?:\/\//.test(words[0]!)) raise('fileNotSupported', { option, value: words[0]! });
      return coerce(parseJson(words[0]!, option), shape, option);
    }
    return words.flatMap((w) => {
      const v = wordValue(w, item, option);
      return Array.isArray(v) && !Array.isArray(item) ? v : [v];
    });
  }
  return wordValue(words.join(' '), shape, option);
}

// ---------------------------------------------------------------- command

const GLOBAL_WITH_VALUE = new Set(['--region', '--output', '--query', '--profile', '--endpoint-url', '--color', '--cli-read-timeout', '--cli-connect-timeout']);
const GLOBAL_FLAGS = new Set(['--no-cli-pager', '--no-paginate', '--debug', '--no-verify-ssl', '--no-sign-request']);

/** Parses one command line. */
export function parseAwsCli(line: string): CliParse {
  try {
    return parseOrThrow(line);
  } catch (e) {
    if (e instanceof CliError) return e.detail;
    throw e;
  }
}

function parseOrThrow(line: string): CliParse {
  const tk = tokenize(line);
  if (!tk.ok) return fail('unclosedQuote', { quote: tk.quote });
  const words = tk.tokens;
  if (words.length === 0) return fail('empty');
  if (words[0] !== 'aws') return fail('notAws', { command: words[0]! });

  // Global options may stand anywhere; take them out first.
  let region: string | null = null;
  const rest: string[] = [];
  const unknown: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const [name, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : [w, undefined];
    if (GLOBAL_WITH_VALUE.has(name)) {
      const value = inline ?? words[++i];
      if (value === undefined) return fail('missingValue', { option: name });
      if (name === '--region') region = value;
      else if (name === '--output' && value !== 'json') return fail('outputNotSupported', { value });
      else if (name === '--query') return fail('queryNotSupported');
      else if (name !== '--output' && name !== '--color') unknown.push(name);
      continue;
    }
    if (GLOBAL_FLAGS.has(w)) { if (w !== '--no-cli-pager' && w !== '--no-paginate') unknown.push(w); continue; }
    rest.push(w);
  }

  const [service, operation, ...args] = rest;
  if (service === undefined || service === 'help') return { kind: 'help', scope: 'services', items: cliServices() };
  const svc = CLI_SERVICES[service];
  if (!svc) return fail('unknownService', { service, choices: cliServices().join(', ') });
  const ops = operationsOf(service);
  if (operation === undefined) return fail('missingOperation', { service });
  if (operation === 'help') return { kind: 'help', scope: 'operations', service, items: [...ops.keys()].sort() };
  const action = ops.get(operation);
  if (!action) return fail('unknownOperation', { service, operation, choices: [...ops.keys()].sort().join(', ') });
  const members = svc.operations[action]!;
  if (args[0] === 'help') {
    return { kind: 'help', scope: 'options', service, operation,
      items: Object.entries(members).map(([m, s]) => ({ option: `--${kebab(m)}`, type: typeName(s) })) };
  }

  const byOption = new Map(Object.keys(members).map((m) => [kebab(m), m]));
  const params: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (!w.startsWith('--')) { unknown.push(w); continue; }
    const eq = w.indexOf('=');
    const opt = eq > 0 ? w.slice(2, eq) : w.slice(2);
    let member = byOption.get(opt);
    let negated = false;
    if (!member && opt.startsWith('no-')) {
      const m = byOption.get(opt.slice(3));
      if (m && members[m] === 'b') { member = m; negated = true; }
    }
    if (!member) { unknown.push(`--${opt}`); continue; }
    if (seen.has(member)) return fail('duplicateOption', { option: `--${opt}` });
    seen.add(member);
    const shape = members[member]!;
    if (shape === 'b' && eq < 0) { params[member] = !negated; continue; }
    const values: string[] = eq > 0 ? [w.slice(eq + 1)] : [];
    if (eq < 0) {
      const many = Array.isArray(shape);
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) {
        values.push(args[++i]!);
        if (!many) break;
      }
    }
    if (values.length === 0) return fail('missingValue', { option: `--${opt}` });
    params[member] = optionValue(values, shape, `--${opt}`);
  }
  if (unknown.length) return fail('unknownOptions', { options: unknown.join(', ') });
  return { kind: 'call', service: svc.api, action, params, region };
}
