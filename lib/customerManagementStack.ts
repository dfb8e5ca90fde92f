/**
 * The deployable TMF629 Customer Management API: one DynamoDB table, one Lambda per TMF629
 * operation, and an API Gateway REST API at /tmf-api/customerManagement/v4, with authorisation,
 * least-privilege roles, data protection, an API edge and alarms a CSP's review expects.
 */
import { ENV } from '../functions/config.js';
import { API_BASE_PATHS, operations, serviceRoutes } from '../functions/operations.js';
import { CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { AuthorizationType, LambdaIntegration } from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { addGetAndHead } from './readMethods.js';
import { ApiAuthorization } from './apiAuthorization.js';
import { ApiDescription } from './apiDescription.js';
import { parseIntegrationClients } from './integrationClients.js';
import { CustomerAnalytics } from './customerAnalytics.js';
import { CustomerImportJob } from './customerImportJob.js';
import { CustomerNotifications } from './customerNotifications.js';
import { OperationalAlarms } from './operationalAlarms.js';
import { TmfFunction } from './tmfFunction.js';
import { addBackupPlan, addCustomerTable } from './stack/tableResource.js';
import { addCustomDomain, addFailoverRecord } from './stack/customDomain.js';
import {
  addActiveRegionParameter,
  grantActiveRegionCopies,
  addReplicationPauseExperiment,
  replicaTable,
  replicationLatencyAlarms,
} from './stack/globalTable.js';
import { addRestApi } from './stack/restApi.js';
import { acknowledgeNagFindings } from './stack/nagAcknowledgements.js';
import { addOperationRoutes, requestValidation } from './stack/operationRoutes.js';
import { API_BASE_PATH, checkStackProps, functionEnvironment } from './stack/settings.js';
import type { CustomerManagementStackProps } from './stack/props.js';

export { API_BASE_PATH } from './stack/settings.js';

export type { CustomerManagementStackProps } from './stack/props.js';

export class CustomerManagementStack extends Stack {
  readonly table: ITableV2;
  readonly api: RestApi;
  readonly authorization: ApiAuthorization;
  readonly functions: TmfFunction[] = [];
  readonly notifications: CustomerNotifications;
  readonly healthFunction: TmfFunction;
  readonly description: ApiDescription;
  /** Multi-Region: the SSM parameter naming the Region that takes writes (this Region's copy). */
  readonly activeRegion?: StringParameter;

  constructor(scope: Construct, id: string, props: CustomerManagementStackProps = {}) {
    super(scope, id, props);
    const { throwAway, publicBaseUrl } = checkStackProps(props, props.env?.region);
    const { globalTable } = props;
    // The primary (first) Region owns the global table; every other Region serves its replica.
    const primary = !globalTable || globalTable.regions[0] === this.region;
    if (primary) this.table = addCustomerTable(this, props, throwAway);
    else {
      this.table = replicaTable(this, globalTable);
      if (props.backup) addBackupPlan(this, this.table.tableArn);
    }
    this.activeRegion = globalTable
      ? addActiveRegionParameter(this, globalTable.deploymentName, globalTable)
      : undefined;

    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    this.api = addRestApi(this, props, logRetention);

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
    const validation = requestValidation(this, this.api);
    const base = this.api.root.resourceForPath(API_BASE_PATH);
    const { environment, indexedAttributes } = functionEnvironment(props, {
      tableName: this.table.tableName,
      publicBaseUrl,
      requireTokenScopes: this.authorization.mode === 'cognito',
      activeRegionParameter: this.activeRegion?.parameterName,
      regions: globalTable?.regions,
    });
    // TMF629 v5 beside v4, over the same table (functions/operations.ts).
    const baseV5 = this.api.root.resourceForPath(API_BASE_PATHS.v5.slice(1));
    this.functions.push(
      ...addOperationRoutes(this, {
        base,
        baseV5,
        table: this.table,
        authorization: this.authorization,
        environment,
        logRetention,
        memorySize: props.functionMemoryMb,
        validation,
      }),
    );
    if (this.activeRegion && globalTable) {
      const writers = this.functions.filter(
        (fn) => operations.find((operation) => operation.operationId === fn.operationId)?.method !== 'GET',
      );
      grantActiveRegionCopies(this, this.activeRegion, writers, globalTable);
    }

    // GET /health, outside the TMF base path and unauthenticated: for load balancers and monitors.
    const health = new TmfFunction(this, serviceRoutes.health.operationId, {
      operationId: serviceRoutes.health.operationId,
      entry: serviceRoutes.health.entry,
      environment,
      logRetention,
      timeout: Duration.seconds(10),
    });
    health.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.table.tableArn] }));
    this.healthFunction = health;
    const healthMethods = addGetAndHead(
      this.api.root.addResource(serviceRoutes.health.path.slice(1)),
      new LambdaIntegration(health),
      serviceRoutes.health.operationId,
      {
        authorizationType: AuthorizationType.NONE,
      },
    );
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
      baseV5,
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
      activeRegionParameter: this.activeRegion?.parameterName,
    });
    // Bulk jobs write past the API's write gate: they live in the primary Region (docs/operators.md).
    const importJob =
      props.importJob && primary
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
    if (props.analytics && primary) {
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
    acknowledgeNagFindings({ api: this.api, authorization: this.authorization, table: this.table }, props);

    if (globalTable) {
      for (const alarm of replicationLatencyAlarms(this, this.table, globalTable)) alarms.notify(alarm);
      // Stopped early if the drill hurts clients in this Region: its 5xx share or p99 latency alarms.
      addReplicationPauseExperiment(this, this.table, alarms.alarms.slice(0, 2));
      new CfnOutput(this, 'ActiveRegionParameter', {
        value: this.activeRegion?.parameterName ?? '',
        description: 'SSM parameter (in each Region) naming the Region that takes writes',
      });
    }
    if (props.failover) {
      const { failing } = addFailoverRecord(this, {
        api: this.api,
        settings: props.failover,
        role: primary ? 'PRIMARY' : 'SECONDARY',
      });
      alarms.notify(failing);
    } else if (props.domainName && props.certificateArn) {
      const domain = addCustomDomain(this, this.api, props.domainName, props.certificateArn);
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

  /** What the API description tells tools about signing in (read by functions/handlers/describeApi.ts). */
  private descriptionSecurity(): Record<string, string> {
    if (this.authorization.mode === 'iam') return { [ENV.apiSecurity]: 'sigv4' };
    return {
      [ENV.apiSecurity]: 'oauth2',
      [ENV.oauth2TokenUrl]: this.authorization.tokenUrl ?? '',
      ...(this.authorization.authorizationUrl
        ? { [ENV.oauth2AuthorizationUrl]: this.authorization.authorizationUrl }
        : {}),
    };
  }
}
