import type { Db } from './connect.ts';

/** What a payer on a public page may learn of the firm's mirror, once they name a client: one firm's rows only. */

/** The firm's client by number. */
export async function findClient(db: Db, firmId: string, clientNumber: string) {
  return db
    .selectFrom('clients')
    .select(['client_number', 'name'])
    .where('firm_id', '=', firmId)
    .where('client_number', '=', clientNumber)
    .executeTakeFirst();
}

/** The client's matter by number. */
export async function findClientMatter(db: Db, firmId: string, clientNumber: string, matterNumber: string) {
  return db
    .selectFrom('matters')
    .select(['matter_number', 'description'])
    .where('firm_id', '=', firmId)
    .where('client_number', '=', clientNumber)
    .where('matter_number', '=', matterNumber)
    .executeTakeFirst();
}

/** Whether the client has an invoice of this number (in any status). */
export async function hasClientInvoice(
  db: Db,
  firmId: string,
  clientNumber: string,
  invoiceNumber: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('invoices')
    .select('invoice_number')
    .where('firm_id', '=', firmId)
    .where('client_number', '=', clientNumber)
    .where('invoice_number', '=', invoiceNumber)
    .executeTakeFirst();
  return row !== undefined;
}

/** The client's open invoices with a balance, oldest first, at most `limit`. */
export async function listOpenClientInvoices(db: Db, firmId: string, clientNumber: string, limit: number) {
  return db
    .selectFrom('invoices')
    .select(['invoice_number', 'matter_number', 'invoice_date', 'total_cents', 'balance_cents'])
    .where('firm_id', '=', firmId)
    .where('client_number', '=', clientNumber)
    .where('status', '=', 'open')
    .where('balance_cents', '>', 0)
    .orderBy('invoice_date')
    .orderBy('invoice_number')
    .limit(limit)
    .execute();
}
