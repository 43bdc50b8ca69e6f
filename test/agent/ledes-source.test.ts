import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSuccess,
  listing,
  removeDirs,
  runAgentOnce,
  startAgentServer,
  tempDir,
  writeConfig,
  type AgentServer,
} from './harness.ts';

const HEADER =
  'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|CLIENT_NAME|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|LINE_ITEM_NUMBER|LINE_ITEM_TOTAL|LINE_ITEM_DESCRIPTION[]';
const ledes = (...rows: string[]) => ['LEDES1998B[]', HEADER, ...rows].join('\r\n') + '\r\n';

describe('the agent on a LEDES 1998B folder', () => {
  let s: AgentServer;
  let root: string;
  let folder: string;
  let configFile: string;

  beforeAll(async () => {
    s = await startAgentServer('LEDES');
    root = await tempDir('pb-agent-ledes-');
    folder = join(root, 'ledes');
    await mkdir(folder);
    await mkdir(join(root, 'inbox'));
    configFile = await writeConfig(root, {
      server: s.url,
      token: s.firm.agent,
      stateDir: './state',
      source: { type: 'ledes', folder: './ledes' },
      sink: { type: 'file-drop', folder: './inbox' },
    });
  });
  afterAll(async () => {
    await s?.close();
    await removeDirs(root);
  });

  const invoices = () =>
    s.t.conn.db
      .selectFrom('invoices')
      .select([
        'invoice_number',
        'client_number',
        'matter_number',
        'invoice_date',
        'total_cents',
        'balance_cents',
        'status',
      ])
      .where('firm_id', '=', s.firm.id)
      .orderBy('invoice_number')
      .execute();

  it(
    'syncs every invoice of every file once, whatever its extension, and rejects bad files naming the line and field',
    { timeout: 60_000 },
    async () => {
      await writeFile(
        join(folder, 'january.txt'),
        ledes(
          '20260131|INV-1|ACME|Acme Holdings, Inc.|2026-0007|1500.00|1|1000.00|Review[]',
          '20260131|INV-1|ACME|Acme Holdings, Inc.|2026-0007|1500.00|2|500.00|Draft[]',
          '20260205|INV-2|ACME|Acme Holdings, Inc.|2026-0009|80.5|1|80.50|Courier[]',
        ),
      );
      await writeFile(
        join(folder, 'GLOBEX.LEDES'),
        ledes('20260210|INV-3|GLOBEX||2025-0311|12060.50|1|12060.50|Patents[]'),
      );
      await writeFile(join(folder, 'bad-amount.ledes'), ledes('20260210|INV-4|GLOBEX||2025-0311|12,060.50|1|1.00|x[]'));
      await writeFile(join(folder, 'not-ledes.csv'), 'invoice,total\nINV-5,10.00\n');
      await writeFile(join(folder, '.partial-export'), 'LEDES1998B[]\nhalf a file');

      const run = await runAgentOnce(configFile);
      expectSuccess(run);
      expect(await invoices()).toEqual([
        {
          invoice_number: 'INV-1',
          client_number: 'ACME',
          matter_number: '2026-0007',
          invoice_date: '2026-01-31',
          total_cents: 150000,
          balance_cents: 150000,
          status: 'open',
        },
        {
          invoice_number: 'INV-2',
          client_number: 'ACME',
          matter_number: '2026-0009',
          invoice_date: '2026-02-05',
          total_cents: 8050,
          balance_cents: 8050,
          status: 'open',
        },
        {
          invoice_number: 'INV-3',
          client_number: 'GLOBEX',
          matter_number: '2025-0311',
          invoice_date: '2026-02-10',
          total_cents: 1206050,
          balance_cents: 1206050,
          status: 'open',
        },
      ]);
      const clients = await s.t.conn.db
        .selectFrom('clients')
        .select(['client_number', 'name'])
        .where('firm_id', '=', s.firm.id)
        .orderBy('client_number')
        .execute();
      expect(clients).toEqual([
        { client_number: 'ACME', name: 'Acme Holdings, Inc.' },
        { client_number: 'GLOBEX', name: 'GLOBEX' },
      ]);

      expect(await listing(folder)).toEqual(['.partial-export', 'processed/', 'rejected/']);
      expect(await listing(join(folder, 'processed'))).toEqual(['GLOBEX.LEDES', 'january.txt']);
      expect(await listing(join(folder, 'rejected'))).toEqual([
        'bad-amount.ledes',
        'bad-amount.ledes.error',
        'not-ledes.csv',
        'not-ledes.csv.error',
      ]);
      expect(await readFile(join(folder, 'rejected', 'bad-amount.ledes.error'), 'utf8')).toBe(
        'bad-amount.ledes: line 3, INVOICE_TOTAL: "12,060.50" is not an amount with at most two decimals\n',
      );
      expect(await readFile(join(folder, 'rejected', 'not-ledes.csv.error'), 'utf8')).toContain(
        'line 1: not a LEDES 1998B file',
      );
    },
  );

  it('syncs an invoice once: a later file repeating it does not reset its balance', { timeout: 30_000 }, async () => {
    await s.t.conn.db
      .updateTable('invoices')
      .set({ balance_cents: 50000 })
      .where('firm_id', '=', s.firm.id)
      .where('invoice_number', '=', 'INV-1')
      .execute();
    await writeFile(
      join(folder, 'february.txt'),
      ledes(
        '20260131|INV-1|ACME|Acme Holdings, Inc.|2026-0007|1500.00|1|1500.00|Review[]',
        '20260228|INV-6|NEWCO|New Co|N-1|10.00|1|10.00|Call[]',
      ),
    );
    // Well-formed LEDES the server's validation refuses (a client id over 64 characters): rejected alone, with the server's reason.
    await writeFile(join(folder, 'long-id.txt'), ledes(`20260228|INV-7|${'C'.repeat(70)}||N-1|10.00|1|10.00|Call[]`));
    expectSuccess(await runAgentOnce(configFile));
    expect(await readFile(join(folder, 'rejected', 'long-id.txt.error'), 'utf8')).toMatch(
      /^long-id.txt: refused by the server: .*clients\.0\.clientNumber/,
    );
    const after = await invoices();
    expect(after.find((v) => v.invoice_number === 'INV-1')?.balance_cents).toBe(50000);
    expect(after.find((v) => v.invoice_number === 'INV-6')).toMatchObject({
      client_number: 'NEWCO',
      total_cents: 1000,
      balance_cents: 1000,
    });
    expect(await listing(join(folder, 'processed'))).toEqual(['GLOBEX.LEDES', 'february.txt', 'january.txt']);
  });
});
