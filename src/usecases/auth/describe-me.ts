import type { z } from 'zod';
import type { meOut } from '../../contract/session.ts';
import type { Db } from '../../db/connect.ts';
import { readUserAndFirm } from '../../db/users.ts';
import { MMS_KINDS, needsCreditUpload, type MmsKind } from '../../domain/mms-kinds.ts';

const isMmsKind = (value: string): value is MmsKind => MMS_KINDS.some((k) => k === value);

/** The signed-in user, their role and firm, with the session's CSRF token (null for a bearer token). */
export async function describeMe(db: Db, userId: string, firmId: string, csrfToken: string | null): Promise<z.output<typeof meOut>> {
  const row = await readUserAndFirm(db, firmId, userId);
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role },
    firm: { id: row.firm_id, code: row.code, name: row.firm_name, creditUploadNeeded: isMmsKind(row.mms_kind) && needsCreditUpload(row.mms_kind), timeZone: row.time_zone },
    csrfToken,
  };
}
