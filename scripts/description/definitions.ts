/**
 * The description's definitions: the official ones, split into what is answered (any `fields`
 * selection: only id and href always there) and what is sent (every requirement kept), with
 * merge-patch nulls, the events' own attributes, the error catalogue, examples and JSON Patch.
 */
import { splitAnswersFromRequests } from '../apiSchemas.js';
import { TMF_ERROR_CODES } from '../../functions/errorCatalogue.js';
import type { Json } from './shared.js';
import { sampleCustomer, hubExample, listenerOperations, withRequired } from './shared.js';

export function describedDefinitions(official: { definitions: Record<string, Json> }): Record<string, Json> {
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
  return definitions;
}
