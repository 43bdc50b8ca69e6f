import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestFirm, startTestApp, type TestApp, type TestFirm } from '../support/app.ts';
import { syncBasicMms } from '../support/fixtures.ts';

interface Hit {
  clientNumber: string;
  clientName: string;
  matterNumber: string;
  description: string;
}

describe('Matter search for reallocating trust money', () => {
  let t: TestApp;
  let firm: TestFirm;
  let other: TestFirm;
  beforeAll(async () => {
    t = await startTestApp();
    firm = await createTestFirm(t, 'MATS');
    other = await createTestFirm(t, 'MATO');
    await syncBasicMms(t, firm);
    const more = await call(t, firm.agent, 'POST', '/agent/sync', {
      clients: [],
      matters: [{ clientNumber: 'C1', matterNumber: 'M2', description: 'Trademark filing' }],
      invoices: [],
      full: false,
    });
    expect(more.statusCode, more.body).toBe(200);
    const rival = await call(t, other.agent, 'POST', '/agent/sync', {
      clients: [
        { clientNumber: 'C1', name: 'Acme Rival' },
        { clientNumber: 'C8', name: 'Eighth Client' },
      ],
      matters: [
        { clientNumber: 'C1', matterNumber: 'M1', description: 'Lease dispute' },
        { clientNumber: 'C8', matterNumber: 'M8', description: 'Escrow rival' },
      ],
      invoices: [],
      full: false,
    });
    expect(rival.statusCode, rival.body).toBe(200);
  });
  afterAll(async () => t.close());

  async function search(query: string, token = firm.viewer): Promise<Hit[]> {
    const res = await call(t, token, 'GET', `/matters${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }
  const keys = (hits: Hit[]) => hits.map((h) => `${h.clientNumber}/${h.matterNumber}`);

  it('returns every matter of the firm with its client, by client then matter number', async () => {
    const hits = await search('');
    expect(keys(hits)).toEqual(['C1/M1', 'C1/M2', 'C2/M1', 'C3/M9']);
    expect(hits[1]).toEqual({
      clientNumber: 'C1',
      clientName: 'Acme Holdings',
      matterNumber: 'M2',
      description: 'Trademark filing',
    });
  });

  it('matches client number, client name, matter number and matter description, ignoring case', async () => {
    expect(keys(await search('?q=c2'))).toEqual(['C2/M1']);
    expect(keys(await search('?q=ACME'))).toEqual(['C1/M1', 'C1/M2']);
    expect(keys(await search('?q=m9'))).toEqual(['C3/M9']);
    expect(keys(await search('?q=%20trademark%20'))).toEqual(['C1/M2']);
    expect(await search('?q=no such matter')).toEqual([]);
  });

  it('treats % and _ as the characters they are', async () => {
    expect(await search('?q=%25')).toEqual([]);
    expect(await search('?q=C_')).toEqual([]);
  });

  it('honours the limit and refuses one out of range', async () => {
    expect(keys(await search('?limit=2'))).toEqual(['C1/M1', 'C1/M2']);
    expect((await call(t, firm.viewer, 'GET', '/matters?limit=0')).statusCode).toBe(400);
    expect((await call(t, firm.viewer, 'GET', '/matters?limit=101')).statusCode).toBe(400);
  });

  it("never shows another firm's matters", async () => {
    expect(await search('?q=escrow rival')).toEqual([]);
    expect(await search('?q=C8')).toEqual([]);
    expect((await search('?q=C1')).every((h) => h.clientName === 'Acme Holdings')).toBe(true);
    expect(keys(await search('', other.viewer))).toEqual(['C1/M1', 'C8/M8']);
    expect((await search('?q=acme', other.viewer)).map((h) => h.clientName)).toEqual(['Acme Rival']);
  });

  it('is for signed-in users, not the agent', async () => {
    expect((await call(t, null, 'GET', '/matters')).statusCode).toBe(401);
    expect((await call(t, firm.agent, 'GET', '/matters')).statusCode).toBe(403);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await call(t, null, 'GET', '/openapi.json')).json();
    expect(
      Object.keys(
        doc.paths['/api/v1/matters'].get.responses['200'].content['application/json'].schema.properties.items.items
          .properties,
      ).sort(),
    ).toEqual(['clientName', 'clientNumber', 'description', 'matterNumber']);
  });
});
