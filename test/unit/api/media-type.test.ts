import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeJsonMediaType, parseMediaType } from '../../../shared/adapters/http/media-type.js';

describe('parseMediaType', () => {
  it('lower-cases type, subtype and parameter names, keeps values, unquotes quoted strings', () => {
    const media = parseMediaType(' Application/JSON ; Charset="UTF-8" ;profile="a \\"b\\"";X=Y ');
    expect(media?.essence).toBe('application/json');
    expect(media?.type).toBe('application');
    expect(media?.subtype).toBe('json');
    expect(Object.fromEntries(media?.parameters ?? [])).toEqual({
      charset: 'UTF-8',
      profile: 'a "b"',
      x: 'Y',
    });
  });

  it('allows empty parameters (RFC 9110 §5.6.6) and keeps the first of a repeated one', () => {
    expect(parseMediaType('application/json;')?.essence).toBe('application/json');
    expect(parseMediaType('application/json; ; charset=utf-8')?.parameters.get('charset')).toBe('utf-8');
    expect(parseMediaType('text/plain; a=1; A=2')?.parameters.get('a')).toBe('1');
  });

  it.each([
    '',
    'json',
    'application/',
    '/json',
    'application /json',
    'application/json charset=utf-8',
    'application/json; charset',
    'application/json; charset=',
    'application/json; charset="unterminated',
    'application/json; charset=a b',
    'application/json, text/plain',
    'application/j(son)',
  ])('refuses %j', (header) => {
    expect(parseMediaType(header)).toBeUndefined();
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (header) => {
        parseMediaType(header);
      }),
    );
  });
});

describe('judgeJsonMediaType', () => {
  it.each([
    'application/json',
    'application/JSON',
    'APPLICATION/JSON',
    'application/json; charset=UTF-8',
    'application/json;charset=utf-8',
    'application/json; charset="utf-8"',
    'application/json; charset=utf8',
    'application/merge-patch+json',
    'application/vnd.keygate.v1+JSON; charset=utf-8',
    'application/json; profile="https://keygate.dev"',
  ])('accepts %j', (header) => {
    expect(judgeJsonMediaType(header)).toEqual({ ok: true });
  });

  it.each([
    ['text/plain', 'not text/plain'],
    ['text/json', 'not text/json'],
    ['application/jsonx', 'not application/jsonx'],
    ['application/json-seq', 'not application/json-seq'],
    ['application/x-json', 'not application/x-json'],
    ['multipart/form-data; boundary=x', 'not multipart/form-data'],
    ['application/json+xml', 'not application/json+xml'],
    ['application/json; charset=utf-16', 'not charset=utf-16'],
    ['application/json; charset=latin1', 'not charset=latin1'],
    ['application/json charset=utf-8', 'not a media type'],
  ])('refuses %j, saying what it expects', (header, shown) => {
    const verdict = judgeJsonMediaType(header);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.detail).toContain('Content-Type: application/json');
      expect(verdict.detail).toContain(shown);
    }
  });

  it('accepts application/json whatever the case of each letter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        fc.constantFrom('', ';', '; charset=utf-8', ';CHARSET=UTF-8'),
        (upper, parameters) => {
          const type = [...'application/json'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          expect(judgeJsonMediaType(`${type}${parameters}`)).toEqual({ ok: true });
        },
      ),
    );
  });

  it('quotes back only printable ASCII, briefly', () => {
    const verdict = judgeJsonMediaType(`text/${'x'.repeat(200)}`);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.detail.length).toBeLessThan(200);
    const charset = judgeJsonMediaType('application/json; charset="\u00e9\u00e9"');
    expect(charset.ok).toBe(false);
    if (!charset.ok) expect(charset.detail).toContain('charset=??');
  });
});
