import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Counts what a DynamoDB client really sends, read off the wire: the `X-Amz-Target` operation and the
 * JSON body of each request, and the items each answer says were read. A middleware on the client's
 * stack (the document client shares its client's stack), so the code under measurement is unchanged.
 */

/** One request to DynamoDB. */
export interface DynamoCall {
  /** `GetItem`, `UpdateItem`, `Query`, `BatchGetItem`, … */
  operation: string;
  consistentRead: boolean;
  /** DynamoDB answered with an error (a refused condition, a throttle): still a request sent and paid for. */
  failed: boolean;
  /**
   * Items the request read (what read units are paid for): 1 per GetItem, the keys asked of a
   * BatchGetItem, `ScannedCount` of a Query or Scan. 0 for writes.
   */
  itemsRead: number;
  /**
   * The IAM actions the request is authorized as: its operation, except that each item of a
   * TransactWriteItems is its own PutItem, UpdateItem, DeleteItem or ConditionCheckItem (and of a
   * TransactGetItems its GetItem), as IAM evaluates them; no action of its own for the transaction.
   */
  actions: string[];
  /** The index a Query or Scan read (`expiry-index`), if any. */
  indexName?: string;
  /** The partition-key values the request touches (what `dynamodb:LeadingKeys` is evaluated on). */
  partitionKeys: string[];
  /**
   * The top-level attributes each of its UpdateItems names (its key, what its update expression sets,
   * removes or adds, what its condition tests): what `dynamodb:Attributes` is evaluated on. Empty for
   * other requests.
   */
  updatedAttributes: string[];
}

export interface DynamoCallCounter {
  readonly calls: readonly DynamoCall[];
  /** Calls since the last reset, grouped as `GetItem (consistent)`, `UpdateItem`, `UpdateItem (failed)`, … */
  byKind(): Record<string, number>;
  itemsRead(): number;
  reset(): void;
  /** Stops counting (removes the middleware). */
  detach(): void;
}

const MIDDLEWARE_NAME = 'keygateBenchCallCounter';
let counters = 0;

/** Adds a counting middleware to `client`'s stack. */
export function countDynamoCalls(client: DynamoDBClient | DynamoDBDocumentClient): DynamoCallCounter {
  const calls: DynamoCall[] = [];
  const name = `${MIDDLEWARE_NAME}${++counters}`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = (args as { request?: { headers?: Record<string, string>; body?: unknown } }).request;
      const target = request?.headers?.['x-amz-target'] ?? '';
      const operation = target.slice(target.indexOf('.') + 1) || 'unknown';
      const body = safeJson(bodyText(request?.body));
      const consistent = consistentRead(operation, body);
      const authorized = {
        actions: actionsOf(operation, body),
        ...(typeof body.IndexName === 'string' ? { indexName: body.IndexName } : {}),
        partitionKeys: partitionKeysOf(operation, body),
        updatedAttributes: updatedAttributesOf(operation, body),
      };
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        calls.push({ operation, consistentRead: consistent, failed: true, itemsRead: 0, ...authorized });
        throw error;
      }
      const output = (result.output ?? {}) as unknown as Record<string, unknown>;
      calls.push({
        operation,
        consistentRead: consistent,
        failed: false,
        itemsRead: itemsRead(operation, body, output),
        ...authorized,
      });
      return result;
    },
    // `build`: after serialisation (the wire request exists), before retries (one count per send).
    { step: 'build', name },
  );
  return {
    calls,
    byKind() {
      const kinds: Record<string, number> = {};
      for (const call of calls) {
        const kind =
          call.operation + (call.consistentRead ? ' (consistent)' : '') + (call.failed ? ' (failed)' : '');
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
      return kinds;
    },
    itemsRead: () => calls.reduce((sum, call) => sum + call.itemsRead, 0),
    reset() {
      calls.length = 0;
    },
    detach() {
      client.middlewareStack.remove(name);
    },
  };
}

type Json = Record<string, unknown>;

const decoder = new TextDecoder();

/** The request body as text: the SDK serialises JSON protocols to bytes (a `Uint8Array`). */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  return '';
}

function safeJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return {};
  }
}

function consistentRead(operation: string, body: Json): boolean {
  if (operation === 'BatchGetItem') {
    const tables = Object.values((body.RequestItems ?? {}) as Record<string, Json>);
    return tables.length > 0 && tables.every((table) => table.ConsistentRead === true);
  }
  return body.ConsistentRead === true;
}

