import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { bootLocalGateway, call, type GatewayUnderTest, type JsonAnswer } from '../support/local-gateway.js';
import { rawRequest } from '../support/raw-http.js';

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
    ['a name with a right-to-left override', { name: 'key\u202Egnp', scopes: ['messaging:read'] }, ['/name']],
    ['a name with a line separator', { name: 'a\u2028b', scopes: ['messaging:read'] }, ['/name']],
    ['a name with hidden tag text', { name: 'ok\u{E0068}\u{E0069}', scopes: ['messaging:read'] }, ['/name']],
    ['a zero-width-only name', { name: '\u200b\u200d', scopes: ['messaging:read'] }, ['/name']],
    ['a soft-hyphen-only name', { name: '\u00ad', scopes: ['messaging:read'] }, ['/name']],
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

  it('says which character of a name is refused, and where', async () => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: 'key\u202Egnp', scopes: ['messaging:read'] },
    });
    expectProblem(answer, 400, ['/name']);
    expect(answer.body.errors).toContainEqual({
      pointer: '/name',
      detail: 'name contains a bidirectional control character U+202E at position 4',
    });
  });

  it.each([
    ['accents, CJK and an emoji', '  Zürich 東京 🔑  ', 'Zürich 東京 🔑'],
    ['Arabic', 'مفتاح الفوترة', 'مفتاح الفوترة'],
    ['Hebrew and digits', 'מפתח 2', 'מפתח 2'],
    ['a ZWJ emoji sequence', '👩‍💻 deploy', '👩‍💻 deploy'],
    [
      'a subdivision flag',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F} team',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F} team',
    ],
  ])('accepts ordinary Unicode in a name: %s', async (_label, name, stored) => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name, scopes: ['messaging:read'] },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe(stored);
    expect(
      (await call(gateway.url, 'DELETE', `/v1/api-keys/${answer.body.id}`, { auth: admin })).status,
    ).toBe(204);
  });
});

