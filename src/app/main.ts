/**
 * The composition root: i18n, persistence, the scenario catalogue and runtime, the game loop,
 * the PWA layer, and the UI (through its port and bus). Everything else is wired from here.
 */
import './styles.css';
import type { i18n as I18n } from 'i18next';
import { createI18n, pickLanguage, type Language } from '../i18n/index.ts';
import { getSave, getSetting, listSaves, openDatabase, setSetting, SaveError, type OpsroomDb, type SaveSummary } from '../persistence/index.ts';
import { formatProblem, type SavedRun, type Scenario } from '../scenario/index.ts';
import { registerPwa, type Pwa } from '../pwa/register.ts';
import { createUi, type Ui } from '../ui/create-ui.ts';
import {
  createBus, DEFAULT_VIEW_REQUEST, type ConsoleModel, type SaveProblem, type ScenarioCard, type Speed, type UiEvents, type UiPort, type ViewRequest,
} from '../ui/ports.ts';
import { BENCH_SCENARIO_ID, benchFlags, type BenchFlags } from './bench-mode.ts';
import { Catalogue } from './catalogue.ts';
import { MAX_FRAME_MS, simStepMs, startLoop } from './game-loop.ts';
import { localTransport, RunProxy, workerTransport, type Transport } from './run-proxy.ts';
import { Session, slotId } from './session.ts';

type Progress = Record<string, { score: number; finishedAt: number }>;
type Imported = { file: string; text: string }[];

/** Real ms of backlog the clock may owe the engine before it gives up time (a slow worker slows the game down). */
const MAX_BACKLOG_REAL_MS = 4 * MAX_FRAME_MS;

class App {
  readonly bus = createBus<UiEvents>();
  private session: Session<RunProxy> | null = null;
  /** simulated ms the clock owes the run (sent to the worker when it is idle) */
  private pendingMs = 0;
  /** the speed of the advance in flight */
  private movingSpeed: Speed = 0;
  private request: ViewRequest = { ...DEFAULT_VIEW_REQUEST };
  private model: ConsoleModel | null = null;
  private saves: SaveSummary[] = [];
  private progress: Progress = {};
  private imported: Imported = [];
  private scene: 'title' | 'console' | 'debrief' | null = null;
  private update = false;
  private problem: SaveProblem | null = null;
  private lastSave: { id: string; status: string; simTime: string; at: number } | null = null;
  private pwa: Pwa | null = null;
  ui: Ui | null = null;
  ready = false;

  constructor(private readonly i18n: I18n, private readonly db: OpsroomDb | null, private readonly catalogue: Catalogue,
    private readonly flags: BenchFlags = { bench: false, engine: 'worker' }) {}

  /** The engine worker, or the in-thread host when asked (`?engine=main`) or when workers are missing. */
  private transport(): Transport {
    if (this.flags.engine === 'main' || typeof Worker === 'undefined') return localTransport();
    try { return workerTransport(); } catch (e) { console.warn('engine worker unavailable; running in this thread', e); return localTransport(); }
  }

  get lang(): Language { return (this.i18n.language === 'en' ? 'en' : 'ko'); }
  get view() { return this.session?.view ?? null; }

  async boot(): Promise<void> {
    if (this.db) {
      this.progress = (await getSetting<Progress>(this.db, 'progress').catch(() => undefined)) ?? {};
      this.imported = (await getSetting<Imported>(this.db, 'importedScenarios').catch(() => undefined)) ?? [];
      for (const f of this.imported) this.catalogue.addFile(f.file, f.text);
      await this.refreshSaves();
    } else {
      this.setProblem('unavailable');
    }
    this.ui = await createUi(this.port, this.bus);
    this.bus.on('show', ({ scene }) => { this.scene = scene; });
    this.pwa = registerPwa({ onUpdateAvailable: () => { this.update = true; this.bus.emit('update-available', { available: true }); } });
    addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') void this.session?.flush().catch(() => {}); });
    addEventListener('pagehide', () => { void this.session?.flush().catch(() => {}); });
    // Resume the last unfinished run, paused, where the learner left it.
    const last = this.saves.find((s) => s.status === 'playing' && this.catalogue.get(s.scenarioId));
    if (this.flags.bench) await this.startBench();
    else if (!(last && await this.resume(last.scenarioId))) this.show('title');
    startLoop((dt) => this.frame(dt));
    this.ready = true;
  }

  private show(scene: 'title' | 'console' | 'debrief'): void { this.bus.emit('show', { scene }); }

  private setProblem(p: SaveProblem | null): void {
    if (p === this.problem) return;
    this.problem = p;
    this.bus.emit('save-problem', { problem: p });
  }

  private async refreshSaves(): Promise<void> {
    if (!this.db) return;
    this.saves = await listSaves(this.db).catch(() => this.saves);
  }

