/** Template assertions for what a CSP's security and operations review asks of the deployed stack. */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, User } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { operations, scopeOf, accessOf } from '../functions/operations.js';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };

function stackWith(props: CustomerManagementStackProps = {}) {
  // Template assertions do not need real bundles; `cdk synth` in CI bundles for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CustomerManagementStack(app, 'Test', props);
  return {
    app,
    stack,
    get template() {
      return Template.fromStack(stack);
    },
  };
}

const full: CustomerManagementStackProps = {
  // A customer-managed key on a TableV2 needs a concrete region.
  env: { account: '123456789012', region: 'eu-west-1' },
  corsAllowOrigins: ['https://portal.example.com'],
  backup: true,
  createEncryptionKey: true,
  webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/tmf/abc',
  alarmEmail: 'ops@example.com',
};

const resources = (template: Template, type: string) =>
  Object.values(template.findResources(type) as Record<string, Resource>);
/** The stack's own functions (not the CDK's custom-resource helpers, which aws-cdk-lib defines). */
const ourFunctions = (template: Template) =>
  resources(template, 'AWS::Lambda::Function').filter((fn) => /^TMF629 /.test(fn.Properties.Description ?? ''));
const OPEN_OPERATIONS = [
  'health',
  'healthHead',
  'describeApiOpenApi',
  'describeApiOpenApiHead',
  'describeApiSwagger',
  'describeApiSwaggerHead',
  'describeApiV5',
  'describeApiV5Head',
  'apiReference',
  'apiReferenceFile',
];

describe('authorisation', () => {
  it('requires Cognito scopes on every method: read for GETs (and the 405 catch-all), write otherwise', () => {
    const { template } = stackWith();
    // health and the API's description are open by design (lib/apiDescription.test.ts covers them).
    const methods = resources(template, 'AWS::ApiGateway::Method').filter(
      (method) => !OPEN_OPERATIONS.includes(method.Properties.OperationName),
    );
    expect(methods.length).toBeGreaterThan(0);
    const hubScope = scopeOf('hub');
    for (const method of methods) {
      expect(method.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
      const [scope] = method.Properties.AuthorizationScopes as string[];
      const allowed = ['GET', 'HEAD', 'ANY'].includes(method.Properties.HttpMethod)
        ? [scopeOf('read'), hubScope]
        : [scopeOf('write'), hubScope];
      expect(allowed).toContain(scope);
    }
    // HEAD answers as GET does, with the GET's scope.
    for (const head of methods.filter((m) => m.Properties.HttpMethod === 'HEAD')) {
      const get = methods.find(
        (m) => m.Properties.HttpMethod === 'GET' && m.Properties.ResourceId.Ref === head.Properties.ResourceId.Ref,
      );
      expect(head.Properties.AuthorizationScopes).toEqual(get?.Properties.AuthorizationScopes);
    }
    // Each operation's method carries exactly its own scope (hub operations: the hub scope).
    for (const operation of operations) {
      expect(
        methods.some(
          (m) =>
            m.Properties.HttpMethod === operation.method &&
            m.Properties.AuthorizationScopes[0] === scopeOf(accessOf(operation)),
        ),
      ).toBe(true);
    }
  });

  it('has a user pool for machine clients: resource server scopes and a client-credentials client', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'tmf629',
      Scopes: Match.arrayWith([
        Match.objectLike({ ScopeName: 'customer.read' }),
        Match.objectLike({ ScopeName: 'customer.write' }),
        Match.objectLike({ ScopeName: 'hub' }),
      ]),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const client = resources(template, 'AWS::Cognito::UserPoolClient')[0];
    expect(JSON.stringify(client?.Properties.AllowedOAuthScopes)).toMatch(/customer\.read.*customer\.write.*hub/);
  });

  it('switches every method to IAM authorisation with authMode=iam, and creates no user pool', () => {
    const { template } = stackWith({ authMode: 'iam' });
    for (const method of resources(template, 'AWS::ApiGateway::Method'))
      expect(method.Properties.AuthorizationType).toBe(
        OPEN_OPERATIONS.includes(method.Properties.OperationName) ? 'NONE' : 'AWS_IAM',
      );
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
  });
});

