import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textProblem } from '../domain/bounds.ts';
import { MAX_MMS_MESSAGE, mmsMessage } from './mms-message.ts';

const FALLBACK = 'the MMS gave no reason';
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

describe("the MMS's message as the agent reports it", () => {
  it('keeps the words and line breaks of an ordinary message', () => {
    expect(mmsMessage('PB_X_000001.csv: refused by the ledger: invoice INV-9 does not exist\n', FALLBACK)).toBe(
      'PB_X_000001.csv: refused by the ledger: invoice INV-9 does not exist',
    );
    expect(mmsMessage('line 1 refused\r\nline 2 refused\rline 3\u2028line 4', FALLBACK)).toBe(
      'line 1 refused\nline 2 refused\nline 3\nline 4',
    );
  });

  it('turns control characters and unpaired surrogates into something the server takes', () => {
    expect(mmsMessage('a\tb\u0000c\u007fd\u0085e \ud800 f \udc00', FALLBACK)).toBe('a b c d e \ufffd f \ufffd');
    expect(mmsMessage('kept 😀 pair', FALLBACK)).toBe('kept 😀 pair');
    expect(mmsMessage('one\n\n\n\n\ntwo   \n', FALLBACK)).toBe('one\n\ntwo');
  });

  it('gives the fallback for an empty or blank message', () => {
    expect(mmsMessage('', FALLBACK)).toBe(FALLBACK);
    expect(mmsMessage(' \t\r\n\u0000 ', FALLBACK)).toBe(FALLBACK);
  });

  it('cuts a long message to 2,000 characters ending in an ellipsis, never splitting a surrogate pair', () => {
    const long = mmsMessage('x'.repeat(5000), FALLBACK);
    expect(long).toHaveLength(MAX_MMS_MESSAGE);
    expect(long.endsWith('x…')).toBe(true);
    // A pair straddling the cut: its high half would be the last kept unit.
    const straddling = mmsMessage(`${'x'.repeat(MAX_MMS_MESSAGE - 2)}😀${'y'.repeat(10)}`, FALLBACK);
    expect(straddling).toBe(`${'x'.repeat(MAX_MMS_MESSAGE - 2)}…`);
    expect(textProblem(straddling)).toBeNull();
  });

  it('always answers 1 to 2,000 characters the server takes, whatever the MMS wrote', () => {
    fc.assert(
      // Any UTF-16 units at all (unpaired surrogates included), and whole code points.
      fc.property(
        fc.oneof(fc.string({ unit: codeUnit, maxLength: 3000 }), fc.string({ unit: 'binary', maxLength: 3000 })),
        (raw) => {
          const message = mmsMessage(raw, FALLBACK);
          expect(message.length).toBeGreaterThan(0);
          expect(message.length).toBeLessThanOrEqual(MAX_MMS_MESSAGE);
          expect(textProblem(message, { lineBreaks: true })).toBeNull();
          expect(message).toBe(message.trim());
        },
      ),
      { numRuns: 500 },
    );
  });
});
