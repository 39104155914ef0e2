/**
 * `npm run bench`: runs every benchmark and prints its figures. Benchmarks return numbers;
 * goals are judged by people reading them, never by timed tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const only = process.argv[2];
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
console.log(`Opsroom benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (!name.startsWith('bench') || typeof fn !== 'function') continue;
    const t0 = performance.now();
    const figures = (await (fn as () => Promise<Record<string, number | string>>)()) ?? {};
    console.log(`\n## ${f} :: ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
  }
}
