import type { z } from 'zod';
import type { settingsOut } from '../../contract/settings.ts';
import { needsCreditUpload } from '../../domain/mms-kinds.ts';
import { fileFormatVersion } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { readSettingsRow, type SETTINGS_COLUMNS } from '../../db/firms.ts';
import type { Selectable } from 'kysely';
import type { FirmsTable } from '../../db/schema.ts';

export type FirmSettings = z.output<typeof settingsOut>;

type SettingsRow = Pick<Selectable<FirmsTable>, (typeof SETTINGS_COLUMNS)[number]>;

export function toSettings(row: SettingsRow): FirmSettings {
  return {
    name: row.name,
    mmsKind: row.mms_kind,
    fileFormat: row.file_format,
    fileFormatVersion: fileFormatVersion(row.file_format_version),
    autoApply: row.auto_apply,
    usePostedDate: row.use_posted_date,
    autoPost: row.auto_post,
    autoPostMinutes: row.auto_post_minutes,
    timeZone: row.time_zone,
    requireAdminTwoFactor: row.require_admin_two_factor,
    creditUploadNeeded: needsCreditUpload(row.mms_kind),
  };
}

export async function getSettings(db: Db, firmId: string): Promise<FirmSettings> {
  return toSettings(await readSettingsRow(db, firmId));
}
