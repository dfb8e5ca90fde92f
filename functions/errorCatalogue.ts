/**
 * When each error of the catalogue (errors.ts) is answered, and the catalogue as the API
 * description, docs/api.md and the tests list it. Apart from errors.ts so the Lambda bundles do
 * not carry the documentation text; `Record<ErrorCode, string>` makes it name every code.
 */
import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';

export const ERROR_WHEN: Readonly<Record<ErrorCode, string>> = {
  INVALID_REQUEST: 'the HTTP request cannot be read, or a request API Gateway refuses for a reason not listed here',
  INVALID_BODY:
    'malformed JSON, a body of the wrong shape, a missing mandatory or unknown attribute (each named), a client-supplied id or href',
  INVALID_QUERY:
    'a bad query parameter: unknown attribute or operator, wrong type, bad paging values, an invalid regex, an altered, foreign or expired cursor',
  QUERY_TOO_BROAD:
    'a sort or a very deep offset would read more than the deployment allows in one request (follow next instead)',
  UNAUTHORIZED: 'no token, or a forged or expired one',
  FORBIDDEN: 'the token lacks the scope the operation needs, or the request was refused by the firewall',
  NOT_FOUND: 'no customer or subscription with that id, or no such path',
  METHOD_NOT_ALLOWED: 'a method the resource does not serve (see the Allow header)',
  NOT_ACCEPTABLE: 'an Accept header that admits no JSON',
  CONFLICT: 'a JSON Patch test failed, or a write lost the race to other writers 40 times',
  PRECONDITION_FAILED: 'If-Match does not name the current version (ETag)',
  PAYLOAD_TOO_LARGE: 'a body over 1 MiB, or a customer too large for one stored item (400 KB)',
  UNSUPPORTED_MEDIA_TYPE: 'a Content-Type the operation does not take',
  UNPROCESSABLE_PATCH: 'a JSON Patch path that does not exist, or a JSON Patch Query that selects nothing',
  TOO_MANY_REQUESTS: 'the stage throttled the call (deployed)',
  INTERNAL_ERROR: 'a defect: the details are logged, never sent',
  BAD_GATEWAY: 'the function behind the route failed to answer (deployed)',
  SERVICE_UNAVAILABLE:
    'a transient failure of the store, or the request would outlast the time limit: retry after Retry-After seconds; nothing was half-written',
  GATEWAY_TIMEOUT: 'the function took longer than API Gateway waits (deployed)',
};

/** Each code with every status it may come with, and when. */
export const TMF_ERROR_CODES: readonly { code: ErrorCode; status: readonly number[]; when: string }[] = (
  Object.entries(ERROR_CATALOGUE) as [ErrorCode, (typeof ERROR_CATALOGUE)[ErrorCode]][]
).map(([code, entry]) => ({
  code,
  status: [entry.status, ...('also' in entry ? entry.also : [])],
  when: ERROR_WHEN[code],
}));
