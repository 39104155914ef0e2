/**
 * The one Dexie database of Opsroom. Every schema version stays declared (users may still have
 * it); upgrades migrate data and never drop it. Repositories (saves.ts, settings.ts) are the only
 * code that touches the tables.
 */
import Dexie, { type Table } from 'dexie';

/** A save-slot row as stored (version 2 layout). */
export interface SaveRow {
  id: string;
  scenarioId: string;
  scenarioVersion: number;
  title: { ko: string; en: string };
  build: string;
  status: 'playing' | 'finished';
  updatedAt: number;
  simTime: string;
  /** The engine snapshot and scenario run state, kept in their own table (they are large). */
  blobId: string;
}

export interface SaveBlobRow {
  id: string;
  engineSnapshot: unknown;
  runState: unknown;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export const DB_VERSION = 2;

export class OpsroomDb extends Dexie {
  saves!: Table<SaveRow, string>;
  saveBlobs!: Table<SaveBlobRow, string>;
  settings!: Table<SettingRow, string>;

  constructor(name = 'opsroom') {
    super(name);
    // Version 1 (first release): one row per save with the snapshot inline.
    this.version(1).stores({ saves: '&id, scenarioId, updatedAt', settings: '&key' });
    // Version 2: the large snapshot moves to `saveBlobs`, so listing saves stays cheap.
    this.version(2)
      .stores({ saves: '&id, scenarioId, updatedAt, status', saveBlobs: '&id', settings: '&key' })
      .upgrade(async (tx) => {
        const saves = tx.table('saves');
        const blobs = tx.table('saveBlobs');
        const rows = (await saves.toArray()) as Record<string, unknown>[];
        for (const row of rows) {
          const blobId = `${String(row.id)}#0`;
          await blobs.put({ id: blobId, engineSnapshot: row.engineSnapshot ?? null, runState: row.runState ?? null });
          const { engineSnapshot: _e, runState: _r, ...rest } = row;
          await saves.put({ status: 'playing', build: 'unknown', simTime: '', ...rest, blobId });
        }
      });
  }
}

export function openDatabase(name = 'opsroom'): OpsroomDb {
  return new OpsroomDb(name);
}
