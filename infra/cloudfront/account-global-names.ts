import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** CloudFront's length limits of the names `accountGlobalName` makes. */
export const CLOUDFRONT_NAME_LIMITS = {
  cachePolicy: 128,
  originRequestPolicy: 128,
  responseHeadersPolicy: 128,
  originAccessControl: 64,
} as const;

/**
 * The length an environment-agnostic stack's region (`AWS::Region`, known only at deploy) is assumed
 * to have at most: AWS's longest region names have 14 characters (`ap-southeast-5`, `eusc-de-east-1`).
 */
const MAX_REGION_LENGTH = 20;

/**
 * A name for a CloudFront resource whose names are unique per account, not per region (cache, origin
 * request and response headers policies, origin access controls): `<stack name>-<region>-<purpose>`,
 * so the same stack deployed in two regions of one account (or two stages in one region) never
 * collides, where CDK's default (the construct path) would. The region is a token in an
 * environment-agnostic stack, resolved at deploy. A name that could exceed `maxLength` keeps the region
 * and ends in a hash of the stack name and purpose instead of their end, so it stays unique.
 */
export function accountGlobalName(scope: IConstruct, purpose: string, maxLength: number): string {
  const stack = Stack.of(scope);
  const { region } = stack;
  const regionLength = Token.isUnresolved(region) ? MAX_REGION_LENGTH : region.length;
  const local = `${stack.stackName}-${purpose}`;
  if (local.length + 1 + regionLength <= maxLength) return `${stack.stackName}-${region}-${purpose}`;
  const hash = createHash('sha256').update(local).digest('hex').slice(0, 8);
  const kept = local.slice(0, Math.max(0, maxLength - regionLength - hash.length - 2));
  return `${kept}-${region}-${hash}`;
}
