/** Who is calling, as the authorizer established it and every management use case receives it. */
export type Caller =
  | { kind: 'key'; companyId: string; keyId: string; keyName: string; scopes: string[]; expiresAt: string }
  | { kind: 'root-admin'; companyId: string; subject: string; email?: string };
