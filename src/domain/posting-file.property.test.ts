import { cents, formatCents } from './money.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRows } from './csv.ts';
import { parsePaybridgeCsv, renderBatchFile, type FileLine } from './posting-file.ts';
import { ACCOUNTS, FILE_FORMAT_VERSIONS, METHODS } from './types.ts';

// Text that stresses quoting: separators, quotes, both line ends, formulas and non-ASCII.
const tricky = fc.string({
  unit: fc.constantFrom(',', '"', '\n', '\r', '=', '+', '#', ' ', 'a', 'Z', '9', 'é', '€', '😀'),
});
const text = fc.oneof(fc.string({ unit: 'grapheme' }), tricky);
const nonEmpty = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1 }),
  tricky.filter((value) => value !== ''),
);
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((value) => value.toISOString().slice(0, 10));
const amount = fc.integer({ min: -1e12, max: 1e12 }).filter((value) => value !== 0);
/** A deposit account code: up to 30 printable ASCII characters, commas and quotes included. */
const code = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const codes = fc.record({ accountCode: code, ledgerCode: code, transType: code });

const allocation = fc.record({
  account: fc.constantFrom(...ACCOUNTS),
  invoiceNumber: nonEmpty,
  clientNumber: fc.option(nonEmpty),
  matterNumber: fc.option(nonEmpty),
  amountCents: amount,
});

/** Records of one to three allocations each; the surcharge is the record's, on its first line. */
const record = fc.record({
  recordId: fc.uuid(),
  paymentId: fc.uuid(),
  postingDate: date,
  surchargeCents: fc.integer({ min: 0, max: 1e6 }),
  method: fc.constantFrom(...METHODS),
  payer: text,
  memo: text,
  codes,
  allocations: fc.array(allocation, { minLength: 1, maxLength: 3 }),
});

const lines: fc.Arbitrary<FileLine[]> = fc
  .uniqueArray(record, { minLength: 1, maxLength: 8, selector: (r) => r.recordId })
  .map((records) =>
    records.flatMap(({ allocations, surchargeCents, ...shared }) =>
      allocations.map((part, index): FileLine => ({
        ...shared,
        line: index + 1,
        account: part.account,
        invoiceNumber: part.account === 'trust' ? null : part.invoiceNumber,
        clientNumber: part.clientNumber,
        matterNumber: part.matterNumber,
        amountCents: cents(part.amountCents),
        surchargeCents: cents(index === 0 ? surchargeCents : 0),
      })),
    ),
  );

const version = fc.constantFrom(...FILE_FORMAT_VERSIONS);

describe('paybridge-csv round trip', () => {
  it('parse(render(lines)) gives back the lines and a trailer that matches them, in either version', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 1, max: 999_999_999 }), version, (original, seq, v) => {
        const file = renderBatchFile('paybridge-csv', 'DEMO', seq, original, v);
        const parsed = parsePaybridgeCsv(file.content.toString('utf8'));
        // A trust line's surcharge is printed as 0.00 (SPEC §3.6); version 1 has no codes to
        // give back; everything else comes back as it went.
        expect(parsed.lines).toEqual(
          original.map(({ codes: lineCodes, ...line }) => ({
            ...line,
            ...(v === 2 ? { codes: lineCodes } : {}),
            surchargeCents: line.account === 'trust' ? 0 : line.surchargeCents,
          })),
        );
        expect(parsed.trailer).toEqual({ seq, lineCount: file.lineCount, totalCents: file.totalCents });
        expect(file.totalCents).toBe(original.reduce((sum, line) => sum + line.amountCents, 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('trust money stays client money (SPEC §3.6)', () => {
  it('no trust line carries a surcharge or a fee, in any file format and version, whatever its record holds', () => {
    fc.assert(
      fc.property(lines, fc.integer({ min: 1, max: 999_999 }), (original, seq) => {
        const withSurcharges = original.map((line) => ({ ...line, surchargeCents: cents(line.line * 150) }));
        for (const v of FILE_FORMAT_VERSIONS) {
          const csv = parsePaybridgeCsv(
            renderBatchFile('paybridge-csv', 'DEMO', seq, withSurcharges, v).content.toString('utf8'),
          );
          csv.lines.forEach((line, index) => {
            if (line.account === 'trust') expect(line.surchargeCents).toBe(0);
            else expect(line.surchargeCents).toBe(line.line === 1 ? 150 : 0);
            // Nothing but the receipt is booked: a line's amount is its allocation, no fee added or taken.
            expect(line.amountCents).toBe(withSurcharges[index]!.amountCents);
          });
        }
        // Juris has no surcharge column: each row's CheckAmount is its record's receipts alone.
        const juris = renderBatchFile('juris-csv', 'DEMO', seq, withSurcharges).content.toString('utf8');
        const receipts = new Map<string, number>();
        for (const line of withSurcharges)
          receipts.set(line.recordId, (receipts.get(line.recordId) ?? 0) + line.amountCents);
        const rows = readCsvRows(juris.replaceAll('\r\n', '\n')).slice(1);
        expect(rows.map((row) => row.fields[3])).toEqual(
          withSurcharges.map((line) => formatCents(cents(receipts.get(line.recordId)!))),
        );
      }),
      { numRuns: 300 },
    );
  });
});
