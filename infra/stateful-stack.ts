import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { KeygateConfig } from '../shared/adapters/config/keygate-config.js';
import { TABLE_KEYS } from '../shared/adapters/dynamodb/table-design.js';
import { RootAdminLogin } from './constructs/root-admin-login.js';
import { type RootAdminIdentity, RootAdminPool } from './constructs/root-admin-pool.js';

export interface KeygateStatefulStackProps extends StackProps {
  readonly config: KeygateConfig;
}

/**
 * What must outlive every redeploy: the keys table and the root admins' user pool. Both are retained
 * when the stack is deleted and protected against deletion; the stateless stack can be destroyed and
 * redeployed at will.
 */
export class KeygateStatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly rootAdminIdentity: RootAdminIdentity;
  /** With Cognito: the user pool and its managed login, where the console's app client goes. */
  readonly rootAdminLogin?: { readonly pool: RootAdminPool; readonly login: RootAdminLogin };

  constructor(scope: Construct, id: string, props: KeygateStatefulStackProps) {
    super(scope, id, props);
    const { expiryIndex } = TABLE_KEYS;
    this.table = new dynamodb.Table(this, 'Keys', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      // On demand: traffic follows the company's API calls, which keygate cannot predict.
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // AWS-managed KMS key (aws/dynamodb): encrypted at rest with CloudTrail-logged key use, no key
      // policy to get wrong, no extra kms grants on the authorizer's hot path and no monthly key cost.
      // The table holds digests, never keys; a customer-managed key adds no protection for them.
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // The audit items' outbox (infra/constructs/audit-event-publishing.ts): each new item, whole.
      // Adding a stream to an existing table is an in-place update (no replacement, data kept).
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: expiryIndex.name,
      partitionKey: { name: expiryIndex.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: expiryIndex.sortKey, type: dynamodb.AttributeType.STRING },
      // The notifier renders the email from the index items alone (no read back to the table), and
      // the index holds only what the email shows: never a key's digest.
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...expiryIndex.projectedAttributes],
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The keys table (retained)',
    });

    const idp = props.config.identityProvider;
    if (idp.type === 'cognito') {
      const pool = new RootAdminPool(this, 'RootAdmins');
      this.rootAdminIdentity = pool.identity;
      const login = new RootAdminLogin(this, 'RootAdminLogin', {
        userPool: pool.userPool,
        stage: props.config.stage,
      });
      this.rootAdminLogin = { pool, login };
      new CfnOutput(this, 'ManagedLoginUrl', {
        value: login.baseUrl,
        description: 'Root admins sign in here (Cognito managed login)',
      });
      new CfnOutput(this, 'UserPoolId', { value: pool.userPool.userPoolId, description: 'Root admins' });
      new CfnOutput(this, 'UserPoolClientId', {
        value: pool.client.userPoolClientId,
        description:
          'App client for root admin sign-in over the Cognito API (initiate-auth; ID token audience)',
      });
      new CfnOutput(this, 'CliClientId', {
        value: login.cliClient.userPoolClientId,
        description: 'App client keygate login signs in with (managed login, loopback redirect, PKCE)',
      });
      new CfnOutput(this, 'OidcIssuer', { value: pool.identity.issuer });
    } else {
      this.rootAdminIdentity = {
        issuer: idp.issuer,
        audience: idp.audience,
        jwksUri: idp.jwksUri,
        companyClaim: idp.companyClaim,
        groupsClaim: idp.groupsClaim,
        rootAdminGroup: idp.rootAdminGroup,
        ...(idp.tokenUse === undefined ? {} : { tokenUse: idp.tokenUse }),
      };
    }
  }
}
