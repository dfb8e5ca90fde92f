/**
 * The TMF629 operations this API serves: one Lambda each. The CDK stack builds its routes and
 * functions from this list and the local server routes requests with it, so both serve the same
 * API. `entry` is relative to the repository root.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface OperationDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path under the API base path, API Gateway style (`{id}` is a path parameter). */
  readonly path: string;
  readonly entry: string;
  /** Whether the operation only reads the table. */
  readonly readOnly: boolean;
}

export const operations = [
  { operationId: 'listCustomer', method: 'GET', path: '/customer', entry: 'functions/listCustomer.ts', readOnly: true },
  {
    operationId: 'createCustomer',
    method: 'POST',
    path: '/customer',
    entry: 'functions/createCustomer.ts',
    readOnly: false,
  },
  {
    operationId: 'retrieveCustomer',
    method: 'GET',
    path: '/customer/{id}',
    entry: 'functions/retrieveCustomer.ts',
    readOnly: true,
  },
  {
    operationId: 'patchCustomer',
    method: 'PATCH',
    path: '/customer/{id}',
    entry: 'functions/patchCustomer.ts',
    readOnly: false,
  },
  {
    operationId: 'deleteCustomer',
    method: 'DELETE',
    path: '/customer/{id}',
    entry: 'functions/deleteCustomer.ts',
    readOnly: false,
  },
] as const satisfies readonly OperationDefinition[];

export type OperationId = (typeof operations)[number]['operationId'];
