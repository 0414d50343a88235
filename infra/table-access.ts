import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { itemKeys, TABLE_KEYS } from '../shared/adapters/dynamodb/table-design.js';
import type { KeygateFunctionName } from './constructs/keygate-function.js';

/** DynamoDB actions keygate uses. `TransactWriteItems` has no IAM action of its own: each item in a
 * transaction is authorized as its PutItem, UpdateItem, DeleteItem or ConditionCheckItem. */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem';

export interface TableAccess {
  /** Actions on the table itself. */
  readonly table: readonly TableAction[];
  /** Actions on the expiry index. */
  readonly expiryIndex?: readonly TableAction[];
  /** Partition-key prefixes the function may touch (`dynamodb:LeadingKeys`), when it is that narrow. */
  readonly leadingKeyPrefixes?: readonly string[];
  /** Why these and no more: the store calls the function makes. */
  readonly why: string;
}

const DIGEST_PREFIX = itemKeys.lookup('').pk;

/**
 * What each function may do to the table, as data: one place to review, and what the template tests
 * compare the synthesized policies with. Mirrors the calls of shared/adapters/dynamodb/dynamo-key-store.ts and
 * dynamo-notification-store.ts: a new store call needs its action here, or it fails AccessDenied.
 */
export const TABLE_ACCESS: Readonly<Record<KeygateFunctionName, TableAccess>> = {
  authorizer: {
    table: ['GetItem', 'UpdateItem'],
    leadingKeyPrefixes: [DIGEST_PREFIX],
    why: 'findByDigest: one strongly consistent GetItem of the lookup item; touchLastUsed: a conditional UpdateItem of lastUsedAt on it',
  },
  'create-api-key': {
    table: ['PutItem'],
    why: 'create: TransactWriteItems with two conditional Puts (lookup item, company key item)',
  },
  'list-api-keys': {
    table: ['Query', 'BatchGetItem'],
    why: "list: Query of the company partition, then one BatchGetItem of the page's lookup items for lastUsedAt",
  },
  'get-api-key': {
    table: ['GetItem'],
    why: 'get: GetItem of the company key item, then GetItem of its lookup item for lastUsedAt',
  },
  'rename-api-key': {
    table: ['GetItem', 'UpdateItem'],
    why: 'rename: GetItem of the company key item (for its digest), then TransactWriteItems updating both items',
  },
  'delete-api-key': {
    table: ['GetItem', 'DeleteItem'],
    why: 'delete: GetItem of the company key item (for its digest), then TransactWriteItems deleting both items',
  },
  'list-scopes': { table: [], why: 'serves the route catalog bundled with it; never reads the table' },
  'get-notification-settings': { table: ['GetItem'], why: 'GetItem of the recipients item' },
  'put-notification-settings': { table: ['PutItem'], why: 'PutItem of the recipients item' },
  notifier: {
    table: ['GetItem', 'UpdateItem'],
    expiryIndex: ['Query'],
    why: "Query of the expiry index by day; GetItem of each company's recipients and sent marker; conditional UpdateItem to claim, mark sent or mark failed the day's marker",
  },
  echo: { table: [], why: 'answers with the authorizer context; no storage' },
};

/** The least-privilege statements that give `fn` its `TABLE_ACCESS` on `table`; none when it needs none. */
export function tableStatements(fn: KeygateFunctionName, table: dynamodb.ITable): iam.PolicyStatement[] {
  const access = TABLE_ACCESS[fn];
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
