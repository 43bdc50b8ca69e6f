import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { createLogger } from './logger.ts';

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

  it('refuses an unknown LOG_LEVEL by name', () => {
    expect(() => createLogger('loud')).toThrow(ConfigError);
    expect(() => createLogger('loud')).toThrow(/LOG_LEVEL must be one of .*info/);
  });
});
