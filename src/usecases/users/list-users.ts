import type { Db } from '../../db/connect.ts';
import { listUsers as listUserRows } from '../../db/users.ts';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'accountant' | 'viewer';
  createdAt: string;
  disabledAt: string | null;
}

/** The firm's users by email; password hashes never leave the users table. */
export async function listUsers(db: Db, firmId: string): Promise<{ items: UserView[] }> {
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
