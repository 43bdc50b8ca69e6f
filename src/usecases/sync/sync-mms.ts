import type { SyncAnswer, SyncInput } from '../../contract/agent.ts';
import type { Db } from '../../db/connect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { writeAudit } from '../../db/audit.ts';
import { writeSync } from '../../db/agent-contacts.ts';
import {
  copyNewInvoices,
  countKnownMatters,
  lockMirror,
  lockSync,
  markReflected,
  readKnownClients,
  readKnownMatters,
  readMirroredInvoices,
  referredByOpenRecords,
  upsertClients,
  upsertInvoices,
  upsertMatters,
  voidUnlisted,
} from '../../db/mirror.ts';
import { publish } from '../../db/notify.ts';
import { readAfterOf, syncProblems, syncReferences, syncRefusal } from '../../domain/sync-checks.ts';
import type { Actor } from '../../domain/actor.ts';
import { reconcileRecords } from '../postings/reconcile-records.ts';

const CHUNK = 5000;

/** Checks the sync as a whole before anything is written, against what the mirror already has. */
async function validate(db: Db, firmId: string, input: SyncInput): Promise<void> {
  const wanted = syncReferences(input);
  const clients = new Set<string>();
  for (let i = 0; i < wanted.clients.length; i += CHUNK) {
    (await readKnownClients(db, firmId, wanted.clients.slice(i, i + CHUNK))).forEach((c) => clients.add(c));
  }
  // Usually the mirror has every matter the invoices name: counted in one statement, and
  // read back (to name the missing ones) only when it does not.
  const allKnown = (await countKnownMatters(db, firmId, wanted.matters)) === wanted.matters.length;
  const matters: [string, string][] = allKnown ? wanted.matters : [];
  for (let i = 0; !allKnown && i < wanted.matters.length; i += CHUNK) {
    (await readKnownMatters(db, firmId, wanted.matters.slice(i, i + CHUNK))).forEach((r) =>
      matters.push([r.client_number, r.matter_number]),
    );
  }
  const problems = syncProblems(input, { clients, matters });
  if (problems.length) throw syncRefusal(problems);
}

/**
 * SPEC §3.4: a posted line takes from its invoice until a sync of that invoice, read after
 * the MMS applied the line (where the firm's agent reports the MMS's answer; otherwise after
 * it was delivered), brings the invoice's new balance. The lines of these invoices that
 * such a sync now reflects are marked; returns the invoices they are on.
 */
async function markReflectedLines(
  tx: Db,
  firmId: string,
  invoices: string[],
  readAfter: Date,
  now: Date,
): Promise<string[]> {
  const marked = new Set<string>();
  for (let i = 0; i < invoices.length; i += CHUNK) {
    (await markReflected(tx, firmId, invoices.slice(i, i + CHUNK), readAfter, now)).forEach((n) => marked.add(n));
  }
  return [...marked];
}

/**
 * The agent's sync: clients, matters and the invoices the mirror has upserted in bulk (a
 * statement per 5,000 rows), only real changes touching updated_at, and the invoices it
 * does not have yet loaded with COPY, one sync of the firm at a time (lockSync); posted lines the new balances now
 * show stop counting against them; then every pending and incomplete record that refers
 * to a changed invoice is classified again (and incomplete trust records, when matters
 * came). All in one transaction.
 */
