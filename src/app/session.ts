/**
 * One scenario run being played: the runtime, its speed and selection, and its autosave (after
 * every change, debounced, and flushed when the page is hidden or closed).
 */
import { putSave, createAutosaver, SaveError, type OpsroomDb, type Autosaver } from '../persistence/index.ts';
import type { SavedRun, Scenario } from '../scenario/index.ts';
import type { RunViewLike, SaveProblem, Speed } from '../ui/ports.ts';

export const slotId = (scenarioId: string) => `run:${scenarioId}`;

export interface SessionHooks {
  /** after a save succeeded (null) or failed (its problem) */
  onSaveResult(problem: SaveProblem | null, saved: { id: string; status: string; simTime: string } | null): void;
  onChange(): void;
}

/** What a session needs of a run: the scenario runtime itself, or the engine worker's RunProxy. */
export interface SessionRun {
  view(): RunViewLike;
  subscribe(fn: (v: RunViewLike) => void): () => void;
  save(): SavedRun | Promise<SavedRun>;
}

export class Session<R extends SessionRun = SessionRun> {
  speed: Speed = 0;
  selected: string | null = null;
  dirty = true;
  private readonly unsubscribe: () => void;
  private readonly autosaver: Autosaver | null;
  private lastCheckpoint: string | null = null;

  constructor(readonly scenario: Scenario, readonly run: R, private readonly db: OpsroomDb | null, private readonly hooks: SessionHooks) {
    this.autosaver = db ? createAutosaver(() => this.save(), { debounceMs: 800, maxIntervalMs: 4000 }) : null;
    this.lastCheckpoint = run.view().checkpoint?.id ?? null;
    this.unsubscribe = run.subscribe((v) => {
      this.dirty = true;
      this.autosaver?.notify();
      // A quiz is answered with the clock stopped; finishing stops it too.
      const cp = v.checkpoint?.id ?? null;
      if ((cp && cp !== this.lastCheckpoint) || v.finished) this.speed = 0;
      this.lastCheckpoint = cp;
      hooks.onChange();
    });
  }

  get view(): RunViewLike { return this.run.view(); }

  private async save(): Promise<void> {
    if (!this.db) return;
    let saved: SavedRun;
    try { saved = await this.run.save(); } catch { return; /* the run was closed meanwhile: its last save stands */ }
    const v = this.run.view();
    const status = v.finished ? 'finished' : 'playing';
    try {
      await putSave(this.db, {
        id: slotId(this.scenario.id), scenarioId: saved.scenarioId, scenarioVersion: saved.scenarioVersion,
        title: this.scenario.title, build: __OPSROOM_BUILD__, status, updatedAt: Date.now(), simTime: v.now,
        engineSnapshot: saved.engineSnapshot, runState: saved.runState,
      });
      this.hooks.onSaveResult(null, { id: slotId(this.scenario.id), status, simTime: v.now });
    } catch (e) {
      this.hooks.onSaveResult(e instanceof SaveError ? e.code : 'write', null);
      throw e;
    }
  }

  /** Saves now (and waits), e.g. when the page is hidden or a run ends. */
  async flush(): Promise<void> {
    if (!this.autosaver) return;
    this.autosaver.notify();
    await this.autosaver.flush();
  }

  /** Saves what is pending and detaches. */
  async close(): Promise<void> {
    await this.flush().catch(() => {});
    this.autosaver?.stop();
    this.unsubscribe();
  }
}
