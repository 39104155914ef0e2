import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createI18n, pickLanguage } from '../../src/i18n/index.ts';
import { NAMESPACES, resources } from '../../src/i18n/resources.ts';

const flat = (o: unknown, pre = ''): [string, unknown][] =>
  o && typeof o === 'object' && !Array.isArray(o)
    ? Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => flat(v, pre ? `${pre}.${k}` : k))
    : [[pre, o]];

describe('Korean and English resources', () => {
  it('every namespace file is registered in resources.ts', () => {
    const dir = path.resolve(import.meta.dirname, '../../src/i18n/locales/en');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect([...files].sort()).toEqual([...NAMESPACES].sort());
  });

  for (const ns of NAMESPACES) {
    it(`${ns}: ko and en have the same keys and no empty text`, () => {
      const ko = flat(resources.ko[ns]), en = flat(resources.en[ns]);
      expect(ko.map(([k]) => k).sort()).toEqual(en.map(([k]) => k).sort());
      const empty = [...ko, ...en].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
    });
  }

  it('Korean text is Korean: most ko values contain Hangul', () => {
    const ko = flat({ ...resources.ko }).filter(([, v]) => typeof v === 'string') as [string, string][];
    if (ko.length === 0) return;
    const hangul = ko.filter(([, v]) => /[\uAC00-\uD7A3]/.test(v)).length;
    expect(hangul / ko.length).toBeGreaterThan(0.6);
  });

  it('picks the language from browser tags and translates', async () => {
    expect(pickLanguage(['ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage(['fr-FR'])).toBe('en');
    const i18n = await createI18n('ko');
    expect(i18n.language).toBe('ko');
  });
});
