/**
 * The customer base as a dataset for the CSP's analytics tools (context `analytics=true`): a
 * scheduled DynamoDB point-in-time export (no read capacity used) to an encrypted bucket, a Glue
 * table over the export files, an Athena workgroup and named queries over the TMF attributes
 * (the questions of functions/bulk/analyticsQueries.ts). QuickSight or any SQL tool connects to
 * Athena and reads the same table.
 */
import { type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ATHENA_EXPORT_TABLE, analyticsQuestions, athenaSql } from '../functions/bulk/analyticsQueries.js';

export interface CustomerAnalyticsProps {
  readonly table: ITableV2;
  /** When the export runs (EventBridge Scheduler expression; default daily at 03:00 UTC). */
  readonly schedule?: string;
  /** Days an export is kept before S3 removes it (default 7). */
  readonly retentionDays?: number;
}

const EXPORT_PREFIX = 'exports/';

export class CustomerAnalytics extends Construct {
  readonly bucket: Bucket;
  readonly databaseName: string;
  readonly workGroupName: string;

  constructor(scope: Construct, id: string, props: CustomerAnalyticsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bucket = new Bucket(this, 'AnalyticsBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { prefix: EXPORT_PREFIX, expiration: Duration.days(props.retentionDays ?? 7) },
        { prefix: 'athena-results/', expiration: Duration.days(30) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Written only by the scheduled DynamoDB export and Athena; CloudTrail data events are the audit trail a CSP enables account-wide.',
    });

    // EventBridge Scheduler calls DynamoDB's ExportTableToPointInTime directly (no Lambda).
    const schedulerRole = new Role(this, 'ExportSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'TMF629 scheduled customer table export',
    });
    schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['dynamodb:ExportTableToPointInTime'], resources: [props.table.tableArn] }),
    );
    schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'],
        resources: [this.bucket.arnForObjects(`${EXPORT_PREFIX}*`)],
      }),
    );
    Validations.of(this).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as CfnResource)}.Arn>/exports/*]`,
      reason:
        'DynamoDB names each export folder itself (exports/AWSDynamoDB/<export id>/): the grant is limited to the exports/ prefix.',
    });
    new CfnSchedule(this, 'ExportSchedule', {
      description: 'Point-in-time export of the TMF629 customer table for analytics',
      scheduleExpression: props.schedule ?? 'cron(0 3 * * ? *)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: 'arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime',
        roleArn: schedulerRole.roleArn,
        input: stack.toJsonString({
          TableArn: props.table.tableArn,
          S3Bucket: this.bucket.bucketName,
          S3Prefix: EXPORT_PREFIX.replace(/\/$/, ''),
          S3SseAlgorithm: 'AES256',
          ExportFormat: 'DYNAMODB_JSON',
        }),
        retryPolicy: { maximumRetryAttempts: 3 },
      },
    });

    this.databaseName = `${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_customers`;
    const database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'TMF629 customer base (DynamoDB exports)' },
    });
    const table = new CfnTable(this, 'ExportTable', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: ATHENA_EXPORT_TABLE,
        description: 'Customer table items from the DynamoDB exports; queries keep the latest export and sk = CUSTOMER',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json', compressionType: 'gzip' },
        storageDescriptor: {
          location: `s3://${this.bucket.bucketName}/${EXPORT_PREFIX}AWSDynamoDB/`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          columns: [
            {
              name: 'item',
              type: 'struct<pk:struct<s:string>,sk:struct<s:string>,id:struct<s:string>,version:struct<n:string>,doc:struct<s:string>>',
            },
          ],
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            // Manifest files sit beside the data: lines that are not items read as empty rows.
            parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
          },
        },
      },
    });
    table.node.addDependency(database);

    this.workGroupName = `${stack.stackName}-customers`;
    const workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'TMF629 customer analytics',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    for (const question of analyticsQuestions) {
      const query = new CfnNamedQuery(this, `Query-${question.name}`, {
        name: question.name,
        description: question.title,
        database: this.databaseName,
        workGroup: this.workGroupName,
        queryString: athenaSql(question),
      });
      query.node.addDependency(workGroup, database);
    }
  }
}
