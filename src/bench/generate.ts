import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import { createFirm, createToken, createUser } from '../usecases/auth/firms-and-users.ts';
import { recordsOf, type FirmPlan } from './plan.ts';

/** The generated firms: ids and the tokens the HTTP metrics call with. */
export interface Dataset {
  firms: Map<string, { id: string; plan: FirmPlan }>;
  /** An accountant's token for every firm whose role is not 'other'. */
  userTokens: Map<string, string>;
  agentTokens: Map<string, string>;
  totals: { firms: number; records: number; invoices: number; payouts: number; payoutLines: number };
}

const BATCH_SIZE = 1000;
const PASSWORD = 'bench-password-not-secret';

/**
 * Builds the dataset with set-based SQL: a plan table of firms, a table of one row per
 * record with everything derived from its number, then one INSERT ... SELECT per
 * target table. Ids are md5-derived UUIDs, so a payment, its record, its allocation,
 * its batch line and its audit event find each other without a join on random ids.
 */
export async function generateDataset(db: Db, plans: FirmPlan[]): Promise<Dataset> {
  const firms = new Map<string, { id: string; plan: FirmPlan }>();
  const userTokens = new Map<string, string>();
  const agentTokens = new Map<string, string>();
  for (const plan of plans) {
    const firm = await createFirm(db, { code: plan.code, name: `${plan.code} Bench LLP` });
    firms.set(plan.code, { id: firm.id, plan });
    if (plan.role === 'other') continue;
    const email = `accountant@${plan.code.toLowerCase()}.bench`;
    await createUser(db, { firmCode: plan.code, email, role: 'accountant', password: PASSWORD });
    userTokens.set(plan.code, (await createToken(db, { firmCode: plan.code, kind: 'user', email })).token);
    agentTokens.set(plan.code, (await createToken(db, { firmCode: plan.code, kind: 'agent' })).token);
  }

  await asBulkLoad(db, BULK_TABLES, () => fillTables(db, plans, firms));
  // After the bulk load, with every index back: the payout lines' trigger (migration 0036)
  // finds each line's record through the records' indexes, one key at a time.
  const big = plans.find((p) => p.role === 'big');
  const payouts = big ? await generatePayouts(db, firms.get(big.code)!.id) : { payouts: 0, lines: 0 };
  const totals = {
    firms: plans.length,
    records: plans.reduce((sum, p) => sum + recordsOf(p), 0),
    invoices: plans.reduce((sum, p) => sum + p.invoices, 0),
    payouts: payouts.payouts,
    payoutLines: payouts.lines,
  };
  return { firms, userTokens, agentTokens, totals };
}

/** The tables the dataset fills by the hundred thousand (with their search tables, which triggers fill). */
const BULK_TABLES = [
  'invoices',
  'payments',
  'payment_search',
  'posting_records',
  'posting_record_search',
  'allocations',
  'batch_lines',
  'audit_events',
];

interface IndexDefinition {
  name: string;
  definition: string;
}

async function secondaryIndexes(db: Db, tables: readonly string[]): Promise<IndexDefinition[]> {
  // Not the indexes behind a constraint (primary keys and unique constraints, which the
  // foreign keys checked while filling lean on), and not a partition's own index, which
  // goes and comes back with its partitioned parent's.
  const found = await sql<IndexDefinition>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relnamespace = 'public'::regnamespace and t.relname = any(${tables}::text[])
      and not exists (select from pg_constraint k where k.conindid = i.indexrelid)
      and not exists (select from pg_inherits h where h.inhrelid = i.indexrelid)
    order by 1`.execute(db);
  return found.rows;
}

interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
}

async function foreignKeys(db: Db, tables: readonly string[]): Promise<ForeignKey[]> {
  // A partition's copy of its parent's key (conparentid) is checked through the parent.
  const found = await sql<ForeignKey>`
    select k.conname as name, k.conrelid::regclass::text as child, k.confrelid::regclass::text as parent,
      array(select a.attname::text from unnest(k.conkey) with ordinality as c(n, i)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = c.n order by c.i) as "childColumns",
      array(select a.attname::text from unnest(k.confkey) with ordinality as c(n, i)
            join pg_attribute a on a.attrelid = k.confrelid and a.attnum = c.n order by c.i) as "parentColumns"
    from pg_constraint k join pg_class t on t.oid = k.conrelid
    where k.contype = 'f' and k.conparentid = 0 and t.relnamespace = 'public'::regnamespace
      and t.relname = any(${tables}::text[])
    order by 1`.execute(db);
  return found.rows;
}

/** Rows of `key.child` whose key names no row of `key.parent` (MATCH SIMPLE: a key with a null is not checked). */
async function orphans(db: Db, key: ForeignKey): Promise<number> {
  const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const notNull = key.childColumns.map((c) => `c.${id(c)} is not null`).join(' and ');
  const matches = key.childColumns.map((c, i) => `p.${id(key.parentColumns[i]!)} = c.${id(c)}`).join(' and ');
  const found = await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(key.child)} c
    where ${sql.raw(notNull)} and not exists (select from ${sql.raw(key.parent)} p where ${sql.raw(matches)})`.execute(
    db,
  );
  return found.rows[0]!.n;
}

