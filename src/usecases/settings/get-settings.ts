import type { z } from 'zod';
import type { settingsOut } from '../../contract/settings.ts';
import { needsCreditUpload } from '../../domain/mms-kinds.ts';
import type { Db } from '../../db/connect.ts';
import type { Selectable } from 'kysely';
import type { FirmsTable } from '../../db/schema.ts';

export type FirmSettings = z.output<typeof settingsOut>;

export const SETTINGS_COLUMNS = ['name', 'mms_kind', 'file_format', 'auto_apply', 'use_posted_date', 'auto_post', 'auto_post_minutes', 'time_zone'] as const;

type SettingsRow = Pick<Selectable<FirmsTable>, (typeof SETTINGS_COLUMNS)[number]>;

export function toSettings(row: SettingsRow): FirmSettings {
  return {
    name: row.name,
    mmsKind: row.mms_kind,
    fileFormat: row.file_format,
    autoApply: row.auto_apply,
    usePostedDate: row.use_posted_date,
    autoPost: row.auto_post,
    autoPostMinutes: row.auto_post_minutes,
    timeZone: row.time_zone,
    creditUploadNeeded: needsCreditUpload(row.mms_kind),
  };
}

export async function getSettings(db: Db, firmId: string): Promise<FirmSettings> {
  const row = await db.selectFrom('firms').select(SETTINGS_COLUMNS).where('id', '=', firmId).executeTakeFirstOrThrow();
  return toSettings(row);
}
