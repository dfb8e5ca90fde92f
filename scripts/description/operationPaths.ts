/**
 * The description's paths: each operation with its parameters (paging, fields, TMF630 filters on
 * the indexed attributes), headers and every answer; the listener callbacks; read statistics on
 * every answer; POST /hub as a Power Automate webhook trigger.
 * One declarative table of every path: split, it would only scatter what one reader checks against
 * the spec side by side.
 */
import type { Json } from './shared.js';
import {
  PATCH_MEDIA_TYPES,
  listenerOperations,
  querying,
  errorResponse,
  etag,
  commonErrors,
  listHeaders,
  filterParameter,
  readStatsHeaders,
} from './shared.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../functions/domain/listQuery.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES } from '../../functions/domain/lookupAttributes.js';

export function describedPaths(
  official: { paths: Record<string, Record<string, Json>> },
  definitions: Record<string, Json>,
): Record<string, Record<string, Json>> {
  const idParameter = (what: string): Json => ({
    name: 'id',
    in: 'path',
    required: true,
    type: 'string',
    description: `Identifier of the ${what}`,
  });
  const ifMatch: Json = {
    name: 'If-Match',
    in: 'header',
    required: false,
    type: 'string',
    description:
      'Only if the customer is still at this version: its ETag (`"3"`), a list of them, or `*`; otherwise 412',
  };
  const fields: Json = {
    name: 'fields',
    in: 'query',
    required: false,
    type: 'string',
    description:
      'Comma-separated attributes to return (dotted paths select inside objects and arrays); `id` and `href` always come back; `none` gives only them',
  };

  const paths: Record<string, Record<string, Json>> = {
    '/customer': {
      get: {
        ...official.paths['/customer']?.get,
        description: `List or find Customer objects.\n\n${querying}`,
        parameters: [
          fields,
          {
            name: 'offset',
            in: 'query',
            required: false,
            type: 'integer',
            minimum: 0,
            default: 0,
            description: 'Customers to skip',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            type: 'integer',
            minimum: 0,
            maximum: MAX_LIMIT,
            default: DEFAULT_LIMIT,
            description: `Customers per page (at most ${MAX_LIMIT}; 0 answers only the headers)`,
          },
          {
            name: 'sort',
            in: 'query',
            required: false,
            type: 'string',
            description:
              'Comma-separated attributes, `-` for descending: `-creditProfile.creditScore,name`. Default: by id (creation order)',
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            type: 'string',
            description: 'Opaque; comes in the `next` link. Do not build it: follow `next`',
          },
          ...BUILT_IN_LOOKUP_ATTRIBUTES.map((a) =>
            filterParameter(a.attribute, `Filter on \`${a.attribute}\` (indexed): equality, a comma ORs values`),
          ),
          filterParameter(
            'creditProfile.creditScore.gte',
            'Example of an operator filter: credit score at least this',
            'integer',
          ),
        ],
        responses: {
          '200': {
            description: 'Every match',
            schema: { type: 'array', items: { $ref: '#/definitions/Customer' } },
            headers: listHeaders,
          },
          '206': {
            description: 'A page of the matches',
            schema: { type: 'array', items: { $ref: '#/definitions/Customer' } },
            headers: listHeaders,
          },
          ...commonErrors,
        },
      },
      post: {
        ...official.paths['/customer']?.post,
        description:
          'Creates a Customer. The server makes the `id` (a ULID) and `href`; `name` and `engagedParty` are mandatory.',
        consumes: ['application/json'],
        responses: {
          '201': {
            description: 'Created',
            schema: { $ref: '#/definitions/Customer' },
            headers: { Location: { type: 'string', description: "The new customer's href" }, ...etag },
          },
          ...commonErrors,
          '413': errorResponse('Payload too large (`PAYLOAD_TOO_LARGE`)'),
          '415': errorResponse('Unsupported media type (`UNSUPPORTED_MEDIA_TYPE`)'),
        },
      },
    },
    '/customer/{id}': {
      get: {
        ...official.paths['/customer/{id}']?.get,
        parameters: [idParameter('Customer'), fields],
        responses: {
          '200': { description: 'Success', schema: { $ref: '#/definitions/Customer' }, headers: etag },
          ...commonErrors,
          '404': errorResponse('No customer with this id (`NOT_FOUND`)'),
        },
      },
      patch: {
        ...official.paths['/customer/{id}']?.patch,
        description:
          'Updates a Customer partially. The format follows `Content-Type`: `application/merge-patch+json` or `application/json` (JSON Merge Patch, RFC 7396: the body is a partial Customer, `null` removes), `application/json-patch+json` (JSON Patch, RFC 6902: an array of operations, all or nothing), `application/json-patch-query+json` (TMF630 JSON Patch Query: JSON Patch whose path may select array elements by a query). `id` and `href` cannot change.',
        consumes: [
          PATCH_MEDIA_TYPES.merge,
          PATCH_MEDIA_TYPES.json,
          PATCH_MEDIA_TYPES.jsonPatch,
          PATCH_MEDIA_TYPES.jsonPatchQuery,
        ],
        parameters: [
          idParameter('Customer'),
          ifMatch,
          {
            name: 'customer',
            in: 'body',
            required: true,
            schema: { $ref: '#/definitions/Customer_Update' },
            description: 'The Customer to be updated (a merge patch; JSON Patch bodies are arrays of operations)',
          },
        ],
        responses: {
          '200': { description: 'Updated', schema: { $ref: '#/definitions/Customer' }, headers: etag },
          ...commonErrors,
          '404': errorResponse('No customer with this id (`NOT_FOUND`)'),
          '409': errorResponse('A JSON Patch `test` failed (`CONFLICT`)'),
          '412': errorResponse('If-Match does not name the current version (`PRECONDITION_FAILED`)'),
          '413': errorResponse('Payload too large (`PAYLOAD_TOO_LARGE`)'),
          '415': errorResponse('Unsupported media type (`UNSUPPORTED_MEDIA_TYPE`)'),
          '422': errorResponse(
            'A JSON Patch path that does not exist, or a query that selects nothing (`UNPROCESSABLE_PATCH`)',
          ),
        },
      },
      delete: {
        ...official.paths['/customer/{id}']?.delete,
        parameters: [idParameter('Customer'), ifMatch],
        responses: {
          '204': { description: 'Deleted' },
          ...commonErrors,
          '404': errorResponse('No customer with this id (`NOT_FOUND`)'),
          '412': errorResponse('If-Match does not name the current version (`PRECONDITION_FAILED`)'),
        },
      },
    },
    '/hub': {
      post: {
        ...official.paths['/hub']?.post,
        description:
          'Subscribes a callback to customer events. `query` narrows them: `eventType=CustomerCreateEvent,CustomerStateChangeEvent` and customer filters in the TMF630 syntax (`status=Approved`). Each event is POSTed as JSON to `callback`, signed in the Standard Webhooks scheme (`webhook-id`, `webhook-timestamp`, `webhook-signature`; see `signingSecret`). Needs the hub scope and customer read: events carry customers.',
        consumes: ['application/json'],
        responses: {
          '201': {
            description: 'Subscribed; `signingSecret` is answered this once',
            schema: { $ref: '#/definitions/EventSubscription' },
            headers: { Location: { type: 'string', description: "The subscription's URL" } },
          },
          ...commonErrors,
          '415': errorResponse('Unsupported media type (`UNSUPPORTED_MEDIA_TYPE`)'),
        },
      },
    },
    '/hub/{id}': {
      get: {
        operationId: 'retrieveListener',
        summary: 'Retrieves a listener (event subscription), as TMF v5 offers it',
        description:
          'The subscription as registered: its id, callback and query. The signing secret is not answered again.',
        tags: ['events subscription'],
        parameters: [idParameter('subscription')],
        responses: {
          '200': { description: 'Success', schema: { $ref: '#/definitions/EventSubscription' } },
          ...commonErrors,
          '404': errorResponse('No subscription with this id (`NOT_FOUND`)'),
        },
      },
      delete: {
        ...official.paths['/hub/{id}']?.delete,
        description:
          'Removes the subscription: no event is delivered to its callback afterwards (deliveries already under way may still arrive).',
        parameters: [idParameter('subscription')],
        responses: {
          '204': { description: 'Deleted' },
          ...commonErrors,
          '404': errorResponse('No subscription with this id (`NOT_FOUND`)'),
        },
      },
    },
  };
  for (const [path, event] of Object.entries(listenerOperations)) {
    const post = official.paths[path]?.post ?? {};
    paths[path] = {
      post: {
        ...post,
        description: `The ${event} this API POSTs to a subscriber's callback. Signed in the Standard Webhooks scheme: verify \`webhook-signature\` with the subscription's signingSecret (any Standard Webhooks library does), refuse a \`webhook-timestamp\` more than 5 minutes away and a \`webhook-id\` already accepted.`,
        parameters: [
          {
            name: 'webhook-id',
            in: 'header',
            required: true,
            type: 'string',
            description: 'The eventId, covered by the signature: stable for one change, drop repeats',
          },
          {
            name: 'webhook-timestamp',
            in: 'header',
            required: true,
            type: 'string',
            description: 'Unix seconds of this attempt, covered by the signature',
          },
          {
            name: 'webhook-signature',
            in: 'header',
            required: true,
            type: 'string',
            description: '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`',
          },
          {
            name: 'X-TMF-Event-Id',
            in: 'header',
            required: true,
            type: 'string',
            description: 'The eventId again, under its TMF name: always equal to webhook-id',
          },
          { name: 'data', in: 'body', required: true, schema: { $ref: `#/definitions/${event}` } },
        ],
        responses: {
          '200': { description: 'Received (any 2xx)' },
          '4XX': { description: 'Refused: retried with backoff, then kept as a dead letter' },
          '5XX': { description: 'Failed: retried with backoff, then kept as a dead letter' },
        },
      },
    };
  }

  // Every answer of the API's own operations may carry the read statistics.
  for (const [path, byMethod] of Object.entries(paths)) {
    if (path.startsWith('/listener/')) continue;
    for (const operation of Object.values(byMethod)) {
      for (const response of Object.values(operation.responses as Record<string, Json>)) {
        response.headers = { ...(response.headers as Json), ...readStatsHeaders };
      }
    }
  }
  // POST /hub as a Power Automate webhook trigger: the flow's own URL goes in `callback`, the
  // events arrive as CustomerEvent, and the flow deletes its subscription at the Location answered.
  const register = paths['/hub']?.post as Json & { parameters: Json[] };
  register['x-ms-trigger'] = 'single';
  register.parameters = [
    {
      name: 'data',
      in: 'body',
      required: true,
      description: 'The callback and the events wanted',
      schema: { $ref: '#/definitions/EventSubscriptionInput' },
    },
  ];
  (paths['/hub'] as Json)['x-ms-notification-content'] = {
    description: 'A customer event',
    schema: { $ref: '#/definitions/CustomerEvent' },
  };
  const input = (definitions.EventSubscriptionInput as Json & { properties: Record<string, Json> }).properties;
  input.callback = { ...input.callback, 'x-ms-notification-url': true, 'x-ms-visibility': 'internal' };
  return paths;
}
