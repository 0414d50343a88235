import type { ApiKey } from '../api/types.js';

/**
 * What an action changed, and what to announce: one key, a key gone, or more (read the list again;
 * `focusKeyId` names the key whose row takes the focus then, e.g. a rotation's successor).
 */
export type KeyChange =
  | { updated: ApiKey; message: string }
  | { deleted: string; message: string }
  | { reload: true; message: string; focusKeyId?: string };
