/**
 * Who may call the API. Default: a Cognito user pool whose resource server defines OAuth2 scopes
 * for machine clients (client-credentials grant), checked by API Gateway per method:
 *   customer.read   GET /customer, GET /customer/{id}
 *   customer.write  POST, PATCH, DELETE
 *   hub             event subscriptions (/hub)
 * With `authMode: 'iam'`, every method requires SigV4-signed requests instead.
 *
 * Besides the default IntegrationClient (all three scopes, for operations and the CTK), one app
 * client per integrating system (`integrationClients`, client credentials) and, for low-code tools
 * that cannot use client credentials (Power Platform connectors, Salesforce Named Credentials),
 * authorization-code clients (`authorizationCodeClients`): a person signs in once, through the
 * pool's hosted sign-in page, and the tool keeps refreshing its token.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AuthorizationType, CognitoUserPoolsAuthorizer, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  UserPoolClientIdentityProvider,
  AccountRecovery,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { clientLogicalName, DEFAULT_CALLBACK_URLS, type IntegrationClientSpec } from './integrationClients.js';

import { RESOURCE_SERVER_ID, SCOPE_NAMES, scopeOf, type Access } from '../functions/operations.js';

export type AuthMode = 'cognito' | 'iam';

export interface ApiAuthorizationProps {
  readonly mode: AuthMode;
  /** Cognito hosted domain prefix for the token endpoint (globally unique in the region). */
  readonly domainPrefix?: string;
  /** Keep the user pool (deletion protection, retained) when the stack goes (default true). */
  readonly retain?: boolean;
  /** One client-credentials app client per integrating system, with only its scopes. */
  readonly integrationClients?: readonly IntegrationClientSpec[];
  /** Authorization-code app clients for low-code tools. */
  readonly authorizationCodeClients?: readonly IntegrationClientSpec[];
}

export class ApiAuthorization extends Construct {
  readonly mode: AuthMode;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  /** Per-system and low-code clients, by the name they were declared with. */
  readonly integrationClients = new Map<string, UserPoolClient>();
  readonly authorizationCodeClients = new Map<string, UserPoolClient>();
  /** The OAuth2 endpoints (cognito mode). */
  readonly tokenUrl?: string;
  readonly authorizationUrl?: string;
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
    const scopesOf = (spec: IntegrationClientSpec) =>
      spec.access.map((access) => OAuthScope.resourceServer(resourceServer, scopes[access]));
    const stack = Stack.of(this);
    for (const spec of props.integrationClients ?? []) {
      const id = clientLogicalName('IntegrationClient', spec.name);
      const client = this.userPool.addClient(id, {
        userPoolClientName: `tmf629-${spec.name}`,
        generateSecret: true,
        authFlows: {},
        oAuth: { flows: { clientCredentials: true }, scopes: scopesOf(spec) },
        accessTokenValidity: Duration.hours(1),
      });
      this.integrationClients.set(spec.name, client);
      new CfnOutput(stack, `${id}Id`, {
        value: client.userPoolClientId,
        description: `App client of ${spec.name} (client credentials; ${spec.access.map(scopeOf).join(' ')})`,
      });
    }
    for (const spec of props.authorizationCodeClients ?? []) {
      const id = clientLogicalName('AuthorizationCodeClient', spec.name);
      const client = this.userPool.addClient(id, {
        userPoolClientName: `tmf629-${spec.name}`,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: scopesOf(spec),
          callbackUrls: [...(spec.callbackUrls ?? DEFAULT_CALLBACK_URLS)],
        },
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: Duration.hours(1),
        // The tool refreshes its token without asking the person again for this long.
        refreshTokenValidity: Duration.days(365),
        preventUserExistenceErrors: true,
      });
      this.authorizationCodeClients.set(spec.name, client);
      new CfnOutput(stack, `${id}Id`, {
        value: client.userPoolClientId,
        description: `App client of ${spec.name} (authorization code; ${spec.access.map(scopeOf).join(' ')})`,
      });
    }

    this.tokenUrl = `${domain.baseUrl()}/oauth2/token`;
    new CfnOutput(stack, 'TokenEndpoint', { value: this.tokenUrl });
    if (this.authorizationCodeClients.size > 0) {
      this.authorizationUrl = `${domain.baseUrl()}/oauth2/authorize`;
      new CfnOutput(stack, 'AuthorizationEndpoint', { value: this.authorizationUrl });
    }
    new CfnOutput(stack, 'IntegrationClientId', { value: this.client.userPoolClientId });
    new CfnOutput(stack, 'UserPoolId', { value: this.userPool.userPoolId });
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
