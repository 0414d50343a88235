import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeListCursor, encodeListCursor } from '../../../shared/adapters/dynamodb/list-cursor.js';
import { newKeyId } from '../../../shared/domain/keys/key-id.js';
import { InvalidCursorError } from '../../../shared/domain/ports.js';

const companyId = fc.string({ minLength: 1, maxLength: 40 });
const keyId = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map(newKeyId);

describe('list cursors', () => {
  it('round-trip for the company they were made for', () => {
    fc.assert(
      fc.property(companyId, keyId, (company, id) => {
        expect(decodeListCursor(company, encodeListCursor(company, id))).toBe(id);
      }),
    );
  });

  it("reject another company's cursor", () => {
    fc.assert(
      fc.property(companyId, companyId, keyId, (company, other, id) => {
        fc.pre(company !== other);
        expect(() => decodeListCursor(other, encodeListCursor(company, id))).toThrow(InvalidCursorError);
      }),
    );
  });

  it('reject any single-character edit, truncation or extension', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(companyId, keyId, fc.nat(), fc.nat(), (company, id, position, replacement) => {
        const cursor = encodeListCursor(company, id);
        const at = position % cursor.length;
        const char = alphabet[replacement % alphabet.length] as string;
        fc.pre(char !== cursor[at]);
        const edited = cursor.slice(0, at) + char + cursor.slice(at + 1);
        expect(() => decodeListCursor(company, edited)).toThrow(InvalidCursorError);
        expect(() => decodeListCursor(company, cursor.slice(0, at))).toThrow(InvalidCursorError);
        expect(() => decodeListCursor(company, `${cursor}${char}`)).toThrow(InvalidCursorError);
      }),
    );
  });

  it('reject arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(() => decodeListCursor('acme', text)).toThrow(InvalidCursorError);
      }),
    );
  });
});
