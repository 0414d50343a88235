import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, wildcardMatch } from '../../../local/iam-policy-evaluation.js';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/GET/v2/conversations/channels/';
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Allow',
  Action,
  Resource,
});
const deny = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
  Effect: 'Deny',
  Action,
  Resource,
});

describe('evaluatePolicy, as API Gateway decides on an authorizer policy', () => {
  it('allows when an Allow statement names the method ARN exactly', () => {
    expect(evaluatePolicy(policy(allow(ARN)), ARN)).toEqual({ outcome: 'allow' });
  });

  it('matches `*` across slashes and colons and `?` as exactly one character', () => {
    expect(evaluatePolicy(policy(allow('*')), ARN).outcome).toBe('allow');
    expect(
      evaluatePolicy(policy(allow('arn:aws:execute-api:*:*:keygatelocal/local/GET/*')), ARN).outcome,
    ).toBe('allow');
    expect(
      evaluatePolicy(
        policy(allow('arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/?ET/*')),
        ARN,
      ).outcome,
    ).toBe('allow');
    expect(
      evaluatePolicy(
        policy(allow('arn:aws:execute-api:us-east-1:123456789012:keygatelocal/local/?GET/*')),
        ARN,
      ),
    ).toEqual({
      outcome: 'deny',
      explicit: false,
    });
  });

  it('denies implicitly when no Allow matches the method ARN (another method, another path)', () => {
    expect(evaluatePolicy(policy(allow(ARN.replace('/GET/', '/POST/'))), ARN)).toEqual({
      outcome: 'deny',
      explicit: false,
    });
    expect(evaluatePolicy(policy(allow(`${ARN}extra`)), ARN)).toEqual({ outcome: 'deny', explicit: false });
    expect(evaluatePolicy(policy(), ARN)).toEqual({ outcome: 'deny', explicit: false });
  });

  it('compares resources case-sensitively', () => {
    expect(evaluatePolicy(policy(allow(ARN.toUpperCase())), ARN).outcome).toBe('deny');
  });

  it('lets an explicit Deny win over any Allow, whatever the order', () => {
    expect(evaluatePolicy(policy(allow('*'), deny(ARN)), ARN)).toEqual({ outcome: 'deny', explicit: true });
    expect(evaluatePolicy(policy(deny('*'), allow(ARN)), ARN)).toEqual({ outcome: 'deny', explicit: true });
  });

  it('accepts execute-api:Invoke, execute-api:* and * as actions, case-insensitively, and ignores other actions', () => {
    for (const action of [
      'execute-api:Invoke',
      'execute-api:*',
      '*',
      'EXECUTE-API:invoke',
      ['s3:GetObject', 'execute-api:Invoke'],
    ]) {
      expect(evaluatePolicy(policy(allow(ARN, action)), ARN).outcome).toBe('allow');
    }
    expect(evaluatePolicy(policy(allow(ARN, 'execute-api:ManageConnections')), ARN).outcome).toBe('deny');
    expect(evaluatePolicy(policy(allow(ARN), deny(ARN, 's3:*')), ARN).outcome).toBe('allow');
  });

  it('reads a single Statement object and Resource lists', () => {
    expect(
      evaluatePolicy({ Version: '2012-10-17', Statement: allow([ARN.replace('GET', 'PUT'), ARN]) }, ARN)
        .outcome,
    ).toBe('allow');
  });

  it('understands NotResource and NotAction', () => {
    expect(evaluatePolicy(policy({ Effect: 'Allow', Action: '*', NotResource: ARN }), ARN).outcome).toBe(
      'deny',
    );
    expect(
      evaluatePolicy(policy({ Effect: 'Allow', Action: '*', NotResource: 'arn:other' }), ARN).outcome,
    ).toBe('allow');
    expect(
      evaluatePolicy(policy({ Effect: 'Deny', NotAction: 's3:*', Resource: '*' }, allow('*')), ARN).outcome,
    ).toBe('deny');
  });

  it.each([
    ['no document', null],
    ['a list as document', []],
    ['no Statement', { Version: '2012-10-17' }],
    ['a Version that is not a string', { Version: 2012, Statement: [allow(ARN)] }],
    ['a lowercase effect', policy({ Effect: 'allow', Action: '*', Resource: ARN })],
    ['no Action', policy({ Effect: 'Allow', Resource: ARN })],
    ['no Resource', policy({ Effect: 'Allow', Action: '*' })],
    [
      'both Resource and NotResource',
      policy({ Effect: 'Allow', Action: '*', Resource: ARN, NotResource: ARN }),
    ],
    ['an empty Resource list', policy(allow([]))],
    ['a Resource that is not a string', policy(allow(42))],
    [
      'a Condition (not evaluated by API Gateway authorizer policies here)',
      policy({ ...allow(ARN), Condition: {} }),
    ],
    ['a statement that is not an object', policy('Allow')],
  ])('calls a policy with %s malformed (a 500, never an allow)', (_, document) => {
    expect(evaluatePolicy(document, ARN).outcome).toBe('malformed');
  });

  it('never allows when the policy holds a Deny covering the ARN (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('*', ARN, 'arn:aws:execute-api:*', 'arn:other'), { maxLength: 4 }),
        fc.constantFrom('*', ARN, 'arn:aws:execute-api:us-east-1:*'),
        (allows, denied) => {
          const document = policy(...allows.map((resource) => allow(resource)), deny(denied));
          expect(evaluatePolicy(document, ARN)).toEqual({ outcome: 'deny', explicit: true });
        },
      ),
    );
  });
});

describe('wildcardMatch', () => {
  it('treats every character other than * and ? literally (property)', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('*') && !s.includes('?')),
        fc.string(),
        (literal, other) => {
          expect(wildcardMatch(literal, literal)).toBe(true);
          if (other !== literal) expect(wildcardMatch(literal, other)).toBe(false);
        },
      ),
    );
  });

  it('matches a prefix pattern against any suffix, including newlines (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (prefix, suffix) => {
        fc.pre(!prefix.includes('*') && !prefix.includes('?'));
        expect(wildcardMatch(`${prefix}*`, `${prefix}${suffix}`)).toBe(true);
      }),
    );
  });

  it('keeps case-sensitive and case-insensitive uses of one pattern apart (patterns are compiled once)', () => {
    for (let round = 0; round < 2; round++) {
      expect(wildcardMatch('Execute-API:*', 'execute-api:Invoke', true)).toBe(true);
      expect(wildcardMatch('Execute-API:*', 'execute-api:Invoke', false)).toBe(false);
    }
  });

  it('still matches correctly past the number of compiled patterns it keeps', () => {
    for (let i = 0; i < 2_500; i++) {
      expect(wildcardMatch(`arn:${i}/*`, `arn:${i}/GET/x`)).toBe(true);
      expect(wildcardMatch(`arn:${i}/*`, `arn:${i + 1}/GET/x`)).toBe(false);
    }
  });
});
