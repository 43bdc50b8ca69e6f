import { describe, expect, it } from 'vitest';
import { checkValues, renderSchema, type ColumnFact } from './generate.ts';

const column = (over: Partial<ColumnFact>): ColumnFact => ({
  table: 't',
  column: 'c',
  type: 'text',
  isArray: false,
  notNull: true,
  hasDefault: false,
  identity: '',
  enumLabels: null,
  ...over,
});

describe('the schema generator', () => {
  it("reads a CHECK's list of values, and no other CHECK", () => {
    expect(checkValues("CHECK ((status = ANY (ARRAY['open'::text, 'paid'::text, 'void'::text])))")).toEqual({
      of: 'scalar',
      values: ['open', 'paid', 'void'],
    });
    expect(checkValues("CHECK ((status = 'open'::text))")).toEqual({ of: 'scalar', values: ['open'] });
    expect(
      checkValues("CHECK ((\"key\" = ANY (ARRAY['it''s'::character varying, 'b'::character varying]))) NOT VALID"),
    ).toEqual({ of: 'scalar', values: ["it's", 'b'] });
    expect(checkValues("CHECK ((reasons <@ ARRAY['a'::text, 'b'::text])) NOT VALID")).toEqual({
      of: 'array',
      values: ['a', 'b'],
    });
    expect(checkValues("CHECK ((status = ANY (ARRAY['a'::text, lower(x)])))")).toBeNull();
    expect(checkValues('CHECK ((length(name) >= 1))')).toBeNull();
    expect(checkValues("CHECK (((status = 'a'::text) OR (x IS NULL)))")).toBeNull();
  });

  it('types each column as both engines read it, with its default and nullability', () => {
    const text = renderSchema(
      [
        column({ table: 'big_rows', column: 'id', type: 'int8', identity: 'a' }),
        column({ table: 'big_rows', column: 'cents', type: 'int8' }),
        column({ table: 'big_rows', column: 'day', type: 'date', notNull: false }),
        column({ table: 'big_rows', column: 'at', type: 'timestamptz', hasDefault: true }),
        column({ table: 'big_rows', column: 'status', hasDefault: true }),
        column({ table: 'big_rows', column: 'tags', isArray: true }),
        column({ table: 'big_rows', column: 'labels', isArray: true, hasDefault: true }),
        column({ table: 'a', column: 'mood', type: 'mood', enumLabels: ['sad', 'ok'] }),
      ],
      [
        {
          table: 'big_rows',
          column: 'status',
          definition: "CHECK ((status = ANY (ARRAY['new'::text, 'done'::text])))",
        },
        { table: 'big_rows', column: 'labels', definition: "CHECK ((labels <@ ARRAY['x'::text, 'y'::text]))" },
        {
          table: 'big_rows',
          column: 'tags',
          definition: "CHECK ((tags = ANY (ARRAY['not'::text, 'an array check'::text])))",
        },
      ],
    );
    expect(text).toContain(
      [
        'export interface BigRowsTable {',
        '  id: ColumnType<number, never, never>;',
        '  cents: Int8;',
        '  day: CalendarDate | null;',
        '  at: Generated<Timestamp>;',
        "  status: Generated<'new' | 'done'>;",
        '  tags: string[];',
        "  labels: Generated<('x' | 'y')[]>;",
        '}',
      ].join('\n'),
    );
    expect(text).toContain("export interface ATable {\n  mood: 'sad' | 'ok';\n}");
    expect(text).toContain('export interface Database {\n  a: ATable;\n  big_rows: BigRowsTable;\n}\n');
  });

  it('stops at a type it has no mapping for rather than guessing', () => {
    expect(() => renderSchema([column({ column: 'amount', type: 'numeric' })], [])).toThrow(
      /t\.amount: no TypeScript type for numeric/,
    );
  });
});
