import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopesCoverScope } from '../../../shared/domain/scopes/scope-coverage.js';
import { normaliseScopes, validateScopes } from '../../../shared/domain/scopes/scope-normalisation.js';
import { CATALOG } from '../../support/catalog.js';
import { ALL_SCOPES, coveredRoutes } from '../../support/scopes.js';

describe('validateScopes', () => {
  it('accepts known scopes and normalises them: covered and duplicate scopes dropped, sorted', () => {
    expect(
      validateScopes(
        [
          'pbx:read',
          'colleagues:read',
          'messaging:ListChannels',
          'colleagues:*',
          'messaging:read',
          'colleagues:*',
        ],
        CATALOG,
      ),
    ).toEqual({ ok: true, scopes: ['colleagues:*', 'messaging:read', 'pbx:read'] });
  });

  it('reduces everything to *:* when it is present', () => {
    expect(validateScopes(['pbx:*', '*:*', 'messaging:SendMessage'], CATALOG)).toEqual({
      ok: true,
      scopes: ['*:*'],
    });
  });

  it.each([
    ['*:*'],
    ['pbx:*'],
    ['pbx:read'],
    ['colleagues:read'],
    ['pbxpower:*'],
    ['callhistory:read'],
    ['messaging:SendMessage'],
    ['apikeys:*'],
    ['apikeys:CreateApiKey'],
    ['users:GetUserInfo'],
  ])('knows %s', (scope) => {
    expect(validateScopes([scope], CATALOG)).toEqual({ ok: true, scopes: [scope] });
  });

  it.each([
    ['an unknown namespace', 'nothing:*'],
    ['a read scope of a namespace without read routes', 'pbxpower:read'],
    ['a read scope of an unknown namespace', 'nothing:read'],
    ['an unknown operation', 'messaging:DeleteChannel'],
    ['an operation of an unnamed namespace', 'colleagues:ListColleagues'],
    ['an operation only open to root admins', 'apikeys:PutNotificationSettings'],
    ['an operation open to any key, which no scope grants', 'apikeys:ListScopes'],
  ])('refuses %s as unknown', (_label, scope) => {
    const result = validateScopes(['colleagues:read', scope], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.pointer).toBe('/scopes/1');
      expect(result.errors[0]?.message).toMatch(/^unknown scope/);
    }
  });

  it('reports every bad entry with its JSON pointer', () => {
    const result = validateScopes(['colleagues:read', 'Colleagues:read', 42, 'x:*'], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.pointer)).toEqual(['/scopes/1', '/scopes/2', '/scopes/3']);
      expect(result.errors[0]?.message).toMatch(/^malformed scope/);
      expect(result.errors[1]?.message).toBe('scope must be a string');
      expect(result.errors[2]?.message).toMatch(/^unknown scope/);
    }
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'pbx:read'],
    ['an object', { 0: 'pbx:read' }],
    ['null', null],
  ])('refuses %s instead of an array', (_label, input) => {
    expect(validateScopes(input, CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must be an array of scope strings' }],
    });
  });

  it('refuses an empty list', () => {
    expect(validateScopes([], CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must contain at least one scope' }],
    });
  });

  it('takes 100 scopes and refuses 101', () => {
    expect(validateScopes(Array(100).fill('pbx:read'), CATALOG)).toEqual({ ok: true, scopes: ['pbx:read'] });
    expect(validateScopes(Array(101).fill('pbx:read'), CATALOG)).toEqual({
      ok: false,
      errors: [{ pointer: '/scopes', message: 'scopes must contain at most 100 scopes' }],
    });
  });

  it('keeps long input out of error messages', () => {
    const result = validateScopes([`x${'y'.repeat(5000)}:read`], CATALOG);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message.length).toBeLessThan(200);
  });
});

describe('validateScopes properties', () => {
  const subsets = fc.array(fc.constantFrom(...ALL_SCOPES), { minLength: 1, maxLength: 12 });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.array(fc.oneof(fc.string(), fc.anything()), { maxLength: 120 })),
        (input) => {
          const result = validateScopes(input, CATALOG);
          if (result.ok) expect(result.scopes.length).toBeGreaterThan(0);
          else expect(result.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepts every subset of catalog scopes, and normalising twice changes nothing', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        const once = validateScopes(scopes, CATALOG);
        expect(once.ok).toBe(true);
        if (!once.ok) return;
        expect(validateScopes(once.scopes, CATALOG)).toEqual(once);
        expect(normaliseScopes(once.scopes, CATALOG)).toEqual(once.scopes);
        expect(once.scopes).toEqual([...once.scopes].sort());
        expect(new Set(once.scopes).size).toBe(once.scopes.length);
        for (const scope of once.scopes) expect(scopes).toContain(scope);
      }),
      { numRuns: 1000 },
    );
  });

  it('neither widens nor narrows what a key may call', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        const result = validateScopes(scopes, CATALOG);
        if (!result.ok) throw new Error('catalog scopes must validate');
        expect(coveredRoutes(result.scopes)).toEqual(coveredRoutes(scopes));
        // And under the privilege rule, the normalised list grants exactly what the original did.
        for (const scope of scopes) expect(scopesCoverScope(result.scopes, scope, CATALOG)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the input', () => {
    fc.assert(
      fc.property(subsets, (scopes) => {
        expect(validateScopes([...scopes].reverse(), CATALOG)).toEqual(validateScopes(scopes, CATALOG));
      }),
    );
  });
});
