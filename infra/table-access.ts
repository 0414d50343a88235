import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { TableAccess } from '../functions/registry.js';
import { TABLE_KEYS } from '../shared/adapters/dynamodb/table-design.js';

/**
 * The least-privilege statements that give a function its table access (the registry's
 * `tableAccess`, which mirrors the calls of the DynamoDB adapters: a new store call needs its action
 * there, or it fails AccessDenied) on `table`; none when it needs none.
 */
export function tableStatements(access: TableAccess, table: dynamodb.ITable): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  if (access.table.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: access.table.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        ...(access.leadingKeyPrefixes
          ? {
              // StringLike matches the prefix; LeadingKeys constrains only the partition key, not the
              // sort key or the attributes written (documented in README "Deploy to AWS").
              conditions: {
                'ForAllValues:StringLike': {
                  'dynamodb:LeadingKeys': access.leadingKeyPrefixes.map((prefix) => `${prefix}*`),
                },
              },
            }
          : {}),
      }),
    );
  }
  if (access.expiryIndex && access.expiryIndex.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: access.expiryIndex.map((action) => `dynamodb:${action}`),
        resources: [`${table.tableArn}/index/${TABLE_KEYS.expiryIndex.name}`],
      }),
    );
  }
  return statements;
}
