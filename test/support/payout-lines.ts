import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { mmsStateOf, needsAttention } from '../../src/domain/deposits.ts';
import type { PayoutLineKind } from '../../src/domain/payouts.ts';
import type { RecordStatus } from '../../src/domain/types.ts';
import { getDeposit, listDeposits } from '../../src/usecases/deposits/deposits.ts';

/**
 * Each payout line keeps the record that carries it and whether it needs the accountant
 * (migration 0036, kept by triggers): both must equal what the records are now — the
 * record found from scratch (payout_line_record, the view's old rule) and its state
 * judged by the domain's rule (domain/deposits.ts). The Deposits list counts those lines
 * for each payout, and a payout's lines flag the same ones. Returns how many lines the
 * firm's payouts have and how many need attention, per payout too.
 */
export async function checkPayoutLines(
  db: Db,
  firmId: string,
): Promise<{ lines: number; flagged: number; byPayout: Map<string, number> }> {
  const lines = await sql<{
    payout_id: string;
    line: number;
    kind: PayoutLineKind;
    record_id: string | null;
    needs_attention: boolean;
    live_record_id: string | null;
    status: RecordStatus | null;
    mms_status: 'awaiting' | 'applied' | 'rejected' | null;
  }>`
    select l.payout_id, l.line, l.kind, l.record_id, l.needs_attention, c.live_record_id, r.status, r.mms_status
    from payout_lines l
    cross join lateral (select payout_line_record(l.firm_id, l.processor_id, l.kind) as live_record_id) c
    left join posting_records r on r.firm_id = l.firm_id and r.id = c.live_record_id
    where l.firm_id = ${firmId}
    order by l.payout_id, l.line`.execute(db);
  const byPayout = new Map<string, number>();
  for (const l of lines.rows) {
    const live = needsAttention(mmsStateOf(l.kind, l.status ? { status: l.status, mmsStatus: l.mms_status } : null));
    expect([l.record_id, l.needs_attention], `payout ${l.payout_id} line ${l.line} (${l.kind})`).toEqual([
      l.live_record_id,
      live,
    ]);
    byPayout.set(l.payout_id, (byPayout.get(l.payout_id) ?? 0) + (live ? 1 : 0));
  }
  const { items } = await listDeposits(db, firmId, { limit: 500 });
  expect(items.map((p) => p.id).sort()).toEqual([...byPayout.keys()].sort());
  for (const payout of items) {
    expect(payout.unappliedCount, `payout ${payout.id}`).toBe(byPayout.get(payout.id) ?? 0);
    const detail = await getDeposit(db, firmId, payout.id);
    expect(detail.payout.unappliedCount).toBe(payout.unappliedCount);
    expect(detail.lines.filter((l) => l.needsAttention)).toHaveLength(payout.unappliedCount);
  }
  return {
    lines: lines.rows.length,
    flagged: [...byPayout.values()].reduce((a, b) => a + b, 0),
    byPayout,
  };
}
