/**
 * Builds the API's own description from the official TMF629 v4.0.0 swagger in spec/ plus what
 * this service really does (paging, TMF630 querying, headers, the PATCH formats, every error
 * code, the hub and its events). Run by `npm run generate`, which writes two bases:
 *   functions/generated/swagger.base.json   Swagger 2.0 (for tools that take only 2.0)
 *   functions/generated/openapi.base.json   OpenAPI 3.0, converted from it by swagger2openapi
 *                                           plus what only 3.0 can say (one body per PATCH
 *                                           format, the events as callbacks)
 * At run time functions/apiDescription/describeApi.ts adds the live server URL and the security
 * of the deployment; nothing here depends on either.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import swagger2openapi from 'swagger2openapi';
import { readOfficialSwagger, withConformanceRequired } from './officialSwagger.js';
import { splitAnswersFromRequests, withoutUnused, wrapRefSiblings } from './apiSchemas.js';
import { TMF_ERROR_CODES } from '../functions/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../functions/domain/listQuery.js';
import { MAX_FILTER_CONDITIONS, MAX_FILTER_VALUES, MAX_REGEX_LENGTH } from '../functions/domain/filter.js';
import { MAX_PATCH_OPERATIONS } from '../functions/domain/patch.js';
import { MAX_SORT_KEYS } from '../functions/domain/sort.js';
import { API_BASE_PATH } from '../functions/http/request.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../functions/domain/untrustedJson.js';
import { MAX_ITEM_BYTES } from '../functions/repository/customerTable.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES } from '../functions/domain/lookupAttributes.js';

type Json = Record<string, unknown>;

/** The sample customer the README's examples work on. */
const sampleCustomerPath = join(import.meta.dirname, '..', 'docs', 'examples', 'customer.json');
const sampleCustomer = () => JSON.parse(readFileSync(sampleCustomerPath, 'utf8')) as Json;
const hubExample = {
  callback: 'https://crm.example.com/tmf629/listener',
  query: 'eventType=CustomerCreateEvent,CustomerStateChangeEvent',
};

const PATCH_MEDIA_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json',
  jsonPatch: 'application/json-patch+json',
  jsonPatchQuery: 'application/json-patch-query+json',
} as const;

const ALWAYS_SENT_HEADERS = ['ETag', 'Location', 'X-Result-Count', 'Retry-After'];

const listenerOperations = {
  '/listener/customerCreateEvent': 'CustomerCreateEvent',
  '/listener/customerAttributeValueChangeEvent': 'CustomerAttributeValueChangeEvent',
  '/listener/customerStateChangeEvent': 'CustomerStateChangeEvent',
  '/listener/customerDeleteEvent': 'CustomerDeleteEvent',
} as const;

const querying = `**Querying (TMF630).** Any attribute of Customer can filter, first-level or dotted into objects and arrays
(\`engagedParty.id=500\`, \`contactMedium.characteristic.city=Paris\`); an array matches when any element does, and
\`characteristic[segment].value=gold\` picks the characteristic *named* \`segment\`. Operators: \`attr=v\`, the suffixes
\`.eq .gt .gte .lt .lte\` (\`creditProfile.creditScore.gte=600\`) or the symbols \`> >= < <= ==\`; a regex with
\`attr*=^Moon\`. A comma ORs values of one parameter (\`status=Approved,Pending\`); different parameters AND.
Date-times compare as instants, numbers as numbers. Only a few filters are listed as parameters below; every
attribute works the same way.

**Paging.** \`offset\` and \`limit\`; the answer is 200 when the body holds every match, 206 when it holds a page.
\`X-Result-Count\` is the number in the body, \`X-Total-Count\` the number of matches (left out when a filter no index
serves could not count to the end in time). \`Link\` gives \`first\`, \`prev\`, \`next\` and \`last\`; follow \`next\`
(it carries an opaque \`cursor\`) to walk a large list at the cost of one page per page.

**Limits** (each refused with a 4xx that names it, before any work): at most ${MAX_SORT_KEYS} \`sort\` keys; at most ${MAX_FILTER_CONDITIONS} filter conditions and ${MAX_FILTER_VALUES} filter values in all (comma-ORed
values count one each: each may be one index read); regexes of ${MAX_REGEX_LENGTH} characters; a body of
${MAX_BODY_BYTES} bytes nesting ${MAX_JSON_DEPTH} levels; a JSON Patch of ${MAX_PATCH_OPERATIONS} operations, whose
working document may never pass ${MAX_ITEM_BYTES} bytes (413); numbers within a double's range and integers within
±2^53 - 1 (send larger ones as strings); strings of well-formed Unicode.`;

