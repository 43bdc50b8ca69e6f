import { cents } from './money.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { batchFileName, parsePaybridgeCsv, PostingFileError, renderBatchFile, type FileLine } from './posting-file.ts';

const golden = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const R1 = { recordId: '0b6f1c2e-7d1a-4c1e-9a51-3f0c2b1d9e01', paymentId: '5a1e2b3c-0000-4000-8000-000000000001' };
const R2 = { recordId: '9c2d4e6f-1111-4222-8333-444455556666', paymentId: '5a1e2b3c-0000-4000-8000-000000000002' };
const R3 = { recordId: '7e8f9a0b-aaaa-4bbb-8ccc-dddddddddddd', paymentId: '5a1e2b3c-0000-4000-8000-000000000003' };
const onInvoice = { account: 'operating', clientNumber: 'C100', matterNumber: 'M1', method: 'card' } as const;

// Two lines of one card payment (its 18.00 surcharge given on both, printed once), a trust
// deposit whose payer and memo look like spreadsheet formulas, and a reversal.
const LINES: FileLine[] = [
  {
    ...R1,
    ...onInvoice,
    line: 1,
    postingDate: '2025-03-14',
    invoiceNumber: 'INV-1001',
    amountCents: cents(60000),
    surchargeCents: cents(1800),
    payer: 'Smith, Jane',
    memo: 'Retainer "March"',
  },
  {
    ...R1,
    ...onInvoice,
    line: 2,
    postingDate: '2025-03-14',
    invoiceNumber: 'INV-1002',
    amountCents: cents(40000),
    surchargeCents: cents(1800),
    payer: 'Smith, Jane',
    memo: 'Paid by phone\nref 22',
  },
  {
    ...R2,
    line: 1,
    postingDate: '2025-03-14',
    account: 'trust',
    invoiceNumber: null,
    clientNumber: 'C200',
    matterNumber: 'M7',
    amountCents: cents(250000),
    surchargeCents: cents(0),
    method: 'echeck',
    payer: "=cmd|' /C calc'!A0",
    memo: '=SUM(A1:A9)',
  },
  {
    ...R3,
    ...onInvoice,
    line: 1,
    postingDate: '2025-03-15',
    invoiceNumber: 'INV-0999',
    amountCents: cents(-12550),
    surchargeCents: cents(0),
    payer: 'Ångström & Søn LLP',
    memo: 'Reversal: chargeback',
  },
];

describe('batchFileName', () => {
  it('pads the seq to six digits', () => {
    expect(batchFileName('DEMO', 7, 'paybridge-csv')).toBe('PB_DEMO_000007.csv');
    expect(batchFileName('LAW_1', 1234567, 'juris-csv')).toBe('PB_LAW_1_1234567.csv');
  });

  it.each([
    ['../x', 1],
    ['demo', 1],
    ['', 1],
    ['DEMO', 0],
    ['DEMO', 1.5],
  ])('refuses firm %j seq %d', (code, seq) => {
    expect(() => batchFileName(code, seq, 'paybridge-csv')).toThrow(PostingFileError);
  });
});