describe('least privilege', () => {
  it('gives each function its own role, with no managed policy, writing only its own log group', () => {
    const { template } = stackWith();
    const functions = ourFunctions(template);
    const roles = new Set(functions.map((fn) => fn.Properties.Role['Fn::GetAtt'][0]));
    expect(roles.size).toBe(functions.length);
    const roleResources = template.findResources('AWS::IAM::Role') as Record<string, Resource>;
    for (const roleId of roles) {
      expect(roleResources[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
      const statements = resources(template, 'AWS::IAM::Policy')
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      const logs = statements.filter((s: { Action: string[] }) => [s.Action].flat().some((a) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      expect(JSON.stringify(logs[0].Resource)).toMatch(/Logs[0-9A-F]{8}/);
    }
  });
});

describe('data protection', () => {
  it('keeps the table: point-in-time recovery, deletion protection, retained on stack deletion, encrypted with a KMS key', () => {
    const { template } = stackWith();
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  });

  it('uses a rotating customer-managed key and an AWS Backup plan when asked', () => {
    const { template } = stackWith(full);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ SSESpecification: { KMSMasterKeyId: Match.anyValue() } })],
    });
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    template.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });
});

describe('API edge', () => {
  it('validates bodies at the gateway with models derived from the swagger', () => {
    const { template } = stackWith();
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({
        title: 'CustomerCreate',
        required: ['engagedParty', 'name'],
        properties: Match.objectLike({ engagedParty: Match.objectLike({ required: ['@referredType', 'id'] }) }),
      }),
    });
    const post = resources(template, 'AWS::ApiGateway::Method').find((m) => m.Properties.HttpMethod === 'POST');
    expect(post?.Properties.RequestValidatorId).toBeDefined();
    expect(Object.keys(post?.Properties.RequestModels ?? {})).toEqual(['application/json']);
    const patch = resources(template, 'AWS::ApiGateway::Method').find((m) => m.Properties.HttpMethod === 'PATCH');
    expect(Object.keys(patch?.Properties.RequestModels ?? {}).sort()).toEqual([
      'application/json',
      'application/json-patch+json',
      'application/json-patch-query+json',
      'application/merge-patch+json',
    ]);
  });

  it('throttles the stage, writes JSON access logs and traces with X-Ray', () => {
    const { template } = stackWith({ throttlingRateLimit: 50, throttlingBurstLimit: 100 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"'),
      },
      MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })]),
    });
  });

  it('associates a WAF web ACL and answers CORS preflights only when configured', () => {
    const plain = stackWith().template;
    plain.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(resources(plain, 'AWS::ApiGateway::Method').some((m) => m.Properties.HttpMethod === 'OPTIONS')).toBe(false);
    const configured = stackWith(full).template;
    configured.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: full.webAclArn });
    const options = resources(configured, 'AWS::ApiGateway::Method').filter(
      (m) => m.Properties.HttpMethod === 'OPTIONS',
    );
    expect(options.length).toBeGreaterThan(0);
    expect(JSON.stringify(options[0]?.Properties.Integration)).toContain('https://portal.example.com');
  });
});

describe('observability', () => {
  it('alarms on 5xx rate, p99 latency, Lambda and DynamoDB throttles and notification dead letters, to an encrypted SNS topic', () => {
    const { template } = stackWith({ alarmEmail: 'ops@example.com' });
    const alarms = resources(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(7); // Lambda throttles: one alarm per 10 functions (16 API functions)
    const text = JSON.stringify(alarms);
    for (const metric of ['5XXError', 'Latency', 'Throttles', 'ThrottleEvents', 'ApproximateNumberOfMessagesVisible']) {
      expect(text).toContain(metric);
    }
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('gives functions structured logs and EMF metrics settings', () => {
    const { template } = stackWith();
    for (const fn of ourFunctions(template)) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'tmf629-customer',
        POWERTOOLS_METRICS_NAMESPACE: 'TMF629',
      });
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['defaults', {}],
    ['every option', full],
    ['IAM authorisation', { authMode: 'iam' as const }],
  ])('has no unresolved finding with %s', (_label, props) => {
    const { app } = stackWith(props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it('is live: an unacknowledged wildcard policy fails the synth', () => {
    const { app, stack } = stackWith();
    new User(stack, 'Careless').addToPolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
