/**
 * Who may call the API. Default: a Cognito user pool whose resource server defines OAuth2 scopes
 * for machine clients (client-credentials grant), checked by API Gateway per method:
 *   customer.read   GET /customer, GET /customer/{id}
 *   customer.write  POST, PATCH, DELETE
 *   hub             event subscriptions (/hub)
 * With `authMode: 'iam'`, every method requires SigV4-signed requests instead.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AuthorizationType, CognitoUserPoolsAuthorizer, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

import { RESOURCE_SERVER_ID, SCOPE_NAMES, scopeOf, type Access } from '../functions/operations.js';

export type AuthMode = 'cognito' | 'iam';

export interface ApiAuthorizationProps {
  readonly mode: AuthMode;
  /** Cognito hosted domain prefix for the token endpoint (globally unique in the region). */
  readonly domainPrefix?: string;
  /** Keep the user pool (deletion protection, retained) when the stack goes (default true). */
  readonly retain?: boolean;
}

export class ApiAuthorization extends Construct {
  readonly mode: AuthMode;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  private readonly authorizer?: CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ApiAuthorizationProps) {
    super(scope, id);
    this.mode = props.mode;
    if (props.mode !== 'cognito') return;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-clients`,
      // Machine clients only: nobody signs up, and any human user an operator adds is held to MFA.
      selfSignUpEnabled: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.NONE,
      deletionProtection: props.retain ?? true,
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const scopes = Object.fromEntries(
      (Object.keys(SCOPE_NAMES) as Access[]).map((access) => [
        access,
        new ResourceServerScope({ scopeName: SCOPE_NAMES[access], scopeDescription: `TMF629 ${access} access` }),
      ]),
    ) as Record<Access, ResourceServerScope>;
    const resourceServer = new UserPoolResourceServer(this, 'ResourceServer', {
      userPool: this.userPool,
      identifier: RESOURCE_SERVER_ID,
      scopes: Object.values(scopes),
    });
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `tmf629-${this.node.addr.slice(0, 12)}` },
    });
    this.client = this.userPool.addClient('IntegrationClient', {
      userPoolClientName: 'tmf629-integration',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: Object.values(scopes).map((s) => OAuthScope.resourceServer(resourceServer, s)),
      },
      accessTokenValidity: Duration.hours(1),
    });
    this.authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.userPool] });

    new CfnOutput(Stack.of(this), 'TokenEndpoint', { value: `${domain.baseUrl()}/oauth2/token` });
    new CfnOutput(Stack.of(this), 'IntegrationClientId', { value: this.client.userPoolClientId });
    new CfnOutput(Stack.of(this), 'UserPoolId', { value: this.userPool.userPoolId });
  }

  /** Method options requiring the given access. */
  methodOptions(access: Access): MethodOptions {
    if (this.mode === 'iam') return { authorizationType: AuthorizationType.IAM };
    return {
      authorizationType: AuthorizationType.COGNITO,
      authorizer: this.authorizer,
      authorizationScopes: [scopeOf(access)],
    };
  }
}
