import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT_CENTS } from '../domain/money.ts';
import { LedesError, parseLedes, type LedesInvoice } from './ledes.ts';

// The 24 columns of the LEDES 1998B standard, in the standard's order.
const HEADER =
  'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|' +
  'INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|' +
  'LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|' +
  'LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]';

// Three invoices as an Elite-style export writes them; line items sum to each total.
const SAMPLE_LINES = [
  'LEDES1998B[]',
  HEADER,
  '20260131|INV-2026-0142|ACME01|2026-0007|4375.00|20260101|20260131|Supply contract dispute|1|F|2.50|0.00|1125.00|20260105|L110||A101|TK014|Review supplier agreement and correspondence|36-1234567|450.00|Morgan, Dana|PT|ACME-7[]',
  '20260131|INV-2026-0142|ACME01|2026-0007|4375.00|20260101|20260131|Supply contract dispute|2|F|5.00|0.00|2250.00|20260112|L120||A102|TK014|Research remedies for late delivery|36-1234567|450.00|Morgan, Dana|PT|ACME-7[]',
  '20260131|INV-2026-0142|ACME01|2026-0007|4375.00|20260101|20260131|Supply contract dispute|3|F|3.00|0.00|900.00|20260120|L120||A103|TK031|Draft demand letter|36-1234567|300.00|Reyes, Sam|AS|ACME-7[]',
  '20260131|INV-2026-0142|ACME01|2026-0007|4375.00|20260101|20260131|Supply contract dispute|4|E|1|0.00|100.00|20260121||E101||TK031|Copying|36-1234567|100.00|Reyes, Sam|AS|ACME-7[]',
  '20260131|INV-2026-0143|GLOBEX|2025-0311|12060.50|20260101|20260131|Patent portfolio review|1|F|10.00|0.00|6500.00|20260108|L110||A104|TK002|Analyze claims of family 12|36-1234567|650.00|Chen, Lee|PT|GX-311[]',
  '20260131|INV-2026-0143|GLOBEX|2025-0311|12060.5|20260101|20260131|Patent portfolio review|2|F|12.50|0.00|5250.00|20260115|L120||A104|TK044|Prior art search|36-1234567|420.00|Osei, Ama|AS|GX-311[]',
  '20260131|INV-2026-0143|GLOBEX|2025-0311|12060.50|20260101|20260131|Patent portfolio review|3|E|1|0.00|310.50|20260116||E106||TK044|Online research database|36-1234567|310.50|Osei, Ama|AS|GX-311[]',
  '20260205|INV-2026-0144|ACME01|2026-0009|980.00|20260101|20260131|Lease renewal|1|F|2.00|0.00|900.00|20260129|L210||A106|TK014|Negotiate renewal terms|36-1234567|450.00|Morgan, Dana|PT|ACME-9[]',
  '20260205|INV-2026-0144|ACME01|2026-0009|980.00|20260101|20260131|Lease renewal|2|E|1|0.00|80.00|20260130||E107||TK014|Courier|36-1234567|80.00|Morgan, Dana|PT|ACME-9[]',
];

const EXPECTED: LedesInvoice[] = [
  {
    invoiceNumber: 'INV-2026-0142',
    clientNumber: 'ACME01',
    matterNumber: '2026-0007',
    invoiceDate: '2026-01-31',
    totalCents: 437500,
    clientName: 'ACME01',
  },
  {
    invoiceNumber: 'INV-2026-0143',
    clientNumber: 'GLOBEX',
    matterNumber: '2025-0311',
    invoiceDate: '2026-01-31',
    totalCents: 1206050,
    clientName: 'GLOBEX',
  },
  {
    invoiceNumber: 'INV-2026-0144',
    clientNumber: 'ACME01',
    matterNumber: '2026-0009',
    invoiceDate: '2026-02-05',
    totalCents: 98000,
    clientName: 'ACME01',
  },
];

/** A small file with the five required columns, a description and optional extras. */
function smallFile(
  rows: string[],
  header = 'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL|LINE_ITEM_DESCRIPTION[]',
): string {
  return ['LEDES1998B[]', header, ...rows].join('\n') + '\n';
}

function ledesError(text: string): LedesError {
  try {
    parseLedes(text);
  } catch (error) {
    if (error instanceof LedesError) return error;
    throw error;
  }
  throw new Error('expected a LedesError');
}

