import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { FILTERED_LIST_READ_BUDGET } from '../../domain/ports.js';

/**
 * One page of a newest-first list read from one partition (the key list, the audit log): a
 * consistent reverse Query, filtered in code within a read budget. Its own file, so the key store
 * and the audit reader page the same way and the functions that only write bundle neither.
 */

/** What to read and how to judge it; `P` is the position a cursor continues after. */
export interface FilteredPageQuery<T, P> {
  tableName: string;
  /** The Query's `KeyConditionExpression` and its values: one partition, one sort-key prefix. */
  keyCondition: Required<Pick<QueryCommandInput, 'KeyConditionExpression' | 'ExpressionAttributeValues'>>;
  /** The page size (at least 1). */
  limit: number;
  /** The table key of the item the page starts after (a decoded cursor); absent, the newest item. */
  startAfter?: Record<string, unknown>;
  /** Parses and checks one raw item (throws on a corrupt one). */
  decode: (raw: Record<string, unknown>) => T;
  /** Where an item stands, for the cursor after it. */
  positionOf: (item: T) => P;
  /** Which items the page shows; absent, every item, and the read has no budget. */
  admits?: (item: T) => boolean;
}

/** The items shown and, when more may follow, the position the next page starts after. */
export interface FilteredPage<T, P> {
  items: T[];
  continueAfter?: P;
}

/**
 * Reads one page. One admitted item more than the page tells whether another page exists, so the
 * last page has no cursor. With `admits`, the reads grow by doubling and stop at
 * {@link FILTERED_LIST_READ_BUDGET} items, answering with what they found and a position after the
 * last item read.
 */
export async function readFilteredPage<T, P>(
  doc: DynamoDBDocumentClient,
  query: FilteredPageQuery<T, P>,
): Promise<FilteredPage<T, P>> {
  const { limit, admits } = query;
  const filtered = admits !== undefined;
  const wanted = limit + 1;
  const budget = filtered ? Math.max(wanted, FILTERED_LIST_READ_BUDGET) : Number.POSITIVE_INFINITY;
  const items: T[] = [];
  let read = 0;
  let lastRead: P | undefined;
  let startKey = query.startAfter;
  do {
    // Unfiltered: exactly the items still needed, so the page costs what it always did. Filtered:
    // at least as many as read so far too, so sparse matches take a few doubling reads rather than
    // many small ones.
    const ask = Math.min(budget - read, Math.max(wanted - items.length, filtered ? read : 0));
    const page = await doc.send(
      new QueryCommand({
        TableName: query.tableName,
        ...query.keyCondition,
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: ask,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      if (items.length === wanted) break;
      const item = query.decode(raw);
      read++;
      lastRead = query.positionOf(item);
      // A hidden item goes no further than this predicate.
      if (admits === undefined || admits(item)) items.push(item);
    }
    startKey = page.LastEvaluatedKey;
  } while (items.length < wanted && startKey !== undefined && read < budget);

  const pageItems = items.slice(0, limit);
  const lastShown = pageItems.at(-1);
  // More to come: after the last item shown when a further admitted one was found (it opens the
  // next page); otherwise after the last item read, since everything read past the page was hidden.
  let continueAfter: P | undefined;
  if (items.length > limit && lastShown !== undefined) continueAfter = query.positionOf(lastShown);
  else if (startKey !== undefined && read >= budget) continueAfter = lastRead;
  return { items: pageItems, ...(continueAfter !== undefined ? { continueAfter } : {}) };
}
