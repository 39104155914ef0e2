/** Snapshot format checks and migrations from older engine versions. */
import { ENGINE_VERSION } from './engine.ts';
import type { EngineState } from './types.ts';

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

/** Older-version upgrades, keyed by the version they upgrade from. None yet: version 1 is the first. */
const MIGRATIONS: Record<number, (state: Record<string, unknown>) => Record<string, unknown>> = {};

/** Checks a snapshot's shape and brings it to the current engine version; throws SnapshotError. */
export function migrateSnapshot(snap: unknown): EngineState {
  if (!snap || typeof snap !== 'object') throw new SnapshotError('snapshot is not an object');
  const s = snap as { format?: unknown; engineVersion?: unknown; state?: unknown };
  if (s.format !== 'opsroom-engine') throw new SnapshotError(`snapshot format is ${JSON.stringify(s.format)}, expected "opsroom-engine"`);
  if (typeof s.engineVersion !== 'number' || !Number.isInteger(s.engineVersion)) throw new SnapshotError('snapshot has no engineVersion');
  if (s.engineVersion > ENGINE_VERSION)
    throw new SnapshotError(`snapshot comes from a newer engine (version ${s.engineVersion}; this build runs ${ENGINE_VERSION})`);
  let state = s.state as Record<string, unknown>;
  for (let v = s.engineVersion; v < ENGINE_VERSION; v++) {
    const m = MIGRATIONS[v];
    if (!m) throw new SnapshotError(`no migration from engine version ${v}`);
    state = m(state);
  }
  if (!state || typeof state !== 'object' || typeof state.clock !== 'number' || !Array.isArray(state.queue) || !state.services || !state.config)
    throw new SnapshotError('snapshot state is incomplete (clock, queue, services, config)');
  return { ...(state as unknown as EngineState), engineVersion: ENGINE_VERSION };
}
