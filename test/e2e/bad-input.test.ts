import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { bootLocalGateway, call, type GatewayUnderTest, type JsonAnswer } from '../support/local-gateway.js';

/**
 * Every bad input of issue 2, over HTTP through the local gateway: each gets a 400 (or 413) RFC 9457
 * problem naming what is wrong, and changes nothing (the company's key list, and the key a bad
 * rename targets, are the same afterwards).
 */

let table: TestTable;
let gateway: GatewayUnderTest;
let admin: string;
let existing: { id: string; name: string };

beforeAll(async () => {
  table = await createTestTable();
  gateway = await bootLocalGateway({ dynamoEndpoint: table.endpoint, tableName: table.tableName });
  admin = await gateway.adminToken('bad-input-co');
  for (const name of ['first', 'second', 'third']) {
    const created = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name, scopes: ['messaging:read'] },
    });
    expect(created.status).toBe(201);
    existing = { id: created.body.id, name };
  }
});

afterAll(async () => {
  await gateway?.close();
  await table?.drop();
});

const list = async () => {
  const answer = await call(gateway.url, 'GET', '/v1/api-keys?limit=100', { auth: admin });
  expect(answer.status).toBe(200);
  return answer.body;
};

function expectProblem(answer: JsonAnswer, status: number, fields: string[] = []) {
  // The body is shown on failure without any `key` field: a secret never reaches test output.
  expect(answer.status, JSON.stringify({ ...answer.body, key: undefined })).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  expect(answer.body.detail).toEqual(expect.any(String));
  if (fields.length > 0) {
    const named = (answer.body.errors as Array<{ pointer?: string; parameter?: string }>).map(
      (error) => error.pointer ?? error.parameter,
    );
    for (const field of fields) expect(named.some((name) => name?.startsWith(field))).toBe(true);
  }
}

