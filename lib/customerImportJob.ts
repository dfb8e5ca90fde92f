/**
 * The cloud bulk import (context `importJob=true`): a Step Functions Distributed Map reads an
 * NDJSON or CSV object from the import bucket, hands batches of records to `importCustomerBatch`
 * (the same core as `npm run import`), writes each batch's counts and rejects back to S3 with the
 * map's ResultWriter, then recomputes the counts. Start it with
 *   {"key": "imports/customers.ndjson", "format": "ndjson", "notify": false}
 */
import { ENV } from '../functions/config.js';
import { type CfnResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  CsvHeaders,
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3CsvItemReader,
  S3JsonLItemReader,
  StateMachine,
  type IItemReader,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TmfFunction } from './tmfFunction.js';

export interface CustomerImportJobProps {
  readonly table: ITableV2;
  readonly logRetention: RetentionDays;
  /** Child batches running at once (default 20): bounds the write rate on the table. */
  readonly maxConcurrency?: number;
  /** Share of failed batches the run tolerates before it fails (default 5 %). */
  readonly toleratedFailurePercentage?: number;
  /** The configured indexed attributes (INDEXED_ATTRIBUTES), comma-separated: imports write their lookups. */
  readonly indexedAttributes?: string;
}

export class CustomerImportJob extends Construct {
  readonly bucket: Bucket;
  readonly stateMachine: StateMachine;
  readonly functions: TmfFunction[];

  constructor(scope: Construct, id: string, props: CustomerImportJobProps) {
    super(scope, id);
    // The current ResultWriter form (the older one is deprecated); set here, before any child exists.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    this.bucket = new Bucket(this, 'ImportBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ prefix: 'results/', expiration: Duration.days(90) }],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Import sources are written by the CSP operators and read by the import job only; CloudTrail data events are the audit trail a CSP enables account-wide.',
    });

    // Batch work nobody waits on: a slow page is waited for, not abandoned after the API's 2.5 s.
    const environment: Record<string, string> = {
      [ENV.tableName]: props.table.tableName,
      [ENV.dynamodbRequestTimeoutMs]: '30000',
    };
    if (props.indexedAttributes) environment[ENV.indexedAttributes] = props.indexedAttributes;
    const importBatch = new TmfFunction(this, 'ImportCustomerBatch', {
      operationId: 'importCustomerBatch',
      entry: 'functions/handlers/importCustomerBatch.ts',
      environment,
      logRetention: props.logRetention,
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    importBatch.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'],
        resources: [props.table.tableArn],
      }),
    );
    const recount = new TmfFunction(this, 'RecountCustomers', {
      operationId: 'recountCustomers',
      entry: 'functions/handlers/recountCustomers.ts',
      environment,
      logRetention: props.logRetention,
      memorySize: 2048,
      timeout: Duration.minutes(15),
    });
    recount.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
        resources: [props.table.tableArn],
      }),
    );
    this.functions = [importBatch, recount];

    const recountStep = new LambdaInvoke(this, 'Recount', { lambdaFunction: recount, payloadResponseOnly: true });
    const importMap = (format: 'ndjson' | 'csv', itemReader: IItemReader) => {
      const map = new DistributedMap(this, `Import ${format.toUpperCase()}`, {
        itemReader,
        itemSelector: { index: JsonPath.numberAt('$$.Map.Item.Index'), record: JsonPath.objectAt('$$.Map.Item.Value') },
        itemBatcher: new ItemBatcher({
          maxItemsPerBatch: 100,
          maxInputBytesPerBatch: 200 * 1024,
          // Paths in BatchInput are not rendered from JsonPath tokens: the `.$` suffix says it.
          batchInput: { format, 'source.$': '$.key', 'notify.$': '$.notify' },
        }),
        maxConcurrency: props.maxConcurrency ?? 20,
        toleratedFailurePercentage: props.toleratedFailurePercentage ?? 5,
        resultWriterV2: new ResultWriterV2({ bucket: this.bucket, prefix: 'results' }),
        resultPath: JsonPath.DISCARD,
      });
      const task = new LambdaInvoke(this, `Import batch ${format.toUpperCase()}`, {
        lambdaFunction: importBatch,
        payloadResponseOnly: true,
      });
      task.addRetry({
        errors: ['States.TaskFailed', 'Lambda.TooManyRequestsException'],
        maxAttempts: 4,
        backoffRate: 2,
      });
      map.itemProcessor(task);
      return map.next(recountStep);
    };

    const definition = new Choice(this, 'Format')
      .when(
        Condition.stringEquals('$.format', 'csv'),
        importMap(
          'csv',
          new S3CsvItemReader({
            bucket: this.bucket,
            key: JsonPath.stringAt('$.key'),
            csvHeaders: CsvHeaders.useFirstRow(),
          }),
        ),
      )
      .otherwise(importMap('ndjson', new S3JsonLItemReader({ bucket: this.bucket, key: JsonPath.stringAt('$.key') })));

    this.stateMachine = new StateMachine(this, 'ImportStateMachine', {
      definitionBody: DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'ImportJobLogs', {
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
      },
    });
    // The grants Step Functions makes for a Distributed Map name their own resources by pattern.
    const reason =
      'Distributed Map: objects of the import bucket (s3:GetObject on <bucket>/*, results written under results/), ' +
      'its own child executions (states:*Execution on <state machine>:*), the two job functions and their versions (<function ARN>:*), ' +
      'and X-Ray segments, which support no resource-level permissions.';
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    const execution = `arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(this.stateMachine)}"}]}]}`;
    const resources = [
      '*',
      `arn:<AWS::Partition>:s3:::<${logicalId(this.bucket)}>/*`,
      `<${logicalId(importBatch)}.Arn>:*`,
      `<${logicalId(recount)}.Arn>:*`,
      `${execution}:*`,
      `${execution}/*:*`,
    ];
    Validations.of(this).acknowledge(
      ...resources.map((resource) => ({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason })),
    );
  }
}
