import { sql } from 'kysely';
import type { SyncAnswer, SyncInput } from '../../contract/agent.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { writeSync } from '../../db/agent-contacts.ts';
import { publish } from '../../db/notify.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/principal.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';

const CHUNK = 5000;

interface Problem {
  field: string;
  message: string;
}

function reject(problems: Problem[]): never {
  const shown = problems.slice(0, 20);
  throw new AppError(400, 'invalid_sync', shown.map((p) => `${p.field}: ${p.message}`).join('; '), { issues: shown, total: problems.length });
}

/** Checks the batch as a whole before anything is written: duplicates, balances, references. */
async function validate(db: Db, firmId: string, input: SyncInput): Promise<void> {
  const problems: Problem[] = [];
  const firstSeen = <T>(rows: T[], keyOf: (row: T) => string, list: string, field: string) => {
    const seen = new Map<string, number>();
    rows.forEach((row, i) => {
      const key = keyOf(row);
      const first = seen.get(key);
      if (first !== undefined) problems.push({ field: `${list}.${i}.${field}`, message: `repeats ${list}.${first}` });
      else seen.set(key, i);
    });
  };
  firstSeen(input.clients, (c) => c.clientNumber, 'clients', 'clientNumber');
  firstSeen(input.matters, (m) => `${m.clientNumber}\u0000${m.matterNumber}`, 'matters', 'matterNumber');
  firstSeen(input.invoices, (v) => v.invoiceNumber, 'invoices', 'invoiceNumber');
  input.invoices.forEach((v, i) => {
    if (v.balanceCents > v.totalCents) problems.push({ field: `invoices.${i}.balanceCents`, message: 'is more than totalCents' });
  });

  const clientsHere = new Set(input.clients.map((c) => c.clientNumber));
  const mattersHere = new Set(input.matters.map((m) => `${m.clientNumber}\u0000${m.matterNumber}`));
  const wantedClients = [...new Set(input.matters.map((m) => m.clientNumber).filter((c) => !clientsHere.has(c)))];
  const wantedMatters = [...new Set(input.invoices.map((v) => `${v.clientNumber}\u0000${v.matterNumber}`).filter((k) => !mattersHere.has(k)))];
  const knownClients = new Set<string>();
  const knownMatters = new Set<string>();
  for (let i = 0; i < wantedClients.length; i += CHUNK) {
    const rows = await db.selectFrom('clients').select('client_number').where('firm_id', '=', firmId)
      .where(sql<boolean>`client_number = any(${wantedClients.slice(i, i + CHUNK)}::text[])`).execute();
    rows.forEach((r) => knownClients.add(r.client_number));
  }
  for (let i = 0; i < wantedMatters.length; i += CHUNK) {
    const part = wantedMatters.slice(i, i + CHUNK).map((k) => k.split('\u0000'));
    const rows = await sql<{ client_number: string; matter_number: string }>`
      select m.client_number, m.matter_number from matters m
      join unnest(${part.map((p) => p[0])}::text[], ${part.map((p) => p[1])}::text[]) as w(c, m2)
        on m.client_number = w.c and m.matter_number = w.m2
      where m.firm_id = ${firmId}`.execute(db);
    rows.rows.forEach((r) => knownMatters.add(`${r.client_number}\u0000${r.matter_number}`));
  }
  input.matters.forEach((m, i) => {
    if (!clientsHere.has(m.clientNumber) && !knownClients.has(m.clientNumber)) {
      problems.push({ field: `matters.${i}.clientNumber`, message: `client ${m.clientNumber} is neither in this sync nor synced before` });
    }
  });
  input.invoices.forEach((v, i) => {
    const key = `${v.clientNumber}\u0000${v.matterNumber}`;
    if (!mattersHere.has(key) && !knownMatters.has(key)) {
      problems.push({ field: `invoices.${i}.matterNumber`, message: `matter ${v.clientNumber}/${v.matterNumber} is neither in this sync nor synced before` });
    }
  });
  if (input.earlierInvoiceNumbers !== undefined && !input.full) {
    problems.push({ field: 'earlierInvoiceNumbers', message: 'is only for the last page of a full sync (full: true)' });
  }
  if (problems.length) reject(problems);
}

