/**
 * The deployable TMF629 Customer Management API: one DynamoDB table, one Lambda per TMF629
 * operation, and an API Gateway REST API at /tmf-api/customerManagement/v4.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  EndpointType,
  LambdaIntegration,
  MethodLoggingLevel,
  MockIntegration,
  PassthroughBehavior,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { operations, type OperationId } from '../functions/operations.js';
import { customerTable, indexList } from '../functions/repository/customerTable.js';
import { addTmfGatewayResponses, tmfErrorTemplate } from './tmfErrorResponses.js';
import { TmfFunction } from './tmfFunction.js';

export const API_BASE_PATH = 'tmf-api/customerManagement/v4';

export interface CustomerManagementStackProps extends StackProps {
  /** API Gateway stage name (default `v4`). */
  readonly stageName?: string;
  /** Public base URL clients use (custom domain), used for `href` and `Location`. */
  readonly publicBaseUrl?: string;
  /** How long function logs are kept (default one month). */
  readonly logRetention?: RetentionDays;
}

type TableAccess = {
  readonly table: readonly string[];
  readonly indexes: readonly string[];
  /** Seconds; list requests may scan for filters no index serves. */
  readonly timeout: number;
};

/**
 * Exactly the DynamoDB actions each operation's code performs, and nothing else. Writes go
 * through TransactWriteItems, which needs the actions of the items it writes.
 */
const tableAccess = {
  listCustomer: {
    table: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:Scan'],
    indexes: ['dynamodb:Query'],
    timeout: 29,
  },
  retrieveCustomer: { table: ['dynamodb:GetItem'], indexes: [], timeout: 10 },
  createCustomer: { table: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [], timeout: 10 },
  patchCustomer: {
    table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    indexes: [],
    timeout: 10,
  },
  deleteCustomer: {
    table: ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    indexes: [],
    timeout: 10,
  },
} as const satisfies Record<OperationId, TableAccess>;

const toAttributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

export class CustomerManagementStack extends Stack {
  readonly table: TableV2;
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: CustomerManagementStackProps = {}) {
    super(scope, id, props);

    this.table = new TableV2(this, 'CustomerTable', {
      partitionKey: { name: customerTable.partitionKey.name, type: toAttributeType(customerTable.partitionKey.type) },
      sortKey: { name: customerTable.sortKey.name, type: toAttributeType(customerTable.sortKey.type) },
      billing: Billing.onDemand(),
      globalSecondaryIndexes: indexList.map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: toAttributeType(index.partitionKey.type) },
        sortKey: { name: index.sortKey.name, type: toAttributeType(index.sortKey.type) },
        projectionType: ProjectionType.KEYS_ONLY,
      })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const stageName = props.stageName ?? 'v4';
    this.api = new RestApi(this, 'CustomerApi', {
      restApiName: 'TMF629 Customer Management',
      description: 'TM Forum TMF629 Customer Management API v4',
      endpointTypes: [EndpointType.REGIONAL],
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
      },
    });
    addTmfGatewayResponses(this.api);

    const base = this.api.root.resourceForPath(API_BASE_PATH);
    const resources = new Map<string, IResource>();
    const environment: Record<string, string> = { TABLE_NAME: this.table.tableName };
    if (props.publicBaseUrl) environment.PUBLIC_BASE_URL = props.publicBaseUrl;

    for (const operation of operations) {
      const resource = base.resourceForPath(operation.path.replace(/^\//, ''));
      resources.set(operation.path, resource);
      const access: TableAccess = tableAccess[operation.operationId];
      const fn = new TmfFunction(this, operation.operationId, {
        operationId: operation.operationId,
        entry: operation.entry,
        environment,
        logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
        timeout: Duration.seconds(access.timeout),
      });
      fn.addToRolePolicy(new PolicyStatement({ actions: [...access.table], resources: [this.table.tableArn] }));
      if (access.indexes.length > 0) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: [...access.indexes],
            resources: indexList.map((index) => `${this.table.tableArn}/index/${index.indexName}`),
          }),
        );
      }
      resource.addMethod(operation.method, new LambdaIntegration(fn), { operationName: operation.operationId });
    }

    // Any other method on a known resource: 405 with a TMF Error, without invoking a Lambda.
    for (const [path, resource] of resources) {
      const allowed = operations.filter((o) => o.path === path).map((o) => o.method);
      resource.addMethod(
        'ANY',
        new MockIntegration({
          passthroughBehavior: PassthroughBehavior.WHEN_NO_TEMPLATES,
          requestTemplates: { 'application/json': '{"statusCode": 405}' },
          integrationResponses: [
            {
              statusCode: '405',
              responseParameters: {
                'method.response.header.Allow': `'${allowed.join(', ')}'`,
                'method.response.header.Content-Type': "'application/json;charset=utf-8'",
              },
              responseTemplates: {
                'application/json': tmfErrorTemplate(
                  'METHOD_NOT_ALLOWED',
                  'Method not allowed',
                  405,
                  `"$context.httpMethod is not supported on /${API_BASE_PATH}${path}"`,
                ),
              },
            },
          ],
        }),
        {
          methodResponses: [
            {
              statusCode: '405',
              responseParameters: {
                'method.response.header.Allow': true,
                'method.response.header.Content-Type': true,
              },
            },
          ],
        },
      );
    }

    new CfnOutput(this, 'CustomerApiBaseUrl', {
      value: props.publicBaseUrl ?? `${this.api.url}${API_BASE_PATH}/`,
      description: 'TMF629 API base URL (append customer)',
    });
    new CfnOutput(this, 'CustomerTableName', { value: this.table.tableName });
  }
}
