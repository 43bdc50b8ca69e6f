import { describe, expect, it } from 'vitest';
import { runBench } from '../../src/bench/run-bench.ts';
import { HEADER } from '../../src/bench/table.ts';
import { ADMIN_URL } from '../support/engines.ts';

// Registered in the postgres project only (vitest.config.ts): the bench makes its own
// database on that server and drops it. The full bench is `npm run bench`, not a test.
const METRICS = [
  /^dataset: /,
  /^GET \/postings p50/,
  /^GET \/postings p95/,
  /^GET \/postings\/counts p95/,
  /^sync of /,
  /^Post All of /,
  /^Export to Excel of /,
  /^Export to Excel: server RSS growth/,
  /^agent delivery of /,
  /^agent delivery: the acknowledgement, server side/,
  /^payment intake, POST \/payments/,
  /^payment intake p99/,
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
  }, 180_000);
});
