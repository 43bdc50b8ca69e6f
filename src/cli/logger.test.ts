import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import Fastify from 'fastify';
import { createLogger, redactUrl } from './logger.ts';

describe('createLogger', () => {
  it('never writes tokens, cookies or passwords', () => {
    const stream = new PassThrough();
    const logger = createLogger('info', stream);
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer pb_user_secret1',
            cookie: 'pb_session=pb_session_secret2',
            'x-csrf-token': 'pb_csrf_secret3',
          },
        },
        password: 'hunter2 hunter2',
        result: { token: 'pb_agent_secret4', id: 'kept' },
      },
      'request',
    );
    const line = String(stream.read());
    expect(line).not.toMatch(/secret|hunter2/);
    expect(line).toContain('"id":"kept"');
    expect(line).toContain('[redacted]');
  });

  it('never writes card or bank details, or a webhook secret, should a handler log a body', () => {
    const stream = new PassThrough();
    const logger = createLogger('info', stream);
    logger.info(
      {
        body: {
          cardNumber: '4242424242424242',
          cvc: '123',
          routingNumber: '110000000',
          accountNumber: '000123456789',
          last4: '4242',
        },
        webhookSecret: 'whsec_secret5',
      },
      'body',
    );
    const line = String(stream.read());
    expect(line).not.toMatch(/4242424242424242|110000000|000123456789|secret5|"cvc":"123"/);
    expect(line).toContain('"last4":"4242"');
  });

  it("keeps payment-link and quick-link tokens out of a server's request lines", async () => {
    const stream = new PassThrough();
    const app = Fastify({ loggerInstance: createLogger('info', stream) });
    app.get('/api/v1/pay/link/:token', async () => ({ ok: true }));
    app.get('/pay/quick/:token', async () => 'the payer page');
    await app.inject({ method: 'GET', url: '/api/v1/pay/link/pl_secret6?x=1' });
    await app.inject({ method: 'GET', url: '/pay/quick/ql_secret7' });
    await app.close();
    const lines = String(stream.read());
    expect(lines).not.toMatch(/secret6|secret7/);
    expect(lines).toContain('"url":"/api/v1/pay/link/[redacted]?x=1"');
    expect(lines).toContain('"url":"/pay/quick/[redacted]"');
    expect(lines).toContain('"method":"GET"');
    expect(redactUrl('/api/v1/postings?q=link')).toBe('/api/v1/postings?q=link');
  });

  it('refuses an unknown LOG_LEVEL by name', () => {
    expect(() => createLogger('loud')).toThrow(ConfigError);
    expect(() => createLogger('loud')).toThrow(/LOG_LEVEL must be one of .*info/);
  });
});
