import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../../local/iam-policy-evaluation.js';
import {
  buildAuthorizerResponse,
  CACHED_DENY_REASON,
  callableRoutes,
  routeArns,
  stageArnBase,
} from '../../../shared/adapters/apigateway/iam-policy.js';
import type { Verdict } from '../../../shared/domain/auth/authorize-request.js';
import type { Caller } from '../../../shared/domain/auth/caller.js';
import type { CatalogRoute } from '../../../shared/domain/catalog/route-catalog.js';
import { scopesCoverRoute } from '../../../shared/domain/scopes/scope-coverage.js';
import { STAGE_BASE } from '../../support/api-gateway-events.js';
import { CATALOG } from '../../support/catalog.js';

/** API Gateway's reading of the policy, as local mode evaluates it (the one evaluator). */
const policyAllows = (policy: unknown, methodArn: string) =>
  evaluatePolicy(policy, methodArn).outcome === 'allow';

const keyCaller = (scopes: string[]): Caller => ({
  kind: 'key',
  companyId: 'acme',
  keyId: 'k-1',
  keyName: 'CRM sync',
  scopes,
  expiresAt: '2026-04-01T00:00:00.000Z',
  allowedIps: [],
});
const admin: Caller = { kind: 'root-admin', companyId: 'acme', subject: 'admin-1', email: 'root@acme.test' };

const routeById = (id: string) => CATALOG.routes.find((route) => route.id === id) as CatalogRoute;
/** A concrete method ARN for a route, with `x1`, `x2`… for its path parameters. */
const concreteArn = (route: CatalogRoute) => {
  let n = 0;
  return `${STAGE_BASE}${route.method}${route.path.replace(/\{[^}]+\}/g, () => `x${++n}`)}`;
};

const colleagues = routeById('GET /api/v1/pbx/colleagues/');
const colleaguesArn = concreteArn(colleagues);
const uncached = { catalog: CATALOG, cacheTtlSeconds: 0 };
const cached = { catalog: CATALOG, cacheTtlSeconds: 300 };

describe('without authorizer caching (the default)', () => {
  it('allows exactly this method ARN, with the caller as a string-valued context', () => {
    const verdict: Verdict = {
      effect: 'allow',
      caller: keyCaller(['colleagues:read', 'devices:read']),
      route: colleagues,
    };
    const response = buildAuthorizerResponse(verdict, colleaguesArn, uncached);
    expect(response).toEqual({
      principalId: 'k-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: colleaguesArn }],
      },
      context: {
        principalType: 'key',
        companyId: 'acme',
        keyId: 'k-1',
        keyName: 'CRM sync',
        scopes: 'colleagues:read devices:read',
        expiresAt: '2026-04-01T00:00:00.000Z',
        allowedIps: '',
      },
    });
    for (const value of Object.values(response.context)) expect(typeof value).toBe('string');
  });

  it('uses the subject as principal for root admins', () => {
    const response = buildAuthorizerResponse(
      { effect: 'allow', caller: admin, route: routeById('GET /v1/api-keys') },
      `${STAGE_BASE}GET/v1/api-keys`,
      uncached,
    );
    expect(response.principalId).toBe('admin-1');
    expect(response.context).toEqual({
      principalType: 'root-admin',
      companyId: 'acme',
      subject: 'admin-1',
      email: 'root@acme.test',
    });
  });

  it('denies this method ARN with the reason (and ids for the access log) in the context', () => {
    const verdict: Verdict = {
      effect: 'deny',
      status: 403,
      code: 'scope-not-granted',
      reason: 'route GET /api/v1/pbx/colleagues/ requires one of: colleagues:read',
      caller: keyCaller(['devices:read']),
      route: colleagues,
    };
    expect(buildAuthorizerResponse(verdict, colleaguesArn, uncached)).toEqual({
      principalId: 'k-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: colleaguesArn }],
      },
      context: { reason: verdict.reason, companyId: 'acme', keyId: 'k-1' },
    });
  });

  it('denies a signed-in user without the role under their subject', () => {
    const response = buildAuthorizerResponse(
      {
        effect: 'deny',
        status: 403,
        code: 'not-root-admin',
        reason: 'not a root admin',
        caller: { kind: 'user', companyId: 'acme', subject: 'user-1' },
      },
      `${STAGE_BASE}GET/v1/api-keys`,
      uncached,
    );
    expect(response.principalId).toBe('user-1');
    expect(response.context).toEqual({ reason: 'not a root admin', companyId: 'acme', subject: 'user-1' });
  });
});

