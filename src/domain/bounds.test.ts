import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDateInRange, isInstantInRange, textProblem } from './bounds.ts';

describe('textProblem', () => {
  it.each([
    '',
    'Acme Holdings, Inc.',
    'Zoë Ünal',
    '株式会社',
    'paid 😀 in full',
    'INV-24-0163',
    '\ufeffBOM is not a control character',
  ])('takes %j', (value) => {
    expect(textProblem(value)).toBeNull();
  });

  it.each([
    ['x\ud800y', /unpaired UTF-16 surrogate/],
    ['\udc00', /unpaired/],
    ['emoji cut in half \ud83d', /unpaired/],
    ['\ude00 low half first', /unpaired/],
    ['a\u2028b', /U\+2028 or U\+2029/],
    ['a\u2029b', /U\+2028 or U\+2029/],
    ['a\u0000b', /control characters/],
    ['a\tb', /control characters/],
    ['a\nb', /control characters/],
    ['a\u007fb', /control characters/],
    ['a\u0085b', /control characters/],
    ['a\u009fb', /control characters/],
  ])('refuses %j', (value, problem) => {
    expect(textProblem(value)).toMatch(problem);
  });

  it('lets a memo keep LF and CRLF line breaks, and nothing else of that kind', () => {
    expect(textProblem('Paid in full\r\nby cheque\nthanks', { lineBreaks: true })).toBeNull();
    for (const bad of ['a\rb', 'a\n\rb', 'a\tb', 'a\u000bb', 'a\u2028b', 'a\u0085b', 'a\ud800b']) {
      expect(textProblem(bad, { lineBreaks: true }), JSON.stringify(bad)).not.toBeNull();
    }
  });

  it('agrees with the rule written out: no C0/C1 control, U+2028/9 or unpaired surrogate', () => {
    const unit = fc.oneof(
      fc.constantFrom(
        '\u0000',
        '\t',
        '\n',
        '\r',
        '\u007f',
        '\u0085',
        '\u2028',
        '\u2029',
        '\ud800',
        '\udfff',
        '😀',
        'é',
        'a',
        ' ',
      ),
      fc.string({ maxLength: 1 }),
    );
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 12 }).map((parts) => parts.join('')),
        (value) => {
          const codePoints = Array.from(value).map((c) => c.codePointAt(0)!);
          const bad = codePoints.some(
            (c) =>
              c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff),
          );
          expect(textProblem(value) !== null).toBe(bad);
        },
      ),
    );
  });
});

describe('dates and instants', () => {
  it.each([
    ['1900-01-01', true],
    ['2999-12-31', true],
    ['2026-02-28', true],
    ['1899-12-31', false],
    ['3000-01-01', false],
    ['0000-01-01', false],
    ['10000-01-01', false],
  ])('%s is in range: %s', (date, inRange) => {
    expect(isDateInRange(date)).toBe(inRange);
  });

  it.each([
    ['1900-01-01T00:00:00Z', true],
    ['2999-12-31T23:59:59.999Z', true],
    ['1899-12-31T23:59:59.999Z', false],
    ['3000-01-01T00:00:00Z', false],
    ['9999-12-31T23:00:00-05:00', false], // 10000 in UTC
    ['0000-01-01T00:00:00Z', false],
    ['not a date', false],
  ])('%s is in range in UTC: %s', (instant, inRange) => {
    expect(isInstantInRange(new Date(instant))).toBe(inRange);
  });
});
