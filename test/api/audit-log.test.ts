import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { dataRows, headerOf, readWorkbook } from '../support/xlsx.ts';

interface Item {
  id: string;
  at: string;
  actorLabel: string;
  action: string;
  detail: unknown;
}

describe('the audit log (admin)', () => {
  let t: TestApp;
  let a: TestFirm;
  let b: TestFirm;
  const list = async (firm: TestFirm, query: string) => {
    const res = await call(t, firm.admin, 'GET', `/audit-events${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Item[]; nextCursor: string | null }>();
  };

  beforeAll(async () => {
    t = await startTestApp();
    a = await createTestFirm(t, 'AUDA');
    b = await createTestFirm(t, 'AUDB');
    // Firm A dates by Los Angeles: 03:30 UTC on 31 December is still the 30th there.
    expect((await call(t, a.admin, 'PATCH', '/settings', { timeZone: 'America/Los_Angeles' })).statusCode).toBe(200);
    // Events at chosen instants (the log is append-only, so they are written with their time).
    for (const [iso, action] of [
      ['2026-12-30T20:00:00Z', 'sample_one'],
      ['2026-12-31T03:30:00Z', 'sample_two'],
      ['2026-12-31T09:00:00Z', 'sample_three'],
    ] as const) {
      await t.conn.db
        .insertInto('audit_events')
        .values({
          firm_id: a.id,
          at: new Date(iso),
          actor_kind: 'system',
          actor_label: 'system',
          action,
          detail: JSON.stringify({ note: `=cmd ${action}` }),
        })
        .execute();
    }
    // Firm B's own events, which firm A must never see.
    await call(t, b.admin, 'POST', '/tokens', { kind: 'agent', label: 'B secret label' });
  });
  afterAll(async () => t.close());

  it('answers viewers and accountants 403', async () => {
    for (const token of [a.viewer, a.accountant]) {
      expect((await call(t, token, 'GET', '/audit-events')).statusCode).toBe(403);
      expect((await call(t, token, 'GET', '/audit-events/actions')).statusCode).toBe(403);
      expect((await call(t, token, 'GET', '/audit-events/export.xlsx')).statusCode).toBe(403);
    }
  });

  it("lists the firm's events newest first, filtered by actor and action, in keyset pages", async () => {
    await call(t, a.admin, 'POST', '/tokens', { kind: 'agent', label: 'first' });
    await call(t, a.admin, 'POST', '/tokens', { kind: 'agent', label: 'second' });
    await call(t, a.admin, 'PATCH', '/settings', { autoApply: true });

    const all = await list(a, '');
    expect(all.items.map((i) => i.action)).toContain('token_created');
    expect(JSON.stringify(all)).not.toContain('B secret label');
    const ids = all.items.map((i) => Number(i.id));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));

    const mine = await list(a, `?actor=${encodeURIComponent(a.emails.admin)}&action=token_created`);
    expect(mine.items.map((i) => (i.detail as { label: string }).label)).toEqual(['second', 'first']);

    const facets = (await call(t, a.admin, 'GET', '/audit-events/actions')).json();
    expect(facets.actions).toEqual(expect.arrayContaining(['token_created', 'settings_changed', 'sample_one']));
    expect(facets.actors).toEqual(expect.arrayContaining([a.emails.admin, 'system']));
    expect(JSON.stringify(facets)).not.toContain(b.emails.admin);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await list(
        a,
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((i) => i.id));

    expect((await call(t, a.admin, 'GET', '/audit-events?cursor=abc')).statusCode).toBe(400);
    expect((await call(t, a.admin, 'GET', '/audit-events?from=2026-12-31&to=2026-12-30')).statusCode).toBe(400);
  });

  it("filters by days in the firm's time zone", async () => {
    const day30 = await list(a, '?from=2026-12-30&to=2026-12-30');
    expect(day30.items.map((i) => i.action).sort()).toEqual(['sample_one', 'sample_two']);
    const day31 = await list(a, '?from=2026-12-31&to=2026-12-31');
    expect(day31.items.map((i) => i.action)).toEqual(['sample_three']);
  });

  it('exports the filtered log to Excel, formula-like text made safe', async () => {
    const res = await call(t, a.admin, 'GET', '/audit-events/export.xlsx?from=2026-12-30&to=2026-12-31');
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/audit-log-\d{4}-\d{2}-\d{2}\.xlsx/);
    const sheet = await readWorkbook(res);
    const header = headerOf(sheet);
    expect(header.slice(0, 5)).toEqual(['Date', 'Time', 'Actor', 'Actor kind', 'Action']);
    const rows = dataRows(sheet);
    expect(rows.map((r) => r[4])).toEqual(['sample_three', 'sample_two', 'sample_one']);
    expect(rows.map((r) => (r[0] as Date).toISOString().slice(0, 10))).toEqual([
      '2026-12-31',
      '2026-12-30',
      '2026-12-30',
    ]);
    expect(rows[1]![1]).toBe('19:30:00');
    const detail = rows[0]![header.indexOf('Detail')] as string;
    expect(JSON.parse(detail)).toEqual({ note: '=cmd sample_three' });
  });
});
