/**
 * What this service adds to the official v5.0.1 document, as it adds to v4's: the answers and
 * headers it really sends (206 pages with Link, ETag and If-Match with 412, Retry-After on 503,
 * 429) and the Hub as registration answers it. Strict generated clients read these.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const errorBody = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

export function addServiceAnswersV5(document: Json): void {
  const { components, paths } = document;
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
