import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/run-bench.ts';
import { HEADER } from '../../src/bench/table.ts';
import { ADMIN_URL } from '../support/engines.ts';

// Registered in the postgres project only (vitest.config.ts): the bench makes its own
// database on that server and drops it. The full bench is `npm run bench`, not a test.
const METRICS = [
  // A year of payouts in the big firm (Deposits): a payout a day per deposit account.
  /^dataset: .*, a year of [1-9][\d,]* payouts \([1-9][\d,]* lines\) in that firm$/,
  /^GET \/postings p50/,
  /^GET \/postings p95/,
  /^GET \/postings\/counts p95/,
  /^GET \/deposits p95 \(5 lists .* a year of [1-9][\d,]* payouts\)$/,
  /^GET \/deposits\/:id p95 \(a payout and all its lines: 8 payouts, [1-9][\d,]* lines in all/,
  // The sync's incomplete records name invoices it brings: some must become pending.
  /^sync of .*; [1-9][\d,]* records re-classified\)/,
  /^Post All of /,
  /^Export to Excel of /,
  /^Export to Excel: server RSS growth/,
  /^agent delivery of /,
  /^agent delivery: the acknowledgement, server side/,
  /^payment intake, POST \/payments/,
  /^payment intake p99/,
  /^intake with 100 open records on the paid invoice: one payment/,
  /^intake with 100 open records on the paid invoice: 20 payments at once/,
  /^click → file in the MMS folder \(3 Post All of 100 records; real agent process, file-drop sink/,
  /^click → Posted shown /,
  /^click → applied in the MMS \(3 Post All of 100 records; real agent process, procedure sink/,
];

describe('npm run bench at BENCH_SCALE=0.01', () => {
  it('prints one table with a number in every metric row', async () => {
    const report = await runBench({ databaseUrl: ADMIN_URL, scale: 0.01, log: () => undefined });
    expect(report.rows.map((r) => r.metric)).toEqual(METRICS.map((m) => expect.stringMatching(m)));
    for (const row of report.rows) {
      expect(Number.isFinite(row.value), row.metric).toBe(true);
      expect(['ok', 'MISS', '—']).toContain(row.verdict);
    }
    const tableLines = report.markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(tableLines[0]).toBe(`| ${HEADER.join(' | ')} |`);
    expect(tableLines).toHaveLength(2 + METRICS.length);

    // The live rows measured every round (a round that failed, say the agent never woke,
    // would name itself there), and their MMS database is gone with the bench's own.
    for (const row of report.rows.filter((r) => r.metric.startsWith('click → '))) {
      expect(row.measured, row.metric).toMatch(/\(3 of 3 rounds, min–max [^;]*\)$/);
    }
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      const left = await admin.query('select datname from pg_database where datname like $1', [
        `pb_bench_${process.pid}%`,
      ]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 180_000);
});
