/**
 * The customer table (one DynamoDB table, its GSIs from functions/repository/customerTable.ts),
 * its encryption and its optional AWS Backup plan. Created in the stack's own scope, so logical
 * IDs (and so the deployed table) stay what they were before this module existed.
 */
import { RemovalPolicy, Validations, type Stack } from 'aws-cdk-lib';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { customerTable, indexList } from '../../functions/repository/customerTable.js';
import type { CustomerManagementStackProps } from './props.js';

const toAttributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

export function addCustomerTable(stack: Stack, props: CustomerManagementStackProps, throwAway: boolean): TableV2 {
  const table = new TableV2(stack, 'CustomerTable', {
    partitionKey: { name: customerTable.partitionKey.name, type: toAttributeType(customerTable.partitionKey.type) },
    sortKey: { name: customerTable.sortKey.name, type: toAttributeType(customerTable.sortKey.type) },
    billing: Billing.onDemand(),
    globalSecondaryIndexes: [
      ...indexList.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: toAttributeType(index.partitionKey.type) },
        sortKey: { name: index.sortKey.name, type: toAttributeType(index.sortKey.type) },
        projectionType: index.projection === 'INCLUDE' ? ProjectionType.INCLUDE : ProjectionType.KEYS_ONLY,
        ...(index.include ? { nonKeyAttributes: [...index.include] } : {}),
      })),
      ...(props.legacyListIndex
        ? [
            {
              indexName: 'byCreation',
              partitionKey: { name: 'listKey', type: AttributeType.STRING },
              sortKey: { name: 'id', type: AttributeType.STRING },
              projectionType: ProjectionType.KEYS_ONLY,
            },
          ]
        : []),
    ],
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: !throwAway,
    // A multi-Region deployment: a replica in every other Region, each with its own PITR and protection.
    ...(props.globalTable
      ? {
          replicas: props.globalTable.regions.slice(1).map((region) => ({
            region,
            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
            deletionProtection: !throwAway,
          })),
        }
      : {}),
    removalPolicy: throwAway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    encryption: tableEncryption(stack, props),
    // Notifications come from the table's own stream, so a write and its event cannot disagree.
    dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
  });
  if (props.backup) addBackupPlan(stack, table.tableArn);
  return table;
}

/** A daily AWS Backup plan (kept 35 days) over the table, or over this Region's replica of it. */
export function addBackupPlan(stack: Stack, tableArn: string): void {
  const plan = BackupPlan.daily35DayRetention(stack, 'BackupPlan');
  const selection = plan.addSelection('CustomerTable', {
    resources: [BackupResource.fromArn(tableArn)],
  });
  Validations.of(selection).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    reason:
      'AWS Backup assumes this role with the service policy AWS maintains for taking backups; it is the documented way to grant it.',
  });
}

function tableEncryption(stack: Stack, props: CustomerManagementStackProps): TableEncryptionV2 {
  const keyArns = props.globalTable?.encryptionKeyArns;
  if (props.globalTable && keyArns) {
    // One customer managed key per Region: the primary's, and each replica's by its Region.
    const [primaryKeyArn, ...replicaKeyArns] = keyArns;
    return TableEncryptionV2.customerManagedKey(
      Key.fromKeyArn(stack, 'TableKey', primaryKeyArn ?? ''),
      Object.fromEntries(props.globalTable.regions.slice(1).map((region, i) => [region, replicaKeyArns[i] ?? ''])),
    );
  }
  if (props.encryptionKeyArn) {
    return TableEncryptionV2.customerManagedKey(Key.fromKeyArn(stack, 'TableKey', props.encryptionKeyArn));
  }
  if (props.createEncryptionKey) {
    const key = new Key(stack, 'TableKey', {
      description: 'TMF629 customer table',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return TableEncryptionV2.customerManagedKey(key);
  }
  return TableEncryptionV2.awsManagedKey();
}
