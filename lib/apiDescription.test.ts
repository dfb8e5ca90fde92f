/** Template assertions for the API's self-description: its routes, reference page, integrator clients and low-code auth. */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

type Resource = { Properties: Record<string, any> };
const noBundling = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const synth = (props: CustomerManagementStackProps = {}) =>
  Template.fromStack(new CustomerManagementStack(noBundling(), 'Described', props));
const all = (template: Template, type: string) =>
  Object.values(template.findResources(type) as Record<string, Resource>);
const BASE = '/tmf-api/customerManagement/v4';

function methodsByPath(template: Template): Map<string, Resource> {
  const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, Resource>;
  const pathOf = (id: string): string => {
    const resource = resources[id];
    if (!resource) return '';
    const parent = resource.Properties.ParentId;
    return `${parent.Ref ? pathOf(parent.Ref as string) : ''}/${resource.Properties.PathPart as string}`;
  };
  const byPath = new Map<string, Resource>();
  for (const method of all(template, 'AWS::ApiGateway::Method')) {
    if (method.Properties.ResourceId.Ref)
      byPath.set(`${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId.Ref)}`, method);
  }
  return byPath;
}
const describeFunction = (template: Template) =>
  all(template, 'AWS::Lambda::Function').find((fn) => fn.Properties.Description === 'TMF629 describeApi');

describe('the API description in the stack', () => {
  const template = synth();
  const methods = methodsByPath(template);

  it('serves openapi.json and swagger.json from their own function, readable without a token', () => {
    for (const file of ['openapi.json', 'swagger.json']) {
      const method = methods.get(`GET ${BASE}/${file}`);
      expect(method?.Properties).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY' } });
      expect(JSON.stringify(method?.Properties.Integration.Uri)).toContain('describeApi');
    }
    const env = describeFunction(template)?.Properties.Environment.Variables;
    expect(env.API_SECURITY).toBe('oauth2');
    expect(JSON.stringify(env.OAUTH2_TOKEN_URL)).toContain('/oauth2/token');
    expect(env.OAUTH2_AUTHORIZATION_URL).toBeUndefined();
    expect(Object.keys(template.findOutputs('OpenApiUrl'))).toHaveLength(1);
  });

  it('keeps the description out of the customer functions (their bundles do not grow)', () => {
    const customerFunctions = all(template, 'AWS::Lambda::Function').filter((fn) =>
      /^TMF629 (list|create|retrieve|patch|delete)Customer$/.test(fn.Properties.Description ?? ''),
    );
    expect(customerFunctions).toHaveLength(5);
    for (const fn of customerFunctions) expect(fn.Properties.Environment.Variables.API_SECURITY).toBeUndefined();
  });

  it('serves the reference page from S3 through API Gateway, with no Lambda in between', () => {
    const page = methods.get(`GET ${BASE}/docs`);
    const file = methods.get(`GET ${BASE}/docs/{file}`);
    for (const method of [page, file]) {
      expect(method?.Properties.AuthorizationType).toBe('NONE');
      expect(method?.Properties.Integration).toMatchObject({ Type: 'AWS', IntegrationHttpMethod: 'GET' });
      expect(JSON.stringify(method?.Properties.Integration.Uri)).toContain(':s3:path/');
      expect(method?.Properties.Integration.Credentials).toBeDefined();
    }
    expect(JSON.stringify(page?.Properties.Integration.Uri)).toContain('/docs/index.html');
    expect(file?.Properties.Integration.RequestParameters).toEqual({
      'integration.request.path.file': 'method.request.path.file',
    });
    const [deployment] = all(template, 'Custom::CDKBucketDeployment');
    expect(deployment?.Properties).toMatchObject({ DestinationBucketKeyPrefix: 'docs/', Prune: true });
    const [bucket] = all(template, 'AWS::S3::Bucket');
    expect(bucket?.Properties.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const reader = all(template, 'AWS::IAM::Policy').find((p) =>
      JSON.stringify(p.Properties.PolicyName).includes('ReferenceReader'),
    );
    expect(reader?.Properties.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Effect: 'Allow' }),
    ]);
    expect(Object.keys(template.findOutputs('ApiReferenceUrl'))).toHaveLength(1);
  });

  it('leaves the reference page out with apiReference=false', () => {
    const without = synth({ apiReference: false });
    expect([...methodsByPath(without).keys()].filter((key) => key.includes('/docs'))).toEqual([]);
    expect(all(without, 'Custom::CDKBucketDeployment')).toEqual([]);
    expect(methodsByPath(without).get(`GET ${BASE}/openapi.json`)).toBeDefined();
  });

  it('requires a read token for the description and the page with protectApiDescription', () => {
    const protectedMethods = methodsByPath(synth({ protectApiDescription: true }));
    for (const path of ['openapi.json', 'swagger.json', 'docs', 'docs/{file}']) {
      expect(protectedMethods.get(`GET ${BASE}/${path}`)?.Properties).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizationScopes: ['tmf629/customer.read'],
      });
    }
  });

  it('describes SigV4 in iam mode', () => {
    expect(describeFunction(synth({ authMode: 'iam' }))?.Properties.Environment.Variables.API_SECURITY).toBe('sigv4');
  });
});