describe('with authorizer caching (policy reused for every route of the credential)', () => {
  it('allows, on reuse, exactly the catalog routes the key may call', () => {
    const perNamespace = CATALOG.namespaces().flatMap(({ namespace }) => [
      [`${namespace}:read`],
      [`${namespace}:*`],
    ]);
    for (const scopes of [
      ...perNamespace,
      ['pbx:read'],
      ['apikeys:read'],
      ['messaging:SendMessage', 'colleagues:*'],
      ['*:*'],
    ]) {
      const caller = keyCaller(scopes);
      const response = buildAuthorizerResponse(
        { effect: 'allow', caller, route: colleagues },
        colleaguesArn,
        cached,
      );
      expect(response.policyDocument.Statement[0]?.Effect).toBe('Allow');
      for (const route of CATALOG.routes) {
        const expected = scopesCoverRoute(scopes, route) || route === colleagues;
        expect(policyAllows(response.policyDocument, concreteArn(route)), `${scopes} ${route.id}`).toBe(
          expected,
        );
      }
    }
  });

  it('matches request paths with and without the trailing slash, for GET and HEAD alike', () => {
    const route = routeById('GET /v2/company/');
    const arns = routeArns(STAGE_BASE, route, CATALOG);
    expect(arns).toEqual([
      `${STAGE_BASE}GET/v2/company`,
      `${STAGE_BASE}GET/v2/company/`,
      `${STAGE_BASE}HEAD/v2/company`,
      `${STAGE_BASE}HEAD/v2/company/`,
    ]);
    expect(routeArns(STAGE_BASE, routeById('GET /v1/api-keys/{id}'), CATALOG)).toEqual([
      `${STAGE_BASE}GET/v1/api-keys/*`,
      `${STAGE_BASE}GET/v1/api-keys/*/`,
      `${STAGE_BASE}HEAD/v1/api-keys/*`,
      `${STAGE_BASE}HEAD/v1/api-keys/*/`,
    ]);
    expect(routeArns(STAGE_BASE, routeById('POST /v1/api-keys'), CATALOG)).toEqual([
      `${STAGE_BASE}POST/v1/api-keys`,
      `${STAGE_BASE}POST/v1/api-keys/`,
    ]);
  });

  it('denies this request explicitly on a route-specific 403, keeps the other routes, and uses a generic reason', () => {
    const caller = keyCaller(['devices:read']);
    const verdict: Verdict = {
      effect: 'deny',
      status: 403,
      code: 'scope-not-granted',
      reason: 'route GET /api/v1/pbx/colleagues/ requires one of: colleagues:read',
      caller,
      route: colleagues,
    };
    const response = buildAuthorizerResponse(verdict, colleaguesArn, cached);
    expect(policyAllows(response.policyDocument, colleaguesArn)).toBe(false);
    expect(policyAllows(response.policyDocument, `${STAGE_BASE}GET/api/v1/devices/`)).toBe(true);
    expect(response.context.reason).toBe(CACHED_DENY_REASON);
    expect(response.context.keyId).toBe('k-1');
  });

  it('denies a request a wildcard would otherwise match (catch-all resource)', () => {
    const caller = keyCaller(['apikeys:read']);
    const methodArn = `${STAGE_BASE}GET/v1/api-keys/a/b`;
    const verdict: Verdict = {
      effect: 'deny',
      status: 403,
      code: 'route-not-in-catalog',
      reason: 'route GET /v1/api-keys/a/b is not in the catalog',
      caller,
    };
    expect(policyAllows(buildAuthorizerResponse(verdict, methodArn, cached).policyDocument, methodArn)).toBe(
      false,
    );
  });

  it('denies the whole stage for a key used from outside its allow-list and for a user without the role', () => {
    const ipDenied = buildAuthorizerResponse(
      {
        effect: 'deny',
        status: 403,
        code: 'ip-not-allowed',
        reason: 'source IP not allowed for this key',
        caller: keyCaller(['*:*']),
      },
      colleaguesArn,
      cached,
    );
    const userDenied = buildAuthorizerResponse(
      {
        effect: 'deny',
        status: 403,
        code: 'not-root-admin',
        reason: 'not a root admin',
        caller: { kind: 'user', companyId: 'acme', subject: 'user-1' },
      },
      `${STAGE_BASE}GET/v1/api-keys`,
      cached,
    );
    for (const response of [ipDenied, userDenied]) {
      for (const route of CATALOG.routes)
        expect(policyAllows(response.policyDocument, concreteArn(route))).toBe(false);
    }
    expect(ipDenied.context.reason).toBe('source IP not allowed for this key');
  });

  it('allows a root admin every management route and no protected route', () => {
    const route = routeById('GET /v1/api-keys');
    const response = buildAuthorizerResponse(
      { effect: 'allow', caller: admin, route },
      concreteArn(route),
      cached,
    );
    for (const candidate of CATALOG.routes) {
      expect(policyAllows(response.policyDocument, concreteArn(candidate))).toBe(
        candidate.kind === 'management',
      );
    }
    expect(callableRoutes(admin, CATALOG).every((candidate) => candidate.kind === 'management')).toBe(true);
  });

  it('denies everything for a key that may call nothing', () => {
    const verdict: Verdict = {
      effect: 'deny',
      status: 403,
      code: 'scope-not-granted',
      reason: 'x',
      caller: keyCaller([]),
      route: colleagues,
    };
    const response = buildAuthorizerResponse(verdict, colleaguesArn, cached);
    expect(response.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${STAGE_BASE}*` },
    ]);
  });
});

describe('stageArnBase', () => {
  it('keeps everything before the HTTP method', () => {
    expect(stageArnBase(`${STAGE_BASE}GET/v1/api-keys/k-1`)).toBe(STAGE_BASE);
    expect(stageArnBase(`${STAGE_BASE}GET/`)).toBe(STAGE_BASE);
    expect(stageArnBase('arn:aws-cn:execute-api:cn-north-1:1:api/dev/POST/x')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:1:api/dev/',
    );
  });

  it('throws on anything that is not a method ARN', () => {
    expect(() => stageArnBase('arn:aws:lambda:eu-west-1:1:function:f')).toThrow(
      /not an execute-api method ARN/,
    );
    expect(() => stageArnBase('')).toThrow();
  });
});