describe('renderBatchFile paybridge-csv', () => {
  const file = renderBatchFile('paybridge-csv', 'DEMO', 7, LINES);

  it('matches the golden file byte for byte', () => {
    expect(file.content.equals(golden('PB_DEMO_000007.paybridge.csv'))).toBe(true);
  });

  it('describes itself: name, lowercase sha256, count and total including the reversal', () => {
    expect(file).toMatchObject({ fileName: 'PB_DEMO_000007.csv', lineCount: 4, totalCents: 337450 });
    expect(file.sha256).toBe(createHash('sha256').update(file.content).digest('hex'));
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.content.toString('utf8').endsWith('\n#TRAILER,7,4,3374.50\n')).toBe(true);
  });

  it('quotes commas, quotes and line breaks, and keeps a leading = verbatim', () => {
    const text = file.content.toString('utf8');
    expect(text).toContain(',"Smith, Jane","Retainer ""March"""\n');
    expect(text).toContain('"Paid by phone\nref 22"\n');
    expect(text).toContain(",=cmd|' /C calc'!A0,=SUM(A1:A9)\n");
    expect(text.startsWith('\uFEFF')).toBe(false);
    expect(text).not.toContain('\r');
  });

  it('has a negative trailer when the batch is all reversals', () => {
    const reversal = renderBatchFile('paybridge-csv', 'DEMO', 8, LINES.slice(3));
    expect(reversal.totalCents).toBe(-12550);
    expect(reversal.content.toString('utf8').endsWith('\n#TRAILER,8,1,-125.50\n')).toBe(true);
  });

  it('refuses an empty batch and lines that cannot be posted', () => {
    const first = LINES[0];
    if (first === undefined) throw new Error('fixture');
    expect(() => renderBatchFile('paybridge-csv', 'DEMO', 1, [])).toThrow(/no empty batch/);
    expect(() => renderBatchFile('paybridge-csv', 'DEMO', 1, [{ ...first, postingDate: '2025-02-30' }])).toThrow(
      /posting date/,
    );
    expect(() => renderBatchFile('paybridge-csv', 'DEMO', 1, [{ ...first, amountCents: cents(0) }])).toThrow(/0\.00/);
    // @ts-expect-error a fraction is not Cents; renderBatchFile checks again at run time
    expect(() => renderBatchFile('paybridge-csv', 'DEMO', 1, [{ ...first, amountCents: 1.5 }])).toThrow(/amount/);
    expect(() => renderBatchFile('paybridge-csv', 'DEMO', 1, [{ ...first, account: 'trust' }])).toThrow(
      /trust line has no invoice/,
    );
  });
});

describe('renderBatchFile paybridge-csv version 2 (issue 13)', () => {
  const OPERATING = { accountCode: 'OP-1', ledgerCode: '1010', transType: 'RCPT' };
  const TRUST = { accountCode: 'TR,9', ledgerCode: '2020', transType: 'TRST' };
  const withCodes = LINES.map((line) => ({ ...line, codes: line.account === 'trust' ? TRUST : OPERATING }));
  const v1 = renderBatchFile('paybridge-csv', 'DEMO', 7, LINES).content;
  const v2 = renderBatchFile('paybridge-csv', 'DEMO', 7, withCodes, 2).content.toString('utf8');

  it('leaves version 1 byte for byte as it was, whatever codes the lines carry', () => {
    const golden7 = golden('PB_DEMO_000007.paybridge.csv');
    expect(renderBatchFile('paybridge-csv', 'DEMO', 7, withCodes).content.equals(golden7)).toBe(true);
    expect(renderBatchFile('paybridge-csv', 'DEMO', 7, withCodes, 1).content.equals(v1)).toBe(true);
  });

  it('adds account_code, ledger_code and trans_type after account, in the header and every line', () => {
    const v2Lines = v2.split('\n');
    expect(v2Lines[0]).toBe(
      'record_id,payment_id,line,posting_date,account,account_code,ledger_code,trans_type,invoice_number,client_number,matter_number,amount,surcharge,method,payer,memo',
    );
    expect(v2Lines[1]).toBe(
      `${R1.recordId},${R1.paymentId},1,2025-03-14,operating,OP-1,1010,RCPT,INV-1001,C100,M1,600.00,18.00,card,"Smith, Jane","Retainer ""March"""`,
    );
    // The trust line: its own account's codes (a comma quoted), no invoice, surcharge 0.00.
    expect(v2).toContain(
      `${R2.recordId},${R2.paymentId},1,2025-03-14,trust,"TR,9",2020,TRST,,C200,M7,2500.00,0.00,echeck,`,
    );
    // The trailer is version 1's.
    expect(v2.endsWith('\n#TRAILER,7,4,3374.50\n')).toBe(true);
  });

  it('reads version 2 back with its codes, and prints empty codes for a line without any', () => {
    expect(parsePaybridgeCsv(v2).lines.map((line) => line.codes)).toEqual(withCodes.map((line) => line.codes));
    const bare = renderBatchFile('paybridge-csv', 'DEMO', 7, LINES.slice(0, 1), 2).content.toString('utf8');
    expect(bare.split('\n')[1]).toContain(',operating,,,,INV-1001,');
  });

  it('refuses a version 2 code that is not printable ASCII', () => {
    const broken = v2.replace(',OP-1,', ',OP\u00e9,');
    expect(() => parsePaybridgeCsv(broken)).toThrow('line 2, field account_code: must be at most 30 printable ASCII');
  });
});