describe('integrator app clients', () => {
  const template = synth({
    integrationClients: ['crm:read', 'billing:read+write'],
    authorizationCodeClients: [
      'powerPlatform:read+write',
      'salesforce:read=https://acme.my.salesforce.com/services/authcallback/tmf629',
    ],
  });
  const clients = all(template, 'AWS::Cognito::UserPoolClient');
  const named = (name: string) => clients.find((c) => c.Properties.ClientName === name)?.Properties;
  const scopes = (props: Record<string, any> | undefined) => JSON.stringify(props?.AllowedOAuthScopes);

  it('gives each integrating system its own client-credentials client with only its scopes, as an output', () => {
    expect(named('tmf629-crm')).toMatchObject({ AllowedOAuthFlows: ['client_credentials'], GenerateSecret: true });
    expect(scopes(named('tmf629-crm'))).toContain('customer.read');
    expect(scopes(named('tmf629-crm'))).not.toContain('customer.write');
    expect(scopes(named('tmf629-billing'))).toContain('customer.write');
    expect(scopes(named('tmf629-billing'))).not.toContain('/hub');
    expect(Object.keys(template.findOutputs('IntegrationClientCrmId'))).toHaveLength(1);
    expect(Object.keys(template.findOutputs('IntegrationClientBillingId'))).toHaveLength(1);
    expect(named('tmf629-integration')).toBeDefined(); // the operations client stays
  });

  it('gives low-code tools authorization-code clients returning to their redirect URLs', () => {
    expect(named('tmf629-powerPlatform')).toMatchObject({
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://global.consent.azure-apim.net/redirect', 'https://oauth.pstmn.io/v1/callback'],
      SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: true,
    });
    expect(named('tmf629-salesforce')?.CallbackURLs).toEqual([
      'https://acme.my.salesforce.com/services/authcallback/tmf629',
    ]);
    expect(scopes(named('tmf629-salesforce'))).not.toContain('customer.write');
    expect(Object.keys(template.findOutputs('AuthorizationCodeClientPowerPlatformId'))).toHaveLength(1);
    expect(Object.keys(template.findOutputs('AuthorizationEndpoint'))).toHaveLength(1);
    expect(
      JSON.stringify(describeFunction(template)?.Properties.Environment.Variables.OAUTH2_AUTHORIZATION_URL),
    ).toContain('/oauth2/authorize');
  });

  it('refuses clients without OAuth2, and a malformed declaration, at synth', () => {
    expect(() => synth({ authMode: 'iam', integrationClients: ['crm:read'] })).toThrow(/authMode cognito/);
    expect(() => synth({ integrationClients: ['crm:admin'] })).toThrow(/access must be/);
  });

  it('leaves cdk-nag with no unresolved finding', () => {
    const app = noBundling();
    new CustomerManagementStack(app, 'Nagged', {
      env: { account: '123456789012', region: 'eu-west-1' },
      integrationClients: ['crm:read'],
      authorizationCodeClients: ['powerPlatform:read+write'],
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