/**
 * Fills the tables as a restore does, then checks them: the secondary indexes dropped
 * and each built again from its own definition afterwards (one sorted build instead of a
 * placement per row, which for the trigram GIN indexes of the search tables is the
 * difference between minutes and an hour at BENCH_SCALE=10), and the foreign keys'
 * checks, one lookup per row, switched off while filling (ALTER TABLE … DISABLE TRIGGER
 * ALL, then ENABLE TRIGGER USER: the tables' own triggers, which fill the search tables
 * and tallies, still run). Afterwards every foreign key is checked over the whole table
 * in one query, the indexes rebuilt are checked to be the ones dropped, and a unique
 * index that the data broke fails to build. Switching the checks off needs a superuser,
 * as the bench's PostgreSQL and PGlite are; for another role they stay on.
 */
export async function asBulkLoad<T>(db: Db, tables: readonly string[], fill: () => Promise<T>): Promise<T> {
  const dropped = await secondaryIndexes(db, tables);
  for (const index of dropped) await sql`drop index ${sql.raw(index.name)}`.execute(db);
  const superuser = (
    await sql<{ yes: boolean }>`select rolsuper as yes from pg_roles where rolname = current_user`.execute(db)
  ).rows[0]?.yes;
  const keys = await foreignKeys(db, tables);
  if (superuser)
    for (const table of tables)
      await sql`alter table ${sql.raw(table)} disable trigger all, enable trigger user`.execute(db);
  let filled: T;
  try {
    filled = await fill();
  } finally {
    if (superuser) for (const table of tables) await sql`alter table ${sql.raw(table)} enable trigger all`.execute(db);
  }
  for (const key of keys) {
    const n = await orphans(db, key);
    if (n > 0) throw new Error(`the bench generated ${n} rows of ${key.child} that break its foreign key ${key.name}`);
  }
  await db.connection().execute(async (c) => {
    await sql`set maintenance_work_mem = '512MB'`.execute(c);
    // "on only" makes a partitioned table's index alone; without it the build reaches every partition.
    for (const index of dropped) await sql.raw(index.definition.replace(/ ON ONLY /, ' ON ')).execute(c);
    await sql`reset maintenance_work_mem`.execute(c);
  });
  const rebuilt = await secondaryIndexes(db, tables);
  if (JSON.stringify(rebuilt) !== JSON.stringify(dropped))
    throw new Error(
      `the bench rebuilt other indexes than it dropped: ${JSON.stringify({ dropped, rebuilt }).slice(0, 2000)}`,
    );
  return filled;
}