/** A POST with no Content-Type at all (fetch would add text/plain to a string body). */
async function postWithoutContentType(path: string, auth: string, body: string): Promise<JsonAnswer> {
  const answer = await rawRequest(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${auth}`, 'Content-Length': Buffer.byteLength(body) },
    body,
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  return { status: answer.status, headers, body: answer.body ? JSON.parse(answer.body) : undefined };
}

describe('media types: JSON in any case is read, anything else is 415', () => {
  it.each([
    'application/JSON',
    'application/json; charset=UTF-8',
    'Application/Json;Charset="utf-8"',
    'application/merge-patch+json',
  ])('creates a key from a body declared as %s', async (type) => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: `typed ${type}`, scopes: ['messaging:read'] },
      headers: { 'Content-Type': type },
    });
    expect(answer.status, JSON.stringify({ ...answer.body, key: undefined })).toBe(201);
    expect(answer.body.name).toBe(`typed ${type}`);
    expect(
      (await call(gateway.url, 'DELETE', `/v1/api-keys/${answer.body.id}`, { auth: admin })).status,
    ).toBe(204);
  });

  it('renames a key with a PATCH declared as application/JSON', async () => {
    const renamed = await call(gateway.url, 'PATCH', `/v1/api-keys/${existing.id}`, {
      auth: admin,
      body: { name: 'renamed in capitals' },
      headers: { 'Content-Type': 'APPLICATION/JSON' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('renamed in capitals');
    const back = await call(gateway.url, 'PATCH', `/v1/api-keys/${existing.id}`, {
      auth: admin,
      body: { name: existing.name },
    });
    expect(back.status).toBe(200);
  });

  it.each([
    ['text/plain', 'not text/plain'],
    ['application/x-www-form-urlencoded', 'not application/x-www-form-urlencoded'],
    ['application/xml', 'not application/xml'],
    ['application/json; charset=utf-16', 'not charset=utf-16'],
  ])('answers 415 to a valid JSON body declared as %s, and creates nothing', async (type, shown) => {
    const before = await list();
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: { name: 'wrongly typed', scopes: ['messaging:read'] },
      headers: { 'Content-Type': type },
    });
    expectProblem(answer, 415);
    expect(answer.body.detail).toContain('Content-Type: application/json');
    expect(answer.body.detail).toContain(shown);
    expect(await list()).toEqual(before);
  });

  it('answers 415 to a body sent without any Content-Type, and creates nothing', async () => {
    const before = await list();
    const answer = await postWithoutContentType(
      '/v1/api-keys',
      admin,
      JSON.stringify({ name: 'untyped', scopes: ['messaging:read'] }),
    );
    expectProblem(answer, 415);
    expect(answer.body.detail).toContain('no Content-Type');
    expect(await list()).toEqual(before);
  });

  it('still says 400 "not valid JSON" for a JSON-typed body that does not parse', async () => {
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', {
      auth: admin,
      body: '{"name": "x",',
      headers: { 'Content-Type': 'application/JSON' },
    });
    expectProblem(answer, 400, ['']);
    expect(answer.body.detail).toBe('The request body is not valid JSON.');
  });
});

describe('disable, enable and delete take no body: any but {} is refused, and the key is unchanged', () => {
  it('answers 400 to a malformed or non-empty JSON body and 415 to another media type', async () => {
    const before = await list();
    const path = `/v1/api-keys/${existing.id}`;
    const json = { 'Content-Type': 'application/json' };
    const malformed = await call(gateway.url, 'POST', `${path}/disable`, {
      auth: admin,
      body: '{"oops',
      headers: json,
    });
    expectProblem(malformed, 400, ['']);
    const setting = await call(gateway.url, 'POST', `${path}/enable`, {
      auth: admin,
      body: { enabled: false, name: 'zzz' },
    });
    expectProblem(setting, 400, ['/enabled', '/name']);
    expect(setting.body.detail).toBe('This request takes no body: send none, or {}.');
    const text = await call(gateway.url, 'DELETE', path, {
      auth: admin,
      body: 'garbage',
      headers: { 'Content-Type': 'text/plain' },
    });
    expectProblem(text, 415);
    expect(await list()).toEqual(before);
    // None, or {}, as the CLI and the console send.
    expect((await call(gateway.url, 'POST', `${path}/disable`, { auth: admin })).status).toBe(200);
    expect((await call(gateway.url, 'POST', `${path}/enable`, { auth: admin, body: {} })).status).toBe(200);
  });
});

describe('repeated members: 400 naming each, nothing changed', () => {
  it.each<[string, string, string[]]>([
    ['scopes twice', '{"name":"k","scopes":["messaging:read"],"scopes":["*:*"]}', ['/scopes']],
    ['name twice, once escaped', '{"name":"a","scopes":["messaging:read"],"\\u006eame":"b"}', ['/name']],
    [
      'a repeat nested in an array',
      '{"name":"k","scopes":["messaging:read"],"allowedIps":[],"x":[{"a":1,"a":2}]}',
      ['/x/0/a'],
    ],
  ])('POST with %s', async (_label, body, pointers) => {
    const before = await list();
    const answer = await call(gateway.url, 'POST', '/v1/api-keys', { auth: admin, body });
    expectProblem(answer, 400);
    expect(answer.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual(pointers);
    expect(await list()).toEqual(before);
  });

  it('PATCH with name twice', async () => {
    const before = await list();
    const answer = await call(gateway.url, 'PATCH', `/v1/api-keys/${existing.id}`, {
      auth: admin,
      body: '{"name":"one","name":"two"}',
    });
    expectProblem(answer, 400, ['/name']);
    expect(await list()).toEqual(before);
  });
});

describe('PATCH /v1/api-keys/{id} with bad input: 400, the key unchanged', () => {
  it.each<[string, unknown, string[]]>([
    ['scopes', { scopes: ['*:*'] }, ['/scopes']],
    ['expiresAt', { name: 'n', expiresAt: '2099-01-01T00:00:00Z' }, ['/expiresAt']],
    ['expiresIn', { expiresIn: 3600 }, ['/expiresIn']],
    ['an empty name', { name: '' }, ['/name']],
    ['a 101-character name', { name: 'y'.repeat(101) }, ['/name']],
    ['a name with a pop directional isolate', { name: 'y\u2069' }, ['/name']],
    ['an invisible name', { name: '\u2060\ufe0f' }, ['/name']],
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
