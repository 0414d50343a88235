import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../../domain/ports.js';

/**
 * List cursors: opaque to clients, bound to what they continue and tamper-evident. A cursor carries
 * the position after which a page ends (the key list: the last key id) and a truncated SHA-256 of
 * that position and what the cursor is bound to (the company; for the audit log also its filter). A
 * cursor edited by hand, cut short, made for another company or another list fails the check and is
 * rejected. Even a forged one could only ever start a Query inside the caller's own company
 * partition, so the check is about clear 400s, not secrecy.
 */

/** Which list a cursor belongs to: its version tag and the domain of its check, per list. */
interface CursorKind {
  version: string;
  domain: string;
}

const KEY_LIST: CursorKind = { version: 'c1', domain: 'keygate-list-cursor' };
const AUDIT_LIST: CursorKind = { version: 'a1', domain: 'keygate-audit-cursor' };

const CHECK_BYTES = 12;
const MAX_CURSOR_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Key ids are UUIDv7 (`key-id.ts`); any id of this shape round-trips, so test stores may use simpler ids.
// Audit positions (`<epoch ms>_<event id>`) have this shape too.
const POSITION_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

function check(kind: CursorKind, binding: readonly string[], position: string): Buffer {
  return createHash('sha256')
    .update([kind.domain, kind.version, ...binding, position].join('\u0000'))
    .digest()
    .subarray(0, CHECK_BYTES);
}

function encode(kind: CursorKind, binding: readonly string[], position: string): string {
  const payload = `${kind.version}.${position}.${check(kind, binding, position).toString('base64url')}`;
  return Buffer.from(payload, 'utf8').toString('base64url');
}

function decode(kind: CursorKind, binding: readonly string[], cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError();
  }
  const bytes = Buffer.from(cursor, 'base64url');
  // Base64 decoding ignores a final character's spare bits; re-encoding catches edits there too.
  if (bytes.toString('base64url') !== cursor) throw new InvalidCursorError();
  const [version, position, checkText, ...rest] = bytes.toString('utf8').split('.');
  if (version !== kind.version || position === undefined || checkText === undefined || rest.length > 0) {
    throw new InvalidCursorError();
  }
  if (!POSITION_SHAPE.test(position)) throw new InvalidCursorError();
  const given = Buffer.from(checkText, 'utf8');
  const expected = Buffer.from(check(kind, binding, position).toString('base64url'), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
  return position;
}

/** The cursor that continues a company's key list after `lastKeyId`. */
export function encodeListCursor(companyId: string, lastKeyId: string): string {
  return encode(KEY_LIST, [companyId], lastKeyId);
}

/** The key id a cursor continues after; throws `InvalidCursorError` unless `list` made it for this company. */
export function decodeListCursor(companyId: string, cursor: string): string {
  return decode(KEY_LIST, [companyId], cursor);
}

/** Where an audit page ends: the sort key's instant and event id of its last event. */
export interface AuditPosition {
  at: string;
  id: string;
}

const AUDIT_POSITION = /^([0-9]{1,15})_([0-9a-f-]{36})$/;

/**
 * The cursor that continues a company's audit log after `last`, for one filter (`filterKey`: the
 * filter as text). The instant travels as epoch milliseconds: events' `at` are `toISOString()`.
 */
export function encodeAuditCursor(companyId: string, filterKey: string, last: AuditPosition): string {
  return encode(AUDIT_LIST, [companyId, filterKey], `${Date.parse(last.at)}_${last.id}`);
}

/** The position an audit cursor continues after; `InvalidCursorError` unless made for this company and filter. */
export function decodeAuditCursor(companyId: string, filterKey: string, cursor: string): AuditPosition {
  const position = decode(AUDIT_LIST, [companyId, filterKey], cursor);
  const match = AUDIT_POSITION.exec(position);
  if (match === null) throw new InvalidCursorError();
  const at = new Date(Number(match[1]));
  if (Number.isNaN(at.getTime())) throw new InvalidCursorError();
  return { at: at.toISOString(), id: match[2] as string };
}
