import { describe, expect, it } from 'vitest';
import { ApiError, fieldMessages } from '../../../console/src/api/problem.js';
import {
  buildCreateRequest,
  type CreateForm,
  splitList,
} from '../../../console/src/create/create-request.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const form = (overrides: Partial<CreateForm>): CreateForm => ({
  name: 'CRM sync',
  expiration: '1y',
  customDate: '',
  scopes: new Set(['messaging:ListChannels']),
  allowedIps: '',
  ...overrides,
});

describe('console Create API Key request', () => {
  it('sends a preset as expiresIn, scopes sorted, and the allow-list only when given', () => {
    const built = buildCreateRequest(
      form({
        scopes: new Set(['users:read', 'messaging:read']),
        allowedIps: '203.0.113.0/24\n, 2001:db8::/32\n',
      }),
      NOW,
    );
    expect(built).toEqual({
      ok: true,
      request: {
        name: 'CRM sync',
        scopes: ['messaging:read', 'users:read'],
        expiresIn: 365 * 86_400,
        allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
      },
    });
    const plain = buildCreateRequest(form({ expiration: '1h' }), NOW);
    expect(plain.ok && plain.request).toEqual({
      name: 'CRM sync',
      scopes: ['messaging:ListChannels'],
      expiresIn: 3600,
    });
  });

  it('checks expiry as the API does: *:* at most 7 days, custom dates from 1 hour to 1 year', () => {
    const global = buildCreateRequest(form({ scopes: new Set(['*:*']), expiration: '30d' }), NOW);
    expect(global.ok).toBe(false);
    expect(!global.ok && global.errors.expiration?.[0]).toContain('at most 7 days');
    expect(buildCreateRequest(form({ scopes: new Set(['*:*']), expiration: '7d' }), NOW).ok).toBe(true);

    const soon = new Date(NOW.getTime() + 30 * 60_000);
    const local = (date: Date) =>
      new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    const tooSoon = buildCreateRequest(form({ expiration: 'custom', customDate: local(soon) }), NOW);
    expect(!tooSoon.ok && tooSoon.errors.expiration?.[0]).toContain('between 1 hour and 365 days');
    const inMonth = new Date(NOW.getTime() + 30 * 86_400_000);
    const custom = buildCreateRequest(form({ expiration: 'custom', customDate: local(inMonth) }), NOW);
    expect(custom.ok && custom.request.expiresAt).toBe(inMonth.toISOString());
    const empty = buildCreateRequest(form({ expiration: 'custom', customDate: '' }), NOW);
    expect(!empty.ok && empty.errors.expiration).toEqual(['Enter the date and time the key should expire.']);
  });

  it('names every field problem at once: name, scopes', () => {
    const built = buildCreateRequest(form({ name: '  ', scopes: new Set() }), NOW);
    expect(built).toEqual({
      ok: false,
      errors: { name: ['name must not be empty'], scopes: ['Choose at least one permission.'] },
    });
  });

  it('splits lists typed one per line or comma-separated', () => {
    expect(splitList(' a@x.example ,b@x.example\n\n c@x.example ')).toEqual([
      'a@x.example',
      'b@x.example',
      'c@x.example',
    ]);
  });
});

describe('console problem+json → form fields', () => {
  it('puts each errors[].pointer next to its field, items numbered, the rest on the form', () => {
    const problem = new ApiError({
      status: 400,
      detail: 'The request body is not valid; see errors.',
      errors: [
        { pointer: '/allowedIps/1', detail: 'not an IP address or CIDR' },
        { pointer: '/expiresIn', detail: 'too long' },
        { pointer: '/colour', detail: 'unknown field' },
      ],
    }).problem;
    const fields = { allowedIps: 'allowedIps', expiresIn: 'expiration' } as Record<string, string>;
    expect(fieldMessages(problem, (segment) => fields[segment])).toEqual({
      fields: { allowedIps: ['Item 2: not an IP address or CIDR'], expiration: ['too long'] },
      general: ['The request body is not valid; see errors.', 'unknown field'],
    });
    expect(fieldMessages({ status: 403, detail: 'forbidden' }, () => undefined)).toEqual({
      fields: {},
      general: ['forbidden'],
    });
  });
});
