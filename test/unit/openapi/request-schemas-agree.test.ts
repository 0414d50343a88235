import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveExpiry } from '../../../shared/domain/expiry/expiry-policy.js';
import { validateKeyName } from '../../../shared/domain/keys/key-name.js';
import { validateAllowedIps } from '../../../shared/domain/net/ip-allow-list.js';
import { notificationSettingsSchema } from '../../../shared/domain/notify/notification-settings.js';
import { validateScopes } from '../../../shared/domain/scopes/scope-normalisation.js';
import { describeScopeCatalog } from '../../../shared/domain/scopes/scope-presentation.js';
import { CATALOG } from '../../support/catalog.js';
import { componentValidator } from '../../support/openapi-contract.js';

/**
 * The document's request schemas against the validators the handlers run: a body the API accepts
 * is never refused by the document, and for bodies made of valid parts the two agree both ways.
 * (The document cannot know the catalog's scopes, CIDR host bits or "from now", so beyond those
 * it is deliberately looser than the API, never stricter.)
 */

const NOW = new Date('2026-12-01T12:00:00Z');
const KNOWN_SCOPES = describeScopeCatalog(CATALOG).scopes.map(({ scope }) => scope);
const createSchema = componentValidator('CreateKeyRequest');
const renameSchema = componentValidator('RenameKeyRequest');
const settingsSchema = componentValidator('NotificationSettingsRequest');
const FIELDS = new Set(['name', 'scopes', 'expiresAt', 'expiresIn', 'allowedIps']);

/** Whether the create handler accepts `body` (its validators, in its order, with its unknown-field rule). */
function apiAcceptsCreate(body: Record<string, unknown>): boolean {
  if (Object.keys(body).some((field) => !FIELDS.has(field))) return false;
  const name = validateKeyName(body.name);
  const scopes = validateScopes(body.scopes, CATALOG);
  const expiry = resolveExpiry(
    { expiresAt: body.expiresAt, expiresIn: body.expiresIn },
    scopes.ok ? scopes.scopes : [],
    NOW,
  );
  return (
    body.name !== undefined && name.ok && scopes.ok && expiry.ok && validateAllowedIps(body.allowedIps).ok
  );
}

const anything = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string()));
const name = fc.oneof(fc.string({ maxLength: 120 }), fc.constant('  padded name  '), anything);
const knownScopes = fc.array(fc.constantFrom(...KNOWN_SCOPES), { minLength: 1, maxLength: 3 });
const someScopes = fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('nope:read')), {
  maxLength: 3,
});
const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.0/8', '2001:db8::/32', '10.0.0.1/8', 'x'));
const expiresIn = fc.oneof(fc.integer({ min: -10, max: 40_000_000 }), fc.double(), anything);
const expiresAt = fc.oneof(
  fc
    .integer({ min: -3_600_000, max: 400 * 86_400_000 })
    .map((offset) => new Date(NOW.getTime() + offset).toISOString()),
  fc.constantFrom('2027-01-01T00:00:00+02:00', '2027-02-30T00:00:00Z', '2027-01-01', 'tomorrow'),
  anything,
);
const createBody = fc
  .record(
    {
      name,
      scopes: fc.oneof({ arbitrary: knownScopes, weight: 4 }, someScopes, anything),
      expiry: fc.oneof(
        fc.record({ expiresAt }),
        fc.record({ expiresIn }),
        fc.record({ expiresAt, expiresIn }),
        fc.constant({}),
      ),
      allowedIps: fc.oneof(fc.array(ip, { maxLength: 3 }), fc.constant(null), anything),
      extra: anything,
    },
    { requiredKeys: ['expiry', 'name', 'scopes'] },
  )
  .map(({ expiry, ...body }) => ({ ...body, ...expiry }) as Record<string, unknown>);

describe('the document’s request schemas and the API’s validators', () => {
  it('POST /v1/api-keys: every body the API accepts validates against CreateKeyRequest', () => {
    let accepted = 0;
    fc.assert(
      fc.property(createBody, (body) => {
        if (!apiAcceptsCreate(body)) return;
        accepted++;
        expect(createSchema(body), JSON.stringify(createSchema.errors)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    // The property would hold vacuously if nothing were accepted.
    expect(accepted).toBeGreaterThan(20);
  });

  it('POST /v1/api-keys: for bodies of known scopes, canonical addresses and printable names, both agree', () => {
    const validParts = fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,60}$/),
        scopes: fc.array(fc.constantFrom(...KNOWN_SCOPES.filter((s) => s !== '*:*')), {
          minLength: 0,
          maxLength: 3,
        }),
        expiresIn: fc.oneof(fc.integer({ min: 0, max: 40_000_000 }), fc.constant(null)),
        allowedIps: fc.array(fc.ipV4(), { maxLength: 2 }),
      },
      { requiredKeys: ['name', 'scopes'] },
    );
    fc.assert(
      fc.property(validParts, (body) => {
        expect(createSchema(body), JSON.stringify(body)).toBe(apiAcceptsCreate(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('PATCH /v1/api-keys/{id}: every body the API accepts validates, and any other field is refused by both', () => {
    fc.assert(
      fc.property(fc.record({ name, scopes: anything }, { requiredKeys: [] }), (body) => {
        const apiAccepts = Object.keys(body).every((f) => f === 'name') && validateKeyName(body.name).ok;
        if (apiAccepts) expect(renameSchema(body)).toBe(true);
        if ('scopes' in body) expect(renameSchema(body)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('PUT /v1/settings/notifications: the zod schema the handler runs and the document agree', () => {
    const email = fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 }), fc.constant('a@b.co'));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ emails: fc.array(email, { maxLength: 22 }) }),
          fc.record({ emails: fc.array(email, { maxLength: 3 }), other: anything }),
        ),
        (body) => {
          expect(settingsSchema(body), JSON.stringify(body)).toBe(
            notificationSettingsSchema.safeParse(body).success,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
