import { describe, expect, it } from 'vitest';
import { csvRow, PostingFileError, quoteCsvField, readCsvRows } from './csv.ts';

describe('quoteCsvField', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['a\nb', '"a\nb"'],
    ['a\rb', '"a\rb"'],
    ['=1+2', '=1+2'],
    ['-5', '-5'],
    ['@SUM(A1)', '@SUM(A1)'],
    [' padded ', ' padded '],
  ])('%j → %j', (value, quoted) => {
    expect(quoteCsvField(value)).toBe(quoted);
  });
});

describe('readCsvRows', () => {
  it('reads quoted fields across lines and reports where each row starts', () => {
    const content = csvRow(['a', 'b,c', 'x\ny'], '\n') + csvRow(['', '"', ''], '\n');
    expect(readCsvRows(content)).toEqual([
      { line: 1, fields: ['a', 'b,c', 'x\ny'] },
      { line: 3, fields: ['', '"', ''] },
    ]);
  });

  it.each([
    ['a"b\n', 'line 1: a quote inside an unquoted field'],
    ['a\n"open\n', 'line 2: a quoted field is never closed'],
    ['a\r\n', 'line 1: a carriage return outside quotes'],
    ['a\nb', 'line 2: the last line does not end in a line feed'],
    ['"a"b\n', 'line 1: a closing quote must be followed by a comma'],
  ])('refuses %j', (content, message) => {
    expect(() => readCsvRows(content)).toThrow(PostingFileError);
    expect(() => readCsvRows(content)).toThrow(message);
  });

  it('reads an empty file as no rows', () => {
    expect(readCsvRows('')).toEqual([]);
  });
});
