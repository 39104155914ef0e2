/**
 * The scenarios a learner can play: the built-in ones bundled at build time from
 * `scenarios/*.yaml`, and files the learner loaded from disk (kept in settings so they survive a
 * reload and can be resumed).
 */
import { parseScenario, type Scenario, type ScenarioProblem } from '../scenario/index.ts';
import { isHiddenScenario } from './bench-mode.ts';

const BUILTIN_RAW = import.meta.glob('../../scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface CatalogueEntry { scenario: Scenario; source: 'builtin' | 'file'; file: string }

/** `../../scenarios/x.yaml` → `scenarios/x.yaml` (how instructors name the file). */
const fileName = (key: string) => key.replace(/^(\.\.\/)+/, '');

export class Catalogue {
  private readonly entries = new Map<string, CatalogueEntry>();
  /** problems in built-in files (a broken build; shown, never hidden) */
  readonly builtinProblems: ScenarioProblem[] = [];

  constructor(raw: Record<string, string> = BUILTIN_RAW) {
    for (const [key, text] of Object.entries(raw).sort(([a], [b]) => a.localeCompare(b))) {
      const res = parseScenario(text, fileName(key));
      if (res.ok) this.entries.set(res.scenario.id, { scenario: res.scenario, source: 'builtin', file: fileName(key) });
      else this.builtinProblems.push(...res.problems);
    }
  }

  /** What the title screen offers (benchmark-only scenarios stay hidden). */
  list(): CatalogueEntry[] {
    return [...this.entries.values()].filter((e) => e.source === 'file' || !isHiddenScenario(e.scenario.id)).sort((a, b) => (a.source === b.source ? a.scenario.difficulty - b.scenario.difficulty : a.source === 'builtin' ? -1 : 1));
  }

  get(id: string): CatalogueEntry | undefined { return this.entries.get(id); }

  /** Adds a learner's file; a built-in id cannot be replaced by a file. */
  addFile(file: string, text: string): { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[]; duplicateId?: string } {
    const res = parseScenario(text, file);
    if (!res.ok) return res;
    const existing = this.entries.get(res.scenario.id);
    if (existing?.source === 'builtin') {
      return { ok: false, problems: [], duplicateId: res.scenario.id };
    }
    this.entries.set(res.scenario.id, { scenario: res.scenario, source: 'file', file });
    return { ok: true, scenario: res.scenario };
  }
}
