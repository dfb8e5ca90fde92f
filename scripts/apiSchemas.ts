/**
 * Schema surgery that makes the API description tell the truth to strict tools (generated
 * clients, linters), applied by apiDescription.ts to the definitions taken from the official
 * swagger. Pure functions over JSON; nothing here knows the service.
 */
type Json = Record<string, unknown>;
type Definitions = Record<string, Json & { required?: string[] }>;

const DEFINITION_REF = '#/definitions/';

/** Names of the definitions `value` refers to (`<prefix><name>`), at any depth. */
export function refsOf(value: unknown, prefix = DEFINITION_REF, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsOf(item, prefix, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(prefix)) {
        found.add(child.slice(prefix.length));
      } else refsOf(child, prefix, found);
    }
  }
  return found;
}

/** Every definition reachable from `roots` through `$ref`s, the roots included. */
export function reachableFrom(definitions: Definitions, roots: Iterable<string>, prefix = DEFINITION_REF): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name) || !definitions[name]) continue;
    seen.add(name);
    pending.push(...refsOf(definitions[name], prefix));
  }
  return seen;
}

function renameRefs<T>(value: T, rename: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, rename)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(DEFINITION_REF)) {
        const to = rename.get(child.slice(DEFINITION_REF.length));
        return [key, to ? `${DEFINITION_REF}${to}` : child];
      }
      return [key, renameRefs(child, rename)];
    }),
  ) as T;
}

/**
 * Splits the definitions a representation shares with the request bodies. What the service
 * answers (`answerRoot`, e.g. Customer) may be any `fields` selection of a customer, so in its tree
 * nothing is required but `alwaysAnswered` at the root; what a client sends (`requestRoots`) keeps
 * every `required`, through `<Name>_Input` copies of the shared definitions whose tree requires
 * something. Returns the new definitions; the input is not changed.
 */
export function splitAnswersFromRequests(
  definitions: Definitions,
  answerRoot: string,
  alwaysAnswered: readonly string[],
  requestRoots: readonly string[],
): Definitions {
  const answered = reachableFrom(definitions, [answerRoot]);
  // A shared definition needs a request copy when it, or one it refers to, requires something.
  const needsCopy = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const name of answered) {
      if (name === answerRoot || needsCopy.has(name)) continue;
      const definition = definitions[name] as Json & { required?: string[] };
      if (definition.required?.length || [...refsOf(definition)].some((ref) => needsCopy.has(ref))) {
        needsCopy.add(name);
        grew = true;
      }
    }
  }
  const rename = new Map([...needsCopy].map((name) => [name, `${name}_Input`]));
  const out: Definitions = {};
  for (const [name, definition] of Object.entries(definitions)) {
    if (requestRoots.includes(name)) out[name] = renameRefs(definition, rename);
    else if (name === answerRoot) out[name] = { ...definition, required: [...alwaysAnswered] };
    else if (answered.has(name)) {
      const { required: _answeredPartially, ...relaxed } = definition;
      out[name] = relaxed;
    } else out[name] = definition;
    if (needsCopy.has(name)) out[`${name}_Input`] = renameRefs(structuredClone(definition), rename);
  }
  return out;
}

/**
 * `$ref` with siblings: OpenAPI 2.0 and 3.0 ignore the siblings (a property's description is
 * lost, and linters say so). Wraps each such `$ref` in `allOf`, which keeps the siblings.
 */
export function wrapRefSiblings<T>(value: T): T {
  if (Array.isArray(value)) return value.map(wrapRefSiblings) as T;
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  if (typeof object.$ref === 'string' && Object.keys(object).length > 1) {
    const { $ref, ...siblings } = object;
    return { ...(wrapRefSiblings(siblings) as Json), allOf: [{ $ref }] } as T;
  }
  return Object.fromEntries(Object.entries(object).map(([key, child]) => [key, wrapRefSiblings(child)])) as T;
}

/** The definitions the rest of the document refers to, directly or through each other. */
export function withoutUnused(definitions: Definitions, document: unknown, prefix = DEFINITION_REF): Definitions {
  const used = reachableFrom(definitions, refsOf(document, prefix), prefix);
  return Object.fromEntries(Object.entries(definitions).filter(([name]) => used.has(name)));
}
