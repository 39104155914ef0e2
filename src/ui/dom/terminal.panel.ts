/**
 * The terminal (터미널): a command line that accepts AWS CLI syntax (`aws ssm send-command ...`)
 * for the calls the console has no form for. Each command is parsed by `ui/cli/aws-cli.parse.ts`
 * and sent through the port's `act`, as the learner (so CloudTrail records it). The output area
 * prints the JSON response (2-space indent) or the error the way the CLI words it. History with
 * ↑/↓; Enter runs, Shift+Enter or a trailing `\` continues on a new line.
 */
import { parseAwsCli, type CliParse } from '../cli/aws-cli.parse.ts';
import type { ConsoleModel, UiPort } from '../ports.ts';
import { h, TextBinder } from './dom.ts';

/** How many entries the output keeps (older ones scroll away). */
const MAX_ENTRIES = 60;

export class TerminalPanel {
  readonly el: HTMLElement;
  private readonly texts = new TextBinder();
  private readonly input: HTMLTextAreaElement;
  private readonly output: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly history: string[] = [];
  private cursor = 0;
  private draft = '';
  private region: string | null = null;
  private busy = false;

  constructor(private readonly port: UiPort) {
    const t = port.t;
    const tx = <E extends HTMLElement>(el: E, key: string, opts?: Record<string, unknown>) => {
      this.texts.bind(() => { el.textContent = t(key, opts); }); return el;
    };
    this.output = h('div', { id: 'term-output', class: 'term-output', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: 0 });
    this.texts.bind(() => { this.output.setAttribute('aria-label', t('terminal.output')); });
    this.input = h('textarea', { id: 'term-input', class: 'term-input mono', rows: 2, spellcheck: 'false', autocomplete: 'off',
      autocapitalize: 'off', autocorrect: 'off', 'aria-describedby': 'term-help', onkeydown: (ev: Event) => this.onKey(ev as KeyboardEvent) });
    this.texts.bind(() => { this.input.placeholder = 'aws ec2 describe-instances'; });
    this.runButton = tx(h('button', { type: 'submit', id: 'term-run', class: 'primary' }), 'terminal.run');
    const clear = tx(h('button', { type: 'button', id: 'term-clear', onclick: () => { this.output.replaceChildren(); this.input.focus(); } }), 'terminal.clear');
    const form = h('form', { class: 'term-form', onsubmit: (ev: Event) => { ev.preventDefault(); void this.run(); } },
      tx(h('label', { for: 'term-input' }), 'terminal.label'),
      h('div', { class: 'term-line' }, h('span', { class: 'term-prompt mono', 'aria-hidden': 'true' }, '$'), this.input),
      h('div', { class: 'row' }, this.runButton, clear));
    this.el = h('div', { id: 'terminal' },
      tx(h('p', { class: 'muted', id: 'term-help' }), 'terminal.about'),
      form, this.output);
  }

  applyLanguage(): void { this.texts.apply(); }

  update(m: ConsoleModel): void { this.region = m.region; }

  private onKey(ev: KeyboardEvent): void {
    const ta = this.input;
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      // A trailing backslash continues the command on the next line, like a shell.
      if (/\\$/.test(ta.value.slice(0, ta.selectionStart))) return;
      ev.preventDefault();
      void this.run();
      return;
    }
    if (ev.key === 'ArrowUp' && !ta.value.slice(0, ta.selectionStart).includes('\n')) {
      if (this.cursor === 0) return;
      if (this.cursor === this.history.length) this.draft = ta.value;
      this.cursor--;
      ev.preventDefault();
      this.setInput(this.history[this.cursor] ?? '');
    } else if (ev.key === 'ArrowDown' && !ta.value.slice(ta.selectionEnd).includes('\n')) {
      if (this.cursor >= this.history.length) return;
      this.cursor++;
      ev.preventDefault();
      this.setInput(this.cursor === this.history.length ? this.draft : this.history[this.cursor] ?? '');
    }
  }

  private setInput(v: string): void {
    this.input.value = v;
    this.input.setSelectionRange(v.length, v.length);
  }

  /** Runs what the input holds. */
  async run(): Promise<void> {
    const line = this.input.value;
    if (this.busy || line.trim() === '') return;
    if (this.history[this.history.length - 1] !== line) this.history.push(line);
    this.cursor = this.history.length;
    this.draft = '';
    this.input.value = '';
    const entry = h('div', { class: 'term-entry' }, h('pre', { class: 'term-cmd mono' }, `$ ${line}`));
    this.output.append(entry);
    while (this.output.childElementCount > MAX_ENTRIES) this.output.firstElementChild?.remove();
    this.busy = true;
    this.runButton.disabled = true;
    try {
      entry.append(...await this.execute(parseAwsCli(line)));
    } finally {
      this.busy = false;
      this.runButton.disabled = false;
      entry.scrollIntoView?.({ block: 'nearest' });
    }
  }

  private async execute(p: CliParse): Promise<HTMLElement[]> {
    const t = this.port.t;
    const out = (text: string, cls = '') => h('pre', { class: `term-out mono ${cls}`.trim() }, text);
    if (p.kind === 'error') return [out(t(`terminal.error.${p.code}`, p.params), 'term-error')];
    if (p.kind === 'help') {
      if (p.scope === 'services') return [out(t('terminal.help.services')), out(p.items.map((s) => `  ${s}`).join('\n'))];
      if (p.scope === 'operations') return [out(t('terminal.help.operations', { service: p.service })), out(p.items.map((s) => `  ${s}`).join('\n'))];
      return [out(t('terminal.help.options', { service: p.service, operation: p.operation })),
        out(p.items.length ? p.items.map((o) => `  ${o.option} (${o.type})`).join('\n') : `  ${t('terminal.help.none')}`)];
    }
    // The port sends calls to the run's one Region; another Region cannot be reached from here.
    const current = this.region ?? this.port.console()?.region ?? null;
    if (p.region !== null && p.region !== current) {
      return [out(t('terminal.error.region', { region: p.region, current: current ?? '-' }), 'term-error')];
    }
    const r = await this.port.act(p.service, p.action, p.params);
    if (!r.ok) {
      const e = r.error ?? { code: 'Unknown', message: '' };
      return [out(t('terminal.apiError', { code: e.code, action: p.action, message: e.message }), 'term-error')];
    }
    const body = r.output ?? {};
    if (Object.keys(body).length === 0) return [out(t('terminal.noOutput'), 'muted')];
    return [out(JSON.stringify(body, null, 2), 'json')];
  }
}
