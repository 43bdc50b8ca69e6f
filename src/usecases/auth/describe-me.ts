import type { z } from 'zod';
import type { meOut } from '../../contract/session.ts';
import type { Db } from '../../db/connect.ts';
import { readUserAndFirm } from '../../db/users.ts';
import { needsCreditUpload } from '../../domain/mms-kinds.ts';

/** The signed-in user, their role and firm, with the session's CSRF token (null for a bearer token). */
export async function describeMe(
  db: Db,
  userId: string,
  firmId: string,
  csrfToken: string | null,
): Promise<z.output<typeof meOut>> {
  const row = await readUserAndFirm(db, firmId, userId);
  return {
    user: {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      twoFactor: {
        enabled: row.totp_enabled_at !== null,
        enrolmentRequired: row.role === 'admin' && row.require_admin_two_factor && row.totp_enabled_at === null,
      },
    },
    firm: {
      id: row.firm_id,
      code: row.code,
      name: row.firm_name,
      creditUploadNeeded: needsCreditUpload(row.mms_kind),
      timeZone: row.time_zone,
    },
    csrfToken,
  };
}
