/**
 * Builds the API's own description from the official TMF629 v4.0.0 swagger in spec/ plus what
 * this service really does (paging, TMF630 querying, headers, the PATCH formats, every error
 * code, the hub and its events). Run by `npm run generate`, which writes two bases:
 *   functions/generated/swagger.base.json   Swagger 2.0 (for tools that take only 2.0)
 *   functions/generated/openapi.base.json   OpenAPI 3.0, converted from it by swagger2openapi
 *                                           plus what only 3.0 can say (one body per PATCH
 *                                           format, the events as callbacks)
 * At run time functions/apiDescription/liveDescription.ts adds the live server URL and the security
 * of the deployment; nothing here depends on either.
 */
import swagger2openapi from 'swagger2openapi';
import { readOfficialSwagger } from './officialSwagger.js';
import { withoutUnused, wrapRefSiblings } from './apiSchemas.js';
import { API_BASE_PATH } from '../functions/http/request.js';
import { describedDefinitions } from './description/definitions.js';
import { describedPaths } from './description/operationPaths.js';
import type { Json } from './description/shared.js';
import {
  ALWAYS_SENT_HEADERS,
  PATCH_MEDIA_TYPES,
  hubExample,
  labelAtProperties,
  listenerOperations,
  querying,
  sampleCustomer,
} from './description/shared.js';

function augmentedSwagger(): Json {
  const official = readOfficialSwagger<
    Json & { paths: Record<string, Record<string, Json>>; definitions: Record<string, Json> }
  >();
  const definitions = describedDefinitions(official);
  const paths = describedPaths(official, definitions);
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
