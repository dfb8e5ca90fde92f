/**
 * The REST API's edge: a regional API Gateway with its stage (access logs, tracing, throttling),
 * CORS when asked for, TMF Error bodies for the gateway's own answers, and a web ACL when one is
 * given. Created in the stack's own scope, so logical IDs stay what they were.
 */
import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Cors,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { CustomerManagementStackProps } from './props.js';
import { addTmfGatewayResponses } from '../tmfErrorResponses.js';

export function addRestApi(stack: Stack, props: CustomerManagementStackProps, logRetention: RetentionDays): RestApi {
  const stageName = props.stageName ?? 'v4';
  const accessLogs = new LogGroup(stack, 'ApiAccessLogs', {
    retention: logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const api = new RestApi(stack, 'CustomerApi', {
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
  addTmfGatewayResponses(api);
  if (props.webAclArn) {
    new CfnWebACLAssociation(stack, 'WebAcl', {
      resourceArn: api.deploymentStage.stageArn,
      webAclArn: props.webAclArn,
    });
  }
  return api;
}
