/**
 * The seam between the composition root (src/app) and the scenes: what the UI may ask for
 * (`UiPort`) and what it is told (`UiEvents` on a typed bus). Scenes never see the engine, the
 * database or the service worker; they render plain view models and turn input into port calls.
 */
import type { Language } from '../i18n/index.ts';

export type Localized = { ko: string; en: string };
export type Speed = 0 | 1 | 60 | 3600;
export const SPEEDS: readonly Speed[] = [0, 1, 60, 3600];

/** A scenario offered on the title screen. */
export interface ScenarioCard {
  id: string;
  title: Localized;
  summary: Localized;
  difficulty: number;
  estimatedMinutes: number;
  source: 'builtin' | 'file';
  /** progress kept for this scenario */
  progress: null | { status: 'playing' | 'finished'; score: number | null; simTime: string };
}

/** The subset of the scenario runtime's RunView the console renders. */
export interface RunViewLike {
  stateId: string;
  phase: 'briefing' | 'investigate' | 'checkpoint' | 'remediate' | 'debrief';
  finished: boolean;
  score: number;
  now: string;
  title: Localized;
  briefing: Localized;
  objectives: { id: string; text: Localized; done: boolean }[];
  checkpoint: null | { id: string; kind: 'single' | 'multiple'; prompt: Localized; options: { id: string; text: Localized }[] };
  answered: Record<string, { correct: boolean; attempts: number }>;
  messages: { at: string; from: string; text: Localized }[];
  hints: { id: string; cost: number; used: boolean; text: Localized | null }[];
  debrief: Localized | null;
}

export interface InstanceTile {
  instanceId: string;
  name: string | null;
  instanceType: string;
  state: string;
  availabilityZone: string;
}

export interface CpuSeries {
  instanceId: string;
  name: string | null;
  /** epoch ms */
  timestamps: number[];
  /** percent */
  values: number[];
  periodSeconds: number;
}

/** Everything the console draws, rebuilt by the app once per frame when something changed. */
export interface ConsoleModel {
  scenarioId: string;
  accountId: string;
  region: string;
  speed: Speed;
  view: RunViewLike;
  instances: InstanceTile[];
  selectedInstanceId: string | null;
  /** null while no CloudWatch data source exists: the graph shows its empty state */
  cpu: CpuSeries | null;
}

export type SaveProblem = 'quota' | 'write' | 'corrupt' | 'resume' | 'unavailable';

export interface LookupResult {
  ok: boolean;
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface UiEvents {
  'language-changed': { lang: Language };
  'catalogue-changed': { cards: ScenarioCard[] };
  'console-changed': ConsoleModel;
  'update-available': { available: boolean };
  'save-problem': { problem: SaveProblem | null };
  'show': { scene: 'title' | 'console' | 'debrief' };
}

export type T = (key: string, opts?: Record<string, unknown>) => string;

export interface UiPort {
  t: T;
  lang(): Language;
  setLanguage(lang: Language): void;
  reducedMotion(): boolean;
  catalogue(): ScenarioCard[];
  /** Problems in the built-in scenario files (a broken build), formatted in the current language. */
  catalogueProblems(): string[];
  /** The newest unfinished run, if any, for the title's continue button. */
  resumable(): { scenarioId: string; title: Localized; simTime: string } | null;
  startScenario(id: string): void;
  continueRun(scenarioId: string): void;
  /** Parses a scenario file from disk; problems come formatted in the current language. */
  loadScenarioFile(name: string, text: string): Promise<{ ok: true; id: string } | { ok: false; problems: string[] }>;
  console(): ConsoleModel | null;
  setSpeed(speed: Speed): void;
  selectInstance(instanceId: string): void;
  beginRun(): void;
  lookupEvents(params: Record<string, unknown>): LookupResult;
  answer(checkpointId: string, choice: string | string[]): { correct: boolean; explain: Localized } | null;
  useHint(hintId: string): void;
  backToTitle(): void;
  updateAvailable(): boolean;
  applyUpdate(): void;
  saveProblem(): SaveProblem | null;
}

type Handler<P> = (payload: P) => void;

/** A small typed event bus. */
export interface Bus<E> {
  on<K extends keyof E>(type: K, fn: Handler<E[K]>): () => void;
  emit<K extends keyof E>(type: K, payload: E[K]): void;
}

export function createBus<E>(): Bus<E> {
  const handlers = new Map<keyof E, Set<Handler<never>>>();
  return {
    on(type, fn) {
      let set = handlers.get(type);
      if (!set) handlers.set(type, (set = new Set()));
      set.add(fn as Handler<never>);
      return () => { set.delete(fn as Handler<never>); };
    },
    emit(type, payload) {
      for (const fn of [...(handlers.get(type) ?? [])]) (fn as Handler<typeof payload>)(payload);
    },
  };
}

export type UiBus = Bus<UiEvents>;

/** Picks the learner's language from a {ko, en} pair. */
export const loc = (text: Localized, lang: Language): string => text[lang] || text.en || text.ko;