/** The instant this sync's data was read at the latest: never later than it arrived. */
function readAfterOf(input: SyncInput, now: Date): Date {
  if (input.readAfter === undefined) return now;
  const at = new Date(input.readAfter);
  return at < now ? at : now;
}

/**
 * SPEC §3.4: a posted line takes from its invoice until a sync of that invoice, read after
 * the MMS applied the line (where the firm's agent reports the MMS's answer; otherwise after
 * it was delivered), brings the invoice's new balance. The lines of these invoices that
 * such a sync now reflects are marked; returns the invoices they are on.
 */
async function markReflected(tx: Db, firmId: string, invoices: string[], readAfter: Date, now: Date): Promise<string[]> {
  const marked = new Set<string>();
  for (let i = 0; i < invoices.length; i += CHUNK) {
    const r = await sql<{ invoice_number: string }>`
      update allocations a set reflected_at = ${now}
      from posting_records r, batches b
      where a.firm_id = ${firmId} and a.invoice_number = any(${invoices.slice(i, i + CHUNK)}::text[])
        and a.reflected_at is null and a.amount_cents > 0
        and r.firm_id = a.firm_id and r.id = a.record_id and r.status = 'posted'
        and b.firm_id = r.firm_id and b.id = r.batch_id
        -- applied by the MMS before the sync read it, or, where no answer comes, delivered before
        and case when b.answer_expected then r.mms_status = 'applied' and r.mms_answered_at < ${readAfter}
                 else b.delivered_at < ${readAfter} end
      returning a.invoice_number`.execute(tx);
    r.rows.forEach((row) => marked.add(row.invoice_number));
  }
  return [...marked];
}

/**
 * The agent's sync: clients, matters and invoices upserted in bulk (a statement per
 * 5,000 rows), only real changes touching updated_at; posted lines the new balances now
 * show stop counting against them; then every pending and incomplete record that refers
 * to a changed invoice is classified again (and incomplete trust records, when matters
 * came). All in one transaction.
 */
