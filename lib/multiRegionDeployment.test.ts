/**
 * Template assertions for the multi-Region (active-passive) deployment `-c regions=...` makes:
 * the global table and its replicas, one stack per Region on its own replica, the write-mode
 * control, Route 53 failover on health checks, the FIS drill; cdk-nag and cfn-lint on each.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../functions/config.js';
import { operations } from '../functions/operations.js';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';
import { addMultiRegionDeployment, type MultiRegionOptions } from './multiRegionDeployment.js';

type Resource = { Properties: Record<string, any>; DependsOn?: string[] };

const REGIONS = ['eu-west-1', 'eu-central-1'];
const withDomain: MultiRegionOptions = {
  regions: REGIONS,
  account: '123456789012',
  domainName: 'api.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  certificateArns: REGIONS.map((region) => `arn:aws:acm:${region}:123456789012:certificate/0f0e0d0c-1111`),
};

function deployment(options: MultiRegionOptions = withDomain, settings: CustomerManagementStackProps = {}) {
  // Template assertions do not need real bundles; `cdk synth` in CI bundles for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = addMultiRegionDeployment(app, 'Tmf629CustomerManagement', settings, options);
  return { app, stacks, templates: stacks.map((stack) => Template.fromStack(stack)) };
}

const resources = (template: Template, type: string) =>
  Object.values(template.findResources(type) as Record<string, Resource>);
const ourFunctions = (template: Template) =>
  resources(template, 'AWS::Lambda::Function').filter((fn) => /^TMF629 /.test(fn.Properties.Description ?? ''));
const functionOf = (template: Template, operationId: string) =>
  ourFunctions(template).find((fn) => fn.Properties.Description === `TMF629 ${operationId}`);
/** Every IAM action a function's role is granted on the active-Region parameter. */
const parameterActions = (template: Template, operationId: string): string[] => {
  const role = Object.entries(template.findResources('AWS::IAM::Role') as Record<string, Resource>).find(
    ([, r]) => r.Properties.Description === `TMF629 ${operationId}`,
  )?.[0];
  return resources(template, 'AWS::IAM::Policy')
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${role}"`))
    .flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    )
    .filter((statement) => JSON.stringify(statement.Resource).includes(':parameter'))
    .flatMap((statement) => [statement.Action].flat());
};

