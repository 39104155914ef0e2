/** Every i18n key the UI and app use exists in both languages (parity alone would not catch a typo). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import en from '../../src/i18n/locales/en/ui.json' with { type: 'json' };
import ko from '../../src/i18n/locales/ko/ui.json' with { type: 'json' };
import { LOOKUP_ATTRIBUTES, TIME_RANGES } from '../../src/ui/event-history.model.ts';

const root = new URL('../../src/', import.meta.url).pathname;
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []; });
}
function has(obj: unknown, key: string): boolean {
  let cur: unknown = obj;
  for (const part of key.split('.')) { if (typeof cur !== 'object' || cur === null || !(part in cur)) return false; cur = (cur as Record<string, unknown>)[part]; }
  return typeof cur === 'string' && cur.length > 0;
}

test('keys used in src/ui and src/app exist in ko and en', () => {
  const used = new Set<string>();
  for (const f of [...files(join(root, 'ui')), ...files(join(root, 'app'))]) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/'((?:title|console|eventHistory|quiz|debrief|save|lang|ec2)\.[A-Za-z0-9.-]+)'/g)) used.add(m[1]!);
  }
  for (const a of LOOKUP_ATTRIBUTES) used.add(`eventHistory.attr.${a}`);
  for (const r of TIME_RANGES) used.add(`eventHistory.range.${r}`);
  for (const s of ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']) used.add(`ec2.state.${s}`);
  for (const p of ['quota', 'write', 'corrupt', 'resume', 'unavailable']) used.add(`save.problem.${p}`);
  for (const l of ['ko', 'en']) used.add(`quiz.readIn.${l}`);
  expect(used.size).toBeGreaterThan(80);
  const missing = [...used].filter((k) => !has(ko, k) || !has(en, k));
  expect(missing).toEqual([]);
});

test('Korean labels use the AWS Korean console terms', () => {
  expect(ko.eventHistory.title).toBe('이벤트 기록');
  expect(ko.eventHistory.attribute).toBe('조회 속성');
  expect(ko.console.instances).toBe('인스턴스');
  expect(en.eventHistory.attr).toMatchObject({ EventName: 'Event name', Username: 'User name', AccessKeyId: 'AWS access key' });
});
