import { type IncomingHttpHeaders, type OutgoingHttpHeaders, request } from 'node:http';

/** An answer as `node:http` read it: status, headers, body as text. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One request written with `node:http`, for what fetch will not send: a path exactly as given
 * (`path`; fetch resolves dot segments first), hop-by-hop headers such as `Connection`, a string body
 * without a Content-Type.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<RawAnswer> {
  const { body, ...sent } = options;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, sent, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
