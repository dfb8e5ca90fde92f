/**
 * The deployable TMF629 Customer Management API: one DynamoDB table, one Lambda per TMF629
 * operation, and an API Gateway REST API at /tmf-api/customerManagement/v4, with authorisation,
 * least-privilege roles, data protection, an API edge and alarms a CSP's review expects.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccessLogFormat,
  BasePathMapping,
  DomainName,
  SecurityPolicy,
  AuthorizationType,
  Cors,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  MockIntegration,
  Model,
  PassthroughBehavior,
  RequestValidator,
  RestApi,
  type IResource,
} from 'aws-cdk-lib/aws-apigateway';
import { BackupPlan, BackupResource } from 'aws-cdk-lib/aws-backup';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { accessOf, methodsServed, operations, type OperationId } from '../functions/operations.js';
import { addGetAndHead } from './readMethods.js';
import {
  CURSOR_KEY_PARTITION,
  HUB_PARTITION,
  customerTable,
  indexList,
} from '../functions/repository/customerTable.js';
import { parseIndexedAttributes } from '../functions/domain/lookupAttributes.js';
import { ApiAuthorization, type AuthMode } from './apiAuthorization.js';
import { ApiDescription } from './apiDescription.js';
import { parseIntegrationClients } from './integrationClients.js';
import { CustomerAnalytics } from './customerAnalytics.js';
import { CustomerImportJob } from './customerImportJob.js';
import { CustomerNotifications } from './customerNotifications.js';
import { OperationalAlarms } from './operationalAlarms.js';
import { customerCreateModelSchema, jsonPatchModelSchema, mergePatchModelSchema } from './requestModels.js';
import { addTmfGatewayResponses, tmfErrorTemplate } from './tmfErrorResponses.js';
import { TmfFunction } from './tmfFunction.js';

export const API_BASE_PATH = 'tmf-api/customerManagement/v4';

export interface CustomerManagementStackProps extends StackProps {
  /** API Gateway stage name (default `v4`). */
  readonly stageName?: string;
  /** Public base URL clients use (custom domain), used for `href` and `Location`. */
  readonly publicBaseUrl?: string;
  /** How long function and access logs are kept (default one month). */
  readonly logRetention?: RetentionDays;
  /** `cognito` (default): OAuth2 client-credentials scopes per method; `iam`: SigV4. */
  readonly authMode?: AuthMode;
  /** Cognito domain prefix for the token endpoint (default derived from the stack). */
  readonly cognitoDomainPrefix?: string;
  /** Encrypt the table with this KMS key instead of the AWS managed key. */
  readonly encryptionKeyArn?: string;
  /** Create a customer-managed KMS key (rotated yearly) for the table. */
  readonly createEncryptionKey?: boolean;
  /** Add the table to an AWS Backup plan (daily, kept 35 days). Point-in-time recovery is always on. */
  readonly backup?: boolean;
  /** Stage throttling: steady requests per second and burst (defaults 1000 / 2000). */
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  /** A WAFv2 web ACL (regional) to associate with the stage. */
  readonly webAclArn?: string;
  /** Origins allowed by CORS; none by default (server-to-server API). */
  readonly corsAllowOrigins?: readonly string[];
  /** Address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Accept hub callbacks to private, loopback and link-local addresses (default: refused). */
  readonly allowPrivateCallbacks?: boolean;
  /** Add the cloud bulk import job (S3 bucket, Step Functions Distributed Map, recount). */
  readonly importJob?: boolean;
  /** Child batches the import job runs at once (default 20). */
  readonly importMaxConcurrency?: number;
  /** Add the analytics dataset (scheduled table export to S3, Glue table, Athena queries). */
  readonly analytics?: boolean;
  /** When the analytics export runs (EventBridge Scheduler expression; default daily 03:00 UTC). */
  readonly analyticsSchedule?: string;
  /**
   * Attributes indexed besides the built-in ones (name, engagedParty.id, status, email, phone):
   * attribute paths such as `contactMedium.characteristic.city` or `characteristic[segment].value`.
   * After a deploy that adds or removes one, `npm run reindex` backfills or removes its lookups.
   */
  readonly indexedAttributes?: readonly string[];
  /**
   * Keep the `byCreation` index of stacks deployed before the sharded list index: CloudFormation
   * adds or removes one global secondary index per update, so an upgrade deploys once with this
   * (adding `byListShard`), runs `npm run reindex`, then deploys without it (removing the old one).
   */
  readonly legacyListIndex?: boolean;
  /**
   * A custom domain for the API (`api.example.com`), with the ARN of its ACM certificate in the
   * stack's region: a regional API Gateway domain name mapped to this stage, and every `href`,
   * `Location` and event link on it (unless `publicBaseUrl` says otherwise). The CSP points a DNS
   * record at the `CustomDomainTarget` output.
   */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** Memory of the API functions, in MB (default 512). */
  readonly functionMemoryMb?: number;
  /** Most customers a sorted list may read (MAX_QUERY_READ_ITEMS, default 250000). */
  readonly maxQueryReadItems?: number;
  /** Customers a filter no index serves examines past a page to count every match (default 10000). */
  readonly listCountAhead?: number;
  /** API 5xx share (%) and p99 latency (ms) above which the API alarms (defaults 1 and 2000). */
  readonly alarmServerErrorPercent?: number;
  readonly alarmLatencyP99Ms?: number;
  /**
   * `retain` (default): the table and user pool survive the stack, with deletion protection.
   * `destroy`: a throw-away stage (CI, a demo) whose data goes with `cdk destroy`.
   */
  readonly dataRemovalPolicy?: 'retain' | 'destroy';
  /**
   * One app client per integrating system, with its scopes (client credentials):
   * `crm:read`, `billing:read+write`, `events:hub`. Each client id is an output.
   */
  readonly integrationClients?: readonly string[];
  /**
   * Authorization-code app clients for low-code tools (Power Platform connectors, Salesforce Named
   * Credentials, Postman's browser flow): `powerPlatform:read+write`, optionally
   * `=callback|callback` (default: Power Platform's and Postman's redirect URLs).
   */
  readonly authorizationCodeClients?: readonly string[];
  /** Serve the API reference page at {base}/docs (default true). */
  readonly apiReference?: boolean;
  /** Require a token (customer.read) for openapi.json, swagger.json and /docs (default: open). */
  readonly protectApiDescription?: boolean;
}

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
} as const satisfies Record<OperationId, TableAccess>;

