import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../../domain/ports.js';

/**
 * List cursors: opaque to clients, bound to one company and tamper-evident. A cursor carries the last
 * key id of a page and a truncated SHA-256 of (company, key id). A cursor edited by hand, cut short,
 * or made for another company fails the check and is rejected. Even a forged one could only ever
 * start a Query inside the caller's own company partition, so the check is about clear 400s, not secrecy.
 */

const CURSOR_VERSION = 'c1';
const CHECK_BYTES = 12;
const MAX_CURSOR_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Key ids are UUIDv7 (`key-id.ts`); any id of this shape round-trips, so test stores may use simpler ids.
const KEY_ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

function check(companyId: string, keyId: string): Buffer {
  return createHash('sha256')
    .update(`keygate-list-cursor\u0000${CURSOR_VERSION}\u0000${companyId}\u0000${keyId}`)
    .digest()
    .subarray(0, CHECK_BYTES);
}

/** The cursor that continues a company's list after `lastKeyId`. */
export function encodeListCursor(companyId: string, lastKeyId: string): string {
  const payload = `${CURSOR_VERSION}.${lastKeyId}.${check(companyId, lastKeyId).toString('base64url')}`;
  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** The key id a cursor continues after; throws `InvalidCursorError` unless `list` made it for this company. */
export function decodeListCursor(companyId: string, cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError();
  }
  const bytes = Buffer.from(cursor, 'base64url');
  // Base64 decoding ignores a final character's spare bits; re-encoding catches edits there too.
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError();
  const [version, keyId, checkText, ...rest] = bytes.toString('utf8').split('.');
  if (version !== CURSOR_VERSION || keyId === undefined || checkText === undefined || rest.length > 0) {
    throw new InvalidCursorError();
  }
  if (!KEY_ID_SHAPE.test(keyId)) throw new InvalidCursorError();
  const given = Buffer.from(checkText, 'utf8');
  const expected = Buffer.from(check(companyId, keyId).toString('base64url'), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
  return keyId;
}
