import { createServer } from 'node:http';
import { LOCAL_TABLE_NAME } from '../../local/local-environment.js';
import { createDocumentClient } from '../../shared/adapters/dynamodb/dynamo-client.js';
import { DynamoKeyLookup } from '../../shared/adapters/dynamodb/dynamo-key-lookup.js';
import { digestApiKey } from '../../shared/domain/keys/key-format.js';

/**
 * The floor of any gateway built on Node's HTTP server, for the overhead scenario: per request, the
 * authorizer's very GetItem (`DynamoKeyLookup.findByDigest` by the key's digest, keygate's client
 * settings) and a JSON answer of echo's size. No authorizer logic, routing, Lambda events or logs.
 * The bench runs it in a process of its own, as `npm start` runs the gateway:
 * `DYNAMODB_ENDPOINT=http://… PORT=… tsx test/bench/floor-gateway.ts`.
 */

const lookup = new DynamoKeyLookup(
  createDocumentClient({ endpoint: process.env.DYNAMODB_ENDPOINT as string }),
  LOCAL_TABLE_NAME,
);

createServer(async (request, response) => {
  const key = request.headers.authorization?.slice('Bearer '.length) ?? '';
  const found = await lookup.findByDigest(digestApiKey(key));
  const body = JSON.stringify({
    route: `${request.method} ${request.url}`,
    companyId: found?.companyId,
    keyId: found?.keyId,
    scopes: found?.scopes,
  });
  response.writeHead(found ? 200 : 401, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('floor gateway ready'));
