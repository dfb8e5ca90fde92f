/**
 * Checks live answers against the API's own OpenAPI description, as a strict generated client
 * reads it: the status is one the operation documents; the body validates against the documented
 * schema for its content type, with no property the schema does not declare (additionalProperties
 * false on every documented object); every header the description marks as always sent is there
 * and of its type, and no header is sent that the description does not declare (beyond HTTP's
 * own). Used by the contract tests, so the description cannot drift from the service.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

const addFormats = formatsModule.default;
type Json = Record<string, any>;

export interface ObservedAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** HTTP's own headers, and the transport's: not the API's to declare. */
const TRANSPORT_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'vary',
]);

/** The same document with `additionalProperties: false` on every object schema that lists its properties. */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (value === null || typeof value !== 'object') return value;
  const object = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, closed(child)])) as Json;
  if (object.properties && typeof object.properties === 'object' && !('additionalProperties' in object)) {
    object.additionalProperties = false;
  }
  return object;
}

export class ApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** `operationId status` pairs seen, to tell which documented answers a run exercised. */
  readonly seen = new Set<string>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    // OpenAPI 3.0's `nullable` only marks request attributes (a merge patch's null); answers never hold null.
    this.ajv.addSchema(closed(document) as Json, 'openapi');
  }

  operation(operationId: string): { path: string; method: string; operation: Json } {
    for (const [path, byMethod] of Object.entries(this.document.paths as Json)) {
      for (const [method, operation] of Object.entries(byMethod as Json)) {
        if ((operation as Json).operationId === operationId) return { path, method, operation: operation as Json };
      }
    }
    throw new Error(`${operationId} is not in the description`);
  }

  /** Problems with this answer to `operationId`, as readable lines (empty: it matches). */
  problems(operationId: string, answer: ObservedAnswer): string[] {
    const { path, method, operation } = this.operation(operationId);
    const response = (operation.responses as Json)[String(answer.status)] as Json | undefined;
    if (!response) return [`${operationId}: status ${answer.status} is not documented`];
    this.seen.add(`${operationId} ${answer.status}`);
    const problems: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${operationId} ${answer.status}: header ${name} is missing`);
        continue;
      }
      if (header.schema?.type === 'integer' && !/^\d+$/.test(value))
        problems.push(`${operationId} ${answer.status}: header ${name} is not an integer: ${value}`);
    }
    const declared = new Set(Object.keys((response.headers ?? {}) as Json).map((name) => name.toLowerCase()));
    answer.headers.forEach((_value, name) => {
      if (!TRANSPORT_HEADERS.has(name) && !declared.has(name))
        problems.push(`${operationId} ${answer.status}: header ${name} is not declared`);
    });
    const content = response.content as Json | undefined;
    if (!content) {
      if (answer.body !== undefined) problems.push(`${operationId} ${answer.status}: a body where none is documented`);
      return problems;
    }
    const mediaType = answer.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    if (!(mediaType in content)) {
      return [...problems, `${operationId} ${answer.status}: content type ${mediaType} is not documented`];
    }
    const ref = `openapi#/${pointer('paths', path, method, 'responses', String(answer.status), 'content', mediaType, 'schema')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (!validate(answer.body)) {
      problems.push(`${operationId} ${answer.status}: body does not match: ${this.ajv.errorsText(validate.errors)}`);
    }
    return problems;
  }

  /** Validates a request body the API sends (a callback) against the documented schema. */
  callbackProblems(operationId: string, callback: string, body: unknown): string[] {
    const { path, method } = this.operation(operationId);
    const ref = `openapi#/${pointer('paths', path, method, 'callbacks', callback, '{$request.body#/callback}', 'post', 'requestBody', 'content', 'application/json', 'schema')}`;
    const validate = this.ajv.compile({ $ref: ref });
    return validate(body) ? [] : [`${callback}: ${this.ajv.errorsText(validate.errors)}`];
  }
}
