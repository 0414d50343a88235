import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  httpHandler,
  type JsonEvent,
  jsonResponse,
  MAX_BODY_BYTES,
} from '../../../shared/adapters/http/http-handler.js';
import {
  BadRequestError,
  PayloadTooLargeError,
  problemResponse,
  toProblem,
  UnsupportedMediaTypeError,
} from '../../../shared/adapters/http/problem.js';
import { InvalidRequestError, NotFoundError, NotPermittedError } from '../../../shared/domain/errors.js';
import { proxyEvent } from '../../support/api-gateway-events.js';

const context = { functionName: 'test', awsRequestId: 'req-1' } as Context;

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  const base = proxyEvent({ method: 'POST', path: '/v1/api-keys', caller: null, body: '{"name":"x"}' });
  return { ...base, requestContext: { ...base.requestContext, requestId: 'gw-req-1' }, ...overrides };
}

let logged: string[];
beforeEach(() => {
  logged = [];
  const capture = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const echo = httpHandler('echo', async (parsed: JsonEvent) => jsonResponse(200, { body: parsed.body }), {
  body: 'json',
});
const call = (handler: typeof echo, input: APIGatewayProxyEvent) =>
  handler(input, context) as Promise<APIGatewayProxyResult>;
const bodyOf = (response: APIGatewayProxyResult) => JSON.parse(response.body);

describe('toProblem', () => {
  it('maps each domain error to its status, and everything else to a generic 500', () => {
    const cases: Array<[Error, number]> = [
      [new InvalidRequestError('bad', [{ pointer: '/name', detail: 'no' }]), 400],
      [new NotPermittedError('no'), 403],
      [new NotFoundError('none'), 404],
      [new BadRequestError('not JSON'), 400],
      [new PayloadTooLargeError('big'), 413],
      [new UnsupportedMediaTypeError('xml'), 415],
    ];
    for (const [error, status] of cases) {
      const { problem, fault } = toProblem(error);
      expect(problem.status).toBe(status);
      expect(problem.detail).toBe(error.message);
      expect(problem.type).toMatch(/^https:\/\/keygate\.dev\/problems\//);
      expect(fault).toBe(false);
    }
    const { problem, fault } = toProblem(
      new Error('connect ECONNREFUSED 10.0.0.1:8000 table keygate-prod'),
      'r1',
    );
    expect(fault).toBe(true);
    expect(problem).toEqual({
      type: 'https://keygate.dev/problems/server-error',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.not.stringContaining('ECONNREFUSED'),
      requestId: 'r1',
    });
  });

  it('renders application/problem+json that is never cached', () => {
    const response = problemResponse(toProblem(new NotFoundError('none')).problem);
    expect(response.headers).toEqual({
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
    });
    expect(bodyOf(response)).toMatchObject({ status: 404, title: 'Not Found', detail: 'none' });
  });
});

describe('httpHandler', () => {
  it('parses a JSON body declared as JSON in any case, and answers JSON that is never cached', async () => {
    const declared = await call(
      echo,
      event({ headers: { 'CONTENT-TYPE': 'application/json; charset=utf-8' } }),
    );
    expect(declared.statusCode).toBe(200);
    expect(declared.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
    expect(bodyOf(declared)).toEqual({ body: { name: 'x' } });
    for (const type of [
      'application/JSON',
      'Application/Json; Charset="UTF-8"',
      'application/merge-patch+json',
    ]) {
      const response = await call(echo, event({ headers: { 'Content-Type': type } }));
      expect(response.statusCode, type).toBe(200);
      expect(bodyOf(response)).toEqual({ body: { name: 'x' } });
    }
    const base64 = event({ body: Buffer.from('{"name":"ü"}').toString('base64'), isBase64Encoded: true });
    expect(bodyOf(await call(echo, base64))).toEqual({ body: { name: 'ü' } });
  });

  it.each([
    ['malformed JSON', '{"name":'],
    ['an empty body', ''],
    ['a blank body', '  \n'],
  ])('answers 400 problem JSON for %s', async (_what, body) => {
    const response = await call(echo, event({ body }));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json');
    expect(bodyOf(response)).toMatchObject({
      status: 400,
      errors: [{ pointer: '', detail: expect.any(String) }],
    });
  });

  it('answers 400 naming each repeated member by its pointer, at any depth', async () => {
    const response = await call(
      echo,
      event({ body: '{"name":"a","scopes":["x:read"],"scopes":["*:*"],"o":{"k":1,"\\u006b":2}}' }),
    );
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/repeats a member name/),
      errors: [
        { pointer: '/scopes', detail: expect.any(String) },
        { pointer: '/o/k', detail: expect.any(String) },
      ],
    });
  });

  it('answers 415 saying what to send, for a body declared as something other than JSON', async () => {
    for (const [type, shown] of [
      ['text/plain', 'not text/plain'],
      ['application/x-www-form-urlencoded', 'not application/x-www-form-urlencoded'],
      ['application/jsonx', 'not application/jsonx'],
      ['TEXT/JSON', 'not text/json'],
      ['application/json; charset=iso-8859-1', 'not charset=iso-8859-1'],
      ['application/json;;;=', 'not a media type'],
      ['json', 'not a media type'],
    ]) {
      const response = await call(echo, event({ headers: { 'content-type': type } }));
      expect(response.statusCode, type).toBe(415);
      expect(bodyOf(response)).toMatchObject({
        status: 415,
        title: 'Unsupported Media Type',
        detail: expect.stringContaining('Content-Type: application/json'),
      });
      expect(bodyOf(response).detail).toContain(shown);
    }
  });

  it('answers 415 to a body sent without a Content-Type, and 400 to no body at all', async () => {
    const untyped = await call(echo, event({ headers: {} }));
    expect(untyped.statusCode).toBe(415);
    expect(bodyOf(untyped).detail).toContain('the request has no Content-Type');
    const empty = await call(echo, event({ headers: {}, body: null }));
    expect(empty.statusCode).toBe(400);
    expect(bodyOf(empty)).toMatchObject({ errors: [{ pointer: '', detail: 'a JSON object is required' }] });
  });

  it('refuses, for a route that takes no body, any body but {} (rather than ignoring it), and never runs the handler then', async () => {
    let ran = 0;
    const disable = httpHandler(
      'disable',
      async () => {
        ran++;
        return jsonResponse(200, { ok: true });
      },
      { body: 'none' },
    );
    const json = { 'content-type': 'application/json' };
    for (const accepted of [
      event({ headers: {}, body: null }),
      event({ headers: {}, body: '' }),
      event({ headers: json, body: '{}' }),
      event({ headers: json, body: Buffer.from(' { } ').toString('base64'), isBase64Encoded: true }),
    ]) {
      expect((await call(disable, accepted)).statusCode).toBe(200);
    }
    expect(ran).toBe(4);
    const refused: Array<[APIGatewayProxyEvent, number, unknown]> = [
      [event({ headers: json, body: '{"oops' }), 400, [{ pointer: '', detail: 'malformed JSON' }]],
      [event({ headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415, undefined],
      [event({ headers: {}, body: 'garbage' }), 415, undefined],
      [
        event({ headers: json, body: '{"enabled":false,"name":"zzz"}' }),
        400,
        [
          { pointer: '/enabled', detail: 'unknown field' },
          { pointer: '/name', detail: 'unknown field' },
        ],
      ],
      [
        event({ headers: json, body: '[]' }),
        400,
        [{ pointer: '', detail: 'must be absent or an empty JSON object' }],
      ],
    ];
    for (const [input, status, errors] of refused) {
      const answer = await call(disable, input);
      expect(answer.statusCode).toBe(status);
      if (errors !== undefined) expect(bodyOf(answer).errors).toEqual(errors);
    }
    expect(ran).toBe(4);
  });

  it('answers 413 above 16 KiB, counting bytes and decoded base64', async () => {
    const json = (bytes: number) => `{"name":"${'a'.repeat(bytes - 11)}"}`;
    expect(Buffer.byteLength(json(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    expect((await call(echo, event({ body: json(MAX_BODY_BYTES) }))).statusCode).toBe(200);
    const over = await call(echo, event({ body: json(MAX_BODY_BYTES + 1) }));
    expect(over.statusCode).toBe(413);
    expect(bodyOf(over)).toMatchObject({ status: 413 });
    // 6000 three-byte characters: 18,000 bytes in only 6,000 UTF-16 units
    expect((await call(echo, event({ body: `{"name":"${'€'.repeat(6000)}"}` }))).statusCode).toBe(413);
    const encoded = Buffer.from(json(MAX_BODY_BYTES + 1)).toString('base64');
    expect((await call(echo, event({ body: encoded, isBase64Encoded: true }))).statusCode).toBe(413);
    const fits = Buffer.from(json(MAX_BODY_BYTES)).toString('base64');
    expect((await call(echo, event({ body: fits, isBase64Encoded: true }))).statusCode).toBe(200);
  });

  it('answers a fault with a generic 500 and logs the error, not the request', async () => {
    const failing = httpHandler(
      'failing',
      async () => {
        throw new Error('DynamoDB said: ResourceNotFoundException for table secret-table');
      },
      { body: 'json' },
    );
    const response = await call(failing, event({ body: '{"name":"do-not-log-me"}' }));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret-table');
    expect(bodyOf(response)).toMatchObject({ status: 500, requestId: 'gw-req-1' });
    const output = logged.join('');
    expect(output).toContain('secret-table');
    expect(output).not.toContain('do-not-log-me');
    const line = JSON.parse(logged.find((entry) => entry.includes('request failed')) as string);
    expect(line).toMatchObject({ level: 'ERROR', handler: 'failing', status: 500 });
  });
});
