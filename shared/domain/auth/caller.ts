import type { RequestOrigin } from '../audit/audit-event.js';

/**
 * Who is calling, as the authorizer established it and every management use case receives it, and
 * optionally where the request came from (`origin`, for the audit log; absent outside HTTP).
 */
export type Caller = (
  | {
      kind: 'key';
      companyId: string;
      keyId: string;
      keyName: string;
      scopes: string[];
      expiresAt: string;
      /**
       * The key's own IP allow-list (canonical CIDRs, empty = anywhere), for the delegation rule: a
       * key's children must lie inside it. Carried here rather than re-read from the store because the
       * authorizer has just read it from the same lookup item as the scopes and expiry it decided on
       * (one GetItem per decision, no second read per management call, and the three limits of a
       * caller always come from the same snapshot of its record).
       */
      allowedIps: string[];
    }
  | { kind: 'root-admin'; companyId: string; subject: string; email?: string }
) & { origin?: RequestOrigin };
