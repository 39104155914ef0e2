/**
 * The scenario run's host: owns the run (engine + scenario runtime), executes the app's commands
 * and answers each one with the parts of the console model that changed. It runs inside the engine
 * Web Worker in the browser (engine.worker.ts) and directly in Node tests or as the synchronous
 * fallback, so the protocol below is plain data (structured-clone safe).
 */
import { resumeScenario, startScenario, type SavedRun, type Scenario, type ScenarioRun } from '../scenario/index.ts';
import type { ConsoleModel, RunViewLike, ViewRequest } from '../ui/ports.ts';
import { DEFAULT_VIEW_REQUEST } from '../ui/ports.ts';
import { cpuSeries, GRAPH_PERIOD_S, instanceTiles } from './console-model.ts';
import { alarmViews, asgGroups, canvasGraphs, dashboards, healthTiles, inboxRows, metricCatalogue, seriesGraph } from './console-views.ts';

/** The console model without what only the main thread knows (the speed). */
export type HostModel = Omit<ConsoleModel, 'speed'>;
/** Parts of the host model that changed since the last reply (absent = unchanged). */
export type ModelDelta = Partial<HostModel>;

/** Simulated ms advanced per engine call inside one advance command (checked against the budget after each). */
export const ADVANCE_CHUNK_MS = 60_000;
/** Default wall-clock budget of one advance command (ms); the rest is reported back as not advanced. */
export const ADVANCE_BUDGET_MS = 12;

export type HostCommand =
  | { op: 'start'; scenario: Scenario; request?: ViewRequest }
  | { op: 'resume'; scenario: Scenario; saved: SavedRun; request?: ViewRequest }
  | { op: 'begin' }
  | { op: 'view'; request: ViewRequest }
  | { op: 'advance'; ms: number; budgetMs?: number }
  | { op: 'act'; service: string; action: string; params: Record<string, unknown> }
  | { op: 'answer'; checkpointId: string; choice: string | string[] }
  | { op: 'useHint'; hintId: string }
  | { op: 'save' };

export type HostResult =
  | { op: 'start' | 'resume' | 'begin' | 'view' | 'useHint'; value: null }
  | { op: 'advance'; value: { advanced: number; halted: boolean } }
  | { op: 'act'; value: { ok: boolean; output?: Record<string, unknown>; error?: { code: string; message: string } } }
  | { op: 'answer'; value: { correct: boolean; explain: { ko: string; en: string } } }
  | { op: 'save'; value: SavedRun };

export type HostReply = { ok: true; result: HostResult['value']; delta: ModelDelta } | { ok: false; error: string; delta: ModelDelta };

export class RunHost {
  private run: ScenarioRun | null = null;
  private request: ViewRequest = { ...DEFAULT_VIEW_REQUEST };
  private readonly sent = new Map<string, string>();
  private halt = false;
  private lastCheckpoint: string | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly clock: () => number = () => 0) {}

  handle(cmd: HostCommand): HostReply {
    try {
      const result = this.exec(cmd);
      return { ok: true, result, delta: this.delta() };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), delta: this.run ? this.delta() : {} };
    }
  }

  private need(): ScenarioRun {
    if (!this.run) throw new Error('no scenario run in this host');
    return this.run;
  }

  private attach(run: ScenarioRun, request: ViewRequest | undefined): void {
    this.unsubscribe?.();
    this.run = run;
    this.sent.clear();
    if (request) this.request = { ...request };
    this.lastCheckpoint = run.view().checkpoint?.id ?? null;
    this.unsubscribe = run.subscribe((v) => {
      const cp = v.checkpoint?.id ?? null;
      // A quiz is answered with the clock stopped; finishing stops it too.
      if ((cp && cp !== this.lastCheckpoint) || v.finished) this.halt = true;
      this.lastCheckpoint = cp;
    });
  }

  private exec(cmd: HostCommand): HostResult['value'] {
    switch (cmd.op) {
      case 'start': this.attach(startScenario(cmd.scenario), cmd.request); return null;
      case 'resume': this.attach(resumeScenario(cmd.scenario, cmd.saved), cmd.request); return null;
      case 'begin': this.need().start(); return null;
      case 'view': this.request = { ...cmd.request }; return null;
      case 'advance': return this.advance(cmd.ms, cmd.budgetMs ?? ADVANCE_BUDGET_MS);
      case 'act': {
        const r = this.need().act(cmd.service, cmd.action, cmd.params);
        return r.ok ? { ok: true, output: r.output as Record<string, unknown> } : { ok: false, error: { code: r.error.code, message: r.error.message } };
      }
      case 'answer': return this.need().answer(cmd.checkpointId, cmd.choice);
      case 'useHint': this.need().useHint(cmd.hintId); return null;
      case 'save': return this.need().save();
    }
  }

  /**
   * Advances by up to `ms` simulated ms in chunks, stopping early when the wall-clock budget is
   * spent or when a checkpoint opens or the run finishes (the clock stops for a quiz). The caller
   * keeps what was not advanced; the simulated result depends only on the ms advanced.
   */
  advance(ms: number, budgetMs: number): { advanced: number; halted: boolean } {
    const run = this.need();
    if (!(ms > 0) || run.view().finished) return { advanced: 0, halted: run.view().finished };
    this.halt = false;
    const t0 = this.clock();
    let done = 0;
    while (done < ms) {
      const step = Math.min(ADVANCE_CHUNK_MS, ms - done);
      run.advance(step);
      done += step;
      if (this.halt || this.clock() - t0 >= budgetMs) break;
    }
    const halted = this.halt;
    this.halt = false;
    return { advanced: done, halted };
  }

  /** The full host model for the current request. */
  model(): HostModel {
    const run = this.need();
    const engine = run.engine;
    const req = this.request;
    const instances = instanceTiles(engine);
    const selected = instances.find((i) => i.instanceId === req.selectedInstanceId)
      ?? instances.find((i) => i.state === 'running') ?? instances[0];
    const tab = req.tab;
    return {
      scenarioId: run.scenario.id,
      accountId: engine.accountId,
      region: engine.region,
      view: run.view() as RunViewLike,
      instances,
      selectedInstanceId: selected?.instanceId ?? null,
      cpu: cpuSeries(engine, selected),
      graphs: canvasGraphs(engine, selected?.instanceId ?? null, req.canvasGraphs, req.windowMs, GRAPH_PERIOD_S),
      request: req,
      metricCatalogue: tab === 'metrics' ? metricCatalogue(engine) : null,
      explorer: tab === 'metrics' && req.explorer ? seriesGraph(engine, req.explorer, req.windowMs) : null,
      alarms: tab === 'alarms' || tab === 'dashboards' ? alarmViews(engine) : null,
      dashboards: tab === 'dashboards' ? dashboards(engine, req.dashboard) : null,
      health: tab === 'health' ? healthTiles(engine) : null,
      inbox: tab === 'sns' ? inboxRows(engine) : null,
      groups: tab === 'asg' ? asgGroups(engine) : null,
    };
  }

  /** The parts that differ from what this host sent before. */
  delta(): ModelDelta {
    const m = this.model();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) {
      const json = JSON.stringify(v);
      if (this.sent.get(k) === json) continue;
      this.sent.set(k, json);
      out[k] = v;
    }
    return out as ModelDelta;
  }
}