const toAttributeType = (type: 'S' | 'N') => (type === 'S' ? AttributeType.STRING : AttributeType.NUMBER);

export class CustomerManagementStack extends Stack {
  readonly table: TableV2;
  readonly api: RestApi;
  readonly authorization: ApiAuthorization;
  readonly functions: TmfFunction[] = [];
  readonly notifications: CustomerNotifications;
  readonly healthFunction: TmfFunction;
  readonly description: ApiDescription;

  constructor(scope: Construct, id: string, props: CustomerManagementStackProps = {}) {
    super(scope, id, props);
    const throwAway = props.dataRemovalPolicy === 'destroy';
    if (props.dataRemovalPolicy && !['retain', 'destroy'].includes(props.dataRemovalPolicy)) {
      throw new Error(`dataRemovalPolicy must be retain or destroy, got ${String(props.dataRemovalPolicy)}`);
    }
    if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
      throw new Error('domainName and certificateArn go together (the certificate must cover the domain)');
    }
    for (const [key, value, min, max] of [
      ['functionMemoryMb', props.functionMemoryMb, 128, 10240],
      ['maxQueryReadItems', props.maxQueryReadItems, 1, 100_000_000],
      ['listCountAhead', props.listCountAhead, 0, 100_000_000],
      ['alarmServerErrorPercent', props.alarmServerErrorPercent, 0, 100],
      ['alarmLatencyP99Ms', props.alarmLatencyP99Ms, 1, 29_000],
    ] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
        throw new Error(`${key} must be an integer from ${min} to ${max}, got ${value}`);
      }
    }
    const publicBaseUrl =
      props.publicBaseUrl ?? (props.domainName ? `https://${props.domainName}/${API_BASE_PATH}` : undefined);

    this.table = new TableV2(this, 'CustomerTable', {
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
      removalPolicy: throwAway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      encryption: this.tableEncryption(props),
      // Notifications come from the table's own stream, so a write and its event cannot disagree.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    if (props.backup) {
      const plan = BackupPlan.daily35DayRetention(this, 'BackupPlan');
      const selection = plan.addSelection('CustomerTable', {
        resources: [BackupResource.fromArn(this.table.tableArn)],
      });
      Validations.of(selection).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'AWS Backup assumes this role with the service policy AWS maintains for taking backups; it is the documented way to grant it.',
      });
    }

    const stageName = props.stageName ?? 'v4';
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'CustomerApi', {
      restApiName: 'TMF629 Customer Management',
      description: 'TM Forum TMF629 Customer Management API v4',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        throttlingRateLimit: props.throttlingRateLimit ?? 1000,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 2000,
      },
      ...(props.corsAllowOrigins && props.corsAllowOrigins.length > 0
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: [...props.corsAllowOrigins],
              allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
              allowHeaders: [...Cors.DEFAULT_HEADERS, 'If-Match'],
              exposeHeaders: ['Location', 'ETag', 'X-Total-Count', 'X-Result-Count', 'Link'],
            },
          }
        : {}),
    });
    addTmfGatewayResponses(this.api);
    if (props.webAclArn) {
      new CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    this.authorization = new ApiAuthorization(this, 'Authorization', {
      mode: props.authMode ?? 'cognito',
      domainPrefix: props.cognitoDomainPrefix,
      retain: !throwAway,
      integrationClients: parseIntegrationClients(props.integrationClients, 'integrationClients'),
      authorizationCodeClients: parseIntegrationClients(
        props.authorizationCodeClients,
        'authorizationCodeClients',
        true,
      ),
    });
    if (
      this.authorization.mode !== 'cognito' &&
      ((props.integrationClients?.length ?? 0) > 0 || (props.authorizationCodeClients?.length ?? 0) > 0)
    ) {
      throw new Error('integrationClients and authorizationCodeClients need authMode cognito (OAuth2)');
    }
    const bodyValidator = new RequestValidator(this, 'BodyValidator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const model = (id: string, schema: ConstructorParameters<typeof Model>[2]['schema']) =>
      new Model(this, id, { restApi: this.api, contentType: 'application/json', schema });
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

    const base = this.api.root.resourceForPath(API_BASE_PATH);
    const resources = new Map<string, IResource>();
    // Fails the synth on an attribute that cannot be indexed, not the functions at run time.
    const indexedAttributes = parseIndexedAttributes((props.indexedAttributes ?? []).join(','))
      .filter((attribute) => !attribute.builtIn)
      .map((attribute) => attribute.attribute)
      .join(',');
    const environment: Record<string, string> = { TABLE_NAME: this.table.tableName };
    if (indexedAttributes) environment.INDEXED_ATTRIBUTES = indexedAttributes;
    if (publicBaseUrl) environment.PUBLIC_BASE_URL = publicBaseUrl;
    if (props.maxQueryReadItems !== undefined) environment.MAX_QUERY_READ_ITEMS = String(props.maxQueryReadItems);
    if (props.listCountAhead !== undefined) environment.LIST_COUNT_AHEAD = String(props.listCountAhead);
    if (props.allowPrivateCallbacks) environment.ALLOW_PRIVATE_CALLBACKS = 'true';
    if (this.authorization.mode === 'cognito') environment.REQUIRE_TOKEN_SCOPES = 'true';

    for (const operation of operations) {
      const resource = base.resourceForPath(operation.path.replace(/^\//, ''));
      resources.set(operation.path, resource);
      const access: TableAccess = tableAccess[operation.operationId];
      const fn = new TmfFunction(this, operation.operationId, {
        operationId: operation.operationId,
        entry: operation.entry,
        environment,
        logRetention,
        timeout: Duration.seconds(access.timeout),
        memorySize: props.functionMemoryMb,
      });
      this.functions.push(fn);
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [...access.table],
          resources: [this.table.tableArn],
          ...(access.partition
            ? { conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [access.partition] } } }
            : {}),
        }),
      );
      if (access.indexes.length > 0) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: [...access.indexes],
            resources: indexList.map((index) => `${this.table.tableArn}/index/${index.indexName}`),
          }),
        );
      }
      if (operation.operationId === 'listCustomer') {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:PutItem'],
            resources: [this.table.tableArn],
            conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [CURSOR_KEY_PARTITION] } },
          }),
        );
      }
      const models = requestModels[operation.operationId];
      const integration = new LambdaIntegration(fn);
      const methodOptions = this.authorization.methodOptions(accessOf(operation));
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
    for (const [path, resource] of resources) {
      const allowed = operations.filter((o) => o.path === path).flatMap((o) => methodsServed(o.method));
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
          // Authorised like the resource's reads, so an anonymous caller learns nothing about the API.
          ...this.authorization.methodOptions(accessOf(operations.find((o) => o.path === path) ?? operations[0])),
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

    // GET /health, outside the TMF base path and unauthenticated: for load balancers and monitors.
    const health = new TmfFunction(this, 'health', {
      operationId: 'health',
      entry: 'functions/handlers/health.ts',
      environment,
      logRetention,
      timeout: Duration.seconds(10),
    });
    health.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.table.tableArn] }));
    this.healthFunction = health;
    const healthMethods = addGetAndHead(this.api.root.addResource('health'), new LambdaIntegration(health), 'health', {
      authorizationType: AuthorizationType.NONE,
    });
    for (const healthMethod of healthMethods) {
      for (const id of ['AwsSolutions::AwsSolutions-APIG4', 'AwsSolutions::AwsSolutions-COG4']) {
        Validations.of(healthMethod).acknowledge({
          id,
          reason:
            'GET /health answers only up (200) or unavailable (503) and reads one fixed key; load balancers and monitors call it without credentials.',
        });
      }
    }

    // The base URL clients use: for events, the outputs and the description's links.
    const clientBaseUrl = publicBaseUrl ?? `${this.api.url}${API_BASE_PATH}`;
    const apiReference = props.apiReference ?? true;
    this.description = new ApiDescription(this, 'ApiDescription', {
      base,
      environment: { ...environment, ...this.descriptionSecurity() },
      logRetention,
      methodOptions: props.protectApiDescription
        ? this.authorization.methodOptions('read')
        : { authorizationType: AuthorizationType.NONE },
      reference: apiReference,
    });

    this.notifications = new CustomerNotifications(this, 'Notifications', {
      table: this.table,
      publicBaseUrl: clientBaseUrl,
      allowPrivateCallbacks: props.allowPrivateCallbacks ?? false,
      logRetention,
    });
    const importJob = props.importJob
      ? new CustomerImportJob(this, 'CustomerImport', {
          table: this.table,
          logRetention,
          maxConcurrency: props.importMaxConcurrency,
          indexedAttributes,
        })
      : undefined;
    if (importJob) {
      new CfnOutput(this, 'ImportBucketName', { value: importJob.bucket.bucketName });
      new CfnOutput(this, 'ImportStateMachineArn', { value: importJob.stateMachine.stateMachineArn });
    }
    if (props.analytics) {
      const analytics = new CustomerAnalytics(this, 'CustomerAnalytics', {
        table: this.table,
        schedule: props.analyticsSchedule,
      });
      new CfnOutput(this, 'AnalyticsBucketName', { value: analytics.bucket.bucketName });
      new CfnOutput(this, 'AnalyticsDatabase', { value: analytics.databaseName });
      new CfnOutput(this, 'AnalyticsWorkGroup', { value: analytics.workGroupName });
    }
    const alarms = new OperationalAlarms(this, 'Alarms', {
      api: this.api,
      functions: [...this.functions, ...this.notifications.functions],
      table: this.table,
      alarmEmail: props.alarmEmail,
      serverErrorPercent: props.alarmServerErrorPercent,
      latencyP99Ms: props.alarmLatencyP99Ms,
    });
    for (const [i, deadLetters] of this.notifications.deadLetterQueues.entries()) {
      alarms.add(`NotificationDeadLetters${i}`, {
        metric: deadLetters.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 0,
        description: 'Notifications that exhausted their retries are waiting in a dead-letter queue',
      });
    }
    if (importJob) {
      alarms.add('ImportJobFailures', {
        metric: importJob.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 0,
        description: 'A bulk import run failed (more failed batches than tolerated); its results in S3 say which',
      });
    }
    this.acknowledgeNagFindings(props);

    if (props.domainName && props.certificateArn) {
      const domain = new DomainName(this, 'CustomDomain', {
        domainName: props.domainName,
        certificate: Certificate.fromCertificateArn(this, 'DomainCertificate', props.certificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      // No base path: https://<domain>/tmf-api/customerManagement/v4/... as TMF630 spells it.
      new BasePathMapping(this, 'CustomDomainMapping', {
        domainName: domain,
        restApi: this.api,
        stage: this.api.deploymentStage,
      });
      new CfnOutput(this, 'CustomDomainTarget', {
        value: domain.domainNameAliasDomainName,
        description: `Point ${props.domainName} here: a CNAME, or a Route 53 alias in hosted zone CustomDomainZone`,
      });
      new CfnOutput(this, 'CustomDomainZone', { value: domain.domainNameAliasHostedZoneId });
    }
    new CfnOutput(this, 'CustomerApiBaseUrl', {
      value: `${clientBaseUrl}/`,
      description: 'TMF629 API base URL (append customer)',
    });
    new CfnOutput(this, 'CustomerTableName', { value: this.table.tableName });
    new CfnOutput(this, 'OpenApiUrl', {
      value: `${clientBaseUrl}/openapi.json`,
      description: 'OpenAPI 3.0 description',
    });
    if (apiReference) {
      new CfnOutput(this, 'ApiReferenceUrl', { value: `${clientBaseUrl}/docs`, description: 'API reference page' });
    }
  }

  /** What the API description tells tools about signing in (read by functions/describeApi.ts). */
  private descriptionSecurity(): Record<string, string> {
    if (this.authorization.mode === 'iam') return { API_SECURITY: 'sigv4' };
    return {
      API_SECURITY: 'oauth2',
      OAUTH2_TOKEN_URL: this.authorization.tokenUrl ?? '',
      ...(this.authorization.authorizationUrl ? { OAUTH2_AUTHORIZATION_URL: this.authorization.authorizationUrl } : {}),
    };
  }

  private tableEncryption(props: CustomerManagementStackProps): TableEncryptionV2 {
    if (props.encryptionKeyArn) {
      return TableEncryptionV2.customerManagedKey(Key.fromKeyArn(this, 'TableKey', props.encryptionKeyArn));
    }
    if (props.createEncryptionKey) {
      const key = new Key(this, 'TableKey', {
        description: 'TMF629 customer table',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      return TableEncryptionV2.customerManagedKey(key);
    }
    return TableEncryptionV2.awsManagedKey();
  }

  /** cdk-nag (AwsSolutions) findings that are deliberate, each with the reason a reviewer needs. */
  private acknowledgeNagFindings(props: CustomerManagementStackProps): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG6',
      reason:
        'Stage access logs (JSON) and X-Ray tracing are on; execution logging needs the account-wide API Gateway CloudWatch role, which CSPs manage centrally, so it is left to them.',
    });
    if (!props.webAclArn) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason:
          'WAF is optional (-c webAclArn=...): the API is authorised per method and throttled per stage; a CSP attaches its own web ACL.',
      });
    }
    if (this.authorization.mode === 'iam') {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason: 'authMode=iam: every method requires SigV4 (IAM) authorisation instead of a Cognito authorizer.',
      });
    }
    if (this.authorization.userPool) {
      Validations.of(this.authorization.userPool).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG3',
        reason:
          this.authorization.authorizationCodeClients.size > 0
            ? "Sign-ins are those of the few integration makers an operator adds (self sign-up is off, MFA is required); the Plus plan with threat protection is the CSP's choice."
            : 'The pool serves machine clients (client-credentials grant) only; there are no end-user sign-ins for threat protection to watch.',
      });
      Validations.of(this.authorization.userPool).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG8',
        reason:
          this.authorization.authorizationCodeClients.size > 0
            ? 'The Plus feature plan adds threat protection for user sign-ins; the only people signing in are integration makers an operator adds, with MFA.'
            : 'The Plus feature plan adds threat protection for user sign-ins; this pool only issues client-credentials tokens to machine clients.',
      });
    }
    if (props.corsAllowOrigins && props.corsAllowOrigins.length > 0) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason: 'CORS preflight (OPTIONS) must answer without credentials; every other method is authorised.',
      });
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason:
          'CORS preflight (OPTIONS) must answer without credentials; every other method uses the Cognito authorizer.',
      });
    }
    if (!props.backup) {
      Validations.of(this.table).acknowledge({
        id: 'AwsSolutions::AwsSolutions-DDB4',
        reason: 'Point-in-time recovery (35 days, continuous) is on; an AWS Backup plan is optional (-c backup=true).',
      });
    }
  }
}
