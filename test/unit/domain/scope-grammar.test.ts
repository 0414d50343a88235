import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScope } from '../../../shared/domain/scopes/scope-grammar.js';

describe('parseScope', () => {
  it.each([
    ['*:*', { kind: 'global' }],
    ['colleagues:*', { kind: 'namespace', namespace: 'colleagues' }],
    ['pbx:read', { kind: 'read', namespace: 'pbx' }],
    ['messaging:ListChannels', { kind: 'operation', namespace: 'messaging', operation: 'ListChannels' }],
    ['call-control2:Op9', { kind: 'operation', namespace: 'call-control2', operation: 'Op9' }],
  ])('parses %s', (scope, parsed) => {
    expect(parseScope(scope)).toEqual(parsed);
  });

  it.each([
    '',
    '*',
    '*:read',
    '*:ListChannels',
    'colleagues',
    'colleagues:',
    ':read',
    'Colleagues:read',
    '1pbx:read',
    'colleagues:listChannels',
    'colleagues:List-Channels',
    'colleagues:read:extra',
    'colleagues: read',
    ' colleagues:read',
    'colleagues:read ',
    'colleagues::read',
    'col_leagues:read',
    'messaging:List Channels',
    `a${'b'.repeat(200)}:read`,
  ])('refuses %j', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.anything(), fc.stringMatching(/^[a-z*][a-z0-9-]{0,5}:[A-Za-z*]{0,6}$/)),
        (input) => {
          const parsed = parseScope(input as string);
          if (parsed !== undefined) expect(typeof input).toBe('string');
        },
      ),
      { numRuns: 2000 },
    );
  });
});
