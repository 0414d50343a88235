import type { components } from '../generated/openapi.js';
import { printFields } from '../output.js';

type KeyView = components['schemas']['KeyView'];

/** One key as label/value lines, for people. */
export function printKey(key: KeyView, to: NodeJS.WritableStream = process.stdout): void {
  printFields(
    [
      ['id', key.id],
      ['name', key.name],
      ['prefix', key.keyPrefix],
      ['scopes', key.scopes.join(', ')],
      ['allowed IPs', key.allowedIps.length > 0 ? key.allowedIps.join(', ') : 'any'],
      ['created', `${key.createdAt} by ${key.createdBy}`],
      ['expires', key.expired ? `${key.expiresAt} (expired)` : key.expiresAt],
      ['last used', key.lastUsedAt ?? 'never'],
    ],
    to,
  );
}
