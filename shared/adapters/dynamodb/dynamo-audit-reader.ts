import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { AUDIT_ACTIONS, type AuditEvent } from '../../domain/audit/audit-event.js';
import { auditFilterKey, filtersAnything, matchesAuditFilter } from '../../domain/audit/audit-filter.js';
import type {
  AuditEventFilter,
  AuditEventVisibility,
  AuditLogReader,
  AuditPage,
} from '../../domain/ports.js';
import { readFilteredPage } from './filtered-page-reader.js';
import { CorruptItemError, parseItem } from './item-codecs.js';
import { type AuditPosition, decodeAuditCursor, encodeAuditCursor } from './list-cursor.js';
import { itemKeys } from './table-design.js';

/**
 * The audit log's read side (layout: `table-design.ts`): a reverse Query of the company partition's
 * `AUDIT#` items, filtered in code within a read budget. Its own file, so the functions that only
 * write events bundle neither this nor its item schema.
 */

const nullableText = () => z.nullable(z.string());

/**
 * An audit event item (`dynamo-audit-log.ts` writes it). `targetScopes` is absent on items written
 * before it existed: such events have no known target scopes, so no calling key sees them.
 */
export const auditItemSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: z.union([
    z.object({ type: z.literal('root-admin'), subject: z.string(), email: nullableText() }),
    z.object({ type: z.literal('key'), keyId: z.string(), name: z.string() }),
  ]),
  target: z.nullable(z.object({ keyId: z.string(), name: z.string() })),
  targetScopes: z.optional(z.nullable(z.array(z.string()))),
  requestId: nullableText(),
  sourceIp: nullableText(),
  userAgent: nullableText(),
  changes: z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
  ),
});

/** An item as the log returns it: the stored event, with `targetScopes` null where it was never stored. */
function toEvent(raw: Record<string, unknown>, companyId: string): AuditEvent {
  const item = parseItem(auditItemSchema, raw, 'audit event');
  // The partition key already scopes the Query to the company; this guards against a mis-written item.
  if (item.companyId !== companyId) throw new CorruptItemError('audit event', raw);
  return { ...item, targetScopes: item.targetScopes ?? null };
}

export class DynamoAuditReader implements AuditLogReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Reverse Query of the company's `AUDIT#` items, paged as the key list (`readFilteredPage`): with a
   * filter or a visibility rule the reads grow by doubling and stop at the read budget, answering
   * with what they found and a cursor after the last item read.
   */
  async list(
    companyId: string,
    options: { limit: number; cursor?: string; filter: AuditEventFilter; visible?: AuditEventVisibility },
  ): Promise<AuditPage> {
    const { filter, visible } = options;
    const filterKey = auditFilterKey(filter);
    const after =
      options.cursor === undefined ? undefined : decodeAuditCursor(companyId, filterKey, options.cursor);
    const filtered = visible !== undefined || filtersAnything(filter);
    const admits = (event: AuditEvent) =>
      matchesAuditFilter(event, filter) && (visible === undefined || visible(event));
    const page = await readFilteredPage(this.doc, {
      tableName: this.tableName,
      keyCondition: {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :auditPrefix)',
        ExpressionAttributeValues: {
          ':pk': itemKeys.companyPartition(companyId),
          ':auditPrefix': itemKeys.auditEventPrefix,
        },
      },
      limit: options.limit,
      ...(after === undefined ? {} : { startAfter: itemKeys.auditEvent(companyId, after.at, after.id) }),
      decode: (raw) => toEvent(raw, companyId),
      positionOf: (event): AuditPosition => ({ at: event.at, id: event.id }),
      ...(filtered ? { admits } : {}),
    });
    return {
      items: page.items,
      ...(page.continueAfter !== undefined
        ? { nextCursor: encodeAuditCursor(companyId, filterKey, page.continueAfter) }
        : {}),
    };
  }
}
