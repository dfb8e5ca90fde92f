/**
 * GET and HEAD on an API Gateway resource, served by one integration: HEAD is GET without the body
 * (RFC 9110), API Gateway drops the body. Every GET route of the stack is added through here.
 */
import type { Integration, Method, MethodOptions, IResource } from 'aws-cdk-lib/aws-apigateway';

export function addGetAndHead(
  resource: IResource,
  integration: Integration,
  operationName: string,
  options: MethodOptions,
): Method[] {
  return [
    resource.addMethod('GET', integration, { ...options, operationName }),
    resource.addMethod('HEAD', integration, { ...options, operationName: `${operationName}Head` }),
  ];
}
