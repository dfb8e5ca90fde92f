/**
 * API Gateway answers some requests itself (no route, throttled, body too large, unauthorised)
 * before any Lambda runs. These gateway responses give those answers the TMF Error body too.
 */
import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { AUTH_REALM, ERROR_CATALOGUE, type ErrorCode } from '../functions/errors.js';

/** A TMF Error body as a mapping template; `$context.error.messageString` is already quoted JSON. */
export function tmfErrorTemplate(
  code: string,
  reason: string,
  status: number,
  message = '$context.error.messageString',
): string {
  return `{"@type":"Error","code":"${code}","reason":"${reason}","message":${message},"status":"${status}"}`;
}

/** The gateway's own answers, by the catalogue code each one carries (its status and reason come from there). */
const gatewayCodes: readonly { type: ResponseType; code: ErrorCode }[] = [
  // API Gateway answers an unknown path with 403 "Missing Authentication Token"; to a client it is a 404.
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, code: 'NOT_FOUND' },
  { type: ResponseType.RESOURCE_NOT_FOUND, code: 'NOT_FOUND' },
  { type: ResponseType.UNAUTHORIZED, code: 'UNAUTHORIZED' },
  { type: ResponseType.ACCESS_DENIED, code: 'FORBIDDEN' },
  { type: ResponseType.INVALID_API_KEY, code: 'FORBIDDEN' },
  { type: ResponseType.EXPIRED_TOKEN, code: 'FORBIDDEN' },
  { type: ResponseType.INVALID_SIGNATURE, code: 'FORBIDDEN' },
  { type: ResponseType.WAF_FILTERED, code: 'FORBIDDEN' },
  { type: ResponseType.BAD_REQUEST_BODY, code: 'INVALID_BODY' },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, code: 'INVALID_QUERY' },
  { type: ResponseType.REQUEST_TOO_LARGE, code: 'PAYLOAD_TOO_LARGE' },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { type: ResponseType.THROTTLED, code: 'TOO_MANY_REQUESTS' },
  { type: ResponseType.QUOTA_EXCEEDED, code: 'TOO_MANY_REQUESTS' },
  { type: ResponseType.INTEGRATION_FAILURE, code: 'BAD_GATEWAY' },
  { type: ResponseType.INTEGRATION_TIMEOUT, code: 'GATEWAY_TIMEOUT' },
  { type: ResponseType.API_CONFIGURATION_ERROR, code: 'INTERNAL_ERROR' },
  { type: ResponseType.AUTHORIZER_FAILURE, code: 'INTERNAL_ERROR' },
  { type: ResponseType.AUTHORIZER_CONFIGURATION_ERROR, code: 'INTERNAL_ERROR' },
  // Whatever is not listed above: still a TMF Error, with a generic status.
  { type: ResponseType.DEFAULT_4XX, code: 'INVALID_REQUEST' },
  { type: ResponseType.DEFAULT_5XX, code: 'INTERNAL_ERROR' },
];

export const gatewayResponses: readonly { type: ResponseType; status: number; code: ErrorCode; reason: string }[] =
  gatewayCodes.map(({ type, code }) => ({ type, code, ...ERROR_CATALOGUE[code] }));

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
