/**
 * Tiny DOM helpers for the overlays. Text only ever goes in through `textContent` (scenario and
 * quiz text may contain HTML snippets that must show as text), never through innerHTML.
 */
type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;
type Child = Node | string | null | undefined | false;

/** Creates an element; `on*` attributes become listeners, strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'text') el.textContent = String(value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** Replaces all children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** Keeps a list of re-render callbacks so one language switch updates every text at once. */
export class TextBinder {
  private readonly items: (() => void)[] = [];
  bind(fn: () => void): void { this.items.push(fn); fn(); }
  apply(): void { for (const f of this.items) f(); }
}

/** One formatter per language and precision: making an Intl.DateTimeFormat costs far more than using one (the clock formats every frame). */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Formats a simulated ISO time for people, in UTC (the simulated account's clock). */
export function formatTime(iso: string | number, lang: string, withSeconds = true): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
  const key = `${locale}|${withSeconds}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}), hourCycle: 'h23',
    });
    timeFormats.set(key, f);
  }
  return f.format(d) + ' UTC';
}

/** Authored text as paragraphs: blank lines separate them, single line breaks are wrapping. */
export function paragraphs(text: string, attrs: Record<string, string> = {}): HTMLParagraphElement[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).map((p) => h('p', attrs, p.replace(/\s*\n\s*/g, ' ')));
}
