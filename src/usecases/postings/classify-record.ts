import { sql } from 'kysely';
import { AllocationError, classify, type Verdict } from '../../domain/classify.ts';
import type { Account, Allocation, InvoiceFacts, InvoiceStatus } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../errors.ts';

export interface ClassifySubject {
  /** The record being re-classified, whose own allocations do not count against the invoices. */
  recordId: string | null;
  account: Account;
  receiptCents: number;
  invoiceNumbers: string[];
  clientNumber: string | null;
  matterNumber: string | null;
  allocations: Allocation[] | null;
}

export function referencedInvoices(subject: Pick<ClassifySubject, 'invoiceNumbers' | 'allocations'>): string[] {
  const numbers = [...subject.invoiceNumbers, ...(subject.allocations ?? []).map((a) => a.invoiceNumber ?? '')];
  return [...new Set(numbers.map((n) => n.trim()).filter(Boolean))].sort();
}

export interface InvoiceState {
  invoices: Map<string, InvoiceFacts>;
  appliedElsewhere: Map<string, number>;
}

/**
 * Loads what classification needs about these invoices, locking them first so two
 * records being classified at once cannot both claim the same open balance.
 */
export async function loadInvoiceState(tx: Db, firmId: string, numbers: string[], excludeRecordIds: string[]): Promise<InvoiceState> {
  if (numbers.length === 0) return { invoices: new Map(), appliedElsewhere: new Map() };
  const rows = await sql<InvoiceFactRow>`select * from invoice_state(${firmId}, ${numbers}::text[], ${excludeRecordIds}::uuid[])`.execute(tx);
  return invoiceStateOf(rows.rows);
}

/** A row of invoice_facts or invoice_state (migration 0006). */
export interface InvoiceFactRow {
  invoice: string;
  client: string;
  matter: string;
  dated: string;
  balance_cents: number;
  invoice_status: InvoiceStatus;
  applied_cents: number;
}

export function invoiceStateOf(rows: InvoiceFactRow[]): InvoiceState {
  const invoices = new Map<string, InvoiceFacts>();
  const appliedElsewhere = new Map<string, number>();
  for (const row of rows) {
    invoices.set(row.invoice, {
      invoiceNumber: row.invoice,
      clientNumber: row.client,
      matterNumber: row.matter,
      invoiceDate: row.dated,
      balanceCents: Number(row.balance_cents),
      status: row.invoice_status,
    });
    if (Number(row.applied_cents) !== 0) appliedElsewhere.set(row.invoice, Number(row.applied_cents));
  }
  return { invoices, appliedElsewhere };
}

/**
 * What other records already apply to each of these invoices: money the MMS balance
 * does not show yet. That is pending and queued records (SPEC §3.3) and also posted
 * ones delivered after the invoice was last synced: until the MMS's new balance comes
 * back, counting them is what keeps one invoice from being paid twice over.
 * Invoices nothing applies to are absent from the map.
 */
export async function appliedToInvoices(db: Db, firmId: string, numbers: string[], excludeRecordIds: string[] = []): Promise<Map<string, number>> {
  const appliedByInvoice = new Map<string, number>();
  if (numbers.length === 0) return appliedByInvoice;
  // The rule lives in the database function invoice_applied (migration 0006), whose plan
  // is kept: intake asks it for every payment.
  const applied = await sql<{ invoice: string; applied_cents: number }>`
    select invoice, applied_cents from invoice_applied(${firmId}, ${numbers}::text[], ${excludeRecordIds}::uuid[])`.execute(db);
  for (const row of applied.rows) appliedByInvoice.set(row.invoice, Number(row.applied_cents));
  return appliedByInvoice;
}

/** Classifies against a loaded invoice state; bad explicit allocations answer 422 naming the problem. */
export function classifyWith(state: InvoiceState, subject: ClassifySubject, autoApply: boolean): Verdict {
  try {
    return classify({
      account: subject.account,
      receiptCents: subject.receiptCents,
      invoiceNumbers: subject.invoiceNumbers,
      clientNumber: subject.clientNumber,
      matterNumber: subject.matterNumber,
      allocations: subject.allocations,
      invoices: state.invoices,
      appliedElsewhere: state.appliedElsewhere,
      autoApply,
    });
  } catch (error) {
    if (error instanceof AllocationError) throw new AppError(422, error.code, error.message);
    throw error;
  }
}

export async function classifyInDb(tx: Db, firmId: string, autoApply: boolean, subject: ClassifySubject): Promise<Verdict> {
  const state = await loadInvoiceState(tx, firmId, referencedInvoices(subject), subject.recordId ? [subject.recordId] : []);
  return classifyWith(state, subject, autoApply);
}
