/** Small learner settings (language, speed) as key/value rows. */
import type { OpsroomDb } from './db.ts';

export async function getSetting<T>(db: OpsroomDb, key: string): Promise<T | undefined> {
  const row = await db.settings.get(key);
  return row?.value as T | undefined;
}

export async function setSetting(db: OpsroomDb, key: string, value: unknown): Promise<void> {
  await db.settings.put({ key, value });
}
