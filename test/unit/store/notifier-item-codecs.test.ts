import { describe, expect, it } from 'vitest';
import {
  CorruptItemError,
  deliveryConflictSchema,
  dueKeyItemSchema,
  parseItem,
} from '../../../shared/adapters/dynamodb/item-codecs.js';
import { TABLE_KEYS } from '../../../shared/adapters/dynamodb/table-design.js';

describe("the notifier's item codecs", () => {
  it('decode exactly what the expiry index projects', () => {
    expect(Object.keys(dueKeyItemSchema.def.shape).sort()).toEqual(
      [...TABLE_KEYS.expiryIndex.projectedAttributes].sort(),
    );
  });

  it('refuse an index item of another shape as a fault, never as a key with blanks', () => {
    const item = {
      companyId: 'acme',
      keyId: 'k1',
      name: 'Billing',
      keyPrefix: 'wsk-v1-abc',
      scopes: ['pbx:read'],
      expiresAt: '2026-12-01T00:00:00.000Z',
    };
    expect(parseItem(dueKeyItemSchema, { ...item, gsi1pk: 'EXPIRES#2026-12-01' }, 'expiry index')).toEqual(
      item,
    );
    expect(() => parseItem(dueKeyItemSchema, { ...item, name: undefined }, 'expiry index')).toThrow(
      CorruptItemError,
    );
    expect(() => parseItem(dueKeyItemSchema, { ...item, scopes: 'pbx:read' }, 'expiry index')).toThrow(
      /expiry index item has an unexpected shape/,
    );
  });

  it("read a failed claim's returned item in DynamoDB's attribute-value form", () => {
    expect(
      parseItem(
        deliveryConflictSchema,
        { status: { S: 'sending' }, claimToken: { S: 't-1' }, leaseUntil: { S: 'x' } },
        'digest delivery',
      ),
    ).toEqual({ status: { S: 'sending' }, claimToken: { S: 't-1' } });
    expect(() => parseItem(deliveryConflictSchema, undefined, 'digest delivery')).toThrow(CorruptItemError);
    expect(() => parseItem(deliveryConflictSchema, { status: { S: 'lost' } }, 'digest delivery')).toThrow(
      CorruptItemError,
    );
  });
});