async function fillTables(
  db: Db,
  plans: FirmPlan[],
  firms: Map<string, { id: string; plan: FirmPlan }>,
): Promise<void> {
  await sql`create table bench_plan (firm_id uuid primary key, code text, n_clients int, n_inv int,
    n_pending int, n_incomplete int, n_queued int, n_posted int, n_removed int)`.execute(db);
  await sql`insert into bench_plan
    select * from unnest(${plans.map((p) => firms.get(p.code)!.id)}::uuid[], ${plans.map((p) => p.code)}::text[],
      ${plans.map((p) => p.clients)}::int[], ${plans.map((p) => p.invoices)}::int[], ${plans.map((p) => p.pending)}::int[],
      ${plans.map((p) => p.incomplete)}::int[], ${plans.map((p) => p.queued)}::int[], ${plans.map((p) => p.posted)}::int[],
      ${plans.map((p) => p.removed)}::int[])`.execute(db);

  await sql`insert into clients (firm_id, client_number, name)
    select p.firm_id, 'C' || lpad(g::text, 6, '0'), 'Client ' || g from bench_plan p, generate_series(1, p.n_clients) g`.execute(
    db,
  );
  await sql`insert into matters (firm_id, client_number, matter_number, description)
    select p.firm_id, 'C' || lpad(g::text, 6, '0'), 'M01', 'General matter ' || g from bench_plan p, generate_series(1, p.n_clients) g`.execute(
    db,
  );
  await sql`insert into invoices (firm_id, invoice_number, client_number, matter_number, invoice_date, total_cents, balance_cents, status)
    select p.firm_id, 'INV-' || lpad(g::text, 7, '0'), 'C' || lpad(((g - 1) % p.n_clients + 1)::text, 6, '0'), 'M01',
      date '2024-06-01' + (g % 500), 100000 + (g::int8 * 7919) % 900000,
      case when g % 20 = 0 then 0 else 100000 + (g::int8 * 7919) % 900000 end,
      case when g % 20 = 0 then 'paid' else 'open' end
    from bench_plan p, generate_series(1, p.n_inv) g`.execute(db);

  // One row per record. Statuses come in blocks of the record number, but dates are
  // scattered over a year, so every view interleaves with the others in date order.
  await sql`create table bench_rows as
    select p.firm_id, p.code, i, s.status, s.k,
      md5('p' || p.code || i)::uuid as payment_id, md5('r' || p.code || i)::uuid as record_id,
      timestamptz '2025-01-01 00:00:00+00' + ((i::int8 * 104729) % 31536000) * interval '1 second' as processed_at,
      1000 + (i::int8 * 613) % 49000 as amount_cents,
      (array['Acme','Baker','Castle','Dalton','Ellis','Foster','Grant','Hughes','Irving','Jensen','Keller','Lowe','Morgan','Nolan','Owens','Parker'])[i % 16 + 1]
        || ' Holdings ' || (i % 997) as payer_name,
      case when i % 5 = 0 then 'echeck' else 'card' end as method,
      case when i % 20 = 7 and s.status <> 'incomplete' then 'trust' else 'operating' end as account,
      'INV-' || lpad(s.inv::text, 7, '0') as invoice_number,
      'C' || lpad(((s.inv - 1) % p.n_clients + 1)::text, 6, '0') as client_number,
      case s.status
        when 'posted' then (s.k - 1) / ${BATCH_SIZE} + 1
        when 'queued' then (p.n_posted + ${BATCH_SIZE} - 1) / ${BATCH_SIZE} + (s.k - 1) / ${BATCH_SIZE} + 1
      end as batch_seq
    from bench_plan p
    cross join lateral generate_series(1, p.n_pending + p.n_incomplete + p.n_queued + p.n_posted + p.n_removed) i
    cross join lateral (select
      case when i <= p.n_pending then 'pending'
           when i <= p.n_pending + p.n_incomplete then 'incomplete'
           when i <= p.n_pending + p.n_incomplete + p.n_queued then 'queued'
           when i <= p.n_pending + p.n_incomplete + p.n_queued + p.n_posted then 'posted'
           else 'removed' end as status,
      i - case when i <= p.n_pending then 0
               when i <= p.n_pending + p.n_incomplete then p.n_pending
               when i <= p.n_pending + p.n_incomplete + p.n_queued then p.n_pending + p.n_incomplete
               when i <= p.n_pending + p.n_incomplete + p.n_queued + p.n_posted then p.n_pending + p.n_incomplete + p.n_queued
               else p.n_pending + p.n_incomplete + p.n_queued + p.n_posted end as k) s0
    -- An incomplete record names an invoice the firm does not have (yet: the sync firm's
    -- arrive with the sync); the others one of the firm's invoices, with its client.
    cross join lateral (select s0.*, case when s0.status = 'incomplete' then p.n_inv + s0.k
                                          else (i::int8 * 31) % greatest(p.n_inv, 1) + 1 end as inv) s`.execute(db);
  await sql`alter table bench_rows add column batch_id uuid`.execute(db);
  await sql`update bench_rows set batch_id = md5('b' || code || batch_seq)::uuid where batch_seq is not null`.execute(
    db,
  );

  await sql`insert into payments (id, firm_id, processor_id, processed_at, amount_cents, surcharge_cents, method, card_brand, last4,
      account, payer_name, invoice_numbers, client_number, matter_number, origin, status, reversed_at, created_at)
    select payment_id, firm_id, 'gen_' || i, processed_at, amount_cents, 0, method,
      case when method = 'card' then 'visa' end, case when method = 'card' then lpad((i % 10000)::text, 4, '0') end,
      account, payer_name, case when account = 'trust' then '{}'::text[] else array[invoice_number] end,
      client_number, 'M01', 'connect',
      case when status = 'removed' and i % 2 = 0 then 'voided' else 'approved' end,
      case when status = 'removed' and i % 2 = 0 then processed_at + interval '1 day' end,
      processed_at
    from bench_rows`.execute(db);
  await sql`insert into batches (id, firm_id, seq, file_name, file_format, content, sha256, line_count, total_cents, record_count,
      status, created_by, created_at, delivered_at, time_zone)
    select batch_id, firm_id, batch_seq, 'PB_' || code || '_' || lpad(batch_seq::text, 6, '0') || '.csv', 'paybridge-csv',
      convert_to('bench batch ' || code || ' ' || batch_seq, 'UTF8'),
      encode(sha256(convert_to('bench batch ' || code || ' ' || batch_seq, 'UTF8')), 'hex'),
      count(*), sum(amount_cents), count(*),
      case when min(status) = 'posted' then 'delivered' else 'queued' end, 'bench',
      max(processed_at) + interval '1 hour',
      case when min(status) = 'posted' then max(processed_at) + interval '2 hours' end,
      (select f.time_zone from firms f where f.id = bench_rows.firm_id)
    from bench_rows where batch_seq is not null
    group by firm_id, code, batch_seq, batch_id`.execute(db);
  await sql`update firms f set next_batch_seq = b.seq + 1
    from (select firm_id, max(seq) as seq from batches group by firm_id) b where b.firm_id = f.id`.execute(db);
  await sql`insert into posting_records (id, firm_id, payment_id, status, reasons, amount_cents, surcharge_cents, account, removal_note,
      batch_id, processed_at, payer_name, origin, method, invoice_numbers, refers_to, search_text, created_at, updated_at, status_changed_at)
    select record_id, firm_id, payment_id, status,
      case when status = 'incomplete' then '{invalid_invoice_number}'::text[] else '{}'::text[] end,
      amount_cents, 0, account, case when status = 'removed' then 'bench' end,
      batch_id, processed_at, payer_name, 'connect', method,
      case when account = 'trust' then '{}'::text[] else array[invoice_number] end,
      -- As take_payment writes it (referencedInvoices): the invoices the record names, which
      -- a sync changing one of them finds it by.
      case when account = 'trust' then '{}'::text[] else array[invoice_number] end,
      -- As searchText writes it: the words, lower-cased, then the client/matter key (the amount
      -- and last 4 keys are the search table's trigger's, migration 0030).
      lower(payer_name || case when account = 'trust' then '' else ' ' || invoice_number end || ' ' || client_number || ' M01')
        || ' #M' || upper(client_number || '/M01') || '#',
      processed_at, processed_at, processed_at
    from bench_rows`.execute(db);
  await sql`insert into allocations (firm_id, record_id, line, invoice_number, client_number, matter_number, amount_cents)
    select firm_id, record_id, 1,
      case when account = 'operating' then invoice_number end,
      case when account = 'trust' then client_number end,
      case when account = 'trust' then 'M01' end,
      amount_cents
    from bench_rows where status <> 'incomplete'`.execute(db);
  await sql`insert into batch_lines (firm_id, batch_id, record_id, line, file_line, amount_cents)
    select firm_id, batch_id, record_id, 1, row_number() over (partition by firm_id, batch_id order by processed_at, record_id), amount_cents
    from bench_rows where batch_id is not null`.execute(db);
  await sql`insert into audit_events (firm_id, at, actor_kind, actor_label, action, record_id, to_status)
    select firm_id, processed_at, 'system', 'bench', 'created', record_id, case when status = 'incomplete' then 'incomplete' else 'pending' end
    from bench_rows`.execute(db);

  await sql`drop table bench_rows`.execute(db);
  await sql`drop table bench_plan`.execute(db);
}

