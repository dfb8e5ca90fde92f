/**
 * The TMF629 operations this API serves: one Lambda each. The CDK stack builds its routes and
 * functions from this list and the local server routes requests with it, so both serve the same
 * API. `entry` is relative to the repository root.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** The TMF629 versions served, each under its own base path, over the same customers. */
export const API_BASE_PATHS = {
  v4: '/tmf-api/customerManagement/v4',
  v5: '/tmf-api/customer/v5',
} as const;
export type ApiVersion = keyof typeof API_BASE_PATHS;
export const API_VERSIONS = Object.keys(API_BASE_PATHS) as ApiVersion[];

/** A version's base URL from another's (same host and stage; the base path differs). */
export function baseUrlOfVersion(baseUrl: string, version: ApiVersion): string {
  for (const path of Object.values(API_BASE_PATHS)) {
    if (baseUrl.endsWith(path)) return `${baseUrl.slice(0, -path.length)}${API_BASE_PATHS[version]}`;
  }
  return baseUrl;
}

export interface OperationDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path under the API base path, API Gateway style (`{id}` is a path parameter). */
  readonly path: string;
  readonly entry: string;
  /** Whether the operation only reads the table. */
  readonly readOnly: boolean;
  /** The scope family it needs, when not customer read/write (the hub). */
  readonly access?: 'hub';
  /**
   * Scopes it needs besides its own, checked by the function (API Gateway's authorizer admits a
   * token holding any one of a method's scopes, never all of them). Registering a listener needs
   * customer read too: its events carry customers, and a subscriber never learns what its token
   * could not read.
   */
  readonly alsoNeeds?: readonly Access[];
  /** The API version it belongs to (absent: v4). Each version's operation has its own function. */
  readonly apiVersion?: 'v5';
  /** The operationId the version's own specification gives it, when ours differs. */
  readonly specOperationId?: string;
}

const v4Operations = [
  {
    operationId: 'listCustomer',
    method: 'GET',
    path: '/customer',
    entry: 'functions/handlers/listCustomer.ts',
    readOnly: true,
  },
  {
    operationId: 'createCustomer',
    method: 'POST',
    path: '/customer',
    entry: 'functions/handlers/createCustomer.ts',
    readOnly: false,
  },
  {
    operationId: 'retrieveCustomer',
    method: 'GET',
    path: '/customer/{id}',
    entry: 'functions/handlers/retrieveCustomer.ts',
    readOnly: true,
  },
  {
    operationId: 'patchCustomer',
    method: 'PATCH',
    path: '/customer/{id}',
    entry: 'functions/handlers/patchCustomer.ts',
    readOnly: false,
  },
  {
    operationId: 'deleteCustomer',
    method: 'DELETE',
    path: '/customer/{id}',
    entry: 'functions/handlers/deleteCustomer.ts',
    readOnly: false,
  },
  {
    operationId: 'registerListener',
    method: 'POST',
    path: '/hub',
    entry: 'functions/handlers/registerListener.ts',
    readOnly: false,
    access: 'hub',
    alsoNeeds: ['read'],
  },
  {
    operationId: 'retrieveListener',
    method: 'GET',
    path: '/hub/{id}',
    entry: 'functions/handlers/retrieveListener.ts',
    readOnly: true,
    access: 'hub',
  },
  {
    operationId: 'unregisterListener',
    method: 'DELETE',
    path: '/hub/{id}',
    entry: 'functions/handlers/unregisterListener.ts',
    readOnly: false,
    access: 'hub',
  },
] as const satisfies readonly OperationDefinition[];

export const operations = [
  ...v4Operations,
  ...(
    [
      ['listCustomer', 'listCustomer'],
      ['createCustomer', 'createCustomer'],
      ['retrieveCustomer', 'retrieveCustomer'],
      ['patchCustomer', 'patchCustomer'],
      ['deleteCustomer', 'deleteCustomer'],
      ['registerListener', 'createHub'],
      ['retrieveListener', 'hubGet'],
      ['unregisterListener', 'hubDelete'],
    ] as const
  ).map(([v4, specOperationId]) => v5Of(v4, specOperationId)),
] as const satisfies readonly OperationDefinition[];

/** The v5 twin of a v4 operation: same route under the v5 base path, its own function. */
function v5Of<const Id extends string>(operationId: Id, specOperationId: string) {
  const v4 = v4Operations.find((operation) => operation.operationId === operationId) as OperationDefinition;
  return {
    ...v4,
    operationId: `${operationId}V5` as `${Id}V5`,
    entry: `functions/handlers/v5/${operationId}V5.ts`,
    apiVersion: 'v5' as const,
    specOperationId,
  };
}

export function basePathOf(operation: object): string {
  return API_BASE_PATHS['apiVersion' in operation && operation.apiVersion === 'v5' ? 'v5' : 'v4'];
}

export type OperationId = (typeof operations)[number]['operationId'];

/**
 * The routes beside the TMF629 operations, read-only (GET and HEAD): the health check outside the
 * base path, the API's description and its reference page under it. The stack and the local
 * server both build them from here.
 */
export const serviceRoutes = {
  /** GET /health: unauthenticated, for load balancers and monitors. */
  health: { path: '/health', operationId: 'health', entry: 'functions/handlers/health.ts' },
  /** GET {base}/openapi.json and {base}/swagger.json: one small function answers both. */
  description: {
    entry: 'functions/handlers/describeApi.ts',
    files: [
      { file: 'openapi.json', operationId: 'describeApiOpenApi' },
      { file: 'swagger.json', operationId: 'describeApiSwagger' },
    ],
  },
  /** GET {base}/docs and {base}/docs/{file}: the reference page's static assets. */
  reference: { path: '/docs' },
} as const;

/** The HTTP methods a route of this method answers: HEAD beside every GET (RFC 9110: GET without the body). */
export function methodsServed(method: string): string[] {
  return method === 'GET' ? ['GET', 'HEAD'] : [method];
}

/**
 * OAuth2 scopes, as the deployed Cognito resource server defines them and the local server checks
 * them (with LOCAL_AUTH=true): `<resource server>/<scope>`.
 */
export const RESOURCE_SERVER_ID = 'tmf629';
export const SCOPE_NAMES = { read: 'customer.read', write: 'customer.write', hub: 'hub' } as const;
export type Access = keyof typeof SCOPE_NAMES;

export function accessOf(operation: OperationDefinition): Access {
  return operation.access ?? (operation.readOnly ? 'read' : 'write');
}

/** Every scope a call needs: the one API Gateway checks first, then those the function checks. */
export function requiredScopesOf(operation: OperationDefinition): string[] {
  return [accessOf(operation), ...(operation.alsoNeeds ?? [])].map(scopeOf);
}

export function scopeOf(access: Access): string {
  return `${RESOURCE_SERVER_ID}/${SCOPE_NAMES[access]}`;
}

/** Every scope the API defines, `tmf629/customer.read` first. */
export const ALL_SCOPES: readonly string[] = (Object.keys(SCOPE_NAMES) as Access[]).map(scopeOf);
