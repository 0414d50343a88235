import { randomBytes } from 'node:crypto';

/**
 * Key ids are UUIDv7 (RFC 9562): a 48-bit millisecond timestamp first, so the company partition's
 * sort key order is creation order and listing newest first is a reverse Query, no index needed.
 * Within one process ids are strictly increasing (RFC 9562 §6.2 method 1: a 12-bit counter in
 * `rand_a`), so keys created in the same millisecond still list in creation order.
 */

const KEY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_COUNTER = 0xfff;

let lastMillis = -1;
let counter = 0;

/** A new time-ordered key id for a key created at `now`. */
export function newKeyId(now: Date): string {
  let millis = now.getTime();
  if (millis <= lastMillis) {
    // Same millisecond (or a clock that went back): keep the order by counting on from the last id.
    millis = lastMillis;
    counter += 1;
    if (counter > MAX_COUNTER) {
      millis += 1;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMillis = millis;

  const bytes = randomBytes(16);
  bytes.writeUIntBE(millis, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether `value` has the shape of a key id (lowercase UUIDv7). Anything else cannot name a key. */
export function isKeyId(value: string): boolean {
  return KEY_ID_PATTERN.test(value);
}