describe('parseLedes on well-formed files', () => {
  it('groups the line items of a standard LF file into its invoices', () => {
    expect(parseLedes(SAMPLE_LINES.join('\n') + '\n').invoices).toEqual(EXPECTED);
  });

  it('reads the same file with CRLF line ends, a byte-order mark and no final line end', () => {
    expect(parseLedes('\uFEFF' + SAMPLE_LINES.join('\r\n')).invoices).toEqual(EXPECTED);
  });

  it('reads records wrapped across lines, even mid-value, with CRLF', () => {
    const wrapped = [...SAMPLE_LINES];
    // A narrative with a line break, as exporters write multi-line descriptions.
    wrapped[3] = wrapped[3]!.replace('Research remedies for', 'Research remedies\r\nfor');
    // A fixed-width writer breaking inside the invoice number and again before the [].
    wrapped[8] = wrapped[8]!.replace('INV-2026-0143', 'INV-20\r\n26-0143').replace('GX-311[]', 'GX-311\r\n[]');
    expect(parseLedes(wrapped.join('\r\n') + '\r\n').invoices).toEqual(EXPECTED);
  });

  it('groups lines of one invoice that are not adjacent, keeping first-seen order', () => {
    const text = smallFile([
      'B-2|C2|M2|20260301|10.00|one[]',
      'A-1|C1|M1|20260302|0.5|two[]',
      'B-2|C2|M2|20260301|10|three[]',
    ]);
    expect(parseLedes(text).invoices.map((i) => [i.invoiceNumber, i.totalCents])).toEqual([
      ['B-2', 1000],
      ['A-1', 50],
    ]);
  });

  it('takes CLIENT_NAME when present, falls back to the client id when blank, and trims padding', () => {
    const text = smallFile(
      [' INV-1 | C1 |M1|20260115| 250.00 |Acme Holdings, Inc.|LF-9|fees[]', 'INV-2|C2|M2|20260116|1.00||LF-9|fees[]'],
      'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL|CLIENT_NAME|LAW_FIRM_ID|LINE_ITEM_DESCRIPTION[]',
    );
    expect(parseLedes(text).invoices).toEqual([
      {
        invoiceNumber: 'INV-1',
        clientNumber: 'C1',
        matterNumber: 'M1',
        invoiceDate: '2026-01-15',
        totalCents: 25000,
        clientName: 'Acme Holdings, Inc.',
      },
      {
        invoiceNumber: 'INV-2',
        clientNumber: 'C2',
        matterNumber: 'M2',
        invoiceDate: '2026-01-16',
        totalCents: 100,
        clientName: 'C2',
      },
    ]);
  });

  it('reads a negative total (a credit note) and the largest amount taken, exactly', () => {
    const text = smallFile([
      'CN-1|C1|M1|20240229|-12.50|credit[]',
      'BIG|C1|M1|29991231|100000000.00|x[]',
      'LOW|C1|M1|19000101|-100000000|x[]',
    ]);
    expect(parseLedes(text).invoices.map((i) => i.totalCents)).toEqual([-1250, MAX_AMOUNT_CENTS, -MAX_AMOUNT_CENTS]);
  });

  it('returns no invoices for a file with only its header', () => {
    expect(parseLedes(smallFile([])).invoices).toEqual([]);
  });
});

