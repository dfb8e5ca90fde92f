/**
 * The parts of a multi-Region (active-passive) deployment each Region's stack has: its replica of
 * the global table (secondary Regions), the active-Region parameter its functions read, alarms on
 * replication, and the AWS FIS experiment that pauses replication to its replica.
 */
import { Duration, Validations, type Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { CfnExperimentTemplate } from 'aws-cdk-lib/aws-fis';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { GlobalTableSettings } from './props.js';

/** How long the FIS experiment pauses replication (AWS turns a replica left unauthorised 20 hours into a plain table). */
export const REPLICATION_PAUSE = 'PT10M';
/** ReplicationLatency (average, ms) above which a Region alarms: normally about a second. */
export const REPLICATION_LATENCY_ALARM_MS = 60_000;

/** The name of the SSM parameter holding the active Region: the same name in every Region. */
export const activeRegionParameterName = (deploymentName: string) => `/${deploymentName}/active-region`;

/**
 * This Region's replica, made by the primary stack's global table. Its stream ARN carries a
 * creation timestamp nobody knows at synth, so one DescribeTable call at deploy time reads it.
 */
export function replicaTable(stack: Stack, settings: GlobalTableSettings): ITableV2 {
  const { tableName } = settings;
  if (!tableName) throw new Error('a secondary Region needs the global table name from the primary stack');
  const tableArn = stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: tableName });
  const describe = new AwsCustomResource(stack, 'ReplicaStream', {
    onUpdate: {
      service: 'DynamoDB',
      action: 'describeTable',
      parameters: { TableName: tableName },
      physicalResourceId: PhysicalResourceId.of(tableName),
      outputPaths: ['Table.LatestStreamArn'],
    },
    policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [tableArn] }),
    installLatestAwsSdk: false,
  });
  // The custom resource's function is a stack-wide singleton CDK makes beside it.
  const provider = stack.node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  Validations.of(provider ?? describe).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The CDK custom resource that reads the replica stream ARN at deploy time runs with the Lambda basic execution role (its logs); its only other permission is DescribeTable on this replica.',
  });
  const regionIndex = settings.regions.indexOf(stack.region);
  const keyArn = settings.encryptionKeyArns?.[regionIndex];
  return TableV2.fromTableAttributes(stack, 'CustomerTable', {
    tableArn,
    tableStreamArn: describe.getResponseField('Table.LatestStreamArn'),
    grantIndexPermissions: true,
    ...(keyArn ? { encryptionKey: Key.fromKeyArn(stack, 'TableKey', keyArn) } : {}),
  });
}

/**
 * The active Region, as this Region's functions read it (functions/domain/writeRegion.ts). Each
 * Region holds its own copy, so a Region can be promoted while another is unreachable; the
 * runbook (docs/operators.md) changes them in order. CloudFormation sets the value only when it
 * creates the parameter or when this template's value changes, so a redeploy does not undo a failover.
 */
export function addActiveRegionParameter(stack: Stack, deploymentName: string, settings: GlobalTableSettings) {
  return new StringParameter(stack, 'ActiveRegion', {
    parameterName: activeRegionParameterName(deploymentName),
    stringValue: settings.regions[0] ?? stack.region,
    description: 'The Region that takes TMF629 writes; every other Region answers writes 503 until a failover names it',
  });
}

/**
 * Lets the functions that write read the active Region (functions/domain/writeRegion.ts): this
 * Region's copy, and the other Regions' (a newer decision there overrules this one's).
 */
export function grantActiveRegionCopies(
  stack: Stack,
  parameter: StringParameter,
  writers: readonly IGrantable[],
  settings: GlobalTableSettings,
): void {
  const otherCopies = settings.regions
    .filter((region) => region !== stack.region)
    .map((region) =>
      stack.formatArn({
        service: 'ssm',
        region,
        resource: 'parameter',
        resourceName: activeRegionParameterName(settings.deploymentName).slice(1),
      }),
    );
  for (const writer of writers) {
    parameter.grantRead(writer);
    writer.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ssm:GetParameter'], resources: otherCopies }),
    );
  }
}

/** An alarm per other Region on how far its replica lags behind this one (metric emitted here). */
export function replicationLatencyAlarms(stack: Stack, table: ITableV2, settings: GlobalTableSettings) {
  return settings.regions
    .filter((region) => region !== stack.region)
    .map(
      (receivingRegion) =>
        new Alarm(stack, `ReplicationLatency-${receivingRegion}`, {
          metric: new Metric({
            namespace: 'AWS/DynamoDB',
            metricName: 'ReplicationLatency',
            dimensionsMap: { TableName: table.tableName, ReceivingRegion: receivingRegion },
            statistic: 'Average',
            period: Duration.minutes(1),
          }),
          threshold: REPLICATION_LATENCY_ALARM_MS,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
          datapointsToAlarm: 3,
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription: `Changes written in ${stack.region} reach ${receivingRegion} more than a minute late: a failover now would lose them`,
        }),
    );
}

/**
 * An AWS FIS experiment template that pauses replication to this Region's replica for ten
 * minutes, stopped early by any of the given alarms (the API's own health in this Region).
 */
export function addReplicationPauseExperiment(stack: Stack, table: ITableV2, stopAlarms: readonly IAlarm[]) {
  const role = new Role(stack, 'ReplicationPauseRole', {
    assumedBy: new ServicePrincipal('fis.amazonaws.com'),
    description: 'AWS FIS: pause global table replication to this Region for a drill',
    inlinePolicies: {
      pauseReplication: new PolicyDocument({
        statements: [
          // The action adds (then removes) a resource-policy statement denying the replication role.
          new PolicyStatement({
            actions: [
              'dynamodb:DescribeTable',
              'dynamodb:GetResourcePolicy',
              'dynamodb:PutResourcePolicy',
              'dynamodb:DeleteResourcePolicy',
            ],
            resources: [table.tableArn],
          }),
          new PolicyStatement({ actions: ['tag:GetResources'], resources: ['*'] }),
        ],
      }),
    },
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'tag:GetResources supports no resource-level permissions; FIS uses it to resolve targets.',
  });
  return new CfnExperimentTemplate(stack, 'ReplicationPauseExperiment', {
    description: `Pause DynamoDB global table replication to ${stack.region} for ten minutes (DR drill)`,
    roleArn: role.roleArn,
    targets: {
      Replica: {
        resourceType: 'aws:dynamodb:global-table',
        resourceArns: [table.tableArn],
        selectionMode: 'ALL',
      },
    },
    actions: {
      PauseReplication: {
        actionId: 'aws:dynamodb:global-table-pause-replication',
        parameters: { duration: REPLICATION_PAUSE },
        targets: { Tables: 'Replica' },
      },
    },
    stopConditions: stopAlarms.map((alarm) => ({ source: 'aws:cloudwatch:alarm', value: alarm.alarmArn })),
    tags: { Name: 'tmf629-replication-pause' },
  });
}
