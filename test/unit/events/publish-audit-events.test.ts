import { describe, expect, it } from 'vitest';
import { makeAuditEventPublisher } from '../../../functions/publish-audit-events/publish-audit-events.js';
import { itemKeys } from '../../../shared/adapters/dynamodb/table-design.js';
import type { LifecycleEvent } from '../../../shared/domain/events/lifecycle-event.js';
import type { EventPublisher } from '../../../shared/domain/events/ports.js';
import { auditInsertRecord, insertRecord, sampleAuditEvent } from '../../support/audit-stream-records.js';
import { RecordingLog } from '../../support/recording-log.js';

/**
 * The publisher Lambda on stream batches: one event per audit INSERT, nothing for other records,
 * and every record not published (refused by the bus, unreadable, or the bus down) reported in
 * `batchItemFailures` by its sequence number, for Lambda to retry.
 */

class FakeBus implements EventPublisher {
  readonly published: LifecycleEvent[] = [];
  refuse = (_event: LifecycleEvent) => false;
  down = false;
  async publish(events: readonly LifecycleEvent[]) {
    if (this.down) throw new Error('EventBridge unreachable');
    const failed: number[] = [];
    events.forEach((event, index) => {
      if (this.refuse(event)) failed.push(index);
      else this.published.push(event);
    });
    return { failed };
  }
}

const audit = (n: number) =>
  sampleAuditEvent({
    id: `event-${n}`,
    at: `2026-12-02T10:00:0${n}.000Z`,
    target: { keyId: `key-${n}`, name: 'k' },
  });

describe('publish-audit-events handler', () => {
  it('publishes one event per audit INSERT and skips every other record', async () => {
    const bus = new FakeBus();
    const handler = makeAuditEventPublisher({ events: bus, logger: new RecordingLog() });
    const response = await handler({
      Records: [
        auditInsertRecord(audit(1), '101'),
        insertRecord({ ...itemKeys.companyKey('acme', 'key-1'), name: 'x', scopes: ['pbx:*'] }, '102'),
        auditInsertRecord(audit(2), '103', { targetScopes: ['pbx:*'] }),
      ],
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(bus.published.map((event) => event.detail.id)).toEqual(['event-1', 'event-2']);
    expect(JSON.stringify(bus.published)).not.toContain('pbx:*');
  });

  it('reports the records the bus refused, and an unreadable audit record, by sequence number', async () => {
    const bus = new FakeBus();
    bus.refuse = (event) => event.detail.id === 'event-3';
    const logger = new RecordingLog();
    const handler = makeAuditEventPublisher({ events: bus, logger });
    const broken = insertRecord(
      { ...itemKeys.auditEvent('acme', '2026-12-02T10:00:00.000Z', 'x'), action: 'api-key.created' },
      '202',
    );
    const response = await handler({
      Records: [auditInsertRecord(audit(1), '201'), broken, auditInsertRecord(audit(3), '203')],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '202' }, { itemIdentifier: '203' }]);
    expect(bus.published.map((event) => event.detail.id)).toEqual(['event-1']);
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('reports every audit record failed when the bus cannot be reached', async () => {
    const bus = new FakeBus();
    bus.down = true;
    const handler = makeAuditEventPublisher({ events: bus, logger: new RecordingLog() });
    const response = await handler({
      Records: [auditInsertRecord(audit(1), '301'), auditInsertRecord(audit(2), '302')],
    });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '301' }, { itemIdentifier: '302' }]);
  });
});
