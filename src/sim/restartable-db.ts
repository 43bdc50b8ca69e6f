import type { PGlite } from '@electric-sql/pglite';
import { Kysely, type CompiledQuery, type DatabaseConnection, type QueryResult } from 'kysely';
import { checkChannel, type Listen, type ListenHandlers } from '../db/listen.ts';
import { openPGlite, type Db } from '../db/connect.ts';
import type { Database } from '../db/schema.ts';
import { executeOnPGlite, PostgresDialectOver, PostgresTransactionDriver } from '../db/pglite-dialect.ts';

interface Listener {
  channel: string;
  handlers: ListenHandlers;
  off?: () => Promise<void>;
}

const unavailable = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * The simulation's database, which can really restart: a PGlite on a data directory
 * (in memory, on /dev/shm where there is one) that `restartAfter` closes in the middle of
 * the server's work and opens again from the same directory, as PostgreSQL stops and
 * starts. A transaction open when it stops is lost, and the connection that held it fails
 * every statement after (57P01), as a PostgreSQL connection does; while it is down the
 * server's statements fail as PostgreSQL's do while it starts up (57P03). It opens again
 * after `downFor` of the server's statements have failed, or as soon as the simulation
 * itself reads: the simulation's own view (`simDb`) is never refused.
 *
 * Both views share one session and one queue, as src/db/pglite-dialect.ts does for one
 * PGlite: a transaction holds the session until it ends.
 */
export class RestartableDb {
  /** The server's view: refused while the database is down. */
  readonly serverDb: Db;
  /** The simulation's own view: opens the database again first when it is down. */
  readonly simDb: Db;
  restarts = 0;
  private pglite: PGlite | null;
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopIn: number | null = null;
  private downLeft = 0;
  private readonly listeners = new Set<Listener>();

  private constructor(
    private readonly dataDir: string,
    pglite: PGlite,
    private readonly log: { current: (line: string) => void },
  ) {
    this.pglite = pglite;
    this.serverDb = new Kysely<Database>({ dialect: new PostgresDialectOver(() => new RestartableDriver(this, true)) });
    this.simDb = new Kysely<Database>({ dialect: new PostgresDialectOver(() => new RestartableDriver(this, false)) });
  }

  static async open(dataDir: string, template?: Blob): Promise<RestartableDb> {
    const pglite = await openPGlite(dataDir, template);
    await pglite.exec('set synchronous_commit = off');
    return new RestartableDb(dataDir, pglite, { current: () => undefined });
  }

  /** Where a restart and a reopening are told (the seed's trace). */
  set logTo(log: (line: string) => void) {
    this.log.current = log;
  }

  get isDown(): boolean {
    return this.pglite === null;
  }

  /** The database stops at the server's `after`-th statement from now, and stays down for `downFor` more. */
  restartAfter(after: number, downFor: number): void {
    this.stopIn = after;
    this.downLeft = downFor;
  }

  /** No restart armed, and the database up. */
  async settle(): Promise<void> {
    this.stopIn = null;
    this.downLeft = 0;
    await this.simDb.selectNoFrom((eb) => eb.val(1).as('up')).execute();
  }

  /** LISTEN that survives a restart: the channel is listened to again on each reopening. */
  readonly listen: Listen = async (channel, handlers) => {
    const entry: Listener = { channel: checkChannel(channel), handlers };
    this.listeners.add(entry);
    await this.simDb.connection().execute(async () => {
      if (this.pglite)
        entry.off = await this.pglite.listen(entry.channel, (payload) => handlers.onNotification(payload));
    });
    return async () => {
      this.listeners.delete(entry);
      if (this.pglite && entry.off) await this.simDb.connection().execute(() => entry.off!());
    };
  };

  async acquire(): Promise<{ generation: number; release: () => void }> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return { generation: this.generation, release };
  }

  async run<R>(held: { generation: number }, faulted: boolean, query: CompiledQuery): Promise<QueryResult<R>> {
    if (held.generation !== this.generation)
      throw unavailable('57P01', 'terminating connection due to administrator command');
    if (faulted && this.stopIn !== null) {
      this.stopIn -= 1;
      if (this.stopIn < 0) {
        this.stopIn = null;
        await this.stop();
        throw unavailable('57P01', 'terminating connection due to administrator command');
      }
    }
    if (!this.pglite) {
      if (faulted && this.downLeft > 0) {
        this.downLeft -= 1;
        throw unavailable('57P03', 'the database system is starting up');
      }
      await this.reopen(faulted ? 'the server' : 'the simulation');
      held.generation = this.generation;
    }
    return executeOnPGlite<R>(this.pglite!, query);
  }

  private async stop(): Promise<void> {
    const pglite = this.pglite!;
    this.pglite = null;
    this.generation += 1;
    this.restarts += 1;
    const dropped = unavailable('57P01', 'terminating connection due to administrator command');
    for (const entry of this.listeners) {
      delete entry.off;
      entry.handlers.onDrop?.(dropped);
    }
    await pglite.close();
    this.log.current('  database STOPPED (a transaction open on it is lost)');
  }

  private async reopen(by: string): Promise<void> {
    const pglite = await openPGlite(this.dataDir);
    await pglite.exec('set synchronous_commit = off');
    for (const entry of this.listeners) {
      entry.off = await pglite.listen(entry.channel, (payload) => entry.handlers.onNotification(payload));
      entry.handlers.onReconnect?.();
    }
    this.pglite = pglite;
    this.generation += 1;
    this.downLeft = 0;
    this.log.current(`  database started again (first statement from ${by})`);
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.pglite && !this.pglite.closed) await this.pglite.close();
    this.pglite = null;
  }
}

class RestartableConnection implements DatabaseConnection {
  constructor(
    private readonly db: RestartableDb,
    private readonly faulted: boolean,
    readonly held: { generation: number; release: () => void },
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.db.run<R>(this.held, this.faulted, query);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite: page with keyset cursors instead');
  }
}

class RestartableDriver extends PostgresTransactionDriver {
  constructor(
    private readonly db: RestartableDb,
    private readonly faulted: boolean,
  ) {
    super();
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RestartableConnection(this.db, this.faulted, await this.db.acquire());
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof RestartableConnection)) throw new TypeError('not a connection of this driver');
    connection.held.release();
  }

  async destroy(): Promise<void> {}
}
