/**
 * What this service adds to the official v5.0.1 document, as it adds to v4's: the answers and
 * headers it really sends (206 pages with Link, ETag and If-Match with 412, Retry-After on 503,
 * 429) and the Hub as registration answers it. Strict generated clients read these.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const errorBody = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

export function addServiceAnswersV5(document: Json): void {
  const { components, paths } = document;
  polymorphicReferences(document);
  components.schemas.Customer_MVO = patchBodyOf(components.schemas, 'Customer_MVO');
  components.headers = {
    ...components.headers,
    Link: {
      description: 'RFC 8288 links: first, prev, next (with a cursor) and last, with the same query',
      schema: { type: 'string' },
    },
    ETag: {
      description: 'The version of the customer, a strong entity tag ("3"), the same in v4 and v5; send it in If-Match',
      schema: { type: 'string' },
    },
    Location: { description: 'The created resource', schema: { type: 'string' } },
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  };
  const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
  components.parameters.IfMatch = {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'Only if the customer is still at this version: its ETag (`"3"`, from v4 or v5), a list of them, or `*`; otherwise 412',
    schema: { type: 'string' },
  };
  const list = components.responses['200CustomerArray'];
  list.headers = { ...list.headers, Link: header('Link') };
  components.responses['206CustomerArray'] = { ...structuredClone(list), description: 'A page of the matches' };
  for (const name of ['200Customer_Get', '200Customer_Patch']) {
    components.responses[name].headers = { ETag: header('ETag') };
  }
  components.responses['201Customer'].headers = { ETag: header('ETag'), Location: header('Location') };
  components.responses['412'] = {
    description: 'If-Match does not name the current version (`PRECONDITION_FAILED`)',
    content: errorBody,
  };
  components.responses['429'] = { description: 'Too many requests (`TOO_MANY_REQUESTS`)', content: errorBody };
  components.responses['503'] = { ...components.responses['503'], headers: { 'Retry-After': header('Retry-After') } };

  const customers = paths['/customer'];
  customers.get.responses['206'] = { $ref: '#/components/responses/206CustomerArray' };
  for (const operation of [paths['/customer/{id}'].patch, paths['/customer/{id}'].delete]) {
    operation.parameters.push({ $ref: '#/components/parameters/IfMatch' });
    operation.responses['412'] = { $ref: '#/components/responses/412' };
  }
  // The official hub operations answer only `default`; this service answers them as it does the rest.
  const hubErrors: Record<string, string[]> = {
    post: ['400', '401', '403'],
    get: ['401', '403', '404'],
    delete: ['401', '403', '404'],
  };
  paths['/hub/{id}'].get.description ||= 'The listener registration, without its signing secret';
  paths['/hub/{id}'].delete.description ||= 'Stops the deliveries to this listener';
  for (const path of ['/hub', '/hub/{id}']) {
    for (const [method, operation] of Object.entries(paths[path]) as [string, Json][]) {
      for (const status of [...(hubErrors[method] ?? []), '500', '503']) {
        operation.responses[status] ??= { $ref: `#/components/responses/${status}` };
      }
    }
  }
  for (const methods of Object.values(paths) as Json[]) {
    for (const operation of Object.values(methods) as Json[]) {
      if (operation?.responses?.['400'] && !operation.responses['429']) {
        operation.responses['429'] = { $ref: '#/components/responses/429' };
      }
    }
  }
  // The official document lists the listener's endpoints as paths of this API; they are the
  // subscriber's, called by this service. OpenAPI 3.0 says that with callbacks on createHub, so a
  // generated client does not offer calls this server does not answer.
  const callbacks: Json = {};
  for (const [path, methods] of Object.entries(paths) as [string, Json][]) {
    if (!path.startsWith('/listener/')) continue;
    callbacks[methods.post.operationId] = { '{$request.body#/callback}': { post: { ...methods.post, security: [] } } };
    delete paths[path];
  }
  paths['/hub'].post.callbacks = callbacks;
  components.schemas.HubRegistered = {
    description:
      'The Hub as registration answers it (once): with the secret this service signs deliveries with (Standard Webhooks).',
    allOf: [
      { $ref: '#/components/schemas/Hub' },
      { type: 'object', properties: { signingSecret: { type: 'string', description: 'whsec_ + base64 key' } } },
    ],
  };
}

const SCHEMAS = '#/components/schemas/';

/**
 * The official document declares each polymorphic type by a `discriminator` on its base schema,
 * and refers to the base: a generated client then types `contactMedium` items as the base
 * ContactMedium, and cannot send an `emailAddress`. This service accepts every mapped subclass
 * (and dispatches on `@type`), so each reference to a base with two or more mapped subclasses
 * becomes what OpenAPI 3.0 says for that: `oneOf` the mapped schemas, with the discriminator.
 * References inside `allOf` are inheritance (a subclass naming its base) and stay, as do the
 * alternatives of the document's own `oneOf`s.
 */
function polymorphicReferences(document: Json): void {
  const schemas: Json = document.components.schemas;
  const union = (ref: string): Json | undefined => {
    const mapping: Record<string, string> | undefined = schemas[ref.slice(SCHEMAS.length)]?.discriminator?.mapping;
    if (!mapping) return undefined;
    const known = Object.entries(mapping).filter(([, target]) => schemas[target.slice(SCHEMAS.length)]);
    if (known.length < 2) return undefined;
    return {
      oneOf: known.map(([, target]) => ({ $ref: target })),
      discriminator: { propertyName: '@type', mapping: Object.fromEntries(known) },
    };
  };
  const visit = (node: unknown, inheritance: boolean): unknown => {
    if (Array.isArray(node)) return node.map((child) => visit(child, inheritance));
    if (node === null || typeof node !== 'object') return node;
    const object = node as Json;
    if (typeof object.$ref === 'string' && object.$ref.startsWith(SCHEMAS)) {
      return inheritance ? object : (union(object.$ref) ?? object);
    }
    for (const [key, child] of Object.entries(object)) {
      if (key === 'discriminator' || key === 'examples' || key === 'example') continue;
      // allOf names a base (inheritance); an existing oneOf names its own alternatives.
      object[key] = visit(child, key === 'allOf' || key === 'oneOf' || key === 'anyOf');
    }
    return object;
  };
  visit(document.components.schemas, false);
  visit(document.components.requestBodies, false);
  visit(document.components.responses, false);
}

/**
 * A PATCH body: every attribute of the resource, none required. The official Customer_MVO keeps
 * PartyRole's `required: [name, engagedParty]` (and Extensible's `@type`), so a typed client
 * could not send `{"status": "Approved"}`, which TMF630 merge patch and this service accept (the
 * patched customer is what is checked).
 */
function patchBodyOf(schemas: Json, name: string): Json {
  const properties: Json = {};
  const collect = (schema: Json): void => {
    if (typeof schema.$ref === 'string') return collect(schemas[schema.$ref.slice(SCHEMAS.length)] ?? {});
    for (const part of schema.allOf ?? []) collect(part);
    Object.assign(properties, schema.properties ?? {});
  };
  collect(schemas[name]);
  return {
    type: 'object',
    description: 'The attributes to change (none required; the patched Customer must be valid)',
    properties,
  };
}