describe('parseLedes on malformed files names the line and field', () => {
  interface Case {
    name: string;
    text: string;
    line: number;
    field: string | null;
    message: RegExp;
  }
  /** A file of one line item, at fault on it (line 3, after the marker and the header). */
  const oneLine = (name: string, row: string, field: string | null, message: RegExp): Case => ({
    name,
    text: smallFile([row]),
    line: 3,
    field,
    message,
  });
  const cases: Case[] = [
    {
      name: 'no marker',
      text: smallFile([]).replace('LEDES1998B[]\n', ''),
      line: 1,
      field: null,
      message: /not a LEDES 1998B file/,
    },
    {
      name: 'another LEDES version',
      text: smallFile([]).replace('LEDES1998B[]', 'LEDES98BI V2[]'),
      line: 1,
      field: null,
      message: /LEDES1998B\[\]/,
    },
    {
      name: 'a marker without []',
      text: smallFile([]).replace('LEDES1998B[]', 'LEDES1998B'),
      line: 1,
      field: null,
      message: /first line/,
    },
    { name: 'no header', text: 'LEDES1998B[]\n', line: 2, field: null, message: /header/ },
    {
      name: 'a required header field missing',
      text: smallFile([], 'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|LINE_ITEM_TOTAL[]'),
      line: 2,
      field: 'INVOICE_TOTAL',
      message: /missing from the header/,
    },
    {
      name: 'a header field named twice',
      text: smallFile([], 'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL|CLIENT_ID[]'),
      line: 2,
      field: 'CLIENT_ID',
      message: /twice/,
    },
    {
      name: 'too few fields',
      text: smallFile(['A|C1|M1|20260101|1.00|x[]', 'A|C1|M1|20260101|1.00[]']),
      line: 4,
      field: null,
      message: /expected 6 fields.*found 5/,
    },
    oneLine('too many fields', 'A|C1|M1|20260101|1.00|x|y[]', null, /found 7/),
    {
      name: 'a line without its []',
      text: smallFile(['A|C1|M1|20260101|1.00|x', 'B|C1|M1|20260101|1.00|x[]']),
      line: 3,
      field: null,
      message: /found 11.*\[\] missing/,
    },
    {
      name: 'an unterminated last record',
      text: smallFile(['A|C1|M1|20260101|1.00|x[]', 'B|C1|M1|20260101|1.00|x']),
      line: 4,
      field: null,
      message: /does not end with \[\]/,
    },
    oneLine('an impossible date', 'A|C1|M1|20250229|1.00|x[]', 'INVOICE_DATE', /20250229.*calendar date/),
    oneLine('a dashed date', 'A|C1|M1|2026-01-31|1.00|x[]', 'INVOICE_DATE', /YYYYMMDD/),
    oneLine('month 13', 'A|C1|M1|20261301|1.00|x[]', 'INVOICE_DATE', /calendar date/),
    oneLine('three decimals', 'A|C1|M1|20260101|12.345|x[]', 'INVOICE_TOTAL', /at most two decimals/),
    oneLine('a thousands separator', 'A|C1|M1|20260101|1,234.56|x[]', 'INVOICE_TOTAL', /1,234\.56/),
    oneLine('an exponent', 'A|C1|M1|20260101|1e3|x[]', 'INVOICE_TOTAL', /not an amount/),
    oneLine('a currency sign', 'A|C1|M1|20260101|$10.00|x[]', 'INVOICE_TOTAL', /not an amount/),
    oneLine('an unsafe amount', 'A|C1|M1|20260101|90071992547409.92|x[]', 'INVOICE_TOTAL', /too large/),
    oneLine(
      'an amount past the bound',
      'A|C1|M1|20260101|100000000.01|x[]',
      'INVOICE_TOTAL',
      /100000000\.01.*at most \$100,000,000\.00/,
    ),
    oneLine('a credit past the bound', 'A|C1|M1|20260101|-100000000.01|x[]', 'INVOICE_TOTAL', /too large/),
    oneLine('year 0000', 'A|C1|M1|00000101|1.00|x[]', 'INVOICE_DATE', /00000101/),
    oneLine('year 1899', 'A|C1|M1|18991231|1.00|x[]', 'INVOICE_DATE', /18991231.*years 1900 to 2999/),
    oneLine('year 3000', 'A|C1|M1|30000101|1.00|x[]', 'INVOICE_DATE', /30000101.*years 1900 to 2999/),
    oneLine('a control character', 'A|C\u00071|M1|20260101|1.00|x[]', 'CLIENT_ID', /control characters/),
    oneLine('a line separator', 'A\u2028B|C1|M1|20260101|1.00|x[]', 'INVOICE_NUMBER', /U\+2028/),
    {
      name: 'a control character in the client name',
      text: smallFile(
        ['A|C1|M1|20260101|1.00|Acme\u0000Inc|x[]'],
        'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL|CLIENT_NAME|LINE_ITEM_DESCRIPTION[]',
      ),
      line: 3,
      field: 'CLIENT_NAME',
      message: /control characters/,
    },
    oneLine('an empty total', 'A|C1|M1|20260101||x[]', 'INVOICE_TOTAL', /empty/),
    {
      name: 'an empty invoice number',
      text: smallFile(['A|C1|M1|20260101|1.00|x[]', '  |C1|M1|20260101|1.00|x[]']),
      line: 4,
      field: 'INVOICE_NUMBER',
      message: /empty/,
    },
    oneLine('an empty matter', 'A|C1||20260101|1.00|x[]', 'LAW_FIRM_MATTER_ID', /empty/),
  ];

  for (const c of cases) {
    it(c.name, () => {
      const error = ledesError(c.text);
      expect({ line: error.line, field: error.field }).toEqual({ line: c.line, field: c.field });
      expect(error.message).toMatch(c.message);
      expect(error.message).toContain(`line ${c.line}`);
      if (c.field) expect(error.message).toContain(c.field);
    });
  }

  it('names both lines when an invoice-level field disagrees between line items', () => {
    const text = smallFile(['A|C1|M1|20260101|100.00|x[]', 'B|C2|M2|20260101|5.00|x[]', 'A|C1|M1|20260101|100.01|x[]']);
    const error = ledesError(text);
    expect({ line: error.line, field: error.field }).toEqual({ line: 5, field: 'INVOICE_TOTAL' });
    expect(error.message).toMatch(/line 5, INVOICE_TOTAL: "100\.01" disagrees with "100\.00" on line 3 for invoice A/);
  });

  it('catches a disagreeing matter, date and optional law firm id too', () => {
    const header = 'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL|LAW_FIRM_ID[]';
    const base = 'A|C1|M1|20260101|1.00|LF1[]';
    expect(ledesError(smallFile([base, 'A|C1|M9|20260101|1.00|LF1[]'], header)).field).toBe('LAW_FIRM_MATTER_ID');
    expect(ledesError(smallFile([base, 'A|C1|M1|20260102|1.00|LF1[]'], header)).field).toBe('INVOICE_DATE');
    expect(ledesError(smallFile([base, 'A|C1|M1|20260101|1.00|LF2[]'], header)).field).toBe('LAW_FIRM_ID');
  });

  it('reports a bad field of a wrapped record on the line where that field begins', () => {
    const text = [
      'LEDES1998B[]',
      'INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_DATE|INVOICE_TOTAL[]',
      'A|C1|M1|',
      '20260231|1.00[]',
    ].join('\r\n');
    const error = ledesError(text);
    expect({ line: error.line, field: error.field }).toEqual({ line: 4, field: 'INVOICE_DATE' });
  });
});

