import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { basePathOf, operations } from '../functions/operations.js';
import { CURSOR_KEY_PARTITION, customerTable, indexList } from '../functions/repository/customerTable.js';
import { CustomerManagementStack } from './customerManagementStack.js';

let template: Template;

beforeAll(() => {
  // Template assertions do not need real bundles; `cdk synth` in CI bundles for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(
    new CustomerManagementStack(app, 'Test', {
      publicBaseUrl: 'https://api.example.com/tmf-api/customerManagement/v4',
    }),
  );
});

type Resource = { Properties: Record<string, any> };

function functionLogicalIdOf(operationId: string): string {
  const [id] =
    Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).find(
      ([, fn]) => fn.Properties.Description === `TMF629 ${operationId}`,
    ) ?? [];
  if (!id) throw new Error(`no function for ${operationId}`);
  return id;
}

type Statement = { Action: string | string[]; Resource: unknown };

function statementsOf(operationId: string): Statement[] {
  const fnId = functionLogicalIdOf(operationId);
  const fn = template.findResources('AWS::Lambda::Function')[fnId] as Resource;
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter(
    (policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** DynamoDB actions granted to an operation's function (X-Ray tracing grants are left aside). */
function policyActionsOf(operationId: string): string[] {
  return statementsOf(operationId)
    .flatMap((s) => [s.Action].flat())
    .filter((action) => action.startsWith('dynamodb:'));
}

describe('CustomerManagementStack', () => {
  it('has one on-demand table with the keys and indexes of the shared table shape, protected from loss', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: customerTable.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: customerTable.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: indexList.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: index.include
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
            : { ProjectionType: 'KEYS_ONLY' },
        })),
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('has one arm64 Node.js 24 function per TMF629 operation, with tracing and the table name', () => {
    // ... plus the two notification functions (stream publisher, delivery) and the health check.
    // + health, the two notification functions, describeApi and the reference page's copier (a CDK custom resource)
    template.resourceCountIs('AWS::Lambda::Function', operations.length + 5);
    for (const operation of operations) {
      const fn = template.findResources('AWS::Lambda::Function')[
        functionLogicalIdOf(operation.operationId)
      ] as Resource;
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            TABLE_NAME: expect.anything(),
            PUBLIC_BASE_URL: 'https://api.example.com/tmf-api/customerManagement/v4',
          },
        },
      });
    }
  });

  it('routes each TMF629 method and path to its own function', () => {
    const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, Resource>;
    const pathOf = (id: string): string => {
      const resource = resources[id];
      if (!resource) return '';
      const parent = resource.Properties.ParentId;
      const parentPath = parent.Ref ? pathOf(parent.Ref as string) : '';
      return `${parentPath}/${resource.Properties.PathPart as string}`;
    };
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Record<string, Resource>);
    for (const operation of operations) {
      const fnId = functionLogicalIdOf(operation.operationId);
      const method = methods.find(
        (m) =>
          m.Properties.HttpMethod === operation.method &&
          pathOf(m.Properties.ResourceId.Ref as string) === `${basePathOf(operation)}${operation.path}`,
      );
      expect(method, `${operation.method} ${operation.path}`).toBeDefined();
      expect(method?.Properties.Integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(method?.Properties.Integration.Uri)).toContain(fnId);
    }
  });

  it('answers other methods on known resources with a 405 TMF Error from the gateway', () => {
    const anyMethods = Object.values(
      template.findResources('AWS::ApiGateway::Method') as Record<string, Resource>,
    ).filter((m) => m.Properties.HttpMethod === 'ANY');
    expect(anyMethods).toHaveLength(8); // /customer, /customer/{id}, /hub, /hub/{id}, in v4 and v5
    for (const method of anyMethods) {
      expect(method.Properties.Integration.Type).toBe('MOCK');
      const response = method.Properties.Integration.IntegrationResponses[0];
      expect(response.StatusCode).toBe('405');
      expect(response.ResponseTemplates['application/json']).toContain('"@type":"Error"');
    }
  });

  it('grants each function exactly the DynamoDB actions it performs: reads only for GETs', () => {
    expect(policyActionsOf('retrieveCustomer').sort()).toEqual(['dynamodb:GetItem']);
    expect(policyActionsOf('listCustomer').sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Query',
      'dynamodb:Scan',
    ]);
    // The list function writes one item only: the key that signs its cursors.
    const put = statementsOf('listCustomer').find((s) =>
      [s.Action].flat().includes('dynamodb:PutItem'),
    ) as Statement & {
      Condition: unknown;
    };
    expect(put.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CURSOR_KEY_PARTITION] },
    });
    expect(policyActionsOf('createCustomer').sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(policyActionsOf('patchCustomer').sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(policyActionsOf('deleteCustomer').sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
    for (const operation of operations) {
      const dynamoStatements = statementsOf(operation.operationId).filter((s) =>
        [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
      );
      for (const statement of dynamoStatements) {
        expect([statement.Action].flat().some((action) => action.includes('*'))).toBe(false);
        // Exact table and index ARNs, never a wildcard.
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
      }
    }
    const listIndexResources = JSON.stringify(statementsOf('listCustomer').map((s) => s.Resource));
    for (const index of Object.values(customerTable.indexes))
      expect(listIndexResources).toContain(`/index/${index.indexName}`);
  });

  it('gives the gateway’s own error answers the TMF Error body', () => {
    const responses = Object.values(
      template.findResources('AWS::ApiGateway::GatewayResponse') as Record<string, Resource>,
    );
    const byType = new Map(responses.map((r) => [r.Properties.ResponseType as string, r.Properties]));
    for (const [type, status] of [
      ['MISSING_AUTHENTICATION_TOKEN', '404'],
      ['THROTTLED', '429'],
      ['REQUEST_TOO_LARGE', '413'],
      ['UNAUTHORIZED', '401'],
      ['ACCESS_DENIED', '403'],
      ['DEFAULT_4XX', '400'],
      ['DEFAULT_5XX', '500'],
    ] as const) {
      const response = byType.get(type);
      expect(response, type).toBeDefined();
      expect(response?.StatusCode).toBe(status);
      const body = response?.ResponseTemplates['application/json'] as string;
      expect(body).toContain('"@type":"Error"');
      expect(body).toContain(`"status":"${status}"`);
    }
    // RFC 6750 §3: the gateway's own 401 names the Bearer scheme, as the functions' 401s do.
    expect(byType.get('UNAUTHORIZED')?.ResponseParameters['gatewayresponse.header.WWW-Authenticate']).toBe(
      `'Bearer realm="tmf629"'`,
    );
  });

  it('tells the functions that calls carry token claims, so registerListener can require customer read too', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    const registerListener = functions.find((fn) => fn.Properties.Description === 'TMF629 registerListener');
    expect(registerListener?.Properties.Environment.Variables.REQUIRE_TOKEN_SCOPES).toBe('true');
  });
});

