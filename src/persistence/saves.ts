/** Save slots: an engine snapshot plus what the scenario runtime needs to resume. */
import Dexie from 'dexie';
import type { OpsroomDb, SaveRow } from './db.ts';

/** A whole save: the row's fields plus the engine snapshot and scenario run state. */
export type SaveSlot = Omit<SaveRow, 'blobId'> & { engineSnapshot: unknown; runState: unknown };

export type SaveSummary = Omit<SaveSlot, 'engineSnapshot' | 'runState'>;

export type SaveErrorCode = 'quota' | 'write' | 'corrupt';

/** A save that could not be written or read; `code` selects the learner-facing message. */
export class SaveError extends Error {
  readonly code: SaveErrorCode;
  constructor(code: SaveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SaveError';
    this.code = code;
  }
}

function isQuota(e: unknown): boolean {
  const name = (e as { name?: string; inner?: { name?: string } })?.name;
  const inner = (e as { inner?: { name?: string } })?.inner?.name;
  return name === 'QuotaExceededError' || inner === 'QuotaExceededError' || name === Dexie.errnames.QuotaExceeded;
}

/**
 * Writes a slot in one transaction. The new snapshot goes to a fresh blob row and the slot is
 * pointed at it only when both writes succeed, so a failed write (disk full) leaves the previous
 * save intact; the old blob is removed afterwards.
 */
export async function putSave(db: OpsroomDb, slot: SaveSlot): Promise<void> {
  const previous = await db.saves.get(slot.id).catch(() => undefined);
  const generation = previous ? Number(previous.blobId.split('#')[1] ?? 0) + 1 : 0;
  const blobId = `${slot.id}#${generation}`;
  const row: SaveRow = {
    id: slot.id, scenarioId: slot.scenarioId, scenarioVersion: slot.scenarioVersion, title: slot.title,
    build: slot.build, status: slot.status, updatedAt: slot.updatedAt, simTime: slot.simTime, blobId,
  };
  try {
    await db.transaction('rw', db.saves, db.saveBlobs, async () => {
      await db.saveBlobs.put({ id: blobId, engineSnapshot: slot.engineSnapshot, runState: slot.runState });
      await db.saves.put(row);
      if (previous && previous.blobId !== blobId) await db.saveBlobs.delete(previous.blobId);
    });
  } catch (e) {
    throw new SaveError(isQuota(e) ? 'quota' : 'write', `could not save slot ${slot.id}: ${String((e as Error)?.message ?? e)}`, { cause: e });
  }
}

function checkRow(row: unknown): row is SaveRow {
  const r = row as Partial<SaveRow> | undefined;
  return Boolean(r && typeof r.id === 'string' && typeof r.scenarioId === 'string' && typeof r.blobId === 'string'
    && typeof r.updatedAt === 'number' && r.title && typeof r.title.ko === 'string' && typeof r.title.en === 'string');
}

/** Reads a whole slot; a malformed row or missing snapshot is a `corrupt` SaveError. */
export async function getSave(db: OpsroomDb, id: string): Promise<SaveSlot | undefined> {
  const row = await db.saves.get(id);
  if (row === undefined) return undefined;
  if (!checkRow(row)) throw new SaveError('corrupt', `save ${id} is malformed`);
  const blob = await db.saveBlobs.get(row.blobId);
  if (!blob || blob.engineSnapshot === null || typeof blob.engineSnapshot !== 'object')
    throw new SaveError('corrupt', `save ${id} has no engine snapshot`);
  const { blobId: _b, ...meta } = row;
  return { ...meta, engineSnapshot: blob.engineSnapshot, runState: blob.runState };
}

/** Every well-formed slot's summary, newest first (malformed rows are skipped, not deleted). */
export async function listSaves(db: OpsroomDb): Promise<SaveSummary[]> {
  const rows = await db.saves.orderBy('updatedAt').reverse().toArray();
  return rows.filter(checkRow).map(({ blobId: _b, ...meta }) => meta);
}

export async function deleteSave(db: OpsroomDb, id: string): Promise<void> {
  await db.transaction('rw', db.saves, db.saveBlobs, async () => {
    const row = await db.saves.get(id);
    if (row) await db.saveBlobs.delete(row.blobId);
    await db.saves.delete(id);
  });
}
