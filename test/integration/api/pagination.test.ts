import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import { type Harness, startHarness } from './harness.js';

/** Paging through 120 keys of one company with the real list handler on DynamoDB Local. */

let h: Harness;
const created: string[] = [];
const acme: Caller = { kind: 'root-admin', companyId: 'acme', subject: 'sub-acme' };
const globex: Caller = { kind: 'root-admin', companyId: 'globex', subject: 'sub-globex' };

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 120; i++) {
    const response = await h.call({
      method: 'POST',
      path: '/v1/api-keys',
      caller: acme,
      body: { name: `key ${String(i).padStart(3, '0')}`, scopes: ['colleagues:read'] },
    });
    expect(response.status).toBe(201);
    created.push(response.body.id);
  }
  for (let i = 0; i < 3; i++) {
    await h.call({
      method: 'POST',
      path: '/v1/api-keys',
      caller: globex,
      body: { name: 'g', scopes: ['colleagues:read'] },
    });
  }
}, 120_000);
afterAll(async () => {
  await h.table.drop();
});

async function page(caller: Caller, query: Record<string, string> = {}) {
  const response = await h.call({ method: 'GET', path: '/v1/api-keys', caller, query });
  expect(response.status).toBe(200);
  return response.body as { items: Array<{ id: string; name: string }>; nextCursor: string | null };
}

async function walk(limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const body = await page(acme, { limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...body.items.map((item) => item.id));
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null);
  return { ids, pages };
}

describe('GET /v1/api-keys paging', () => {
  it('defaults to 50 per page, newest first', async () => {
    const first = await page(acme);
    expect(first.items).toHaveLength(50);
    expect(first.items[0]?.name).toBe('key 119');
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it.each([1, 7, 40, 50, 100])(
    'walks all 120 keys at limit %i: newest first, no duplicates, no gaps',
    async (limit) => {
      const { ids, pages } = await walk(limit);
      expect(ids).toEqual([...created].reverse());
      expect(pages).toBe(Math.ceil(120 / limit));
    },
  );

  it('gives the last page no cursor even when it is full, and 100 at most per page', async () => {
    const first = await page(acme, { limit: '100' });
    expect(first.items).toHaveLength(100);
    const last = await page(acme, { limit: '100', cursor: first.nextCursor as string });
    expect(last.items).toHaveLength(20);
    expect(last.nextCursor).toBeNull();
    const exact = await page(acme, { limit: '20', cursor: first.nextCursor as string });
    expect(exact.items).toHaveLength(20);
    expect(exact.nextCursor).toBeNull();
    expect(
      (await h.call({ method: 'GET', path: '/v1/api-keys', caller: acme, query: { limit: '101' } })).status,
    ).toBe(400);
  });

  it("answers 400 for a tampered cursor and for another company's cursor", async () => {
    const cursor = (await page(acme, { limit: '10' })).nextCursor as string;
    const foreign = (await page(globex, { limit: '1' })).nextCursor as string;
    const edits = [
      `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`,
      cursor.slice(0, 20),
      `${cursor}x`,
      Buffer.from(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^c1\./, 'c2.')).toString(
        'base64url',
      ),
      foreign,
    ];
    for (const bad of edits) {
      const response = await h.call({
        method: 'GET',
        path: '/v1/api-keys',
        caller: acme,
        query: { cursor: bad },
      });
      expect(response.status).toBe(400);
      expect(response.headers['Content-Type']).toBe('application/problem+json');
      expect(response.body.errors).toEqual([{ parameter: 'cursor', detail: expect.any(String) }]);
    }
    // the globex cursor still works for globex
    expect((await page(globex, { limit: '1', cursor: foreign })).items).toHaveLength(1);
  });

  it('lists a key right after it is created and not right after it is deleted', async () => {
    const made = await h.call({
      method: 'POST',
      path: '/v1/api-keys',
      caller: acme,
      body: { name: 'newest', scopes: ['colleagues:read'] },
    });
    expect((await page(acme, { limit: '1' })).items[0]?.id).toBe(made.body.id);
    await h.call({ method: 'DELETE', path: `/v1/api-keys/${made.body.id}`, caller: acme });
    expect((await page(acme, { limit: '1' })).items[0]?.id).toBe(created.at(-1));
  });
});
