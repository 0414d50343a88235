import { describe, expect, it } from 'vitest';
import { extractCredential } from '../../../shared/domain/auth/credential.js';
import { bearer } from '../../support/authorizer-fixtures.js';

describe('extractCredential', () => {
  it('sends a JWT-shaped bearer to the token path and anything else to the key path', () => {
    expect(extractCredential({ headers: bearer('a.b.c') })).toEqual({
      ok: true,
      kind: 'token',
      value: 'a.b.c',
    });
    expect(extractCredential({ headers: bearer('a.b') })).toEqual({
      ok: true,
      kind: 'api-key',
      value: 'a.b',
    });
    expect(extractCredential({ headers: { 'X-API-Key': 'a.b.c' } })).toEqual({
      ok: true,
      kind: 'api-key',
      value: 'a.b.c',
    });
  });

  it('reads the Bearer scheme in any case with any header-name case, trimmed', () => {
    expect(extractCredential({ headers: { AUTHORIZATION: '  BeArEr   k1  ' } })).toEqual({
      ok: true,
      kind: 'api-key',
      value: 'k1',
    });
  });

  it('is missing when no header carries a value, blank ones included', () => {
    expect(extractCredential({ headers: null })).toEqual({ ok: false, reason: 'missing' });
    expect(extractCredential({ headers: { 'X-API-Key': '   ', Authorization: '' } })).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('refuses an Authorization header of another scheme, or a bearer of two tokens, as malformed', () => {
    for (const authorization of ['Basic dTpw', 'Bearer', 'Bearer a b', 'Bearerk1']) {
      expect(extractCredential({ headers: { Authorization: authorization, 'X-API-Key': 'k1' } })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('refuses different credentials in the two headers, but accepts the same one twice', () => {
    expect(extractCredential({ headers: { ...bearer('k1'), 'X-API-Key': 'k2' } })).toEqual({
      ok: false,
      reason: 'conflicting-credentials',
    });
    expect(extractCredential({ headers: { ...bearer('k1'), 'X-API-Key': 'k1' } })).toEqual({
      ok: true,
      kind: 'api-key',
      value: 'k1',
    });
  });

  it('refuses a header repeated with different values, in either representation', () => {
    expect(
      extractCredential({ headers: { 'x-api-key': 'k1' }, multiValueHeaders: { 'X-API-Key': ['k1', 'k2'] } }),
    ).toEqual({ ok: false, reason: 'conflicting-credentials' });
    expect(extractCredential({ headers: { 'x-api-key': 'k1', 'X-Api-Key': 'k2' } })).toEqual({
      ok: false,
      reason: 'conflicting-credentials',
    });
    expect(extractCredential({ headers: {}, multiValueHeaders: { 'x-api-key': ['k1', ' k1 '] } })).toEqual({
      ok: true,
      kind: 'api-key',
      value: 'k1',
    });
  });
});
