/**
 * The TMF629 operations as API routes: one Lambda per operation (from functions/operations.ts),
 * each with exactly the table access its code needs, its method (GET with HEAD), its request
 * model, and a 405 with a TMF Error for any other method on the resource. Created in the
 * stack's own scope, so logical IDs stay what they were.
 */
import { Duration, type Stack } from 'aws-cdk-lib';
import {
  LambdaIntegration,
  MockIntegration,
  PassthroughBehavior,
  Model,
  RequestValidator,
  type IResource,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  accessOf,
  basePathOf,
  methodsServed,
  operations,
  type OperationDefinition,
  type OperationId,
} from '../../functions/operations.js';
import { CURSOR_KEY_PARTITION, HUB_PARTITION, indexList } from '../../functions/repository/customerTable.js';
import type { ApiAuthorization } from '../apiAuthorization.js';
import { addGetAndHead } from '../readMethods.js';
import { customerCreateModelSchema, jsonPatchModelSchema, mergePatchModelSchema } from '../requestModels.js';
import { tmfErrorTemplate } from '../tmfErrorResponses.js';
import { TmfFunction } from '../tmfFunction.js';

type TableAccess = {
  readonly table: readonly string[];
  readonly indexes: readonly string[];
  /** Seconds; list requests may scan for filters no index serves. */
  readonly timeout: number;
  /** The one partition the function may touch (dynamodb:LeadingKeys), when not customers. */
  readonly partition?: string;
};

/**
 * Exactly the DynamoDB actions each operation's code performs, and nothing else. Writes go
 * through TransactWriteItems, which needs the actions of the items it writes.
 */
const tableAccess = {
  listCustomer: {
    // GetItem: the cursor key; its one-time creation is a PutItem limited to its partition (below).
    // Scan: only of the list index (customer items), for sorted lists.
    table: ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:GetItem'],
    indexes: ['dynamodb:Query', 'dynamodb:Scan'],
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
  // The hub functions touch subscription items only, never a customer.
  registerListener: { table: ['dynamodb:PutItem'], indexes: [], timeout: 10, partition: HUB_PARTITION },
  retrieveListener: { table: ['dynamodb:GetItem'], indexes: [], timeout: 10, partition: HUB_PARTITION },
  unregisterListener: { table: ['dynamodb:DeleteItem'], indexes: [], timeout: 10, partition: HUB_PARTITION },
} as const satisfies Record<Exclude<OperationId, `${string}V5`>, TableAccess>;

/** A v5 function touches the table as its v4 twin does. */
const accessOfOperation = (operationId: OperationId): TableAccess =>
  tableAccess[operationId.replace(/V5$/, '') as keyof typeof tableAccess];

export interface OperationRoutesProps {
  readonly base: IResource;
  /** The v5 base path's resource. */
  readonly baseV5: IResource;
  readonly table: ITableV2;
  readonly authorization: ApiAuthorization;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly memorySize?: number;
  readonly validation: ReturnType<typeof requestValidation>;
}

/**
 * The request models API Gateway checks bodies against before a function runs. Made before the
 * routes (the deployment's logical ID hashes what was added, in order).
 */
export function requestValidation(stack: Stack, api: RestApi) {
  const bodyValidator = new RequestValidator(stack, 'BodyValidator', {
    restApi: api,
    validateRequestBody: true,
    validateRequestParameters: true,
  });
  const model = (id: string, schema: ConstructorParameters<typeof Model>[2]['schema']) =>
    new Model(stack, id, { restApi: api, contentType: 'application/json', schema });
  const createModel = model('CustomerCreateModel', customerCreateModelSchema());
  const mergeModel = model('MergePatchModel', mergePatchModelSchema);
  const jsonPatchModel = model('JsonPatchModel', jsonPatchModelSchema);
  const requestModels: Partial<Record<OperationId, Record<string, Model>>> = {
    createCustomer: { 'application/json': createModel },
    patchCustomer: {
      'application/json': mergeModel,
      'application/merge-patch+json': mergeModel,
      'application/json-patch+json': jsonPatchModel,
      'application/json-patch-query+json': jsonPatchModel,
    },
  };
  return { bodyValidator, requestModels };
}

/** Adds every operation's function and methods under `base`; answers the functions. */
export function addOperationRoutes(stack: Stack, props: OperationRoutesProps): TmfFunction[] {
  const { table, authorization, environment, logRetention } = props;
  const baseOf = (operation: OperationDefinition) => (operation.apiVersion === 'v5' ? props.baseV5 : props.base);
  const { bodyValidator, requestModels } = props.validation;
  const functions: TmfFunction[] = [];
  const resources = new Map<string, IResource>();
  for (const operation of operations as readonly OperationDefinition[]) {
    const resource = baseOf(operation).resourceForPath(operation.path.replace(/^\//, ''));
    resources.set(`${basePathOf(operation)}${operation.path}`, resource);
    const access: TableAccess = accessOfOperation(operation.operationId as OperationId);
    const fn = new TmfFunction(stack, operation.operationId, {
      operationId: operation.operationId,
      entry: operation.entry,
      environment,
      logRetention,
      timeout: Duration.seconds(access.timeout),
      memorySize: props.memorySize,
    });
    functions.push(fn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...access.table],
        resources: [table.tableArn],
        ...(access.partition
          ? { conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [access.partition] } } }
          : {}),
      }),
    );
    if (access.indexes.length > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [...access.indexes],
          resources: indexList.map((index) => `${table.tableArn}/index/${index.indexName}`),
        }),
      );
    }
    if (operation.operationId === 'listCustomer' || operation.operationId === 'listCustomerV5') {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:PutItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CURSOR_KEY_PARTITION] } },
        }),
      );
    }
    const models = requestModels[operation.operationId as OperationId];
    const integration = new LambdaIntegration(fn);
    const methodOptions = authorization.methodOptions(accessOf(operation));
    if (operation.method === 'GET') addGetAndHead(resource, integration, operation.operationId, methodOptions);
    else {
      resource.addMethod(operation.method, integration, {
        operationName: operation.operationId,
        ...methodOptions,
        ...(models ? { requestValidator: bodyValidator, requestModels: models } : {}),
      });
    }
  }

  // Any other method on a known resource: 405 with a TMF Error, without invoking a Lambda.
  for (const [fullPath, resource] of resources) {
    const onPath = (operations as readonly OperationDefinition[]).filter(
      (o) => `${basePathOf(o)}${o.path}` === fullPath,
    );
    const allowed = onPath.flatMap((o) => methodsServed(o.method));
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
                `"$context.httpMethod is not supported on ${fullPath}"`,
              ),
            },
          },
        ],
      }),
      {
        // Authorised like the resource's reads, so an anonymous caller learns nothing about the API.
        ...authorization.methodOptions(accessOf(onPath[0] ?? operations[0])),
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
  return functions;
}
