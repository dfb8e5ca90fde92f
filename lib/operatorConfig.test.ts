/** Template assertions for deployment as configuration: custom domain, sizing and alarm keys, stages side by side. */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };
const noBundling = () => new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const resources = (template: Template, type: string) =>
  Object.values(template.findResources(type) as Record<string, Resource>);
const synth = (props: CustomerManagementStackProps) =>
  Template.fromStack(new CustomerManagementStack(noBundling(), 'Operated', props));
const apiFunctions = (template: Template) =>
  resources(template, 'AWS::Lambda::Function').filter((fn) =>
    /^TMF629 (list|create|retrieve|patch|delete)Customer$/.test(fn.Properties.Description ?? ''),
  );

describe('a custom domain', () => {
  const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';
  const template = synth({ domainName: 'api.example.com', certificateArn });

  it('is a regional TLS 1.2 domain name mapped to the stage at its root', () => {
    const [domain] = resources(template, 'AWS::ApiGateway::DomainName');
    expect(domain?.Properties).toMatchObject({
      DomainName: 'api.example.com',
      RegionalCertificateArn: certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    const [mapping] = resources(template, 'AWS::ApiGateway::BasePathMapping');
    expect(mapping?.Properties.BasePath).toBeUndefined();
    expect(mapping?.Properties.Stage).toBeDefined();
    expect(Object.keys(template.findOutputs('CustomDomainTarget'))).toHaveLength(1);
  });

  it('puts every href, Location and event link on it', () => {
    const base = 'https://api.example.com/tmf-api/customerManagement/v4';
    const withTable = resources(template, 'AWS::Lambda::Function').filter(
      (fn) => fn.Properties.Environment?.Variables?.TABLE_NAME,
    );
    const publishers = withTable.filter((fn) => fn.Properties.Environment.Variables.PUBLIC_BASE_URL !== undefined);
    expect(apiFunctions(template).every((fn) => fn.Properties.Environment.Variables.PUBLIC_BASE_URL === base)).toBe(
      true,
    );
    expect(publishers.some((fn) => fn.Properties.Description === 'TMF629 publishCustomerEvents')).toBe(true);
    expect(template.findOutputs('CustomerApiBaseUrl').CustomerApiBaseUrl?.Value).toBe(`${base}/`);
  });

  it('needs its certificate', () => {
    expect(() => synth({ domainName: 'api.example.com' })).toThrow(/certificateArn/);
  });
});

describe('sizing and alarm thresholds as context', () => {
  it('sets function memory, the read budgets and the alarm thresholds', () => {
    const template = synth({
      functionMemoryMb: 1024,
      maxQueryReadItems: 50_000,
      listCountAhead: 2000,
      alarmServerErrorPercent: 5,
      alarmLatencyP99Ms: 1500,
    });
    for (const fn of apiFunctions(template)) {
      expect(fn.Properties.MemorySize).toBe(1024);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        MAX_QUERY_READ_ITEMS: '50000',
        LIST_COUNT_AHEAD: '2000',
      });
    }
    const thresholds = resources(template, 'AWS::CloudWatch::Alarm').map((alarm) => alarm.Properties.Threshold);
    expect(thresholds).toEqual(expect.arrayContaining([5, 1500]));
  });

  it('refuses values that make no sense, at synth', () => {
    expect(() => synth({ functionMemoryMb: 64 })).toThrow(/functionMemoryMb/);
    expect(() => synth({ alarmServerErrorPercent: 150 })).toThrow(/alarmServerErrorPercent/);
    expect(() => synth({ listCountAhead: -1 })).toThrow(/listCountAhead/);
  });
});

describe('stages side by side', () => {
  it('synthesizes two stages into one app without a name that clashes, both cdk-nag clean', () => {
    const app = noBundling();
    const stacks = ['tmf629-test', 'tmf629-prod'].map(
      (name) => new CustomerManagementStack(app, name, { stageName: name.split('-')[1] }),
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const named = (template: Template) => ({
      pools: resources(template, 'AWS::Cognito::UserPool').map((p) => p.Properties.UserPoolName),
      domains: resources(template, 'AWS::Cognito::UserPoolDomain').map((d) => d.Properties.Domain),
      stages: resources(template, 'AWS::ApiGateway::Stage').map((s) => s.Properties.StageName),
    });
    const [test, prod] = stacks.map((stack) => named(Template.fromStack(stack)));
    for (const key of ['pools', 'domains', 'stages'] as const) {
      expect(test?.[key]).toHaveLength(1);
      expect(test?.[key]?.[0]).not.toEqual(prod?.[key]?.[0]);
    }
    const messages = app
      .synth()
      .stacks.flatMap((stack) => stack.messages)
      .filter((m) => m.level === 'error');
    expect(messages.map((m) => m.entry.data)).toEqual([]);
  });

  it('lets a throw-away stage take its data with it, and keeps it by default', () => {
    const kept = synth({});
    const [table] = resources(kept, 'AWS::DynamoDB::GlobalTable') as (Resource & { DeletionPolicy?: string })[];
    expect(table?.DeletionPolicy).toBe('Retain');
    const gone = synth({ dataRemovalPolicy: 'destroy' });
    const [throwAway] = resources(gone, 'AWS::DynamoDB::GlobalTable') as (Resource & { DeletionPolicy?: string })[];
    expect(throwAway?.DeletionPolicy).toBe('Delete');
    expect(JSON.stringify(throwAway?.Properties)).not.toContain('"DeletionProtectionEnabled":true');
    const [pool] = resources(gone, 'AWS::Cognito::UserPool');
    expect(pool?.Properties.DeletionProtection).toBe('INACTIVE');
  });
});