  /**
   * Each animation frame owes the run speed × real time; the worker gets it when it is idle and
   * answers with how much it advanced within its budget (the rest stays owed, capped).
   */
  private frame(dtRealMs: number): void {
    const s = this.session;
    if (!s) return;
    if (this.scene === 'console' && s.speed > 0 && !s.view.finished) {
      this.pendingMs = Math.min(this.pendingMs + simStepMs(dtRealMs, s.speed), MAX_BACKLOG_REAL_MS * s.speed);
      if (!s.run.advancing && this.pendingMs >= 1) {
        const run = s.run;
        this.movingSpeed = s.speed;
        run.advance(this.pendingMs).then(({ advanced, halted }) => {
          if (this.session?.run !== run) return;
          this.pendingMs = Math.max(0, this.pendingMs - advanced);
          if (halted) { s.speed = 0; this.pendingMs = 0; s.dirty = true; }
        }, (e: unknown) => {
          s.speed = 0; s.dirty = true; this.pendingMs = 0;
          console.error('the simulation stopped', e);
        });
      }
    } else {
      this.pendingMs = 0;
    }
    if (s.dirty) this.publish();
  }

  private publish(): void {
    const s = this.session;
    if (!s) return;
    s.dirty = false;
    this.model = { ...s.run.model, speed: s.speed };
    this.bus.emit('console-changed', this.model);
  }

  private async openRun(scenario: Scenario, saved?: SavedRun): Promise<RunProxy> {
    const transport = this.transport();
    try {
      return await RunProxy.open(transport, scenario, { ...this.request, selectedInstanceId: null }, saved);
    } catch (e) {
      transport.close();
      throw e;
    }
  }

  private newSession(scenario: Scenario, run: RunProxy): void {
    let wasFinished = run.view().finished;
    this.pendingMs = 0;
    run.onModel(() => { if (this.session?.run === run) this.session.dirty = true; });
    this.session = new Session(scenario, run, this.db, {
      onSaveResult: (problem, saved) => {
        this.setProblem(problem);
        if (saved) this.lastSave = { ...saved, at: Date.now() };
      },
      onChange: () => {
        const v = run.view();
        if (v.finished && !wasFinished) { wasFinished = true; void this.onFinished(scenario, v.score); }
      },
    });
    this.publish();
  }

  private async onFinished(scenario: Scenario, score: number): Promise<void> {
    await this.session?.flush().catch(() => {});
    if (this.db) {
      const prev = this.progress[scenario.id];
      this.progress = { ...this.progress, [scenario.id]: { score: Math.max(score, prev?.score ?? -Infinity), finishedAt: Date.now() } };
      await setSetting(this.db, 'progress', this.progress).catch(() => this.setProblem('write'));
    }
    await this.refreshSaves();
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = null;
    this.model = null;
    if (s) { await s.close(); s.run.close(); }
    await this.refreshSaves();
  }

  private async start(id: string): Promise<void> {
    const entry = this.catalogue.get(id);
    if (!entry) return;
    await this.closeSession();
    this.newSession(entry.scenario, await this.openRun(entry.scenario));
    void this.session?.flush().catch(() => {});
    this.show('console');
  }

  /** `?bench=frames`: the frame benchmark's account (50 instances), 8 graphs, 3600x. */
  private async startBench(): Promise<void> {
    const entry = this.catalogue.get(BENCH_SCENARIO_ID);
    if (!entry) { this.show('title'); return; }
    this.request = { ...this.request, canvasGraphs: 8 };
    this.newSession(entry.scenario, await this.openRun(entry.scenario));
    this.show('console');
    await this.session?.run.begin();
    if (this.session) { this.session.speed = 3600; this.session.dirty = true; }
  }

  private async resume(scenarioId: string): Promise<boolean> {
    const entry = this.catalogue.get(scenarioId);
    if (!entry || !this.db) return false;
    try {
      const slot = await getSave(this.db, slotId(scenarioId));
      if (!slot) return false;
      await this.closeSession();
      const run = await this.openRun(entry.scenario, {
        scenarioId: slot.scenarioId, scenarioVersion: slot.scenarioVersion, engineSnapshot: slot.engineSnapshot as never, runState: slot.runState,
      });
      this.newSession(entry.scenario, run);
      this.show(run.view().finished ? 'debrief' : 'console');
      return true;
    } catch (e) {
      // The save stays where it is: a later build may read it.
      console.error('could not resume', e);
      this.setProblem(e instanceof SaveError ? e.code : 'resume');
      return false;
    }
  }

  private cards(): ScenarioCard[] {
    return this.catalogue.list().map(({ scenario: s, source }) => {
      const save = this.saves.find((x) => x.id === slotId(s.id));
      const done = this.progress[s.id];
      const progress: ScenarioCard['progress'] = save?.status === 'playing' ? { status: 'playing', score: null, simTime: save.simTime }
        : done ? { status: 'finished', score: done.score, simTime: save?.simTime ?? '' } : null;
      return { id: s.id, title: s.title, summary: s.summary, difficulty: s.difficulty, estimatedMinutes: s.estimatedMinutes, source, progress };
    });
  }