function errorResponse(description: string, extraHeaders: Json = {}): Json {
  return {
    description,
    schema: { $ref: '#/definitions/Error' },
    ...(Object.keys(extraHeaders).length ? { headers: extraHeaders } : {}),
  };
}

const retryAfter = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' } };
const etag = {
  ETag: { type: 'string', description: 'The version of the customer, a strong entity tag ("3"); send it in If-Match' },
};

/** The error answers every operation can give, beyond those the official swagger lists. */
const commonErrors: Json = {
  '400': errorResponse('Bad Request: `INVALID_BODY`, `INVALID_QUERY`, `QUERY_TOO_BROAD` or `INVALID_REQUEST`'),
  '401': errorResponse('Unauthorized: no token, or a forged or expired one (`UNAUTHORIZED`)', {
    'WWW-Authenticate': {
      type: 'string',
      description: 'RFC 6750: `Bearer realm="tmf629"`, with `error="invalid_token"` when a token was sent but refused',
    },
  }),
  '403': errorResponse('Forbidden: the token lacks the scope (`FORBIDDEN`)'),
  '405': errorResponse('Method not allowed (`METHOD_NOT_ALLOWED`), with an `Allow` header', {
    Allow: { type: 'string', description: 'The methods the resource supports' },
  }),
  '406': errorResponse('Not acceptable: the Accept header admits no JSON (`NOT_ACCEPTABLE`)'),
  '429': errorResponse('Too many requests: throttled (`TOO_MANY_REQUESTS`, deployed)'),
  '500': errorResponse('Internal error (`INTERNAL_ERROR`)'),
  '503': errorResponse(
    'Service unavailable: transient, retry after `Retry-After` seconds (`SERVICE_UNAVAILABLE`)',
    retryAfter,
  ),
};

const listHeaders = {
  'X-Total-Count': { type: 'integer', description: 'How many customers match (absent when not counted to the end)' },
  'X-Result-Count': { type: 'integer', description: 'How many customers the body holds' },
  Link: {
    type: 'string',
    description: 'RFC 8288 links: first, prev, next (with a cursor) and last, with the same query (none with limit=0)',
  },
};

function filterParameter(name: string, description: string, type = 'string'): Json {
  return { name, in: 'query', required: false, type, description, 'x-ms-summary': labelOf(name) };
}

/** A label for a dotted or `@` name, for low-code tools (`engagedParty.id` -> `Engaged party id`). */
function labelOf(name: string): string {
  const words = name
    .replace(/^@/, '')
    .split(/[.@]/)
    .flatMap((part) => part.replace(/([a-z])([A-Z])/g, '$1 $2').split(' '))
    .map((word) => word.toLowerCase())
    .filter(Boolean);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Sent on every answer when the deployment sets EXPOSE_READ_STATS=true (npm start does). */
const readStatsHeaders: Json = {
  'X-Read-Items': { type: 'integer', description: 'Items this request read from DynamoDB (with EXPOSE_READ_STATS)' },
  'X-Customers-Examined': {
    type: 'integer',
    description: 'Customers checked against the filter (with EXPOSE_READ_STATS)',
  },
  'X-Read-Capacity': { type: 'number', description: 'Read capacity units consumed (with EXPOSE_READ_STATS)' },
  'X-Write-Capacity': { type: 'number', description: 'Write capacity units consumed (with EXPOSE_READ_STATS)' },
};

/** Labels every `@`-named property for low-code tools. */
function labelAtProperties(definitions: Record<string, Json>): void {
  for (const definition of Object.values(definitions)) {
    for (const [name, property] of Object.entries((definition.properties ?? {}) as Record<string, Json>)) {
      if (name.startsWith('@')) property['x-ms-summary'] = labelOf(name);
    }
  }
}

/** The profile's mandatory attributes, as the validators have them; a patch body needs none. */
function withRequired(definitions: Record<string, Json & { required?: string[] }>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    if (name === 'Customer_Update') {
      // A patch names only what changes; the swagger's `required` there is a generator artefact the service ignores.
      const { required: _ignored, ...partial } = definition;
      out[name] = partial;
    } else out[name] = withConformanceRequired(name, definition);
  }
  return out;
}

