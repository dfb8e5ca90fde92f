/**
 * API Gateway answers some requests itself (no route, throttled, body too large, unauthorised)
 * before any Lambda runs. These gateway responses give those answers the TMF Error body too.
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { AUTH_REALM } from '../functions/errors.js';

/** A TMF Error body as a mapping template; `$context.error.messageString` is already quoted JSON. */
export function tmfErrorTemplate(
  code: string,
  reason: string,
  status: number,
  message = '$context.error.messageString',
): string {
  return `{"@type":"Error","code":"${code}","reason":"${reason}","message":${message},"status":"${status}"}`;
}

export const gatewayResponses: readonly { type: ResponseType; status: number; code: string; reason: string }[] = [
  // API Gateway answers an unknown path with 403 "Missing Authentication Token"; to a client it is a 404.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, status: 404, code: 'NOT_FOUND', reason: 'Resource not found' },
  { type: ResponseType.RESOURCE_NOT_FOUND, status: 404, code: 'NOT_FOUND', reason: 'Resource not found' },
  { type: ResponseType.UNAUTHORIZED, status: 401, code: 'UNAUTHORIZED', reason: 'Unauthorized' },
  { type: ResponseType.ACCESS_DENIED, status: 403, code: 'FORBIDDEN', reason: 'Forbidden' },
  { type: ResponseType.INVALID_API_KEY, status: 403, code: 'FORBIDDEN', reason: 'Forbidden' },
  { type: ResponseType.EXPIRED_TOKEN, status: 403, code: 'FORBIDDEN', reason: 'Forbidden' },
  { type: ResponseType.INVALID_SIGNATURE, status: 403, code: 'FORBIDDEN', reason: 'Forbidden' },
  { type: ResponseType.WAF_FILTERED, status: 403, code: 'FORBIDDEN', reason: 'Forbidden' },
  { type: ResponseType.BAD_REQUEST_BODY, status: 400, code: 'INVALID_BODY', reason: 'Invalid body' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, status: 400, code: 'INVALID_QUERY', reason: 'Invalid query parameter' },
  { type: ResponseType.REQUEST_TOO_LARGE, status: 413, code: 'PAYLOAD_TOO_LARGE', reason: 'Payload too large' },
  {
    type: ResponseType.UNSUPPORTED_MEDIA_TYPE,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    reason: 'Unsupported media type',
  },
  { type: ResponseType.THROTTLED, status: 429, code: 'TOO_MANY_REQUESTS', reason: 'Too many requests' },
  { type: ResponseType.QUOTA_EXCEEDED, status: 429, code: 'TOO_MANY_REQUESTS', reason: 'Too many requests' },
  { type: ResponseType.INTEGRATION_FAILURE, status: 502, code: 'BAD_GATEWAY', reason: 'Bad gateway' },
  { type: ResponseType.INTEGRATION_TIMEOUT, status: 504, code: 'GATEWAY_TIMEOUT', reason: 'Gateway timeout' },
  { type: ResponseType.API_CONFIGURATION_ERROR, status: 500, code: 'INTERNAL_ERROR', reason: 'Internal server error' },
  { type: ResponseType.AUTHORIZER_FAILURE, status: 500, code: 'INTERNAL_ERROR', reason: 'Internal server error' },
  {
    type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    status: 500,
    code: 'INTERNAL_ERROR',
    reason: 'Internal server error',
  },
  // Whatever is not listed above: still a TMF Error, with a generic status.
  { type: ResponseType.DEFAULT_4XX, status: 400, code: 'INVALID_REQUEST', reason: 'Bad Request' },
  { type: ResponseType.DEFAULT_5XX, status: 500, code: 'INTERNAL_ERROR', reason: 'Internal server error' },
];

export function addTmfGatewayResponses(api: RestApi): void {
  for (const { type, status, code, reason } of gatewayResponses) {
    api.addGatewayResponse(`Tmf${type.responseType}`, {
      type,
      statusCode: String(status),
      templates: { 'application/json': tmfErrorTemplate(code, reason, status) },
      responseHeaders: {
        'Content-Type': "'application/json;charset=utf-8'",
        // RFC 6750 §3: a 401 names the scheme the client must use (the functions' own 401s do too).
        ...(status === 401 ? { 'WWW-Authenticate': `'Bearer realm="${AUTH_REALM}"'` } : {}),
      },
    });
  }
}