  readonly port: UiPort = {
    t: (key, opts) => this.i18n.t(key, opts) as string,
    lang: () => this.lang,
    setLanguage: (lng) => { void this.setLanguage(lng); },
    reducedMotion: () => matchMedia('(prefers-reduced-motion: reduce)').matches,
    catalogue: () => this.cards(),
    catalogueProblems: () => {
      const t = this.i18n.t.bind(this.i18n) as (k: string, o?: object) => string;
      return this.catalogue.builtinProblems.map((p) => formatProblem(p, t));
    },
    resumable: () => {
      const s = this.saves.find((x) => x.status === 'playing' && this.catalogue.get(x.scenarioId));
      return s ? { scenarioId: s.scenarioId, title: s.title, simTime: s.simTime } : null;
    },
    startScenario: (id) => { void this.start(id); },
    continueRun: (id) => { void this.resume(id).then((ok) => { if (!ok) this.show('title'); }); },
    loadScenarioFile: async (name, text) => {
      const res = this.catalogue.addFile(name, text);
      if (!res.ok) {
        const t = this.i18n.t.bind(this.i18n) as (k: string, o?: object) => string;
        return { ok: false, problems: res.duplicateId ? [t('title.duplicateId', { id: res.duplicateId })] : res.problems.map((p) => formatProblem(p, t)) };
      }
      this.imported = [...this.imported.filter((f) => f.file !== name), { file: name, text }];
      if (this.db) await setSetting(this.db, 'importedScenarios', this.imported).catch(() => this.setProblem('write'));
      this.bus.emit('catalogue-changed', { cards: this.cards() });
      return { ok: true, id: res.scenario.id };
    },
    console: () => this.model,
    setSpeed: (speed: Speed) => {
      const s = this.session;
      if (!s || s.view.finished) return;
      s.speed = speed; s.dirty = true;
    },
    selectInstance: (id) => { this.port.setView({ selectedInstanceId: id }); },
    setView: (change) => {
      this.request = { ...this.request, ...change };
      const s = this.session;
      if (s) { s.selected = this.request.selectedInstanceId; void s.run.setView(change); }
    },
    viewRequest: () => this.request,
    beginRun: () => {
      const s = this.session;
      if (!s || s.view.phase !== 'briefing') return;
      void s.run.begin().then(() => { s.speed = 1; s.dirty = true; });
    },
    act: async (service, action, params) => {
      const s = this.session;
      if (!s) return { ok: false, error: { code: 'NoRun', message: 'no scenario is running' } };
      return s.run.act(service, action, params);
    },
    lookupEvents: (params) => this.port.act('cloudtrail', 'LookupEvents', params),
    answer: async (id, choice) => {
      const s = this.session;
      if (!s) return null;
      try { return await s.run.answer(id, choice); } catch (e) { console.warn('answer refused', e); return null; }
    },
    useHint: (id) => { void this.session?.run.useHint(id).catch((e: unknown) => console.warn('hint refused', e)); },
    backToTitle: () => { void this.closeSession().then(() => this.show('title')); },
    updateAvailable: () => this.update,
    applyUpdate: () => { if (this.scene === 'title' && !this.session) void this.pwa?.apply(); },
    saveProblem: () => this.problem,
  };

  private async setLanguage(lng: Language): Promise<void> {
    await this.i18n.changeLanguage(lng);
    document.documentElement.lang = lng;
    if (this.db) await setSetting(this.db, 'language', lng).catch(() => {});
    this.bus.emit('language-changed', { lang: lng });
  }

  get scenes() { return this.scene; }
  get engineMode(): 'worker' | 'main' { return this.flags.engine === 'main' || typeof Worker === 'undefined' ? 'main' : 'worker'; }
  /** The speed the clock is really moving at: a pause takes effect once the advance in flight has come back. */
  get speed() {
    const s = this.session;
    if (!s) return 0;
    return s.speed === 0 && s.run.advancing ? this.movingSpeed : s.speed;
  }
  get saved() { return this.lastSave; }
}

async function main(): Promise<void> {
  let db: OpsroomDb | null = null;
  try { db = openDatabase(); await db.open(); } catch (e) { console.error('IndexedDB unavailable', e); db = null; }
  const saved = db ? await getSetting<Language>(db, 'language').catch(() => undefined) : undefined;
  const lang: Language = saved === 'ko' || saved === 'en' ? saved : pickLanguage(navigator.languages ?? [navigator.language]);
  const i18n = await createI18n(lang);
  document.documentElement.lang = lang;
  const app = new App(i18n, db, new Catalogue(), benchFlags(location.search));
  window.__opsroom = {
    get game() { return app.ui?.game; },
    get view() { return app.view; },
    get language() { return app.lang; },
    get scene() { return app.scenes; },
    get speed() { return app.speed; },
    get lastSave() { return app.saved; },
    get ready() { return app.ready; },
    get engineMode() { return app.engineMode; },
  };
  await app.boot();
}

void main();
