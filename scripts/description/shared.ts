/**
 * What the description's builders share: the sample bodies, the answers every operation may give
 * (errors, entity tags, paging and read-statistics headers), the querying text, and how labels
 * and required lists are written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withConformanceRequired } from '../officialSwagger.js';
import { MAX_FILTER_CONDITIONS, MAX_FILTER_VALUES, MAX_REGEX_LENGTH } from '../../functions/domain/filter.js';
import { MAX_PATCH_OPERATIONS } from '../../functions/domain/patch.js';
import { MAX_SORT_KEYS } from '../../functions/domain/sort.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../functions/domain/untrustedJson.js';
import { MAX_ITEM_BYTES } from '../../functions/repository/customerTable.js';

export type Json = Record<string, unknown>;

/** The sample customer the README's examples work on. */
export const sampleCustomerPath = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'customer.json');
export const sampleCustomer = () => JSON.parse(readFileSync(sampleCustomerPath, 'utf8')) as Json;
export const hubExample = {
  callback: 'https://crm.example.com/tmf629/listener',
  query: 'eventType=CustomerCreateEvent,CustomerStateChangeEvent',
};

export const PATCH_MEDIA_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json',
  jsonPatch: 'application/json-patch+json',
  jsonPatchQuery: 'application/json-patch-query+json',
} as const;

export const ALWAYS_SENT_HEADERS = ['ETag', 'Location', 'X-Result-Count', 'Retry-After'];

export const listenerOperations = {
  '/listener/customerCreateEvent': 'CustomerCreateEvent',
  '/listener/customerAttributeValueChangeEvent': 'CustomerAttributeValueChangeEvent',
  '/listener/customerStateChangeEvent': 'CustomerStateChangeEvent',
  '/listener/customerDeleteEvent': 'CustomerDeleteEvent',
} as const;

export const querying = `**Querying (TMF630).** Any attribute of Customer can filter, first-level or dotted into objects and arrays
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

export function errorResponse(description: string, extraHeaders: Json = {}): Json {
  return {
    description,
    schema: { $ref: '#/definitions/Error' },
    ...(Object.keys(extraHeaders).length ? { headers: extraHeaders } : {}),
  };
}

export const retryAfter = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' } };
export const etag = {
  ETag: { type: 'string', description: 'The version of the customer, a strong entity tag ("3"); send it in If-Match' },
};

/** The error answers every operation can give, beyond those the official swagger lists. */
export const commonErrors: Json = {
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

export const listHeaders = {
  'X-Total-Count': { type: 'integer', description: 'How many customers match (absent when not counted to the end)' },
  'X-Result-Count': { type: 'integer', description: 'How many customers the body holds' },
  Link: {
    type: 'string',
    description: 'RFC 8288 links: first, prev, next (with a cursor) and last, with the same query (none with limit=0)',
  },
};

export function filterParameter(name: string, description: string, type = 'string'): Json {
  return { name, in: 'query', required: false, type, description, 'x-ms-summary': labelOf(name) };
}

/** A label for a dotted or `@` name, for low-code tools (`engagedParty.id` -> `Engaged party id`). */
export function labelOf(name: string): string {
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
export const readStatsHeaders: Json = {
  'X-Read-Items': { type: 'integer', description: 'Items this request read from DynamoDB (with EXPOSE_READ_STATS)' },
  'X-Customers-Examined': {
    type: 'integer',
    description: 'Customers checked against the filter (with EXPOSE_READ_STATS)',
  },
  'X-Read-Capacity': { type: 'number', description: 'Read capacity units consumed (with EXPOSE_READ_STATS)' },
  'X-Write-Capacity': { type: 'number', description: 'Write capacity units consumed (with EXPOSE_READ_STATS)' },
};

/** Labels every `@`-named property for low-code tools. */
export function labelAtProperties(definitions: Record<string, Json>): void {
  for (const definition of Object.values(definitions)) {
    for (const [name, property] of Object.entries((definition.properties ?? {}) as Record<string, Json>)) {
      if (name.startsWith('@')) property['x-ms-summary'] = labelOf(name);
    }
  }
}

/** The profile's mandatory attributes, as the validators have them; a patch body needs none. */
export function withRequired(definitions: Record<string, Json & { required?: string[] }>): Record<string, Json> {
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