describe('multi-Region deployment', () => {
  const { stacks, templates } = deployment();
  const [primary, secondary] = templates as [Template, Template];

  it('makes one stack per Region, the primary keeping the one-Region name and the others after it', () => {
    expect(stacks.map((stack) => [stack.stackName, stack.region])).toEqual([
      ['Tmf629CustomerManagement', 'eu-west-1'],
      ['Tmf629CustomerManagement-eu-central-1', 'eu-central-1'],
    ]);
    expect(stacks[1]?.dependencies).toContain(stacks[0]);
  });

  it('owns the global table in the primary, with a replica per Region, each with PITR and deletion protection', () => {
    const [table] = resources(primary, 'AWS::DynamoDB::GlobalTable');
    const replicas = table?.Properties.Replicas as Record<string, any>[];
    expect(replicas.map((replica) => replica.Region).sort()).toEqual([...REGIONS].sort());
    for (const replica of replicas) {
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(replica.DeletionProtectionEnabled).toBe(true);
    }
    expect(table?.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    secondary.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it("serves each Region from its own replica: the secondary's functions and stream reader name its replica", () => {
    // The replica's stream ARN (it carries a timestamp) is read at deploy time in that Region.
    const [describeTable] = resources(secondary, 'Custom::AWS');
    expect(JSON.stringify(describeTable?.Properties.Update)).toMatch(
      /\\"service\\":\\"DynamoDB\\",\\"action\\":\\"describeTable\\".*Table\.LatestStreamArn/,
    );
    const [mapping] = resources(secondary, 'AWS::Lambda::EventSourceMapping').filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('LatestStreamArn'),
    );
    expect(mapping).toBeDefined();
    const retrieve = functionOf(secondary, 'retrieveCustomer');
    // The table name comes from the primary stack through CDK's cross-Region references (SSM, read at deploy).
    expect(JSON.stringify(retrieve?.Properties.Environment.Variables[ENV.tableName])).toMatch(/ExportsReader/);
    const grants = JSON.stringify(resources(secondary, 'AWS::IAM::Policy'));
    expect(grants).toContain(':dynamodb:eu-central-1:');
    expect(grants).not.toContain(':dynamodb:eu-west-1:');
  });

  it('holds the active Region in an SSM parameter in every Region, first naming the primary', () => {
    for (const template of templates) {
      template.hasResourceProperties('AWS::SSM::Parameter', {
        Name: '/Tmf629CustomerManagement/active-region',
        Value: 'eu-west-1',
        Type: 'String',
      });
    }
  });

  it('has every function that writes read the parameter, and every API and stream function know its name', () => {
    for (const template of templates) {
      const [parameterId] = Object.keys(template.findResources('AWS::SSM::Parameter'));
      for (const operation of operations) {
        const fn = functionOf(template, operation.operationId);
        expect(fn?.Properties.Environment.Variables[ENV.activeRegionParameter]).toEqual({ Ref: parameterId });
        if (operation.method === 'GET') expect(parameterActions(template, operation.operationId)).toEqual([]);
        else expect(parameterActions(template, operation.operationId)).toContain('ssm:GetParameter');
      }
      // The publisher needs its Region (the stamp it publishes), not the parameter's value.
      expect(
        functionOf(template, 'publishCustomerEvents')?.Properties.Environment.Variables[ENV.activeRegionParameter],
      ).toEqual({ Ref: parameterId });
    }
  });

  it("lets a write also consult the other Regions' copies (a newer decision there overrules this Region)", () => {
    for (const [template, other] of [
      [primary, 'eu-central-1'],
      [secondary, 'eu-west-1'],
    ] as const) {
      expect(functionOf(template, 'patchCustomer')?.Properties.Environment.Variables[ENV.deploymentRegions]).toBe(
        REGIONS.join(','),
      );
      const grants = JSON.stringify(resources(template, 'AWS::IAM::Policy'));
      expect(grants).toContain(`:ssm:${other}:`);
      expect(grants).toMatch(/parameter\/Tmf629CustomerManagement\/active-region/);
    }
  });

  it('alarms in each Region when the other Region lags behind it', () => {
    primary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicationLatency',
      Namespace: 'AWS/DynamoDB',
      Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: 'eu-central-1' }]),
      AlarmActions: Match.anyValue(),
    });
    secondary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReplicationLatency',
      Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: 'eu-west-1' }]),
    });
  });

  it('has an AWS FIS template that pauses replication to its replica, stopped by the API alarms', () => {
    for (const template of templates) {
      const [experiment] = resources(template, 'AWS::FIS::ExperimentTemplate');
      expect(experiment?.Properties.Actions.PauseReplication).toEqual({
        ActionId: 'aws:dynamodb:global-table-pause-replication',
        Parameters: { duration: 'PT10M' },
        Targets: { Tables: 'Replica' },
      });
      expect(experiment?.Properties.Targets.Replica.ResourceType).toBe('aws:dynamodb:global-table');
      const stops = JSON.stringify(experiment?.Properties.StopConditions);
      expect(stops).toMatch(/AlarmsServerErrorRate/);
      expect(stops).toMatch(/AlarmsLatencyP99/);
    }
  });

  it('points one hostname at both Regions with failover records, each on a health check of GET /health and an alarm', () => {
    for (const [template, role] of [
      [primary, 'PRIMARY'],
      [secondary, 'SECONDARY'],
    ] as const) {
      const [record] = resources(template, 'AWS::Route53::RecordSet');
      expect(record?.Properties).toMatchObject({
        Name: 'api.example.com.',
        Type: 'A',
        Failover: role,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: { EvaluateTargetHealth: true },
      });
      const checks = template.findResources('AWS::Route53::HealthCheck') as Record<string, Resource>;
      const calculated = checks[record?.Properties.HealthCheckId.Ref];
      expect(calculated?.Properties.HealthCheckConfig).toMatchObject({ Type: 'CALCULATED', HealthThreshold: 2 });
      const children = (calculated?.Properties.HealthCheckConfig.ChildHealthChecks as { Ref: string }[]).map(
        (child) => checks[child.Ref]?.Properties.HealthCheckConfig,
      );
      const endpoint = children.find((child) => child?.Type === 'HTTPS');
      expect(endpoint).toMatchObject({ Port: 443, RequestInterval: 30, FailureThreshold: 3 });
      // The Region's own execute-api host and stage (not the shared hostname), at GET /health.
      const region = REGIONS[role === 'PRIMARY' ? 0 : 1];
      expect(JSON.stringify(endpoint?.FullyQualifiedDomainName)).toContain(`.execute-api.${region}.`);
      expect(endpoint?.ResourcePath).toEqual({
        'Fn::Join': ['', ['/', { Ref: expect.stringMatching(/Stage/) }, '/health']],
      });
      expect(children).toContainEqual(
        expect.objectContaining({ Type: 'CLOUDWATCH_METRIC', InsufficientDataHealthStatus: 'Healthy' }),
      );
      // Route 53 reads only single-metric alarms with a plain statistic.
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: '5XXError',
        Statistic: 'Average',
        Period: 60,
        Threshold: 0.25,
      });
      template.hasResourceProperties('AWS::ApiGateway::DomainName', {
        DomainName: 'api.example.com',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        RegionalCertificateArn: `arn:aws:acm:${role === 'PRIMARY' ? 'eu-west-1' : 'eu-central-1'}:123456789012:certificate/0f0e0d0c-1111`,
      });
      template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
      // Links in bodies and events name the shared hostname, whichever Region answers.
      expect(functionOf(template, 'createCustomer')?.Properties.Environment.Variables[ENV.publicBaseUrl]).toBe(
        'https://api.example.com/tmf-api/customerManagement/v4',
      );
    }
  });

  it('takes a key per Region for the global table', () => {
    const keys = REGIONS.map((region) => `arn:aws:kms:${region}:123456789012:key/1111-2222`);
    const [primaryTemplate] = deployment({ regions: REGIONS, account: '123456789012', encryptionKeyArns: keys })
      .templates as [Template];
    const [table] = resources(primaryTemplate, 'AWS::DynamoDB::GlobalTable');
    expect(table?.Properties.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    const replicaKeys = (table?.Properties.Replicas as Record<string, any>[]).map((replica) => [
      replica.Region,
      replica.SSESpecification?.KMSMasterKeyId,
    ]);
    expect(replicaKeys).toEqual(expect.arrayContaining(REGIONS.map((region, i) => [region, keys[i]])));
  });

  it.each([
    ['without a custom domain', { regions: REGIONS, account: '123456789012' }],
    ['with a custom domain', withDomain],
    ['with three Regions', { regions: [...REGIONS, 'eu-north-1'], account: '123456789012' }],
  ])('has no unresolved cdk-nag finding %s', (_label, options) => {
    const { app } = deployment(options, { backup: true, alarmEmail: 'ops@example.com' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it.each([
    [{ regions: ['eu-west-1'] }, /two or more different Regions/],
    [{ regions: ['eu-west-1', 'eu-west-1'] }, /two or more different Regions/],
    [{ ...withDomain, regions: [...REGIONS, 'eu-north-1'] }, /certificateArns \(one per Region/],
    [{ ...withDomain, regions: [...REGIONS, 'eu-north-1'], certificateArns: ['a', 'b', 'c'] }, /needs exactly two/],
    [{ regions: REGIONS, encryptionKeyArns: ['arn:aws:kms:eu-west-1:1:key/a'] }, /one key per Region/],
  ] as [MultiRegionOptions, RegExp][])('refuses %j before making anything', (options, error) => {
    expect(() => deployment({ account: '123456789012', ...options })).toThrow(error);
  });

  it('refuses a one-Region certificate over Regions', () => {
    expect(() =>
      deployment(
        { regions: REGIONS, account: '123456789012' },
        { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/one' },
      ),
    ).toThrow(/certificateArns \(one ACM certificate per Region\)/);
  });

  it('refuses a one-Region key setting over Regions', () => {
    expect(() => deployment({ regions: REGIONS, account: '123456789012' }, { createEncryptionKey: true })).toThrow(
      /encryptionKeyArns/,
    );
  });
});

describe('a one-Region deployment', () => {
  it('stays as it was: one table, no replica, no active-Region parameter, no failover, no drill', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const template = Template.fromStack(
      new CustomerManagementStack(app, 'Single', { env: { account: '123456789012', region: 'eu-west-1' } }),
    );
    const [table] = resources(template, 'AWS::DynamoDB::GlobalTable');
    expect(table?.Properties.Replicas).toHaveLength(1);
    for (const type of [
      'AWS::SSM::Parameter',
      'AWS::FIS::ExperimentTemplate',
      'AWS::Route53::HealthCheck',
      'AWS::Route53::RecordSet',
      'Custom::AWS',
    ]) {
      template.resourceCountIs(type, 0);
    }
    for (const fn of ourFunctions(template)) {
      expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.activeRegionParameter);
    }
  });
});

const installed = spawnSync('cfn-lint', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'tmf629-cfn-mr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!installed)('cfn-lint on the multi-Region templates', () => {
  it('finds no error in any Region’s template', { timeout: 240_000 }, () => {
    const { stacks, templates } = deployment(withDomain, { backup: true, importJob: true, analytics: true });
    const files = templates.map((template, i) => {
      const file = join(dir, `${stacks[i]?.stackName}.json`);
      writeFileSync(file, JSON.stringify(template.toJSON()));
      return file;
    });
    let output = '';
    try {
      output = execFileSync('cfn-lint', ['--format', 'parseable', ...files], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? '');
    }
    expect(output.split('\n').filter((line) => /:E\d{4}:/.test(line))).toEqual([]);
  });
});
