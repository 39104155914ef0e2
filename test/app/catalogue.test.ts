import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { Catalogue } from '../../src/app/catalogue.ts';

const tutorial = readFileSync(new URL('../../scenarios/tutorial-who-terminated.yaml', import.meta.url), 'utf8');

test('built-in scenarios are bundled and parse without problems', () => {
  const c = new Catalogue();
  expect(c.builtinProblems).toEqual([]);
  expect(c.list().map((e) => [e.scenario.id, e.source, e.file])).toContainEqual(['tutorial-who-terminated', 'builtin', 'scenarios/tutorial-who-terminated.yaml']);
});

test('a learner file: problems come back with paths; a valid one joins the list; built-in ids stay', () => {
  const c = new Catalogue({});
  const bad = c.addFile('mine.yaml', 'schemaVersion: 1\nid: 7\n');
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.problems.length).toBeGreaterThan(0);
  const mine = tutorial.replace('id: tutorial-who-terminated', 'id: my-copy');
  const ok = c.addFile('mine.yaml', mine);
  expect(ok.ok).toBe(true);
  expect(c.get('my-copy')?.source).toBe('file');
  const withBuiltin = new Catalogue();
  const dup = withBuiltin.addFile('dup.yaml', tutorial);
  expect(dup).toEqual({ ok: false, problems: [], duplicateId: 'tutorial-who-terminated' });
  expect(withBuiltin.get('tutorial-who-terminated')?.source).toBe('builtin');
});
