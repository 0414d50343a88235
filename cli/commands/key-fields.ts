import type { components } from '../generated/openapi.js';
import { printFields } from '../output.js';

type KeyView = components['schemas']['KeyView'];

/** Said on stderr whenever a secret was just printed. */
export const SECRET_WARNING =
  'This is the only time the secret is shown: store it now (a secrets manager, not a file in a repo). keygate keeps only its digest.';

/** A key's state in one word: what a person checks first. */
export function keyStatus(key: KeyView): string {
  if (!key.enabled) return 'disabled';
  if (key.expired) return 'expired';
  return key.rotatedTo ? 'rotated' : 'active';
}

/** One key as label/value lines, for people. */
export function printKey(key: KeyView, to: NodeJS.WritableStream = process.stdout): void {
  printFields(
    [
      ['id', key.id],
      ['name', key.name],
      ['status', keyStatus(key)],
      ['prefix', key.keyPrefix],
      ['scopes', key.scopes.join(', ')],
      ['allowed IPs', key.allowedIps.length > 0 ? key.allowedIps.join(', ') : 'any'],
      ['created', `${key.createdAt} by ${key.createdBy}`],
      ['expires', key.expired ? `${key.expiresAt} (expired)` : key.expiresAt],
      ['last used', key.lastUsedAt ?? 'never'],
      ...(key.rotatedFrom ? [['rotated from', key.rotatedFrom] as const] : []),
      ...(key.rotatedTo ? [['rotated to', key.rotatedTo] as const] : []),
    ],
    to,
  );
}
