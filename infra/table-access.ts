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
  // StringLike matches the prefix; LeadingKeys constrains only the partition key, not the sort key
  // (documented in README "Deploy to AWS").
  const partitions = access.leadingKeyPrefixes
    ? {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': access.leadingKeyPrefixes.map((prefix) => `${prefix}*`),
        },
      }
    : {};
  const { updatedAttributes } = access;
  const limitedUpdate = updatedAttributes !== undefined && access.table.includes('UpdateItem');
  const unlimited = limitedUpdate ? access.table.filter((action) => action !== 'UpdateItem') : access.table;
  if (unlimited.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: unlimited.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        ...(access.leadingKeyPrefixes ? { conditions: partitions } : {}),
      }),
    );
  }
  if (limitedUpdate) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: {
          ...partitions,
          // Every attribute the request names, its keys included (IAM refuses one it does not list);
          // and it may return only those (ALL_OLD or ALL_NEW would read the rest of the item).
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...updatedAttributes],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
        },
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
