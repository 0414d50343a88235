import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a PutEvents call, as it arrived on the wire. */
export interface WireEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
  Time?: number;
}

/**
 * A tiny EventBridge that speaks PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) on a
 * free port, so the real SDK client can be pointed at it and the entries counted as they arrive.
 * `refuse` picks entries to answer with an ErrorCode (as EventBridge does with FailedEntryCount).
 */
export async function startPutEventsServer(): Promise<{
  url: string;
  /** Every PutEvents call's entries, in arrival order. */
  calls: WireEntry[][];
  entries: () => WireEntry[];
  refuse: (entry: WireEntry) => boolean;
  setRefuse(refuse: (entry: WireEntry) => boolean): void;
  close(): Promise<void>;
}> {
  const calls: WireEntry[][] = [];
  let refuse = (_entry: WireEntry) => false;
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'UnknownOperationException' }));
      return;
    }
    const { Entries } = JSON.parse(body) as { Entries: WireEntry[] };
    calls.push(Entries);
    const results = Entries.map((entry, index) =>
      refuse(entry)
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'refused by the test' }
        : { EventId: `event-${calls.length}-${index}` },
    );
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(
      JSON.stringify({
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
        Entries: results,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    entries: () => calls.flat(),
    get refuse() {
      return refuse;
    },
    setRefuse(next) {
      refuse = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
