import type { ResponseOf } from '../../contract/endpoint.ts';
import type { z } from 'zod';
import type { getUsers, userOut } from '../../contract/users.ts';
import type { Role } from '../../domain/actor.ts';
import type { Db } from '../../db/connect.ts';
import { listUsers as listUserRows } from '../../db/users.ts';

/** A user as an admin sees them: never the password hash or the two-factor secret. */
export function toUserOut(r: {
  id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  disabled_at: Date | null;
  totp_enabled_at: Date | null;
  password_set: boolean;
}): z.output<typeof userOut> {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    disabledAt: r.disabled_at?.toISOString() ?? null,
    passwordSet: r.password_set,
    twoFactorEnabled: r.totp_enabled_at !== null,
  };
}

/** The firm's users by email; password hashes never leave the users table. */
export async function listUsers(db: Db, firmId: string): Promise<ResponseOf<typeof getUsers>> {
  const rows = await listUserRows(db, firmId);
  return { items: rows.map(toUserOut) };
}
