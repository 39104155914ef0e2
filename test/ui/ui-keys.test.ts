/** Every i18n key the UI and app use exists in both languages (parity alone would not catch a typo). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import en from '../../src/i18n/locales/en/ui.json' with { type: 'json' };
import ko from '../../src/i18n/locales/ko/ui.json' with { type: 'json' };
import { LOOKUP_ATTRIBUTES, TIME_RANGES } from '../../src/ui/event-history.model.ts';
import { OPERATORS } from '../../src/ui/dom/alarms.panel.ts';
import { GROUP_BYS, HEALTH_METRICS, SORT_BYS } from '../../src/ui/health.model.ts';
import { CONSOLE_TABS } from '../../src/ui/ports.ts';

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
    for (const m of src.matchAll(/'((?:title|console|eventHistory|quiz|debrief|save|lang|ec2|metrics|alarms|dashboards|health|sns|asg|terminal)\.[A-Za-z0-9.-]+)'/g)) used.add(m[1]!);
  }
  for (const a of LOOKUP_ATTRIBUTES) used.add(`eventHistory.attr.${a}`);
  for (const r of TIME_RANGES) used.add(`eventHistory.range.${r}`);
  for (const s of ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']) used.add(`ec2.state.${s}`);
  for (const p of ['quota', 'write', 'corrupt', 'resume', 'unavailable']) used.add(`save.problem.${p}`);
  for (const l of ['ko', 'en']) used.add(`quiz.readIn.${l}`);
  for (const k of CONSOLE_TABS) used.add(`console.tab.${k}`);
  for (const s of ['OK', 'ALARM', 'INSUFFICIENT_DATA']) used.add(`alarms.stateLabel.${s}`);
  for (const o of OPERATORS) used.add(`alarms.op.${o}`);
  for (const m of ['missing', 'ignore', 'breaching', 'notBreaching']) used.add(`alarms.missing.${m}`);
  for (const ty of ['ConfigurationUpdate', 'StateUpdate', 'Action']) used.add(`alarms.type.${ty}`);
  for (const m of HEALTH_METRICS) used.add(`health.metric.${m}`);
  for (const g of GROUP_BYS) used.add(`health.group.${g}`);
  for (const s of SORT_BYS) used.add(`health.sort.${s}`);
  for (const b of ['low', 'mid', 'high', 'none']) { used.add(`health.band.${b}`); used.add(`health.bandName.${b}`); }
  for (const s of ['all', 'pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated']) used.add(`health.state.${s}`);
  for (const k of ['email', 'slack', 'telegram', 'https', 'other']) used.add(`sns.kind.${k}`);
  expect(used.size).toBeGreaterThan(80);
  const missing = [...used].filter((k) => !has(ko, k) || !has(en, k));
  expect(missing).toEqual([]);
});

test('Korean labels use the AWS Korean console terms', () => {
  expect(ko.eventHistory.title).toBe('이벤트 기록');
  expect(ko.eventHistory.attribute).toBe('조회 속성');
  expect(ko.console.instances).toBe('인스턴스');
  expect(ko.console.tab).toMatchObject({ metrics: '지표', alarms: '경보', dashboards: '대시보드' });
  expect(ko.metrics).toMatchObject({ namespace: '네임스페이스', dimensions: '차원', statistic: '통계', period: '기간' });
  expect(en.eventHistory.attr).toMatchObject({ EventName: 'Event name', Username: 'User name', AccessKeyId: 'AWS access key' });
});
