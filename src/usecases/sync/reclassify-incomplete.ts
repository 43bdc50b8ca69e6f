import { sql } from 'kysely';
import type { Allocation } from '../../domain/types.ts';
import type { Db } from '../../db/connect.ts';
import { loadAllocations, searchText } from '../../db/postings.ts';
import type { Actor } from '../auth/principal.ts';
import { classifyWith, loadInvoiceState, referencedInvoices } from '../postings/classify-record.ts';

/**
 * SPEC §3.4: after a sync, incomplete records that refer to a changed invoice are
 * classified again, and those whose conflict the MMS has resolved become pending.
 * A fixed number of statements however many records: load all, classify in memory
 * (oldest first, each newly pending record claiming its balance before the next),
 * write back the changed ones in bulk.
 */
export async function reclassifyIncomplete(tx: Db, firmId: string, actor: Actor, changedInvoices: string[], now = new Date()): Promise<number> {
  if (changedInvoices.length === 0) return 0;
  const records = await tx
    .selectFrom('posting_records as r')
    .innerJoin('payments as p', (j) => j.onRef('p.firm_id', '=', 'r.firm_id').onRef('p.id', '=', 'r.payment_id'))
    .select(['r.id', 'r.account', 'r.amount_cents', 'r.reasons', 'p.payer_name', 'p.invoice_numbers', 'p.client_number', 'p.matter_number'])
    .where('r.firm_id', '=', firmId)
    .where('r.status', '=', 'incomplete')
    .where((eb) =>
      eb.or([
        sql<boolean>`r.invoice_numbers && ${changedInvoices}::text[]`,
        eb.exists(
          eb.selectFrom('allocations as a')
            .select(sql`1`.as('one'))
            .whereRef('a.firm_id', '=', 'r.firm_id')
            .whereRef('a.record_id', '=', 'r.id')
            .where(sql<boolean>`a.invoice_number = any(${changedInvoices}::text[])`),
        ),
      ]),
    )
    .orderBy('r.processed_at')
    .orderBy('r.id')
    .forUpdate()
    .execute();
  if (records.length === 0) return 0;

  const current = await loadAllocations(tx, firmId, records.map((r) => r.id));
  const firm = await tx.selectFrom('firms').select('auto_apply').where('id', '=', firmId).executeTakeFirstOrThrow();
  const subjects = records.map((r) => ({
    row: r,
    subject: {
      recordId: r.id,
      account: r.account,
      receiptCents: r.amount_cents,
      invoiceNumbers: r.invoice_numbers,
      clientNumber: r.client_number,
      matterNumber: r.matter_number,
      allocations: current.get(r.id) ?? null,
    },
  }));
  const numbers = [...new Set(subjects.flatMap((s) => referencedInvoices(s.subject)))].sort();
  const state = await loadInvoiceState(tx, firmId, numbers, records.map((r) => r.id));

  const changed: { id: string; status: 'pending' | 'incomplete'; reasons: string[]; allocations: Allocation[]; search: string; before: string[] }[] = [];
  for (const { row, subject } of subjects) {
    const verdict = classifyWith(state, subject, firm.auto_apply);
    if (verdict.status === 'pending') {
      for (const a of verdict.allocations) {
        if (a.invoiceNumber) state.appliedElsewhere.set(a.invoiceNumber, (state.appliedElsewhere.get(a.invoiceNumber) ?? 0) + a.amountCents);
      }
    }
    const sameReasons = verdict.reasons.join() === row.reasons.join();
    if (verdict.status === 'incomplete' && sameReasons) continue;
    changed.push({
      id: row.id,
      status: verdict.status,
      reasons: verdict.reasons,
      allocations: verdict.allocations,
      search: searchText({ payerName: row.payer_name, invoiceNumbers: row.invoice_numbers, clientNumber: row.client_number, matterNumber: row.matter_number, allocations: verdict.allocations }),
      before: row.reasons,
    });
  }
  if (changed.length === 0) return 0;

  const ids = changed.map((c) => c.id);
  await sql`
    update posting_records r
    set status = c.status, reasons = string_to_array(c.reasons, ',')::text[], search_text = c.search,
        version = r.version + 1, updated_at = ${now},
        status_changed_at = case when c.status <> r.status then ${now}::timestamptz else r.status_changed_at end
    from unnest(${ids}::uuid[], ${changed.map((c) => c.status)}::text[], ${changed.map((c) => c.reasons.join(','))}::text[], ${changed.map((c) => c.search)}::text[])
      as c(id, status, reasons, search)
    where r.firm_id = ${firmId} and r.id = c.id
  `.execute(tx);
  await tx.deleteFrom('allocations').where('firm_id', '=', firmId).where(sql<boolean>`record_id = any(${ids}::uuid[])`).execute();
  const lines = changed.flatMap((c) =>
    c.allocations.map((a, i) => ({ firm_id: firmId, record_id: c.id, line: i + 1, invoice_number: a.invoiceNumber, client_number: a.clientNumber, matter_number: a.matterNumber, amount_cents: a.amountCents })),
  );
  for (let i = 0; i < lines.length; i += 5000) await tx.insertInto('allocations').values(lines.slice(i, i + 5000)).execute();
  const events = changed.map((c) => ({
    firm_id: firmId,
    actor_kind: actor.kind,
    actor_id: actor.id,
    actor_label: actor.label,
    action: 'reclassified_after_sync',
    record_id: c.id,
    from_status: 'incomplete',
    to_status: c.status,
    detail: JSON.stringify({ reasons: { before: c.before, after: c.reasons } }),
  }));
  for (let i = 0; i < events.length; i += 5000) await tx.insertInto('audit_events').values(events.slice(i, i + 5000)).execute();
  return changed.filter((c) => c.status === 'pending').length;
}
