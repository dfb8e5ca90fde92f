/**
 * The three TMF630 PATCH formats, applied to a customer's representation:
 *   merge              JSON Merge Patch (RFC 7396)
 *   json-patch         JSON Patch (RFC 6902), all six operations, all or nothing
 *   json-patch-query   JSON Patch whose path selects array elements with a query:
 *                      `/contactMedium/preferred?contactMedium.mediumType=email`
 */
import jsonpatch, { JsonPatchError, type Operation } from 'fast-json-patch';
import { BadRequestError, ConflictError, UnprocessableError } from '../errors.js';
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
  if (!Array.isArray(body)) throw new BadRequestError('A JSON Patch is a JSON array of operations');
  if (body.length > MAX_PATCH_OPERATIONS)
    throw new BadRequestError(`A JSON Patch may hold at most ${MAX_PATCH_OPERATIONS} operations`);
  body.forEach((operation: unknown, index) => {
    const where = `operation ${index}`;
    if (!isObject(operation)) throw new BadRequestError(`${where}: must be an object`);
    if (typeof operation.op !== 'string' || !OPERATIONS.has(operation.op)) {
      throw new BadRequestError(`${where}: op must be one of ${[...OPERATIONS].join(', ')}`);
    }
    if (typeof operation.path !== 'string' || !(operation.path === '' || operation.path.startsWith('/'))) {
      throw new BadRequestError(`${where}: path must be a JSON Pointer such as /name`);
    }
    if (!allowQuery && operation.path.includes('?')) {
      throw new BadRequestError(`${where}: a query in the path needs Content-Type application/json-patch-query+json`);
    }
    if (
      (operation.op === 'move' || operation.op === 'copy') &&
      (typeof operation.from !== 'string' || operation.from.includes('?'))
    ) {
      throw new BadRequestError(`${where}: ${operation.op} needs a from JSON Pointer (without a query)`);
    }
    if (['add', 'replace', 'test'].includes(operation.op) && !('value' in operation)) {
      throw new BadRequestError(`${where}: ${operation.op} needs a value`);
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
async function expandQuery(document: unknown, operation: Operation, index: number): Promise<Operation[]> {
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
  const filter = parseFilter(new URLSearchParams(operation.path.slice(queryStart + 1)), { within: arrayAttribute });
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
    throw new BadRequestError(`${where}: add to selected elements needs a path inside them`);
  }
  // Highest index first, so that removing one element does not shift the next one's index.
  return selected
    .reverse()
    .map((i) => ({ ...operation, path: [arrayPointer, String(i), ...inside].join('/') }) as Operation);
}

/**
 * Applies operations in order to a copy, so a failure part-way leaves the caller's document as
 * it was. `numbered` gives an operation's number in the client's patch, for messages.
 */
function applyJsonPatch(
  document: Record<string, unknown>,
  operations: Operation[],
  numbered: (index: number) => number = (index) => index,
): Record<string, unknown> {
  let working = structuredClone(document);
  operations.forEach((operation, index) => {
    const where = `operation ${numbered(index)} (${operation.op} ${operation.path})`;
    try {
      working = jsonpatch.applyOperation(working, operation, true, true, true, index).newDocument;
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
            throw new BadRequestError(`${where}: ${error.message.split('\n')[0]}`);
        }
      }
      // fast-json-patch refuses __proto__ / constructor paths with a TypeError.
      if (error instanceof TypeError) throw new BadRequestError(`${where}: refused: ${error.message.split('\n')[0]}`);
      throw error;
    }
  });
  return working;
}

/** Applies a patch document in the given format; the result is not yet validated. */
export async function applyPatchDocument(
  representation: Record<string, unknown>,
  body: unknown,
  format: PatchFormat,
): Promise<Record<string, unknown>> {
  if (format === 'merge') {
    if (!isObject(body)) throw new BadRequestError('A JSON Merge Patch of a Customer must be a JSON object');
    return applyMergePatch(representation, body) as Record<string, unknown>;
  }
  const operations = readOperations(body, format === 'json-patch-query');
  if (format === 'json-patch') return applyJsonPatch(representation, operations);
  // Each query is resolved against the document as the earlier operations left it.
  let document = representation;
  for (const [index, operation] of operations.entries()) {
    document = applyJsonPatch(document, await expandQuery(document, operation, index), () => index);
  }
  return document;
}