/**
 * A year of the firm's payouts (Deposits, SPEC §5.3), as the processor's daily settlement
 * makes them (src/processor/sandbox/settle-payouts.ts, domain/payouts.ts payoutLines) and
 * recordPayout keeps them: each of the firm's days, per deposit account, one payout of
 * that day's payments. A payment's receipt goes to its own account; its processing fee
 * (2.9 % + 30 ¢ a card, 0.8 % of an eCheck up to $5; SANDBOX_FEES) comes out of the firm's
 * operating account, for a trust payment too. The bench's payments have no surcharge,
 * refund or chargeback, so those lines do not occur. Paid the next day at 09:00 in the
 * firm's time zone. Voided payments are never settled.
 */
async function generatePayouts(db: Db, firmId: string): Promise<{ payouts: number; lines: number }> {
  await sql`create table bench_payout_lines as
    with moves as (
      select p.processor_id, p.processed_at, p.method, p.deposit_account_id, p.account, p.amount_cents,
        p.amount_cents - p.surcharge_cents as receipt_cents, p.surcharge_cents,
        (p.processed_at at time zone f.time_zone)::date as settled_on, f.time_zone, o.id as operating_id
      from payments p
      join firms f on f.id = p.firm_id
      join deposit_accounts o on o.firm_id = p.firm_id and o.kind = 'operating' and o.is_default
      where p.firm_id = ${firmId} and p.status not in ('declined', 'voided')),
    lines as (
      select settled_on, time_zone, processed_at, processor_id, deposit_account_id, 1 as part, 'payment' as kind,
        receipt_cents as amount_cents
        from moves
      union all
      select settled_on, time_zone, processed_at, processor_id,
        case when account = 'trust' then operating_id else deposit_account_id end, 2, 'surcharge', surcharge_cents
        from moves
      union all
      select settled_on, time_zone, processed_at, processor_id,
        case when account = 'trust' then operating_id else deposit_account_id end, 3, 'fee',
        -case when method = 'card' then (amount_cents * 290 + 5000) / 10000 + 30
              else least((amount_cents * 80 + 5000) / 10000, 500) end
        from moves)
    select l.*, md5('po' || ${firmId} || l.settled_on || l.deposit_account_id)::uuid as payout_id,
      row_number() over (partition by l.settled_on, l.deposit_account_id order by l.processed_at, l.processor_id, l.part)::int as line
    from lines l where l.amount_cents <> 0`.execute(db);
  await sql`insert into payouts (firm_id, id, processor_payout_id, deposit_account_id, account, settled_on, paid_at, paid_on,
      gross_cents, refunds_cents, chargebacks_cents, fees_cents, net_cents, line_count, payment_count, received_at)
    select ${firmId}, l.payout_id, 'po_bench_' || replace(l.payout_id::text, '-', ''), l.deposit_account_id, d.kind, l.settled_on,
      ((l.settled_on + 1) + time '09:00') at time zone min(l.time_zone), l.settled_on + 1,
      coalesce(sum(l.amount_cents) filter (where l.kind in ('payment', 'surcharge')), 0), 0, 0,
      coalesce(sum(l.amount_cents) filter (where l.kind = 'fee'), 0), sum(l.amount_cents), count(*),
      count(distinct l.processor_id) filter (where l.kind = 'payment'),
      ((l.settled_on + 1) + time '09:05') at time zone min(l.time_zone)
    from bench_payout_lines l join deposit_accounts d on d.firm_id = ${firmId} and d.id = l.deposit_account_id
    group by l.payout_id, l.deposit_account_id, d.kind, l.settled_on`.execute(db);
  await sql`insert into payout_lines (firm_id, payout_id, line, kind, processor_id, refund_id, amount_cents)
    select ${firmId}, payout_id, line, kind, processor_id, null, amount_cents from bench_payout_lines`.execute(db);
  const made = await sql<{ payouts: number; lines: number }>`
    select count(distinct payout_id)::int as payouts, count(*)::int as lines from bench_payout_lines`.execute(db);
  await sql`drop table bench_payout_lines`.execute(db);
  return made.rows[0]!;
}
