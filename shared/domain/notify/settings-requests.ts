import type { core } from 'zod/mini';
import { buildAuditEvent } from '../audit/audit-event.js';
import type { Caller } from '../auth/caller.js';
import type { RouteCatalog } from '../catalog/route-catalog.js';
import type { Clock } from '../clock.js';
import { type FieldProblem, InvalidRequestError, pointerSegment } from '../errors.js';
import { assertMayCall } from '../management/permissions.js';
import {
  type NotificationSettings,
  type NotificationSettingsStore,
  notificationSettingsSchema,
} from './notification-settings.js';

/**
 * The use cases behind `GET` / `PUT /v1/settings/notifications`: root admins only (the authorizer
 * already denies keys here; this checks again), always within the caller's own company.
 */

/** The company's recipients; `{emails: []}` when never set. A key caller gets 403. */
export async function readNotificationSettings(
  deps: { store: NotificationSettingsStore; catalog: RouteCatalog },
  caller: Caller,
): Promise<NotificationSettings> {
  assertMayCall(deps.catalog, caller, 'get-notification-settings');
  return (await deps.store.getNotificationSettings(caller.companyId)) ?? { emails: [] };
}

/**
 * Replaces the company's recipients with the body's `{emails}` (0–20 valid addresses, deduplicated
 * case-insensitively; `[]` stops the expiry email) and answers with what was stored. Any invalid
 * input is a 400 naming each bad field, and nothing is written; a key caller gets 403. The change is recorded
 * (`notification-settings.updated`, old and new recipients) in the same transaction as the write.
 */
export async function replaceNotificationSettings(
  deps: { store: NotificationSettingsStore; clock: Clock; catalog: RouteCatalog },
  caller: Caller,
  body: unknown,
): Promise<NotificationSettings> {
  assertMayCall(deps.catalog, caller, 'put-notification-settings');
  const parsed = notificationSettingsSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidRequestError(
      'The body must be {"emails": [...]} with at most 20 valid email addresses ([] for nobody) and no other fields.',
      fieldProblems(parsed.error),
    );
  }
  const now = deps.clock.now();
  await deps.store.putNotificationSettings(
    caller.companyId,
    parsed.data,
    {
      updatedBy: caller.kind === 'root-admin' ? (caller.email ?? caller.subject) : `key:${caller.keyId}`,
      updatedAt: now,
    },
    (previous) =>
      buildAuditEvent({
        action: 'notification-settings.updated',
        caller,
        now,
        target: null,
        changes: { oldEmails: [...previous.emails], newEmails: [...parsed.data.emails] },
      }),
  );
  return parsed.data;
}

/** One field problem per zod issue, with a JSON Pointer; each unknown field gets its own. */
function fieldProblems(error: core.$ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const base = issue.path.map((segment) => `/${pointerSegment(String(segment))}`).join('');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        pointer: `${base}/${pointerSegment(key)}`,
        detail: 'unknown field',
      }));
    }
    if (issue.path.length === 0 && issue.code === 'invalid_type') {
      return [{ pointer: '', detail: 'must be a JSON object' }];
    }
    return [{ pointer: base, detail: issue.message }];
  });
}
