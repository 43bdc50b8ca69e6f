import { describe, expect, it } from 'vitest';
import { AgentConfigError, parseAgentConfig } from './config.ts';

const TOKEN = `pb_agent_${'a'.repeat(43)}`;

function mistakes(raw: unknown): string[] {
  try {
    parseAgentConfig(raw, 'agent.json', '/srv/paybridge');
  } catch (error) {
    if (error instanceof AgentConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AgentConfigError');
}

describe('the agent config', () => {
  it('takes http:// only for a server on this machine: the token would travel in the clear', () => {
    const base = { token: TOKEN, stateDir: 's', sink: { type: 'file-drop', folder: 'f' } };
    const insecure =
      'server: must be https:// (the agent token travels with every request); http:// is for a server on this machine only';
    for (const server of ['http://paybridge.example.com', 'HTTP://10.0.0.5:3000', 'http://127.evil.example'])
      expect(mistakes({ ...base, server }), server).toEqual([insecure]);
    for (const server of [
      'https://paybridge.example.com',
      'http://localhost:3000',
      'http://127.0.0.1:3000/',
      'http://[::1]:3000',
    ])
      expect(parseAgentConfig({ ...base, server }, 'agent.json', '/srv/paybridge').server, server).toBe(
        server.replace(/\/$/, ''),
      );
  });

  it('names every mistake of a file at once, not just the first', () => {
    expect(
      mistakes({
        server: 'ftp://paybridge.example.com',
        token: 'pb_user_abc',
        stateDir: '',
        source: { type: 'mysql', connectionString: 'x' },
        sink: { type: 'file-drop' },
        syncSeconds: 0,
        pollSeconds: '60',
        pollSecond: 60,
      }),
    ).toEqual([
      'server: must be an http:// or https:// URL',
      'token: must be an agent token (pb_agent_…) from `paybridge admin create-token --kind agent`',
      'stateDir: must not be empty',
      'source.type: must be one of "postgres", "ledes"',
      'sink.folder: is required',
      'syncSeconds: must be at least 1',
      'pollSeconds: must be a number',
      'pollSecond: is not a setting (a typo?)',
    ]);
    expect(mistakes({})).toEqual([
      'server: is required',
      'token: is required',
      'stateDir: is required',
      'sink: is required',
    ]);
    expect(
      mistakes({
        server: 'https://pb.example',
        token: TOKEN,
        stateDir: 's',
        sink: { type: 'procedure', connectionString: 'mysql://x', folder: 'f' },
      }),
    ).toEqual([
      'sink.connectionString: must be a postgres:// connection string',
      'sink.folder: is not a setting (a typo?)',
    ]);
  });

  it('fills the defaults and resolves folders against the config file', () => {
    const config = parseAgentConfig(
      {
        server: 'https://pb.example/',
        token: TOKEN,
        stateDir: 'state',
        source: { type: 'ledes', folder: '../ledes' },
        sink: { type: 'file-drop', folder: '/mms/inbox' },
      },
      'agent.json',
      '/srv/paybridge',
    );
    expect(config).toEqual({
      server: 'https://pb.example',
      token: TOKEN,
      stateDir: '/srv/paybridge/state',
      source: { type: 'ledes', folder: '/srv/ledes' },
      sink: { type: 'file-drop', folder: '/mms/inbox' },
      syncSeconds: 300,
      pollSeconds: 60,
    });
  });

  it("takes the MMS import's processed and rejected folders together, resolved like the drop folder", () => {
    const base = { server: 'https://pb.example', token: TOKEN, stateDir: 's' };
    const config = parseAgentConfig(
      {
        ...base,
        sink: { type: 'file-drop', folder: 'inbox', processedFolder: 'inbox/archive', rejectedFolder: '/mms/rejected' },
      },
      'agent.json',
      '/srv/paybridge',
    );
    expect(config.sink).toEqual({
      type: 'file-drop',
      folder: '/srv/paybridge/inbox',
      processedFolder: '/srv/paybridge/inbox/archive',
      rejectedFolder: '/mms/rejected',
    });
    expect(mistakes({ ...base, sink: { type: 'file-drop', folder: 'inbox', processedFolder: 'done' } })).toEqual([
      'sink.rejectedFolder: is required with processedFolder (give both answer folders, or neither)',
    ]);
    expect(mistakes({ ...base, sink: { type: 'file-drop', processedFolder: 'done' } })).toEqual([
      'sink.folder: is required',
      'sink.rejectedFolder: is required with processedFolder (give both answer folders, or neither)',
    ]);
    expect(mistakes({ ...base, sink: { type: 'file-drop', folder: 'inbox', rejectedFolder: 'bad' } })).toEqual([
      'sink.processedFolder: is required with rejectedFolder (give both answer folders, or neither)',
    ]);
    expect(
      mistakes({ ...base, sink: { type: 'file-drop', folder: 'inbox', processedFolder: '', rejectedFolder: 7 } }),
    ).toEqual(['sink.processedFolder: must not be empty', 'sink.rejectedFolder: must be a string']);
    // A delivered file waits in the drop folder: an answer folder there would answer every delivery.
    expect(
      mistakes({
        ...base,
        sink: {
          type: 'file-drop',
          folder: 'inbox',
          processedFolder: './inbox/',
          rejectedFolder: '/srv/paybridge/inbox',
        },
      }),
    ).toEqual([
      'sink.processedFolder: must not be the drop folder (sink.folder)',
      'sink.rejectedFolder: must not be the drop folder (sink.folder)',
      'sink.rejectedFolder: must not be the same folder as sink.processedFolder',
    ]);
    expect(
      mistakes({
        ...base,
        sink: { type: 'file-drop', folder: 'inbox', processedFolder: 'out', rejectedFolder: '../paybridge/out' },
      }),
    ).toEqual(['sink.rejectedFolder: must not be the same folder as sink.processedFolder']);
    expect(
      mistakes({
        ...base,
        sink: { type: 'procedure', connectionString: 'postgres://mms/billing', processedFolder: 'out' },
      }),
    ).toEqual(['sink.processedFolder: is not a setting (a typo?)']);
  });

  it('never puts the token in its messages', () => {
    const error = (() => {
      try {
        parseAgentConfig(
          { server: 'nope', token: TOKEN, stateDir: 's', sink: { type: 'file-drop', folder: 'f' } },
          'agent.json',
          '/',
        );
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(AgentConfigError);
    expect(String(error)).not.toContain(TOKEN);
  });
});
