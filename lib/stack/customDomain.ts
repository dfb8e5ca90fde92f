/**
 * The API's custom domain (a regional API Gateway domain name mapped to the stage) and, in a
 * multi-Region deployment, this Region's half of one hostname: a Route 53 failover record whose
 * health check needs both the Region's GET /health to answer and its error alarm to be quiet.
 */
import { CfnOutput, Duration, type Stack } from 'aws-cdk-lib';
import { BasePathMapping, DomainName, EndpointType, SecurityPolicy, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import {
  ARecord,
  Failover,
  HealthCheck,
  HealthCheckType,
  HostedZone,
  InsufficientDataHealthStatusEnum,
  RecordTarget,
} from 'aws-cdk-lib/aws-route53';
import { ApiGatewayDomain } from 'aws-cdk-lib/aws-route53-targets';
import { serviceRoutes } from '../../functions/operations.js';
import type { FailoverSettings } from './props.js';

/** Share of API requests answering 5xx (per minute, 3 minutes running) at which a Region counts as failed. */
export const FAILOVER_SERVER_ERROR_SHARE = 0.25;
/** Route 53's HTTPS check: every 30 s from each checker Region, failed after 3 misses in a row. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

/** https://<domainName>/tmf-api/... on this stage: a regional domain name, no base path. */
export function addCustomDomain(stack: Stack, api: RestApi, domainName: string, certificateArn: string): DomainName {
  const domain = new DomainName(stack, 'CustomDomain', {
    domainName,
    certificate: Certificate.fromCertificateArn(stack, 'DomainCertificate', certificateArn),
    endpointType: EndpointType.REGIONAL,
    securityPolicy: SecurityPolicy.TLS_1_2,
  });
  // No base path: https://<domain>/tmf-api/customerManagement/v4/... as TMF630 spells it.
  new BasePathMapping(stack, 'CustomDomainMapping', { domainName: domain, restApi: api, stage: api.deploymentStage });
  return domain;
}

/**
 * This Region's failover record for the shared hostname (PRIMARY in the first Region, SECONDARY
 * in the second) and the health checks behind it.
 */
export function addFailoverRecord(
  stack: Stack,
  props: { api: RestApi; settings: FailoverSettings; role: 'PRIMARY' | 'SECONDARY' },
) {
  const { api, settings, role } = props;
  const domain = addCustomDomain(stack, api, settings.domainName, settings.certificateArn);
  // The Region's own endpoint, not the custom domain: a checker's SNI would name the shared host.
  const endpoint = new HealthCheck(stack, 'EndpointHealthCheck', {
    type: HealthCheckType.HTTPS,
    fqdn: `${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
    resourcePath: `/${api.deploymentStage.stageName}${serviceRoutes.health.path}`,
    requestInterval: Duration.seconds(HEALTH_CHECK_INTERVAL_SECONDS),
    failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
  });
  // Route 53 reads only single-metric alarms with plain statistics: Average of 5XXError is the 5xx share.
  const failing = new Alarm(stack, 'RegionFailing', {
    metric: api.metricServerError({ period: Duration.minutes(1), statistic: 'Average' }),
    threshold: FAILOVER_SERVER_ERROR_SHARE,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: `A quarter or more of API requests in ${stack.region} answered 5xx for three minutes: DNS fails over`,
  });
  const quiet = new HealthCheck(stack, 'AlarmHealthCheck', {
    type: HealthCheckType.CLOUDWATCH_METRIC,
    alarmIdentifier: { name: failing.alarmName, region: stack.region },
    // No requests, no datapoints: an idle Region is healthy.
    insufficientDataHealthStatus: InsufficientDataHealthStatusEnum.HEALTHY,
  });
  const healthCheck = new HealthCheck(stack, 'RegionHealthCheck', {
    type: HealthCheckType.CALCULATED,
    childHealthChecks: [endpoint, quiet],
    healthThreshold: 2,
  });
  const zone = HostedZone.fromHostedZoneAttributes(stack, 'HostedZone', {
    hostedZoneId: settings.hostedZoneId,
    zoneName: settings.domainName,
  });
  new ARecord(stack, 'FailoverRecord', {
    zone,
    recordName: `${settings.domainName}.`,
    // Route 53 requires evaluateTargetHealth on failover aliases; the health check decides.
    target: RecordTarget.fromAlias({
      bind: (record, zone) => ({ ...new ApiGatewayDomain(domain).bind(record, zone), evaluateTargetHealth: true }),
    }),
    failover: role === 'PRIMARY' ? Failover.PRIMARY : Failover.SECONDARY,
    setIdentifier: `${role.toLowerCase()}-${stack.region}`,
    healthCheck,
  });
  new CfnOutput(stack, 'RegionHealthCheckId', {
    value: healthCheck.healthCheckId,
    description: `Route 53 health check behind the ${role} record for ${settings.domainName}`,
  });
  return { domain, failing, healthCheck };
}
