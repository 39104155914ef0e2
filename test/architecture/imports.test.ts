/**
 * The allowed-imports table of ARCHITECTURE.md, enforced: walks every import in src/ and fails
 * on an edge the table forbids. Also bans wall-clock time, Math.random and timers in the engine
 * and the scenario runtime (OpenFrontIO-style).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? walk(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(d.name) ? [p] : [];
  });
}

const IMPORT_RE = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;

export function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return out;
}

const area = (abs: string) => path.relative(SRC, abs).split(path.sep)[0]!;
const rel = (abs: string) => path.relative(ROOT, abs);

/** What each area may import: other src areas (by folder), and packages. */
const RULES: Record<string, { areas: string[]; packages: RegExp }> = {
  engine: { areas: ['engine'], packages: /^fflate$/ },
  scenario: { areas: ['engine', 'scenario'], packages: /^(xstate(\/.*)?|yaml|zod(\/.*)?)$/ },
  persistence: { areas: ['engine', 'scenario', 'persistence'], packages: /^dexie$/ },
  i18n: { areas: ['i18n'], packages: /^i18next$/ },
  ui: { areas: ['engine', 'scenario', 'i18n', 'ui'], packages: /^(phaser|i18next)$/ },
  pwa: { areas: ['pwa', 'i18n'], packages: /^(virtual:pwa-register|workbox-window)$/ },
  app: { areas: ['engine', 'scenario', 'persistence', 'i18n', 'ui', 'pwa', 'app'], packages: /^(i18next|i18next-browser-languagedetector|dexie|virtual:pwa-register|workbox-window)$/ },
  cli: { areas: ['engine', 'scenario', 'i18n', 'cli'], packages: /^(node:.*|yaml|zod(\/.*)?)$/ },
};

/** Within the engine, only the public API (index.ts) and service view modules may be imported from outside. */
function engineEntryAllowed(target: string): boolean {
  const r = path.relative(path.join(SRC, 'engine'), target).split(path.sep).join('/');
  return r === 'index.ts' || /^services\/[^/]+\/(index|[\w-]+\.views)\.ts$/.test(r);
}

describe('import boundaries', () => {
  const files = walk(SRC);
  it('finds the source tree', () => {
    expect(files.some((f) => f.includes(`${path.sep}engine${path.sep}`))).toBe(true);
  });

  it('every import stays inside what its area may use', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = area(file);
      const rule = RULES[from];
      if (!rule) { violations.push(`${rel(file)}: area '${from}' has no rule in the allowed-imports table`); continue; }
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(SRC)) {
            if (from === 'app' && target.startsWith(path.join(ROOT, 'scenarios'))) continue; // bundled built-in scenarios
            if (/\/locales\/|\.json$/.test(spec) && from === 'i18n') continue;
            violations.push(`${rel(file)} → ${spec}: outside src/`);
            continue;
          }
          const to = area(target);
          if (!rule.areas.includes(to)) violations.push(`${rel(file)} → ${spec}: ${from} may not import ${to}`);
          else if (to === 'engine' && from !== 'engine' && !engineEntryAllowed(target))
            violations.push(`${rel(file)} → ${spec}: use the engine's public API or a service's views, not its internals`);
        } else if (!rule.packages.test(spec)) {
          violations.push(`${rel(file)} → ${spec}: package not allowed in ${from}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('Phaser is imported only under src/ui', () => {
    const offenders = files.filter((f) => area(f) !== 'ui' && importsOf(f).some((s) => s === 'phaser' || s.startsWith('phaser/')));
    expect(offenders.map(rel)).toEqual([]);
  });

  it('the import scanner sees the imports it must police', () => {
    const probe = path.join(SRC, 'engine', 'index.ts');
    expect(importsOf(probe)).toContain('./kernel/engine.ts');
  });
});

describe('determinism guard', () => {
  const banned = /\bMath\.random\b|\bDate\.now\b|\bnew Date\b|\bperformance\.now\b|\bsetTimeout\b|\bsetInterval\b|\brequestAnimationFrame\b|\bcrypto\./;
  it('src/engine and src/scenario use neither wall-clock time, Math.random nor timers', () => {
    const offenders: string[] = [];
    for (const file of walk(SRC).filter((f) => ['engine', 'scenario'].includes(area(f)))) {
      const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      text.split('\n').forEach((line, i) => { if (banned.test(line)) offenders.push(`${rel(file)}:${i + 1}: ${line.trim()}`); });
    }
    expect(offenders).toEqual([]);
  });
});
