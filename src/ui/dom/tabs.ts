/**
 * An accessible tab strip (WAI-ARIA tabs): `role=tablist`, one tab stop, arrow keys, Home/End,
 * automatic activation. Panels stay in the DOM, hidden when not selected.
 */
import { h } from './dom.ts';

export class Tabs<K extends string> {
  readonly list: HTMLElement;
  private readonly buttons = new Map<K, HTMLButtonElement>();
  private readonly panels = new Map<K, HTMLElement>();
  private current: K;

  constructor(private readonly idPrefix: string, keys: readonly K[], first: K, private readonly onSelect: (k: K) => void) {
    this.current = first;
    this.list = h('div', { role: 'tablist', class: 'tabs', id: `${idPrefix}-tabs` });
    for (const k of keys) {
      const b = h('button', { type: 'button', role: 'tab', id: `${idPrefix}-tab-${k}`, 'aria-controls': `${idPrefix}-panel-${k}`,
        'data-tab': k, onclick: () => this.select(k, false), onkeydown: (ev: Event) => this.onKey(ev as KeyboardEvent, keys) });
      this.buttons.set(k, b);
      this.list.append(b);
    }
  }

  /** Wraps a panel's content as the tabpanel of `k`. */
  panel(k: K, ...children: HTMLElement[]): HTMLElement {
    const p = h('section', { role: 'tabpanel', id: `${this.idPrefix}-panel-${k}`, 'aria-labelledby': `${this.idPrefix}-tab-${k}`, class: 'tabpanel', tabindex: 0 }, ...children);
    this.panels.set(k, p);
    this.sync();
    return p;
  }

  label(k: K, text: string): void { const b = this.buttons.get(k); if (b && b.textContent !== text) b.textContent = text; }

  get selected(): K { return this.current; }

  select(k: K, focus: boolean): void {
    if (k !== this.current) { this.current = k; this.sync(); this.onSelect(k); }
    if (focus) this.buttons.get(k)?.focus();
  }

  private sync(): void {
    for (const [k, b] of this.buttons) {
      const on = k === this.current;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const [k, p] of this.panels) p.hidden = k !== this.current;
  }

  private onKey(ev: KeyboardEvent, keys: readonly K[]): void {
    const i = keys.indexOf(this.current);
    const to = ev.key === 'ArrowRight' ? keys[(i + 1) % keys.length] : ev.key === 'ArrowLeft' ? keys[(i - 1 + keys.length) % keys.length]
      : ev.key === 'Home' ? keys[0] : ev.key === 'End' ? keys[keys.length - 1] : undefined;
    if (to === undefined) return;
    ev.preventDefault();
    this.select(to, true);
  }
}
