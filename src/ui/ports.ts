/**
 * The seam between the composition root (src/app) and the scenes: what the UI may ask for
 * (`UiPort`) and what it is told (`UiEvents` on a typed bus). Scenes never see the engine, the
 * database or the service worker; they render plain view models and turn input into port calls.
 */
import type { Language } from '../i18n/index.ts';
import type { RunView } from '../scenario/index.ts';

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

/** The scenario runtime's run view, as the console renders it. */
export type RunViewLike = RunView;

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

/** The console's tabs (the first one holds the story: objectives, messages, Event history). */
export const CONSOLE_TABS = ['overview', 'metrics', 'alarms', 'dashboards', 'health', 'sns', 'asg', 'terminal'] as const;
export type ConsoleTab = (typeof CONSOLE_TABS)[number];

export interface DimensionLike { Name: string; Value: string }

/** One metric as ListMetrics shows it (namespace + name + full dimension set). */
export interface MetricEntry { namespace: string; metricName: string; dimensions: DimensionLike[] }

/** What the metric explorer graphs. */
export interface MetricPick extends MetricEntry { stat: string; period: number }

/** A graph's data: one or more lines over the visible window. */
export interface GraphSeries {
  id: string;
  title: string;
  unit: string;
  periodSeconds: number;
  stat: string;
  /** window, epoch ms */
  start: number;
  end: number;
  lines: { label: string; timestamps: number[]; values: number[] }[];
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmHistoryRow {
  time: number;
  type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  /** for state updates: the new state's StateReason ("why") */
  reason: string | null;
  newState: AlarmStateValue | null;
}

export interface AlarmView {
  name: string;
  kind: 'metric' | 'composite';
  state: AlarmStateValue;
  reason: string;
  updated: number;
  /** a metric alarm's condition (the UI words it), or null for a composite alarm; no threshold on an anomaly-detection alarm */
  condition: null | { stat: string; op: string; threshold: number | null; m: number; n: number; period: number; treatMissing: string };
  /** an anomaly-detection alarm's band: the width in standard deviations (its metric is `metricName`), else null */
  band?: { width: number } | null;
  /** a composite alarm's rule */
  rule: string | null;
  /** what a metric-math alarm watches (its expression), or null */
  expression: string | null;
  namespace: string | null;
  metricName: string | null;
  dimensions: DimensionLike[];
  actionsEnabled: boolean;
  actions: string[];
  /** newest first */
  history: AlarmHistoryRow[];
}

export interface HealthTile {
  instanceId: string;
  name: string | null;
  instanceType: string;
  availabilityZone: string;
  state: string;
  tags: Record<string, string>;
  /** latest CPUUtilization (%), null without data */
  cpu: number | null;
  /** latest CWAgent mem_used_percent, null when the agent does not publish it */
  mem: number | null;
  /** latest StatusCheckFailed (0 passed, ≥1 failed), null without data */
  statusFailed: number | null;
}

export interface InboxRow {
  endpoint: string;
  protocol: string;
  kind: string;
  subject: string | null;
  message: string;
  time: number;
  topicArn: string;
  messageId: string;
}

export interface AsgPanelGroup {
  name: string;
  minSize: number;
  desiredCapacity: number;
  maxSize: number;
  status: string;
  availabilityZones: string[];
  instances: { instanceId: string; availabilityZone: string; lifecycleState: string; healthStatus: string }[];
  policies: { name: string; type: string; alarms: string[] }[];
  activities: { time: number; status: string; description: string; cause: string }[];
}

export type WidgetView =
  | { kind: 'line' | 'stacked'; title: string; graph: GraphSeries }
  | { kind: 'number'; title: string; items: { label: string; value: number | null; unit: string }[] }
  | { kind: 'gauge'; title: string; items: { label: string; value: number | null; unit: string }[]; min: number; max: number }
  | { kind: 'alarm'; title: string; alarms: { name: string; state: AlarmStateValue }[] }
  | { kind: 'text'; title: string; markdown: string };

export interface DashboardView { name: string; widgets: WidgetView[] }

/**
 * What the UI asks the run to compute: the visible tab and the pickers. Only the visible tab's
 * data travels from the worker.
 */
export interface ViewRequest {
  tab: ConsoleTab;
  selectedInstanceId: string | null;
  explorer: MetricPick | null;
  dashboard: string | null;
  /** the graphs' visible window (ms back from now) */
  windowMs: number;
  /** how many instance CPU graphs the canvas shows (1 normally; the frame benchmark asks for 8) */
  canvasGraphs: number;
}

export const DEFAULT_VIEW_REQUEST: ViewRequest = {
  tab: 'overview', selectedInstanceId: null, explorer: null, dashboard: null, windowMs: 3 * 3_600_000, canvasGraphs: 1,
};

/** Everything the console draws. Parts a tab does not need are null while it is hidden. */
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
  /** the canvas graphs (the first is the selected instance's CPU) */
  graphs: GraphSeries[];
  request: ViewRequest;
  metricCatalogue: MetricEntry[] | null;
  explorer: GraphSeries | null;
  alarms: AlarmView[] | null;
  dashboards: { names: string[]; current: DashboardView | null } | null;
  health: HealthTile[] | null;
  inbox: InboxRow[] | null;
  groups: AsgPanelGroup[] | null;
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
  /** Changes what the console looks at (tab, pickers); the next model follows it. */
  setView(change: Partial<ViewRequest>): void;
  viewRequest(): ViewRequest;
  /** An API call made by the learner (recorded in CloudTrail), e.g. PutMetricAlarm. */
  act(service: string, action: string, params: Record<string, unknown>): Promise<LookupResult>;
  lookupEvents(params: Record<string, unknown>): Promise<LookupResult>;
  answer(checkpointId: string, choice: string | string[]): Promise<{ correct: boolean; explain: Localized } | null>;
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