function itemsRead(operation: string, body: Json, output: Json): number {
  switch (operation) {
    case 'GetItem':
      return 1;
    case 'BatchGetItem':
      return Object.values((body.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).reduce(
        (sum, table) => sum + (table.Keys?.length ?? 0),
        0,
      );
    case 'Query':
    case 'Scan':
      return typeof output.ScannedCount === 'number' ? output.ScannedCount : 0;
    default:
      return 0;
  }
}

/** A transaction item's kind → the IAM action it is authorized as. */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The transaction's items, each `{Put: {...}}`, `{Update: {...}}`, …, as `[kind, item]`. */
function transactItems(body: Json): [string, Json][] {
  const items = (body.TransactItems ?? []) as Json[];
  return items.flatMap((item) => Object.entries(item) as [string, Json][]);
}

function actionsOf(operation: string, body: Json): string[] {
  if (operation !== 'TransactWriteItems' && operation !== 'TransactGetItems') return [operation];
  return transactItems(body).map(
    ([kind]) => TRANSACT_ITEM_ACTIONS[kind] ?? `unknown transaction item ${kind}`,
  );
}

/** The table's partition key (`pk`), a string attribute on the wire (`{"S": "…"}`). */
const partitionKeyOf = (key: unknown): string[] => {
  const value = (key as { pk?: { S?: unknown } } | undefined)?.pk?.S;
  return typeof value === 'string' ? [value] : [];
};

function partitionKeysOf(operation: string, body: Json): string[] {
  switch (operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return partitionKeyOf(body.Key);
    case 'PutItem':
      return partitionKeyOf(body.Item);
    case 'BatchGetItem':
      return Object.values((body.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).flatMap(
        (table) => (table.Keys ?? []).flatMap(partitionKeyOf),
      );
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return transactItems(body).flatMap(([, item]) => partitionKeyOf(item.Key ?? item.Item));
    case 'Query':
      return queryPartitionKeys(body);
    default:
      return [];
  }
}

/** The value a Query's key condition binds the partition key to (`pk = :pk`, or `#n = :v` naming pk). */
function queryPartitionKeys(body: Json): string[] {
  const condition = typeof body.KeyConditionExpression === 'string' ? body.KeyConditionExpression : '';
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, { S?: unknown }>;
  for (const [, name, placeholder] of condition.matchAll(/(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
    const attribute = name?.startsWith('#') ? names[name] : name;
    const value = values[placeholder as string]?.S;
    if (attribute === 'pk' && typeof value === 'string') return [value];
  }
  return [];
}

/** The items of a request IAM authorizes as UpdateItem: the request itself, or a transaction's Updates. */
function updates(operation: string, body: Json): Json[] {
  if (operation === 'UpdateItem') return [body];
  if (operation !== 'TransactWriteItems') return [];
  return transactItems(body)
    .filter(([kind]) => kind === 'Update')
    .map(([, item]) => item);
}

/** Words of the expression grammar, not attribute names. */
const EXPRESSION_WORDS = new Set([
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
]);

/** The top-level attribute names of an expression: `#n` resolved, `:v` values and grammar words left out. */
function expressionAttributes(expression: unknown, names: Record<string, string>): string[] {
  if (typeof expression !== 'string') return [];
  // A path's first element is the top-level attribute (`a.b[0]` → `a`): drop what follows a `.` or `[`.
  const tokens = expression.replace(/[.[][^\s,()=<>]*/g, ' ').match(/[#:]?[A-Za-z0-9_]+/g) ?? [];
  return tokens.flatMap((token) => {
    if (token.startsWith(':') || EXPRESSION_WORDS.has(token) || /^[0-9]/.test(token)) return [];
    if (token.startsWith('#')) return names[token] === undefined ? [token] : [names[token]];
    return [token];
  });
}

function updatedAttributesOf(operation: string, body: Json): string[] {
  return updates(operation, body).flatMap((update) => {
    const names = (update.ExpressionAttributeNames ?? {}) as Record<string, string>;
    return [
      ...Object.keys((update.Key ?? {}) as Json),
      ...expressionAttributes(update.UpdateExpression, names),
      ...expressionAttributes(update.ConditionExpression, names),
    ];
  });
}
