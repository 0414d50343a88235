import { decodeAuditCursor, encodeAuditCursor } from '../../shared/adapters/dynamodb/list-cursor.js';
import type { AuditEvent } from '../../shared/domain/audit/audit-event.js';
import { auditFilterKey, matchesAuditFilter } from '../../shared/domain/audit/audit-filter.js';
import type {
  AuditEventFilter,
  AuditEventVisibility,
  AuditLogReader,
  AuditPage,
  AuditRecorder,
} from '../../shared/domain/ports.js';

/** `at#id`, the order of the table's `AUDIT#<at>#<id>` sort keys. */
const order = (event: Pick<AuditEvent, 'at' | 'id'>) => `${event.at}#${event.id}`;

/**
 * An audit log (reader and recorder) in memory for unit tests, over a list of events (an `InMemoryKeyStore`'s
 * `auditEvents`, say): newest first, filtered and paged with the same company- and filter-bound
 * cursors as `DynamoAuditReader` (without its read budget, which the integration tests pin down).
 */
export class InMemoryAuditLog implements AuditLogReader, AuditRecorder {
  constructor(readonly events: AuditEvent[] = []) {}

  async record(event: AuditEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }

  async list(
    companyId: string,
    options: { limit: number; cursor?: string; filter: AuditEventFilter; visible?: AuditEventVisibility },
  ): Promise<AuditPage> {
    const filterKey = auditFilterKey(options.filter);
    const after =
      options.cursor === undefined
        ? undefined
        : order(decodeAuditCursor(companyId, filterKey, options.cursor));
    const admitted = this.events
      .filter((event) => event.companyId === companyId && (after === undefined || order(event) < after))
      .filter((event) => matchesAuditFilter(event, options.filter))
      .filter((event) => options.visible === undefined || options.visible(event))
      .sort((a, b) => (order(a) < order(b) ? 1 : -1));
    const items = admitted.slice(0, options.limit).map((event) => structuredClone(event));
    const last = items.at(-1);
    return {
      items,
      ...(admitted.length > options.limit && last !== undefined
        ? { nextCursor: encodeAuditCursor(companyId, filterKey, last) }
        : {}),
    };
  }
}
