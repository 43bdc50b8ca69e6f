import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiKey, call, pathOf, resourceOf } from './call.ts';

describe('the typed API client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fills path parameters, encoded', () => {
    expect(pathOf('/postings/:id', { id: 'a/b c' })).toBe('/postings/a%2Fb%20c');
    expect(() => pathOf('/postings/:id', {})).toThrow('/postings/:id needs id');
  });

  it('keys every query by its resource first, so a change invalidates by resource', () => {
    expect(resourceOf('GET /postings/counts')).toBe('postings');
    expect(apiKey('GET /postings/:id', { params: { id: 'r1' } })).toEqual([
      'postings',
      'GET /postings/:id',
      { params: { id: 'r1' } },
    ]);
    expect(apiKey('GET /payment-pages')).toEqual(['payment-pages', 'GET /payment-pages']);
  });

  it("sends the route's method, path, query and JSON body, and returns the JSON answer", async () => {
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ removed: 2 }), { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetch);
    const answer = await call('POST /postings/remove', { body: { ids: ['a', 'b'] } });
    expect(answer.removed).toBe(2);
    expect(fetch).toHaveBeenCalledWith(
      '/api/v1/postings/remove',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ ids: ['a', 'b'] }) }),
    );

    fetch.mockClear();
    await call('GET /postings', { query: { view: 'pending', q: 'Smith & Co', minCents: 100 } });
    expect(fetch).toHaveBeenCalledWith(
      '/api/v1/postings?view=pending&q=Smith+%26+Co&minCents=100',
      expect.objectContaining({ method: 'GET' }),
    );
  });
});
