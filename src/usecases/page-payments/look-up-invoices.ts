import type { z } from 'zod';
import type { lookupBody, lookupOut } from '../../contract/pay.ts';
import type { Db } from '../../db/connect.ts';
import { readInvoiceApplied } from '../../db/mirror.ts';
import { findClient, findClientMatter, hasClientInvoice, listOpenClientInvoices } from '../../db/payer-lookup.ts';
import { DomainError } from '../../domain/errors.ts';
import { lookupKeys } from '../../domain/page-payment.ts';
import type { PublicPage } from './find-public-page.ts';

export type LookupInput = z.infer<typeof lookupBody>;
export type LookupResult = z.infer<typeof lookupOut>;

const MAX_INVOICES = 200;

/**
 * The payer proves who they pay for with two things the firm sent them: the client
 * number AND one of that client's invoice or matter numbers. Any mismatch answers the
 * same no_match, so a client number alone (or a guess) reveals nothing, not even that the
 * client exists. A trust page looks up a matter, whose money is held, not invoiced.
 */
export async function lookUpInvoices(db: Db, page: PublicPage, input: LookupInput): Promise<LookupResult> {
  const { clientNumber, invoiceNumber, matterNumber } = lookupKeys(page.account, input);
  const firmId = page.firmId;
  const noMatch = new DomainError(
    'no_match',
    'No open invoices match that client number and invoice or matter number. Check both against your statement.',
  );

  const client = await findClient(db, firmId, clientNumber);
  if (!client) throw noMatch;
  let matter: { matter_number: string; description: string } | undefined;
  if (matterNumber !== null) {
    matter = await findClientMatter(db, firmId, clientNumber, matterNumber);
    if (!matter) throw noMatch;
  } else if (invoiceNumber !== null) {
    if (!(await hasClientInvoice(db, firmId, clientNumber, invoiceNumber))) throw noMatch;
  }
  const base = {
    clientNumber: client.client_number,
    clientName: client.name,
    matterNumber: matter?.matter_number ?? null,
    matterDescription: matter?.description ?? null,
  };
  if (page.account === 'trust') return { ...base, invoices: [] };

  const rows = await listOpenClientInvoices(db, firmId, clientNumber, MAX_INVOICES);
  const applied = await readInvoiceApplied(
    db,
    firmId,
    rows.map((r) => r.invoice_number),
  );
  const invoices = rows
    .map((r) => ({
      invoiceNumber: r.invoice_number,
      matterNumber: r.matter_number,
      invoiceDate: r.invoice_date,
      totalCents: r.total_cents,
      balanceCents: Math.max(0, r.balance_cents - (applied.get(r.invoice_number) ?? 0)),
    }))
    .filter((invoice) => invoice.balanceCents > 0);
  return { ...base, invoices };
}
