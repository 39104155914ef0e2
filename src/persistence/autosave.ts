/**
 * Autosave: coalesces change notifications into at most one save per `debounceMs`, but never
 * lets more than `maxIntervalMs` pass while changes keep coming. Runs outside the engine, so
 * wall-clock timers are fine here.
 */
import { SaveError } from './saves.ts';

export interface Autosaver {
  notify(): void;
  flush(): Promise<void>;
  stop(): void;
  readonly lastError: SaveError | null;
}

export function createAutosaver(save: () => Promise<void>, opts: { debounceMs?: number; maxIntervalMs?: number } = {}): Autosaver {
  const debounceMs = opts.debounceMs ?? 1000;
  const maxIntervalMs = opts.maxIntervalMs ?? 5000;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirtySince: number | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let lastError: SaveError | null = null;

  const run = async (): Promise<void> => {
    if (timer) { clearTimeout(timer); timer = null; }
    if (dirtySince === null) return running ?? undefined;
    if (running) await running;
    if (dirtySince === null) return;
    dirtySince = null;
    running = save().then(
      () => { lastError = null; },
      (e: unknown) => { lastError = e instanceof SaveError ? e : new SaveError('write', String(e)); },
    ).finally(() => { running = null; });
    return running;
  };

  return {
    notify() {
      if (stopped) return;
      const now = Date.now();
      dirtySince ??= now;
      if (timer) clearTimeout(timer);
      const wait = Math.max(0, Math.min(debounceMs, dirtySince + maxIntervalMs - now));
      timer = setTimeout(() => void run(), wait);
    },
    flush: run,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    get lastError() { return lastError; },
  };
}
