/**
 * The fields of a key as the management API shows it (sorted), written out by hand: a test compares
 * `Object.keys(body).sort()` with this, so a field added or leaked (a digest, a TTL) fails it.
 * Creating a key adds `key`, the secret shown that once.
 */
export const KEY_VIEW_FIELDS = [
  'allowedIps',
  'createdAt',
  'createdBy',
  'enabled',
  'expired',
  'expiresAt',
  'id',
  'keyPrefix',
  'lastUsedAt',
  'name',
  'rotatedFrom',
  'rotatedTo',
  'scopes',
];
