/**
 * The three TMF630 PATCH formats, applied to a customer's representation:
 *   merge              JSON Merge Patch (RFC 7396)
 *   json-patch         JSON Patch (RFC 6902), all six operations, all or nothing
 *   json-patch-query   JSON Patch whose path selects array elements with a query:
 *                      `/contactMedium/preferred?contactMedium.mediumType=email`
 */
import jsonpatch, { JsonPatchError, type Operation } from 'fast-json-patch';
import { ConflictError, PayloadTooLargeError, UnprocessableError, ValidationError } from '../errors.js';
import type { AttributeTypes } from './attributes.js';
import { matchesFilter, parseFilter, prepareFilter } from './filter.js';
import { applyMergePatch } from './mergePatch.js';

export type PatchFormat = 'merge' | 'json-patch' | 'json-patch-query';

const OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
/** More operations than any sensible change of one customer; bounds the work one request can ask for. */
export const MAX_PATCH_OPERATIONS = 500;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of a JSON Patch document, naming the first operation that is malformed. */
function readOperations(body: unknown, allowQuery: boolean): Operation[] {
  if (!Array.isArray(body)) throw new ValidationError('A JSON Patch is a JSON array of operations');
  if (body.length > MAX_PATCH_OPERATIONS)
    throw new ValidationError(`A JSON Patch may hold at most ${MAX_PATCH_OPERATIONS} operations`);
  body.forEach((operation: unknown, index) => {
    const where = `operation ${index}`;
    if (!isObject(operation)) throw new ValidationError(`${where}: must be an object`);
    if (typeof operation.op !== 'string' || !OPERATIONS.has(operation.op)) {
      throw new ValidationError(`${where}: op must be one of ${[...OPERATIONS].join(', ')}`);
    }
    if (typeof operation.path !== 'string' || !(operation.path === '' || operation.path.startsWith('/'))) {
      throw new ValidationError(`${where}: path must be a JSON Pointer such as /name`);
    }
    if (!allowQuery && operation.path.includes('?')) {
      throw new ValidationError(`${where}: a query in the path needs Content-Type application/json-patch-query+json`);
    }
    if (
      (operation.op === 'move' || operation.op === 'copy') &&
      (typeof operation.from !== 'string' || operation.from.includes('?'))
    ) {
      throw new ValidationError(`${where}: ${operation.op} needs a from JSON Pointer (without a query)`);
    }
    if (['add', 'replace', 'test'].includes(operation.op) && !('value' in operation)) {
      throw new ValidationError(`${where}: ${operation.op} needs a value`);
    }
  });
  return body as Operation[];
}

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Rewrites one JSON Patch Query operation into plain operations on the elements its query selects.
 * The query applies to the first array on the path; what follows it is the path inside each element.
 */
async function expandQuery(
  document: unknown,
  operation: Operation,
  index: number,
  attributeTypes: AttributeTypes | undefined,
): Promise<Operation[]> {
  const queryStart = operation.path.indexOf('?');
  if (queryStart < 0) return [operation];
  const segments = operation.path.slice(1, queryStart).split('/').map(unescape);
  let value: unknown = document;
  let arrayEnd = -1;
  for (let i = 0; i < segments.length; i++) {
    value = isObject(value) ? value[segments[i] as string] : undefined;
    if (Array.isArray(value)) {
      arrayEnd = i;
      break;
    }
  }
  const where = `operation ${index} (${operation.op} ${operation.path})`;
  if (arrayEnd < 0 || !Array.isArray(value)) {
    throw new UnprocessableError(`${where}: the query needs an array on the path, and there is none`);
  }
  const arrayAttribute = segments.slice(0, arrayEnd + 1).join('.');
  const filter = parseFilter(new URLSearchParams(operation.path.slice(queryStart + 1)), {
    within: arrayAttribute,
    ...(attributeTypes ? { attributeTypes } : {}),
  });
  await prepareFilter(filter);
  const arrayPointer = `/${segments
    .slice(0, arrayEnd + 1)
    .map(escape)
    .join('/')}`;
  const inside = segments.slice(arrayEnd + 1).map(escape);
  const selected = value.flatMap((element, i) => (matchesFilter(element, filter) ? [i] : []));
  if (selected.length === 0)
    throw new UnprocessableError(`${where}: no element of ${arrayAttribute} matches the query`);
  if (inside.length === 0 && operation.op === 'add') {
    throw new ValidationError(`${where}: add to selected elements needs a path inside them`);
  }
  // Highest index first, so that removing one element does not shift the next one's index.
  return selected
    .reverse()
    .map((i) => ({ ...operation, path: [arrayPointer, String(i), ...inside].join('/') }) as Operation);
}

const jsonLength = (value: unknown) => (value === undefined ? 0 : (JSON.stringify(value)?.length ?? 0));