describe('indexed attributes as configuration', () => {
  const synth = (indexedAttributes: string[]) =>
    Template.fromStack(
      new CustomerManagementStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Indexed', {
        indexedAttributes,
        importJob: true,
      }),
    );

  it('gives every function that writes or reads lookups the configured attributes', () => {
    const indexed = synth(['contactMedium.characteristic.city', 'characteristic[segment].value']);
    const functions = Object.values(indexed.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    const withTable = functions.filter((fn) => fn.Properties.Environment?.Variables?.TABLE_NAME);
    const described = (name: string) =>
      withTable.find((fn) => fn.Properties.Description === `TMF629 ${name}`)?.Properties.Environment.Variables;
    for (const name of [
      'listCustomer',
      'createCustomer',
      'patchCustomer',
      'deleteCustomer',
      'importCustomerBatch',
      'recountCustomers',
    ]) {
      expect(described(name)?.INDEXED_ATTRIBUTES, name).toBe(
        'contactMedium.characteristic.city,characteristic[segment].value',
      );
    }
  });

  it('leaves the environment alone without configured attributes, and refuses one that cannot be indexed', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Resource>);
    expect(functions.some((fn) => fn.Properties.Environment?.Variables?.INDEXED_ATTRIBUTES)).toBe(false);
    expect(() => synth(['contactMedium.characteristic.town'])).toThrow(/not an attribute of Customer/);
    expect(() => synth(['validFor.startDateTime'])).toThrow(/date-time/);
  });

  it('keeps the old list index for one deploy when upgrading (CloudFormation changes one index per update)', () => {
    const upgrading = Template.fromStack(
      new CustomerManagementStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Upgrading', {
        legacyListIndex: true,
      }),
    );
    const [table] = Object.values(upgrading.findResources('AWS::DynamoDB::GlobalTable') as Record<string, Resource>);
    const names = (table?.Properties.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName);
    expect(names).toEqual([...indexList.map((index) => index.indexName), 'byCreation']);
  });

  it('answers GET /health outside the TMF base path, without credentials, from a function that may only read', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Record<string, Resource>);
    const health = methods.find((method) => method.Properties.OperationName === 'health');
    expect(health?.Properties).toMatchObject({ HttpMethod: 'GET', AuthorizationType: 'NONE' });
    const resource = template.findResources('AWS::ApiGateway::Resource')[health?.Properties.ResourceId.Ref] as Resource;
    expect(resource.Properties.PathPart).toBe('health');
    expect(resource.Properties.ParentId).toHaveProperty('Fn::GetAtt');
    expect(policyActionsOf('health')).toEqual(['dynamodb:GetItem']);
  });
});
