import { sql } from 'kysely';
import { classify, matterKey, type Verdict } from '../../domain/classify.ts';
import type { Mirror, RecordTerms } from '../../domain/reconcile.ts';
import type { Account, Allocation, InvoiceFacts, InvoiceStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';

/** The columns of a record and of its payment that its classification terms come from. */
export interface TermsRow {
  account: Account;
  amount_cents: number;
  reallocated: boolean;
  client_mismatch_accepted: boolean;
  mms_status: 'awaiting' | 'applied' | 'rejected' | null;
  /** The payment's, as taken in. */
  invoice_numbers: string[];
  client_number: string | null;
  matter_number: string | null;
  payer_allocations: unknown;
}

/** The payer's split as take-payment stored it (JSON of Allocation[]), or null. */
export function payerAllocationsOf(stored: unknown): Allocation[] | null {
  if (!Array.isArray(stored)) return null;
  return stored.map((line: Partial<Record<keyof Allocation, unknown>>) => ({
    invoiceNumber: typeof line.invoiceNumber === 'string' ? line.invoiceNumber : null,
    clientNumber: typeof line.clientNumber === 'string' ? line.clientNumber : null,
    matterNumber: typeof line.matterNumber === 'string' ? line.matterNumber : null,
    amountCents: Number(line.amountCents),
  }));
}

/** What classify takes from a stored record: its payment as taken in, and the accountant's choices. */
export function termsOf(row: TermsRow, lines: Allocation[]): RecordTerms {
  return {
    account: row.account,
    receiptCents: row.amount_cents,
    invoiceNumbers: row.invoice_numbers,
    clientNumber: row.client_number,
    matterNumber: row.matter_number,
    payerAllocations: payerAllocationsOf(row.payer_allocations),
    reallocation: row.reallocated ? lines : null,
    clientMismatchAccepted: row.client_mismatch_accepted,
    rejectedByMms: row.mms_status === 'rejected',
  };
}

/** Every invoice number the terms refer to, sorted: what posting_records.refers_to holds. */
export function referencedInvoices(terms: Pick<RecordTerms, 'invoiceNumbers' | 'payerAllocations' | 'reallocation'>): string[] {
  const numbers = [...terms.invoiceNumbers, ...[...(terms.payerAllocations ?? []), ...(terms.reallocation ?? [])].map((a) => a.invoiceNumber ?? '')];
  return [...new Set(numbers.map((n) => n.trim()).filter(Boolean))].sort();
}

/** The client/matter pairs trust terms refer to. */
export function referencedMatters(terms: RecordTerms): [string, string][] {
  if (terms.account !== 'trust') return [];
  const pairs: [string, string][] = [];
  const add = (client: string | null, matter: string | null) => {
    const c = client?.trim() ?? '';
    const m = matter?.trim() ?? '';
    if (c !== '' && m !== '') pairs.push([c, m]);
  };
  add(terms.clientNumber, terms.matterNumber);
  for (const line of [...(terms.payerAllocations ?? []), ...(terms.reallocation ?? [])]) add(line.clientNumber, line.matterNumber);
  return pairs;
}

/** A row of invoice_facts or invoice_state (migrations 0006, 0007). */
export interface InvoiceFactRow {
  invoice: string;
  client: string;
  matter: string;
  dated: string;
  balance_cents: number;
  invoice_status: InvoiceStatus;
  applied_cents: number;
}

export function invoicesOf(rows: InvoiceFactRow[]): { invoices: Map<string, InvoiceFacts>; taken: Map<string, number> } {
  const invoices = new Map<string, InvoiceFacts>();
  const taken = new Map<string, number>();
  for (const row of rows) {
    invoices.set(row.invoice, {
      invoiceNumber: row.invoice,
      clientNumber: row.client,
      matterNumber: row.matter,
      invoiceDate: row.dated,
      balanceCents: Number(row.balance_cents),
      status: row.invoice_status,
    });
    if (Number(row.applied_cents) !== 0) taken.set(row.invoice, Number(row.applied_cents));
  }
  return { invoices, taken };
}

/**
 * What the mirror says of some invoices and matters, less what records other than
 * `exclude` take. With `lock`, the invoices are locked first, in number order, so two
 * transactions classifying against one invoice do so one after the other.
 */
export async function readMirror(
  tx: Db,
  firmId: string,
  want: { invoices: string[]; matters: [string, string][]; exclude: string[]; lock: boolean },
): Promise<Mirror> {
  const numbers = [...new Set(want.invoices)].sort();
  const facts = numbers.length === 0
    ? []
    : (await sql<InvoiceFactRow>`select * from ${sql.raw(want.lock ? 'invoice_state' : 'invoice_facts')}(${firmId}, ${numbers}::text[], ${want.exclude}::uuid[])`.execute(tx)).rows;
  const { invoices, taken } = invoicesOf(facts);
  const matters = new Set<string>();
  if (want.matters.length > 0) {
    const rows = await sql<{ client_number: string; matter_number: string }>`
      select m.client_number, m.matter_number from matters m
      join unnest(${want.matters.map((p) => p[0])}::text[], ${want.matters.map((p) => p[1])}::text[]) as w(c, m2)
        on m.client_number = w.c and m.matter_number = w.m2
      where m.firm_id = ${firmId}`.execute(tx);
    for (const row of rows.rows) matters.add(matterKey(row.client_number, row.matter_number));
  }
  const firm = await tx.selectFrom('firms').select('auto_apply').where('id', '=', firmId).executeTakeFirstOrThrow();
  return { invoices, matters, takenByOthers: taken, autoApply: firm.auto_apply };
}

/** Per invoice, what every record except `exclude` takes from it (invoice_applied, migration 0007). */
export async function appliedToInvoices(db: Db, firmId: string, numbers: string[], exclude: string[] = []): Promise<Map<string, number>> {
  const appliedByInvoice = new Map<string, number>();
  if (numbers.length === 0) return appliedByInvoice;
  const applied = await sql<{ invoice: string; applied_cents: number }>`
    select invoice, applied_cents from invoice_applied(${firmId}, ${numbers}::text[], ${exclude}::uuid[])`.execute(db);
  for (const row of applied.rows) appliedByInvoice.set(row.invoice, Number(row.applied_cents));
  return appliedByInvoice;
}

/** Classifies terms against a mirror; allocations that could never be stored throw AllocationError naming the problem. */
export function classifyAgainst(mirror: Mirror, terms: RecordTerms): Verdict {
  return classify({ ...terms, invoices: mirror.invoices, matters: mirror.matters, appliedElsewhere: mirror.takenByOthers, autoApply: mirror.autoApply });
}

/** Classifies terms as a new record would be, without locking (a check before a charge). */
export async function classifyNew(db: Db, firmId: string, terms: RecordTerms): Promise<Verdict> {
  const mirror = await readMirror(db, firmId, { invoices: referencedInvoices(terms), matters: referencedMatters(terms), exclude: [], lock: false });
  return classifyAgainst(mirror, terms);
}