export async function syncMms(
  db: Db,
  firmId: string,
  actor: Actor,
  input: SyncInput,
  now = new Date(),
): Promise<SyncAnswer> {
  return inTransaction(db, async (tx) => {
    // First, before any row lock: a sync waiting for it holds nothing another sync needs.
    await lockSync(tx, firmId);
    await validate(tx, firmId, input);
    let clients = 0;
    let matters = 0;
    const changedInvoices: string[] = [];
    for (let i = 0; i < input.clients.length; i += CHUNK) {
      const part = input.clients.slice(i, i + CHUNK);
      clients += await upsertClients(tx, firmId, part, now);
    }
    for (let i = 0; i < input.matters.length; i += CHUNK) {
      const part = input.matters.slice(i, i + CHUNK);
      matters += await upsertMatters(tx, firmId, part, now);
    }
    // In the order every classifier locks invoices (lock_invoices: code-point order), so a
    // sync and a payment on the same invoices queue behind each other instead of deadlocking.
    const invoices = [...input.invoices].sort((a, b) =>
      a.invoiceNumber < b.invoiceNumber ? -1 : a.invoiceNumber > b.invoiceNumber ? 1 : 0,
    );
    // The invoices the mirror has are upserted (only real changes count); the others are
    // loaded with COPY, which no other sync can race while this one holds the sync lock.
    const mirrored = await readMirroredInvoices(
      tx,
      firmId,
      invoices.map((v) => v.invoiceNumber),
    );
    const known = invoices.filter((v) => mirrored.has(v.invoiceNumber));
    const fresh = invoices.filter((v) => !mirrored.has(v.invoiceNumber));
    for (let i = 0; i < known.length; i += CHUNK) {
      const part = known.slice(i, i + CHUNK);
      changedInvoices.push(...(await upsertInvoices(tx, firmId, part, now)));
    }
    await copyNewInvoices(tx, firmId, fresh, now);
    changedInvoices.push(...fresh.map((v) => v.invoiceNumber));
    let closed = 0;
    if (input.full) {
      // An invoice the MMS no longer lists is no longer payable there.
      const listed = [...input.invoices.map((v) => v.invoiceNumber), ...(input.earlierInvoiceNumbers ?? [])];
      const voided = await voidUnlisted(tx, firmId, listed, now);
      closed = voided.length;
      changedInvoices.push(...voided);
    }
    // Only the invoices the mirror had: a posted line is on an invoice its record was
    // classified against, and the mirror never forgets one.
    const reflected = await markReflectedLines(
      tx,
      firmId,
      known.map((v) => v.invoiceNumber),
      readAfterOf(input.readAfter, now),
      now,
    );
    let reclassifiedToPending = 0;
    let reclassified = 0;
    if (changedInvoices.length + reflected.length + matters > 0) {
      // Exclusive: a payment or edit classified against the mirror as it was before this
      // sync has committed by now, so the re-classification below sees it; one that is not
      // yet written waits, then finds the new mirror (see lock_mirror, migration 0007).
      await lockMirror(tx, firmId, true);
      // Only the invoices some open record refers to: the others can move no record, and
      // a claim moved onto one of them widens the area inside reconcileRecords as ever.
      const area = await referredByOpenRecords(tx, firmId, [...new Set([...changedInvoices, ...reflected])]);
      const outcomes = await reconcileRecords(
        tx,
        firmId,
        actor,
        { invoices: area, mattersAdded: matters > 0 },
        'sync',
        now,
      );
      reclassified = outcomes.size;
      reclassifiedToPending = [...outcomes.values()].filter(
        (o) => o.before.status === 'incomplete' && o.after.status === 'pending',
      ).length;
    }
    const result = { clients, matters, invoices: changedInvoices.length - closed, closed, reclassifiedToPending };
    const received = { clients: input.clients.length, matters: input.matters.length, invoices: input.invoices.length };
    await writeAudit(tx, firmId, actor, [{ action: 'synced', detail: { ...result, received, full: input.full } }]);
    // Connect status (SPEC §5.2): the agent's last sync, its pages added up by their readAfter.
    if (actor.kind === 'agent' && actor.id !== null) {
      const changed = { clients, matters, invoices: result.invoices, closed };
      await writeSync(
        tx,
        firmId,
        actor.id,
        input.readAfter === undefined ? null : new Date(input.readAfter),
        { received, changed },
        now,
      );
    }
    await publish(tx, firmId, [
      ...(actor.kind === 'agent' ? ['connect.changed' as const] : []),
      ...(reclassified > 0 ? ['postings.changed' as const] : []),
    ]);
    return result;
  });
}