const DAY = 86_400;
const fiftyOneIps = Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`);

describe('POST /v1/api-keys with bad input: 400, nothing created', () => {
  it.each<[string, unknown, string[]]>([
    ['malformed JSON', '{"name": "x", "scopes": [', ['']],
    ['a JSON array instead of an object', '[]', ['']],
    ['an empty body', '', ['']],
    ['an unknown field', { name: 'k', scopes: ['messaging:read'], owner: 'me' }, ['/owner']],
    ['a mistyped field name', { name: 'k', scopes: ['messaging:read'], expiresin: 3600 }, ['/expiresin']],
    ['no name', { scopes: ['messaging:read'] }, ['/name']],
    ['a name that is a number', { name: 42, scopes: ['messaging:read'] }, ['/name']],
    ['an empty name', { name: '', scopes: ['messaging:read'] }, ['/name']],
    ['a blank name', { name: '   ', scopes: ['messaging:read'] }, ['/name']],
    ['a 101-character name', { name: 'x'.repeat(101), scopes: ['messaging:read'] }, ['/name']],
    ['a name with a control character', { name: 'bell\u0007', scopes: ['messaging:read'] }, ['/name']],
    ['no scopes', { name: 'k' }, ['/scopes']],
    ['scopes as a string', { name: 'k', scopes: 'messaging:read' }, ['/scopes']],
    ['empty scopes', { name: 'k', scopes: [] }, ['/scopes']],
    ['an unknown scope', { name: 'k', scopes: ['nosuch:read'] }, ['/scopes']],
    ['an unknown operation', { name: 'k', scopes: ['messaging:DeleteEverything'] }, ['/scopes']],
    ['a malformed scope', { name: 'k', scopes: ['messaging'] }, ['/scopes']],
    ['a scope that is not a string', { name: 'k', scopes: [7] }, ['/scopes']],
    ['a lifetime under 1 hour', { name: 'k', scopes: ['messaging:read'], expiresIn: 3599 }, ['/expiresIn']],
    [
      'a lifetime over 365 days',
      { name: 'k', scopes: ['messaging:read'], expiresIn: 366 * DAY },
      ['/expiresIn'],
    ],
    ['a fractional expiresIn', { name: 'k', scopes: ['messaging:read'], expiresIn: 3600.5 }, ['/expiresIn']],
    ['expiresIn as a string', { name: 'k', scopes: ['messaging:read'], expiresIn: '3600' }, ['/expiresIn']],
    ['*:* for longer than 7 days', { name: 'k', scopes: ['*:*'], expiresIn: 8 * DAY }, ['/expiresIn']],
    [
      'both expiresAt and expiresIn',
      { name: 'k', scopes: ['messaging:read'], expiresIn: DAY, expiresAt: '2099-01-01T00:00:00Z' },
      ['/expires'],
    ],
    [
      'an expiresAt in the past',
      { name: 'k', scopes: ['messaging:read'], expiresAt: '2020-01-01T00:00:00Z' },
      ['/expiresAt'],
    ],
    [
      'an expiresAt that is not RFC 3339',
      { name: 'k', scopes: ['messaging:read'], expiresAt: 'next tuesday' },
      ['/expiresAt'],
    ],
    [
      'an invalid CIDR',
      { name: 'k', scopes: ['messaging:read'], allowedIps: ['10.0.0.0/33'] },
      ['/allowedIps'],
    ],
    [
      'something that is not an IP',
      { name: 'k', scopes: ['messaging:read'], allowedIps: ['example.com'] },
      ['/allowedIps'],
    ],
    [
      'allowedIps as a string',
      { name: 'k', scopes: ['messaging:read'], allowedIps: '10.0.0.0/8' },
      ['/allowedIps'],
    ],
    ['51 allowedIps', { name: 'k', scopes: ['messaging:read'], allowedIps: fiftyOneIps }, ['/allowedIps']],
  ])('%s', async (_, body, fields) => {
    const before = await list();
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expectProblem(answer, 400, fields);
    expect(answer.body.errors.length).toBeGreaterThan(0);
    expect(await list()).toEqual(before);
  });

  it('names every problem of one request at once', async () => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: '', scopes: ['nosuch:read'], expiresIn: 1, allowedIps: ['nope'], extra: true },
    });
    expectProblem(answer, 400, ['/name', '/scopes', '/expiresIn', '/allowedIps', '/extra']);
  });

  it('answers 413 to a body over 16 KiB, and creates nothing', async () => {
    const before = await list();
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: 'k', scopes: ['messaging:read'], padding: 'x'.repeat(16 * 1024) },
    });
    expectProblem(answer, 413);
    expect(await list()).toEqual(before);
  });

  it('accepts any other Unicode in a name (the control case above is the only one refused)', async () => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: '  Zürich 東京 🔑  ', scopes: ['messaging:read'] },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('Zürich 東京 🔑');
    expect(
      (await call(gateway.url, 'DELETE', `/v1/api-keys/${answer.body.id}`, { auth: admin })).status,
    ).toBe(204);
  });
});

describe('PATCH /v1/api-keys/{id} with bad input: 400, the key unchanged', () => {
  it.each<[string, unknown, string[]]>([
    ['scopes', { scopes: ['*:*'] }, ['/scopes']],
    ['expiresAt', { name: 'n', expiresAt: '2099-01-01T00:00:00Z' }, ['/expiresAt']],
    ['expiresIn', { expiresIn: 3600 }, ['/expiresIn']],
    ['an empty name', { name: '' }, ['/name']],
    ['a 101-character name', { name: 'y'.repeat(101) }, ['/name']],
    ['no name', {}, ['/name']],
    ['malformed JSON', '{"name":', ['']],
  ])('%s', async (_, body, fields) => {
    const before = await list();
    const answer = await call(gateway.url, 'PATCH', `/v1/api-keys/${existing.id}`, { auth: admin, body });
    expectProblem(answer, 400, fields);
    expect(await list()).toEqual(before);
  });

  it('explains that scopes and expiry cannot change', async () => {
    const answer = await call(gateway.url, 'PATCH', `/v1/api-keys/${existing.id}`, {
      auth: admin,
      body: { scopes: ['*:*'], expiresIn: 3600 },
    });
    expectProblem(answer, 400);
    expect(answer.body.detail).toMatch(/only the name.*scopes, expiry.*cannot change/i);
    expect(answer.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
      '/expiresIn',
      '/scopes',
    ]);
  });
});

describe('GET /v1/api-keys with a bad limit or cursor: 400', () => {
  it.each(['0', '101', '-1', 'ten', '1.5', ''])('limit=%s', async (limit) => {
    expectProblem(await call(gateway.url, 'GET', `/v1/api-keys?limit=${limit}`, { auth: admin }), 400, [
      'limit',
    ]);
  });

  it('refuses a tampered cursor and another company’s cursor', async () => {
    const page = await call(gateway.url, 'GET', '/v1/api-keys?limit=1', { auth: admin });
    expect(page.status).toBe(200);
    const cursor: string = page.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = await call(gateway.url, 'GET', `/v1/api-keys?limit=1&cursor=${encodeURIComponent(cursor)}`, {
      auth: admin,
    });
    expect(next.status).toBe(200);

    const flipped = `${cursor.slice(0, -2)}${cursor.at(-2) === 'A' ? 'B' : 'A'}${cursor.at(-1)}`;
    for (const tampered of [flipped, `${cursor}x`, cursor.slice(1), 'not-a-cursor']) {
      const answer = await call(gateway.url, 'GET', `/v1/api-keys?cursor=${encodeURIComponent(tampered)}`, {
        auth: admin,
      });
      expectProblem(answer, 400);
    }
    const other = await gateway.adminToken('another-co');
    expectProblem(
      await call(gateway.url, 'GET', `/v1/api-keys?cursor=${encodeURIComponent(cursor)}`, { auth: other }),
      400,
    );
  });
});