/** Swagger 2.0, with the listener paths still in it (they become callbacks in 3.0). */
function augmentedSwagger(): Json {
  const official = readOfficialSwagger<
    Json & { paths: Record<string, Record<string, Json>>; definitions: Record<string, Json> }
  >();
  // What a `fields` selection answers is any part of a customer: only id and href are always there.
  const definitions = splitAnswersFromRequests(
    withRequired(official.definitions),
    'Customer',
    ['id', 'href'],
    ['Customer_Create', 'Customer_Update'],
  );
  // RFC 7396: a merge patch removes an attribute with null (all but the mandatory ones).
  const update = definitions.Customer_Update as Json & { properties: Record<string, Json> };
  for (const [name, property] of Object.entries(update.properties)) {
    if (['name', 'engagedParty'].includes(name)) continue;
    property['x-nullable'] = true;
    // A null-able reference becomes `allOf` with siblings (wrapRefSiblings), which needs its type said.
    if (typeof property.$ref === 'string') property.type = 'object';
  }
  // What every event carries besides the official attributes.
  for (const event of Object.values(listenerOperations)) {
    const definition = definitions[event] as Json & { properties: Record<string, Json> };
    definition.properties = {
      '@type': { type: 'string', description: 'The event type again, as TMF entities name themselves', enum: [event] },
      ...definition.properties,
      ...(event === 'CustomerStateChangeEvent' || event === 'CustomerAttributeValueChangeEvent'
        ? { fieldPath: { type: 'string', description: 'The attribute whose change caused the event (`status`)' } }
        : {}),
    };
  }
  definitions.CustomerEvent = {
    type: 'object',
    description: 'Any of the four customer events, as a webhook trigger receives it',
    properties: {
      '@type': { type: 'string', enum: Object.values(listenerOperations) },
      eventId: { type: 'string' },
      eventTime: { type: 'string', format: 'date-time' },
      eventType: { type: 'string', enum: Object.values(listenerOperations) },
      fieldPath: { type: 'string' },
      event: {
        type: 'object',
        properties: { customer: { $ref: '#/definitions/Customer' } },
      },
    },
  };
  for (const name of ['EventSubscription', 'EventSubscriptionInput']) {
    const callback = (definitions[name] as Json & { properties: Record<string, Json> }).properties.callback as Json;
    callback.format = 'uri';
  }
  definitions.Customer_Create = { ...definitions.Customer_Create, example: sampleCustomer() };
  definitions.Customer_Update = {
    ...definitions.Customer_Update,
    example: { status: 'Approved', statusReason: 'Credit checked' },
  };
  definitions.EventSubscriptionInput = {
    ...definitions.EventSubscriptionInput,
    example: hubExample,
  };
  const errorDefinition = definitions.Error as Json & { properties: Record<string, Json> };
  errorDefinition.properties = {
    ...errorDefinition.properties,
    code: {
      type: 'string',
      description:
        'What went wrong, one of:\n' +
        TMF_ERROR_CODES.map((e) => `- \`${e.code}\` (${e.status.join(', ')}): ${e.when}`).join('\n'),
      enum: TMF_ERROR_CODES.map((e) => e.code),
    },
  };
  const subscription = definitions.EventSubscription as Json & { properties: Record<string, Json> };
  subscription.properties = {
    ...subscription.properties,
    signingSecret: {
      type: 'string',
      description:
        'Secret for verifying deliveries (Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<raw body>">`, keyed with the base64-decoded part after `whsec_`); answered once, in the 201 of registerListener',
    },
  };
  definitions.JsonPatchOperation = {
    type: 'object',
    description:
      'One operation of a JSON Patch (RFC 6902); with application/json-patch-query+json the path may carry a TMF630 query selecting array elements, e.g. `/contactMedium/preferred?contactMedium.mediumType=email`',
    required: ['op', 'path'],
    properties: {
      op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: 'string', description: 'JSON Pointer, e.g. `/characteristic/-`' },
      from: { type: 'string', description: 'For move and copy' },
      value: { description: 'For add, replace and test' },
    },
  };
  definitions.JsonPatch = { type: 'array', items: { $ref: '#/definitions/JsonPatchOperation' } };

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
  labelAtProperties(definitions);

  return {
    swagger: '2.0',
    info: {
      title: 'TMF629 Customer Management',
      version: '4.0.0',
      description:
        'TM Forum TMF629 Customer Management API v4, as this service implements it. Built from the official v4.0.0 swagger plus what the service does: TMF630 querying and paging, entity tags, three PATCH formats, signed event notifications.\n\n' +
        querying,
    },
    basePath: API_BASE_PATH,
    consumes: ['application/json'],
    produces: ['application/json'],
    tags: [
      { name: 'customer', description: 'Customers: create, list and find, retrieve, patch, delete' },
      { name: 'events subscription', description: 'Subscriptions to customer events (the hub)' },
      {
        name: 'notification listeners (client side)',
        description: 'What this API POSTs to a subscriber, as callbacks',
      },
    ],
    paths: wrapRefSiblings(paths),
    definitions: wrapRefSiblings(definitions),
  };
}