describe('renderBatchFile juris-csv', () => {
  const file = renderBatchFile('juris-csv', 'DEMO', 7, LINES);

  it('matches the golden file byte for byte', () => {
    expect(file.content.equals(golden('PB_DEMO_000007.juris.csv'))).toBe(true);
    expect(file).toMatchObject({ fileName: 'PB_DEMO_000007.csv', lineCount: 4, totalCents: 337450 });
  });

  it('uses a given check number', () => {
    const [first] = LINES;
    if (first === undefined) throw new Error('fixture');
    const text = renderBatchFile('juris-csv', 'DEMO', 1, [{ ...first, checkNumber: '10442' }]).content.toString('utf8');
    expect(text.split('\r\n')[1]).toBe('03/14/2025,10442,03/14/2025,600.00,"Smith, Jane",INV-1001,600.00,C100.M1');
  });
});

describe('parsePaybridgeCsv', () => {
  const content = golden('PB_DEMO_000007.paybridge.csv').toString('utf8');

  it('reads the golden file back, the surcharge on each record’s first line only', () => {
    const parsed = parsePaybridgeCsv(content);
    expect(parsed.trailer).toEqual({ seq: 7, lineCount: 4, totalCents: 337450 });
    expect(parsed.lines).toEqual(LINES.map((line, index) => (index === 1 ? { ...line, surchargeCents: 0 } : line)));
  });

  it.each([
    [
      '#TRAILER,7,4,3374.50',
      '#TRAILER,7,5,3374.50',
      'line 7, field line count: the trailer says 5 but the file has 4 lines',
    ],
    [
      '#TRAILER,7,4,3374.50',
      '#TRAILER,7,4,3374.51',
      'line 7, field sum: the trailer says 3374.51 but the lines sum to 3374.50',
    ],
    ['#TRAILER,7,4,3374.50', '#TRAILER,07,4,3374.50', 'line 7, field seq'],
    ['#TRAILER,7,4,3374.50', '#TRAILER,7,4,3374.5e0', 'line 7, field sum: amount "3374.5e0" has an exponent'],
    ['#TRAILER,7,4,3374.50\n', '', 'line 6: the last line is not the #TRAILER line'],
    [',-125.50,', ',-125.505,', 'line 6, field amount: amount "-125.505" has more than two decimal places'],
    [',trust,,', ',trust,INV-1,', 'line 5, field invoice_number: must be empty on a trust line'],
    [',echeck,', ',cash,', 'line 5, field method: "cash" is not one of card, echeck'],
    ['2025-03-15', '2025-13-15', 'line 6, field posting_date'],
    ['record_id,', 'recordid,', 'line 1: the header is not record_id,'],
    ['Reversal: chargeback', '"Reversal"x', 'line 6: a closing quote must be followed by a comma'],
    ['#TRAILER,7,4,3374.50\n', '#TRAILER,7,4,3374.50', 'line 7: the last line does not end in a line feed'],
  ])('refuses %j changed to %j', (from, to, message) => {
    const broken = content.replace(from, to);
    expect(broken).not.toBe(content);
    expect(() => parsePaybridgeCsv(broken)).toThrow(PostingFileError);
    expect(() => parsePaybridgeCsv(broken)).toThrow(message);
  });

  it('refuses a byte-order mark and CRLF line ends', () => {
    expect(() => parsePaybridgeCsv(`\uFEFF${content}`)).toThrow('line 1: the file starts with a byte-order mark');
    expect(() => parsePaybridgeCsv(content.replaceAll('\n', '\r\n'))).toThrow(
      'line 1: a carriage return outside quotes',
    );
  });
});
