import pg from 'pg';

/** What a LISTEN reports to its one holder. */
export interface ListenHandlers {
  /** A notification on the channel: sent by a transaction that has committed. */
  onNotification(payload: string): void;
  /** The LISTEN connection dropped; it is being opened again. */
  onDrop?(error: unknown): void;
  /** Listening again after a drop: whatever was sent in between was missed. */
  onReconnect?(): void;
}

/** Starts listening on a channel; resolves once the LISTEN is in place, to the function that stops it. */
export type Listen = (channel: string, handlers: ListenHandlers) => Promise<() => Promise<void>>;

/** A channel is a bare identifier (it is written into LISTEN, which takes no parameter). */
export function checkChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`"${channel}" is not a channel name paybridge uses`);
  return channel;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;
/**
 * A connection a firewall or NAT dropped without a word looks alive until something is
 * sent on it: a ping every 30 s, answered within 10 s, finds it and opens another.
 */
const PING_EVERY_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;

/**
 * LISTEN on PostgreSQL: a connection of its own, outside the pool (a pooled connection is
 * handed to other work between queries and would miss notifications, or hold the LISTEN
 * for someone else). When it drops (the server restarts, an administrator ends it, the
 * network fails) it is opened again, after 0.1 s, then twice as long each time up to 5 s,
 * and `onReconnect` says that notifications may have been missed meanwhile.
 */
export async function listenPostgres(
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<() => Promise<void>> {
  checkChannel(channel);
  let stopped = false;
  let current: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  let delay = RETRY_FIRST_MS;

  const lost = (client: pg.Client, error: unknown) => {
    if (client !== current || stopped) return;
    current = null;
    clearInterval(ping);
    client.end().catch(() => undefined);
    handlers.onDrop?.(error);
    reopenLater();
  };

  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({
      connectionString,
      keepAlive: true,
      application_name: 'paybridge-listen',
      query_timeout: PING_TIMEOUT_MS,
    });
    // Errors before the client is current are the connect's own, thrown below.
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, new Error('the LISTEN connection closed')));
    client.on('notification', (message) => {
      if (!stopped && message.channel === channel && message.payload !== undefined)
        handlers.onNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${channel}`);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };

  const use = (client: pg.Client) => {
    current = client;
    delay = RETRY_FIRST_MS;
    ping = setInterval(() => {
      client.query('select 1').catch((error: unknown) => lost(client, error));
    }, PING_EVERY_MS);
    ping.unref();
  };

  const reopenLater = () => {
    retry = setTimeout(() => {
      retry = undefined;
      if (stopped) return;
      open().then(
        (client) => {
          if (stopped) {
            client.end().catch(() => undefined);
            return;
          }
          use(client);
          handlers.onReconnect?.();
        },
        () => {
          delay = Math.min(delay * 2, RETRY_MAX_MS);
          reopenLater();
        },
      );
    }, delay);
    retry.unref();
  };

  use(await open());
  return async () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(ping);
    const client = current;
    current = null;
    await client?.end().catch(() => undefined);
  };
}
