import type { Caller } from '../../domain/auth/caller.js';

/**
 * The context the authorizer hands API Gateway and API Gateway hands the integration
 * (`event.requestContext.authorizer`). API Gateway allows only string, number and boolean values,
 * so lists travel as space-separated strings. Both sides use these two functions.
 */

export type AuthorizerContext = Record<string, string>;

/** Flattens a caller into the string-valued authorizer context. */
export function encodeCaller(caller: Caller): AuthorizerContext {
  if (caller.kind === 'key') {
    return {
      principalType: 'key',
      companyId: caller.companyId,
      keyId: caller.keyId,
      keyName: caller.keyName,
      scopes: caller.scopes.join(' '),
      expiresAt: caller.expiresAt,
      allowedIps: caller.allowedIps.join(' '),
    };
  }
  return {
    principalType: 'root-admin',
    companyId: caller.companyId,
    subject: caller.subject,
    ...(caller.email ? { email: caller.email } : {}),
  };
}

/**
 * Reads the caller back from `event.requestContext.authorizer`. Returns undefined when the context
 * is missing or incomplete, which an integration must treat as a fault (the gateway let through an
 * unauthorized request), never as a caller.
 */
export function decodeCaller(context: Record<string, unknown> | null | undefined): Caller | undefined {
  if (!context) return undefined;
  const text = (name: string) => (typeof context[name] === 'string' ? (context[name] as string) : undefined);
  const companyId = text('companyId');
  if (!companyId) return undefined;
  if (text('principalType') === 'key') {
    const keyId = text('keyId');
    const scopes = text('scopes');
    const expiresAt = text('expiresAt');
    // Required (an empty list is ''): a context without it could not bound a child's allow-list,
    // so it fails closed like any incomplete context.
    const allowedIps = text('allowedIps');
    if (!keyId || scopes === undefined || !expiresAt || allowedIps === undefined) return undefined;
    return {
      kind: 'key',
      companyId,
      keyId,
      keyName: text('keyName') ?? '',
      scopes: scopes.split(' ').filter(Boolean),
      expiresAt,
      allowedIps: allowedIps.split(' ').filter(Boolean),
    };
  }
  if (text('principalType') === 'root-admin') {
    const subject = text('subject');
    if (!subject) return undefined;
    const email = text('email');
    return { kind: 'root-admin', companyId, subject, ...(email ? { email } : {}) };
  }
  return undefined;
}

/** The request reached a management handler without an authorizer context: a gateway fault, never a caller. */
export class MissingCallerError extends Error {
  constructor() {
    super('no authorizer context on a management request');
    this.name = 'MissingCallerError';
  }
}

/** The caller from the authorizer context API Gateway passes; throws `MissingCallerError` (→ 500) without one. */
export function callerOf(event: {
  requestContext?: {
    authorizer?: Record<string, unknown> | null;
    requestId?: string;
    identity?: { sourceIp?: string | null; userAgent?: string | null };
  };
}): Caller {
  const caller = decodeCaller(event.requestContext?.authorizer);
  if (caller === undefined) throw new MissingCallerError();
  const context = event.requestContext;
  // Where the request came from, as API Gateway saw it, for the audit log.
  return {
    ...caller,
    origin: {
      requestId: context?.requestId || null,
      sourceIp: context?.identity?.sourceIp || null,
      userAgent: context?.identity?.userAgent || null,
    },
  };
}
