import type { ResponseOf } from '../../contract/endpoint.ts';
import type { getUsers } from '../../contract/users.ts';
import type { Db } from '../../db/connect.ts';
import { listUsers as listUserRows } from '../../db/users.ts';

/** The firm's users by email; password hashes never leave the users table. */
export async function listUsers(db: Db, firmId: string): Promise<ResponseOf<typeof getUsers>> {
  const rows = await listUserRows(db, firmId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      createdAt: r.created_at.toISOString(),
      disabledAt: r.disabled_at?.toISOString() ?? null,
    })),
  };
}
