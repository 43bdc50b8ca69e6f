import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from './event-stream.ts';

/** A server whose GET /api/v1/events writes `chunks` one by one, then holds the stream open. */
async function serve(chunks: string[], status = 200) {
  const seen: { authorization: string | undefined; accept: string | undefined }[] = [];
  let closed = false;
  const server = http.createServer((req, res) => {
    seen.push({ authorization: req.headers.authorization, accept: req.headers.accept });
    if (status !== 200)
      return res.writeHead(status, { 'content-type': 'application/json' }).end('{"code":"unauthorized"}');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    req.on('close', () => (closed = true));
    void (async () => {
      for (const chunk of chunks) {
        res.write(chunk);
        await sleep(20);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return {
    api,
    seen,
    closed: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('openEventStream (the browser side of click → Posted shown)', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('hears each event by name as the browser would: blocks split anywhere, CRLF, comments and data-less blocks not dispatched', async () => {
    const s = await serve([
      'retry: 3000\n\n',
      ': keep-alive\n\nevent: postings.changed\nda',
      'ta: {}\n\nevent: ignored-without-data\n\n',
      'event: batches.changed\r',
      '\ndata: {}\r\n\r\n',
      'data: {}\n\n',
    ]);
    servers.push(s);
    const stream = await openEventStream(s.api, 'pb_user_token');
    const heard: string[] = [];
    stream.on((event) => heard.push(event));
    await sleep(300);
    expect(heard).toEqual(['postings.changed', 'batches.changed', 'message']);
    expect(s.seen).toEqual([{ authorization: 'Bearer pb_user_token', accept: 'text/event-stream' }]);
    stream.close();
    await sleep(50);
    expect(s.closed()).toBe(true);
  });

  it('stops calling a listener once it unsubscribed', async () => {
    const s = await serve([
      'retry: 3000\n\n',
      'event: postings.changed\ndata: {}\n\n',
      'event: postings.changed\ndata: {}\n\n',
    ]);
    servers.push(s);
    const stream = await openEventStream(s.api, 'pb_user_token');
    let heard = 0;
    const off = stream.on(() => {
      heard += 1;
      off();
    });
    await sleep(200);
    expect(heard).toBe(1);
    stream.close();
  });

  it('fails when the server answers other than a stream', async () => {
    const s = await serve([], 401);
    servers.push(s);
    await expect(openEventStream(s.api, 'pb_user_wrong')).rejects.toThrow('GET /events answered 401');
  });
});
