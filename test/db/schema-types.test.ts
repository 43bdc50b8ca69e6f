import { readFileSync } from 'node:fs';
import type { Selectable } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Connection } from '../../src/db/connect.ts';
import { generateSchema } from '../../src/db/codegen/generate.ts';
import type {
  AgentContactsTable,
  BatchesTable,
  FirmsTable,
  InvoicesTable,
  LinksTable,
  PaymentsTable,
  PostingRecordsTable,
  PostingRecordTalliesTable,
} from '../../src/db/schema.ts';
import type { LinkKind, StoredLinkStatus } from '../../src/domain/links.ts';
import type { MmsKind } from '../../src/domain/mms-kinds.ts';
import type {
  Account,
  AgentSink,
  AgentSource,
  FileFormat,
  InvoiceStatus,
  Method,
  Origin,
  PaymentStatus,
  Reason,
  RecordStatus,
} from '../../src/domain/types.ts';
import { createTestDb, testEngine } from '../support/db.ts';

const SCHEMA_FILE = new URL('../../src/db/schema.ts', import.meta.url);

describe(`the schema types (src/db/schema.ts) on ${testEngine()}`, () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await createTestDb();
  });
  afterAll(async () => conn.close());

  it('are what the migrated database generates', async () => {
    const generated = await generateSchema(conn.db);
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    if (generated === checkedIn) return;
    const want = generated.split('\n');
    const have = checkedIn.split('\n');
    const at = want.findIndex((line, i) => line !== have[i]);
    const line = at === -1 ? want.length : at;
    expect.fail(
      `src/db/schema.ts is not what sql/migrations generate: run npm run db:types\n` +
        `first difference at line ${line + 1}:\n  checked in: ${have[line] ?? '(end of file)'}\n  generated:  ${want[line] ?? '(end of file)'}`,
    );
  });

  it("type each column that holds a domain value with the domain's union", () => {
    expectTypeOf<Selectable<PaymentsTable>['origin']>().toEqualTypeOf<Origin>();
    expectTypeOf<Selectable<PaymentsTable>['method']>().toEqualTypeOf<Method>();
    expectTypeOf<Selectable<PaymentsTable>['account']>().toEqualTypeOf<Account>();
    expectTypeOf<Selectable<PaymentsTable>['status']>().toEqualTypeOf<PaymentStatus>();
    expectTypeOf<Selectable<PostingRecordsTable>['status']>().toEqualTypeOf<RecordStatus>();
    expectTypeOf<Selectable<PostingRecordsTable>['origin']>().toEqualTypeOf<Origin>();
    expectTypeOf<Selectable<PostingRecordsTable>['reasons']>().toEqualTypeOf<Reason[]>();
    expectTypeOf<Selectable<PostingRecordsTable>['method']>().toEqualTypeOf<Method>();
    expectTypeOf<Selectable<PostingRecordTalliesTable>['status']>().toEqualTypeOf<RecordStatus>();
    expectTypeOf<Selectable<PostingRecordTalliesTable>['origin']>().toEqualTypeOf<Origin>();
    expectTypeOf<Selectable<InvoicesTable>['status']>().toEqualTypeOf<InvoiceStatus>();
    expectTypeOf<Selectable<FirmsTable>['file_format']>().toEqualTypeOf<FileFormat>();
    expectTypeOf<Selectable<FirmsTable>['mms_kind']>().toEqualTypeOf<MmsKind>();
    expectTypeOf<Selectable<BatchesTable>['file_format']>().toEqualTypeOf<FileFormat>();
    expectTypeOf<Selectable<AgentContactsTable>['source']>().toEqualTypeOf<AgentSource | null>();
    expectTypeOf<Selectable<AgentContactsTable>['sink']>().toEqualTypeOf<AgentSink | null>();
    expectTypeOf<Selectable<LinksTable>['kind']>().toEqualTypeOf<LinkKind>();
    expectTypeOf<Selectable<LinksTable>['status']>().toEqualTypeOf<StoredLinkStatus>();
  });
});