/** Drops what 2.0 cannot hold as served: the subscriber's own endpoints. */
export function swaggerBase(): Json {
  const swagger = JSON.parse(JSON.stringify(augmentedSwagger())) as Json;
  const paths = { ...(swagger.paths as Json) };
  for (const path of Object.keys(listenerOperations)) delete paths[path];
  return {
    ...swagger,
    paths,
    definitions: withoutUnused(swagger.definitions as Record<string, Json>, paths),
    tags: (swagger.tags as { name: string }[]).filter((t) => t.name !== 'notification listeners (client side)'),
  };
}

export async function openapiBase(): Promise<Json> {
  // A plain tree: the converter refuses objects shared between two places.
  const swagger = JSON.parse(JSON.stringify(augmentedSwagger())) as Json;
  const converted = (await swagger2openapi.convertObj(swagger, {
    patch: true,
    warnOnly: false,
    targetVersion: '3.0.3',
  })) as { openapi: Json };
  const openapi = converted.openapi as Json & { paths: Record<string, Record<string, Json>> };
  delete openapi.servers;
  openapi.openapi = '3.0.3';
  // Headers the service always sends with that answer (2.0 cannot say so).
  for (const byMethod of Object.values(openapi.paths)) {
    for (const operation of Object.values(byMethod)) {
      for (const response of Object.values((operation.responses ?? {}) as Record<string, Json>)) {
        for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
          if (ALWAYS_SENT_HEADERS.includes(name)) header.required = true;
        }
      }
    }
  }
  // Examples a reference page's try-it console and a Postman collection start from: the README's customer.
  const createBody = (openapi.paths['/customer']?.post as Json).requestBody as { content: Record<string, Json> };
  for (const media of Object.values(createBody.content)) media.example = sampleCustomer();
  const hubBody = (openapi.paths['/hub']?.post as Json).requestBody as { content: Record<string, Json> };
  for (const media of Object.values(hubBody.content)) media.example = hubExample;
  // One body per PATCH format: a partial Customer, or an array of operations.
  const patch = openapi.paths['/customer/{id}']?.patch as Json;
  const mergeSchema = { $ref: '#/components/schemas/Customer_Update' };
  const operationsSchema = { $ref: '#/components/schemas/JsonPatch' };
  patch.requestBody = {
    required: true,
    description: 'The change, in the format `Content-Type` names',
    content: {
      [PATCH_MEDIA_TYPES.merge]: {
        schema: mergeSchema,
        example: { status: 'Approved', statusReason: 'Credit checked' },
      },
      [PATCH_MEDIA_TYPES.json]: { schema: mergeSchema, example: { status: 'Approved' } },
      [PATCH_MEDIA_TYPES.jsonPatch]: {
        schema: operationsSchema,
        example: [{ op: 'add', path: '/characteristic/-', value: { name: 'segment', value: 'gold' } }],
      },
      [PATCH_MEDIA_TYPES.jsonPatchQuery]: {
        schema: operationsSchema,
        example: [{ op: 'replace', path: '/contactMedium/preferred?contactMedium.mediumType=email', value: true }],
      },
    },
  };
  // The events, as what they are: requests this API makes to the subscriber's callback.
  const callbacks: Json = {};
  for (const [path, event] of Object.entries(listenerOperations)) {
    // The subscriber's endpoint takes no credential of this API's: deliveries are signed instead.
    (openapi.paths[path]?.post as Json).security = [];
    callbacks[event] = { '{$request.body#/callback}': openapi.paths[path] };
    delete openapi.paths[path];
  }
  (openapi.paths['/hub']?.post as Json).callbacks = callbacks;
  // The Power Automate trigger is 2.0's (what the Power Platform imports); 3.0 says it with callbacks.
  delete (openapi.paths['/hub'] as Json)['x-ms-notification-content'];
  delete (openapi.paths['/hub']?.post as Json)['x-ms-trigger'];
  const components = openapi.components as Json & { schemas: Record<string, Json> };
  const { schemas, ...otherComponents } = components;
  components.schemas = withoutUnused(schemas, { ...openapi, components: otherComponents }, '#/components/schemas/');
  openapi.tags = (openapi.tags as { name: string }[]).filter((t) => t.name !== 'notification listeners (client side)');
  return openapi;
}
