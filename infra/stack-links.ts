import { Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

/**
 * Weak references from the app stack to the data stack: the data stack writes each value it
 * shares to an SSM parameter `/keygate/<stage>/<name>`, and the app stack reads it when it is
 * deployed (a CloudFormation `AWS::SSM::Parameter::Value<String>` parameter). Unlike a
 * CloudFormation export, nothing locks the value: the data stack can change what it shares (e.g.
 * switching `identityProvider`, which removes the user pool) without "Export … in use", and the
 * app stack picks the new value up on its next deploy. Deploy order stays: data, then app.
 */
export class StackLinks {
  private readonly published = new Map<string, string>();

  constructor(
    private readonly producer: Construct,
    private readonly stage: string,
  ) {}

  /**
   * The value as `consumer` may use it: a deploy-time value of the producer (a token) is published
   * once and read back through its parameter; a plain string (e.g. a configured OIDC issuer) is
   * returned as it is.
   */
  link(consumer: Construct, name: string, value: string): string {
    if (!Token.isUnresolved(value)) return value;
    const parameterName = `/keygate/${this.stage}/${name}`;
    if (!this.published.has(name)) {
      new ssm.StringParameter(this.producer, `Link-${name}`, {
        parameterName,
        stringValue: value,
        description: `keygate ${this.stage}: ${name}, read by the app stack at deploy time`,
      });
      this.published.set(name, parameterName);
    }
    return ssm.StringParameter.valueForStringParameter(consumer, parameterName);
  }
}
