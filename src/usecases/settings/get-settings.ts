import type { z } from 'zod';
import type { settingsOut } from '../../contract/settings.ts';
import { MMS_KINDS, needsCreditUpload, type MmsKind } from '../../domain/mms-kinds.ts';
import { FILE_FORMATS, type FileFormat } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { readSettingsRow, type SETTINGS_COLUMNS } from '../../db/firms.ts';
import type { Firm } from '../../db/schema.ts';

export type FirmSettings = z.output<typeof settingsOut>;

type SettingsRow = Pick<Firm, (typeof SETTINGS_COLUMNS)[number]>;

const isMmsKind = (value: string): value is MmsKind => MMS_KINDS.some((k) => k === value);
const isFileFormat = (value: string): value is FileFormat => FILE_FORMATS.some((f) => f === value);

export function toSettings(row: SettingsRow): FirmSettings {
  // The CHECKs on firms keep both columns to these lists; a mismatch means the lists drifted.
  if (!isMmsKind(row.mms_kind)) throw new Error(`firms.mms_kind "${row.mms_kind}" is not in MMS_KINDS`);
  if (!isFileFormat(row.file_format)) throw new Error(`firms.file_format "${row.file_format}" is not in FILE_FORMATS`);
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
  return toSettings(await readSettingsRow(db, firmId));
}