describe('parseLedes round trip', () => {
  const id = fc.stringMatching(/^[A-Z0-9][A-Z0-9./-]{0,14}$/);
  const text = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ,.&'()-]{0,24}[A-Za-z0-9.)]$/);
  const date = fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const invoice = fc.record({
    invoiceNumber: id,
    clientNumber: id,
    matterNumber: id,
    invoiceDate: date,
    totalCents: fc.integer({ min: -MAX_AMOUNT_CENTS, max: MAX_AMOUNT_CENTS }),
    clientName: fc.option(text, { nil: undefined }),
    items: fc.array(fc.tuple(text, fc.boolean()), { minLength: 1, maxLength: 6 }),
  });

  function amount(cents: number): string {
    const abs = Math.abs(cents);
    return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  }

  it('parses rendered invoices back, whatever the line ends and wrapping', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(invoice, { selector: (i) => i.invoiceNumber, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.infiniteStream(fc.nat()),
        (invoices, eol, wrapPoints) => {
          const lines = [
            'LEDES1998B[]',
            'INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|CLIENT_NAME|LINE_ITEM_NUMBER|LINE_ITEM_DESCRIPTION[]',
          ];
          for (const inv of invoices) {
            inv.items.forEach(([description, wrap], n) => {
              const fields = [
                inv.invoiceDate.replaceAll('-', ''),
                inv.invoiceNumber,
                inv.clientNumber,
                inv.matterNumber,
                amount(inv.totalCents),
                inv.clientName ?? '',
                String(n + 1),
                description,
              ];
              let record = fields.join('|');
              if (wrap) {
                const at = (wrapPoints.next().value as number) % (record.length + 1);
                record = record.slice(0, at) + eol + record.slice(at);
              }
              lines.push(`${record}[]`);
            });
          }
          const parsed = parseLedes(lines.join(eol) + eol).invoices;
          expect(parsed).toEqual(
            invoices.map((inv) => ({
              invoiceNumber: inv.invoiceNumber,
              clientNumber: inv.clientNumber,
              matterNumber: inv.matterNumber,
              invoiceDate: inv.invoiceDate,
              totalCents: inv.totalCents,
              clientName: inv.clientName ?? inv.clientNumber,
            })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
