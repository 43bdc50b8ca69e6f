import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { copyOf, copyOnPGlite } from './copy-in.ts';

/** A PostgreSQL dialect (adapter, compiler, introspector) over a driver of its own. */
export class PostgresDialectOver implements Dialect {
  constructor(private readonly makeDriver: () => Driver) {}

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return this.makeDriver();
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/**
 * Kysely dialect over embedded PGlite. Kysely 0.28 ships none, and the community
 * package refuses PGlite 0.5. PGlite is a single session, so the driver hands out
 * its one connection to one holder at a time: a transaction keeps it until commit
 * or rollback, and other queries wait in line.
 */
export class PGliteDialect extends PostgresDialectOver {
  constructor(pglite: PGlite) {
    super(() => new PGliteDriver(pglite));
  }
}

/** A statement on PGlite as Kysely wants its result. */
export async function executeOnPGlite<R>(pglite: PGlite, compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
  const copy = copyOf(compiledQuery.sql, compiledQuery.parameters);
  if (copy !== undefined)
    return { rows: [], numAffectedRows: BigInt(await copyOnPGlite(pglite, compiledQuery.sql, copy)) };
  if (compiledQuery.parameters.length === 0) {
    // The simple protocol, so that a migration file of many statements runs as one.
    const results = await pglite.exec(compiledQuery.sql, { rowMode: 'object' });
    const last = results.at(-1);
    return { rows: (last?.rows ?? []) as R[], numAffectedRows: BigInt(last?.affectedRows ?? 0) };
  }
  const result = await pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters], { rowMode: 'object' });
  return { rows: result.rows, numAffectedRows: BigInt(result.affectedRows ?? 0) };
}

/** Transactions and savepoints as PostgreSQL statements on the driver's connection; the rest is the driver's own. */
export abstract class PostgresTransactionDriver implements Driver {
  abstract init(): Promise<void>;
  abstract acquireConnection(): Promise<DatabaseConnection>;
  abstract releaseConnection(connection: DatabaseConnection): Promise<void>;
  abstract destroy(): Promise<void>;

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint "${name}"`));
  }
}

class PGliteDriver extends PostgresTransactionDriver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {
    super();
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof PGliteConnection)) throw new TypeError('not a connection of this driver');
    connection.release();
  }

  async destroy(): Promise<void> {
    await this.queue;
    if (!this.pglite.closed) await this.pglite.close();
  }
}

class PGliteConnection implements DatabaseConnection {
  release: () => void = () => {};

  constructor(private readonly pglite: PGlite) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return executeOnPGlite<R>(this.pglite, compiledQuery);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite: page with keyset cursors instead');
  }
}
