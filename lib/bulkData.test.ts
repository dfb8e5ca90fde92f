/** Template assertions for the optional bulk import job and the analytics dataset. */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { analyticsQuestions } from '../functions/bulk/analyticsQueries.js';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };

function stackWith(props: CustomerManagementStackProps) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CustomerManagementStack(app, 'Test', props);
  return { app, stack, template: () => Template.fromStack(stack) };
}

const resources = (template: Template, type: string) =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

const statementsOf = (template: Template, roleFragment: string) =>
  resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles).includes(roleFragment))
    .flatMap(
      ([, policy]) => policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );

describe('without the context switches', () => {
  it('adds no import job and no analytics', () => {
    const template = stackWith({}).template();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    // The one bucket is the API reference page's.
    expect(Object.keys(template.findResources('AWS::S3::Bucket'))).toEqual([
      expect.stringMatching(/^ApiDescriptionReferenceBucket/),
    ]);
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
  });
});

describe('bulk import job (importJob=true)', () => {
  const template = stackWith({ importJob: true, importMaxConcurrency: 12 }).template();

  it('runs a Distributed Map over NDJSON and CSV objects with batching, bounded concurrency and tolerated failures', () => {
    const [, machine] = resources(template, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    const definition = JSON.stringify(machine?.Properties.DefinitionString);
    for (const fragment of [
      '\\"Mode\\":\\"DISTRIBUTED\\"',
      '\\"InputType\\":\\"JSONL\\"',
      '\\"InputType\\":\\"CSV\\"',
      '\\"CSVHeaderLocation\\":\\"FIRST_ROW\\"',
      '\\"MaxItemsPerBatch\\":100',
      '\\"MaxConcurrency\\":12',
      '\\"ToleratedFailurePercentage\\":5',
      '\\"ResultWriter\\"',
      '\\"Prefix\\":\\"results\\"',
    ]) {
      expect(definition, fragment).toContain(fragment);
    }
    expect(machine?.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine?.Properties.LoggingConfiguration.Level).toBe('ALL');
  });

  it('keeps sources and results in an encrypted, private, TLS-only bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('grants the batch worker only batch reads and writes on the table, and the recount only what it does', () => {
    const worker = statementsOf(template, 'ImportCustomerBatchRole').filter((s) =>
      JSON.stringify(s.Action).includes('dynamodb'),
    );
    expect(worker.map((s) => s.Action)).toEqual([['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']]);
    const recount = statementsOf(template, 'RecountCustomersRole').filter((s) =>
      JSON.stringify(s.Action).includes('dynamodb'),
    );
    expect(recount.map((s) => s.Action)).toEqual([
      ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
    ]);
  });

  it('alarms when an import run fails', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
    });
  });
});

describe('analytics dataset (analytics=true)', () => {
  const template = stackWith({ analytics: true, analyticsSchedule: 'rate(12 hours)' }).template();

  it('exports the table on a schedule, straight from DynamoDB (point in time, no read capacity), encrypted', () => {
    const [, schedule] = resources(template, 'AWS::Scheduler::Schedule')[0] ?? [];
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(12 hours)');
    expect(schedule?.Properties.Target.Arn).toBe('arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime');
    const input = JSON.stringify(schedule?.Properties.Target.Input);
    expect(input).toContain('ExportFormat\\":\\"DYNAMODB_JSON');
    expect(input).toContain('S3SseAlgorithm\\":\\"AES256');
    const grants = statementsOf(template, 'ExportSchedulerRole');
    expect(grants.map((s) => s.Action)).toEqual([
      'dynamodb:ExportTableToPointInTime',
      ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'],
    ]);
  });

  it('describes the export files as a Glue table and keeps Athena results encrypted', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'customer_export',
        StorageDescriptor: Match.objectLike({
          SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }),
        }),
      }),
    });
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: Match.objectLike({ EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } }),
      }),
    });
  });

  it('has one named query per analytics question, over the latest export only', () => {
    const queries = resources(template, 'AWS::Athena::NamedQuery').map(([, q]) => q.Properties);
    expect(queries.map((q) => q.Name).sort()).toEqual(analyticsQuestions.map((q) => q.name).sort());
    for (const query of queries) {
      expect(query.QueryString).toMatch(/item\.sk\.s = 'CUSTOMER'/);
      expect(query.QueryString).toMatch(/max\(regexp_extract\(path/);
    }
  });
});

describe('cdk-nag', () => {
  it('has no unresolved finding with the import job and analytics on', () => {
    const { app } = stackWith({
      importJob: true,
      analytics: true,
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