/**
 * Keeps the working document of a JSON Patch within what one customer may hold *while* the patch
 * runs: a few `copy` operations double it each time, so a 1 KB patch could otherwise ask for
 * gigabytes before the final size check. A running upper bound grows by what each operation adds
 * (an added or replacing value, a copied subtree) and shrinks by what a remove or replace takes
 * away; when it passes the limit the document is measured exactly, and a document really over the
 * limit is a 413 at that operation. Each measure costs at most the limit, so the work is bounded.
 */
export class PatchSizeBudget {
  private estimate: number;
  constructor(
    document: unknown,
    private readonly limit: number,
  ) {
    this.estimate = jsonLength(document);
  }

  /** Before an operation: what it will add and take away, read from the document as it stands. */
  charge(document: unknown, operation: Operation): void {
    const at = (pointer: string) => {
      try {
        return jsonpatch.getValueByPointer(document, pointer) as unknown;
      } catch {
        return undefined;
      }
    };
    switch (operation.op) {
      case 'add':
        // Into an array, add inserts (`-` included); on an object member it replaces.
        this.estimate += jsonLength(operation.value) + operation.path.length;
        if (!Array.isArray(at(operation.path.slice(0, operation.path.lastIndexOf('/')))))
          this.estimate -= jsonLength(at(operation.path));
        break;
      case 'replace':
        this.estimate += jsonLength(operation.value) - jsonLength(at(operation.path));
        break;
      case 'copy':
        this.estimate += jsonLength(at(operation.from)) + operation.path.length;
        break;
      case 'remove':
        this.estimate -= jsonLength(at(operation.path));
        break;
      default: // move and test change nothing in size
    }
  }

  /** After an operation: refuses a document over the limit, measuring it when the bound says it might be. */
  check(document: unknown, where: string): void {
    if (this.estimate <= this.limit) return;
    this.estimate = jsonLength(document);
    if (this.estimate > this.limit) {
      throw new PayloadTooLargeError(
        `${where}: the customer would grow past ${this.limit} bytes, the most one customer can hold; nothing was changed`,
      );
    }
  }
}

/**
 * Applies operations in order to a copy, so a failure part-way leaves the caller's document as
 * it was. `numbered` gives an operation's number in the client's patch, for messages.
 */
function applyJsonPatch(
  document: Record<string, unknown>,
  operations: Operation[],
  budget: PatchSizeBudget,
  numbered: (index: number) => number = (index) => index,
): Record<string, unknown> {
  let working = structuredClone(document);
  operations.forEach((operation, index) => {
    const where = `operation ${numbered(index)} (${operation.op} ${operation.path})`;
    try {
      budget.charge(working, operation);
      working = jsonpatch.applyOperation(working, operation, true, true, true, index).newDocument;
      budget.check(working, where);
    } catch (error) {
      if (error instanceof JsonPatchError) {
        switch (error.name) {
          case 'TEST_OPERATION_FAILED':
            throw new ConflictError(`${where}: the test failed; nothing was changed`);
          case 'OPERATION_PATH_UNRESOLVABLE':
          case 'OPERATION_FROM_UNRESOLVABLE':
          case 'OPERATION_PATH_CANNOT_ADD':
          case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
          case 'OPERATION_VALUE_OUT_OF_BOUNDS':
            throw new UnprocessableError(`${where}: the path does not exist in this customer; nothing was changed`);
          default:
            throw new ValidationError(`${where}: ${error.message.split('\n')[0]}`);
        }
      }
      // fast-json-patch refuses __proto__ / constructor paths with a TypeError (its text names its own flags).
      if (error instanceof TypeError)
        throw new ValidationError(`${where}: a path through __proto__, constructor or prototype is refused`);
      throw error;
    }
  });
  return working;
}

/**
 * Applies a patch document in the given format; the result is not yet validated. A JSON Patch's
 * working document may never grow past `maxBytes` (PatchSizeBudget); a merge patch cannot grow
 * it past the customer plus the body, which is bounded already.
 */
export async function applyPatchDocument(
  representation: Record<string, unknown>,
  body: unknown,
  format: PatchFormat,
  maxBytes: number,
  attributeTypes?: AttributeTypes,
): Promise<Record<string, unknown>> {
  if (format === 'merge') {
    if (!isObject(body)) throw new ValidationError('A JSON Merge Patch of a Customer must be a JSON object');
    return applyMergePatch(representation, body) as Record<string, unknown>;
  }
  const operations = readOperations(body, format === 'json-patch-query');
  const budget = new PatchSizeBudget(representation, maxBytes);
  if (format === 'json-patch') return applyJsonPatch(representation, operations, budget);
  // Each query is resolved against the document as the earlier operations left it.
  let document = representation;
  for (const [index, operation] of operations.entries()) {
    document = applyJsonPatch(
      document,
      await expandQuery(document, operation, index, attributeTypes),
      budget,
      () => index,
    );
  }
  return document;
}