export async function syncMms(db: Db, firmId: string, actor: Actor, input: SyncInput, now = new Date()): Promise<SyncAnswer> {
  return inTransaction(db, async (tx) => {
    await validate(tx, firmId, input);
    let clients = 0;
    let matters = 0;
    const changedInvoices: string[] = [];
    for (let i = 0; i < input.clients.length; i += CHUNK) {
      const part = input.clients.slice(i, i + CHUNK);
      const r = await sql`
        insert into clients (firm_id, client_number, name, updated_at)
        select ${firmId}, c, n, ${now} from unnest(${part.map((c) => c.clientNumber)}::text[], ${part.map((c) => c.name)}::text[]) as u(c, n)
        on conflict (firm_id, client_number) do update set name = excluded.name, updated_at = excluded.updated_at
        where clients.name is distinct from excluded.name`.execute(tx);
      clients += Number(r.numAffectedRows ?? 0);
    }
    for (let i = 0; i < input.matters.length; i += CHUNK) {
      const part = input.matters.slice(i, i + CHUNK);
      const r = await sql`
        insert into matters (firm_id, client_number, matter_number, description, updated_at)
        select ${firmId}, c, m, d, ${now}
        from unnest(${part.map((m) => m.clientNumber)}::text[], ${part.map((m) => m.matterNumber)}::text[], ${part.map((m) => m.description)}::text[]) as u(c, m, d)
        on conflict (firm_id, client_number, matter_number) do update set description = excluded.description, updated_at = excluded.updated_at
        where matters.description is distinct from excluded.description`.execute(tx);
      matters += Number(r.numAffectedRows ?? 0);
    }
    // In the order every classifier locks invoices (lock_invoices: code-point order), so a
    // sync and a payment on the same invoices queue behind each other instead of deadlocking.
    const invoices = [...input.invoices].sort((a, b) => (a.invoiceNumber < b.invoiceNumber ? -1 : a.invoiceNumber > b.invoiceNumber ? 1 : 0));
    for (let i = 0; i < invoices.length; i += CHUNK) {
      const part = invoices.slice(i, i + CHUNK);
      const r = await sql<{ invoice_number: string }>`
        insert into invoices (firm_id, invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status, updated_at)
        select ${firmId}, n, c, m, d, t, b, s, ${now}
        from unnest(${part.map((v) => v.invoiceNumber)}::text[], ${part.map((v) => v.clientNumber)}::text[], ${part.map((v) => v.matterNumber)}::text[],
                    ${part.map((v) => v.invoiceDate)}::date[], ${part.map((v) => v.totalCents)}::int8[], ${part.map((v) => v.balanceCents)}::int8[],
                    ${part.map((v) => v.status)}::text[]) as u(n, c, m, d, t, b, s)
        order by n collate "C"
        on conflict (firm_id, invoice_number) do update set
          client_number = excluded.client_number, matter_number = excluded.matter_number, invoice_date = excluded.invoice_date,
          total_cents = excluded.total_cents, balance_cents = excluded.balance_cents, status = excluded.status, updated_at = excluded.updated_at
        where (invoices.client_number, invoices.matter_number, invoices.invoice_date, invoices.total_cents, invoices.balance_cents, invoices.status)
          is distinct from (excluded.client_number, excluded.matter_number, excluded.invoice_date, excluded.total_cents, excluded.balance_cents, excluded.status)
        returning invoice_number`.execute(tx);
      changedInvoices.push(...r.rows.map((row) => row.invoice_number));
    }
    let closed = 0;
    if (input.full) {
      // An invoice the MMS no longer lists is no longer payable there.
      const listed = [...input.invoices.map((v) => v.invoiceNumber), ...(input.earlierInvoiceNumbers ?? [])];
      const r = await sql<{ invoice_number: string }>`
        update invoices set status = 'void', updated_at = ${now}
        where firm_id = ${firmId} and status = 'open'
          and not (invoice_number = any(${listed}::text[]))
        returning invoice_number`.execute(tx);
      closed = r.rows.length;
      changedInvoices.push(...r.rows.map((row) => row.invoice_number));
    }
    const reflected = await markReflected(tx, firmId, input.invoices.map((v) => v.invoiceNumber), readAfterOf(input, now), now);
    let reclassifiedToPending = 0;
    let reclassified = 0;
    if (changedInvoices.length + reflected.length + matters > 0) {
      // Exclusive: a payment or edit classified against the mirror as it was before this
      // sync has committed by now, so the re-classification below sees it; one that is not
      // yet written waits, then finds the new mirror (see lock_mirror, migration 0007).
      await sql`select lock_mirror(${firmId}, true)`.execute(tx);
      const outcomes = await reconcileRecords(tx, firmId, actor, { invoices: [...changedInvoices, ...reflected], mattersAdded: matters > 0 }, 'sync', now);
      reclassified = outcomes.size;
      reclassifiedToPending = [...outcomes.values()].filter((o) => o.before.status === 'incomplete' && o.after.status === 'pending').length;
    }
    const result = { clients, matters, invoices: changedInvoices.length - closed, closed, reclassifiedToPending };
    const received = { clients: input.clients.length, matters: input.matters.length, invoices: input.invoices.length };
    await writeAudit(tx, firmId, actor, [{ action: 'synced', detail: { ...result, received, full: input.full } }]);
    // Connect status (SPEC §5.2): the agent's last sync, its pages added up by their readAfter.
    if (actor.kind === 'agent' && actor.id !== null) {
      const changed = { clients, matters, invoices: result.invoices, closed };
      await writeSync(tx, firmId, actor.id, input.readAfter === undefined ? null : new Date(input.readAfter), { received, changed }, now);
    }
    await publish(tx, firmId, [...(actor.kind === 'agent' ? ['connect.changed' as const] : []), ...(reclassified > 0 ? ['postings.changed' as const] : [])]);
    return result;
  });
}
