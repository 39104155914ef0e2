/** Persistence: Dexie database, save slots, settings, autosave. */
export { openDatabase, OpsroomDb, DB_VERSION } from './db.ts';
export { putSave, getSave, listSaves, deleteSave, SaveError, type SaveSlot, type SaveSummary, type SaveErrorCode } from './saves.ts';
export { getSetting, setSetting } from './settings.ts';
export { createAutosaver, type Autosaver } from './autosave.ts';
