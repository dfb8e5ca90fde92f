/**
 * Which customer attributes are indexed for equality lookups, and the lookup entries a customer
 * holds under them: the TMF side of the lookup index. Built-in attributes are indexed from the
 * start; configured ones (INDEXED_ATTRIBUTES, CDK context `indexedAttributes`) once
 * `npm run reindex` has backfilled them. The store keeps one lookup item and one exact count per
 * entry.
 */
import { createHash } from 'node:crypto';
import { attributeTypeOf, splitPath, valuesAt } from './attributes.js';

/**
 * An attribute answered from the lookup index (equality, comma ORs), with an exact count kept per
 * value. `multiValued`: one customer may hold several values (so counts of ORed values overlap).
 * `builtIn`: indexed since the table was created; others are configured (INDEXED_ATTRIBUTES) and
 * answer only once `npm run reindex` has backfilled them.
 */
export interface LookupAttribute {
  readonly attribute: string;
  readonly path: readonly string[];
  readonly multiValued: boolean;
  readonly builtIn: boolean;
}

export const BUILT_IN_LOOKUP_ATTRIBUTES: readonly LookupAttribute[] = [
  { attribute: 'name', path: ['name'], multiValued: false, builtIn: true },
  { attribute: 'engagedParty.id', path: ['engagedParty', 'id'], multiValued: false, builtIn: true },
  { attribute: 'status', path: ['status'], multiValued: false, builtIn: true },
  {
    attribute: 'contactMedium.characteristic.emailAddress',
    path: ['contactMedium', 'characteristic', 'emailAddress'],
    multiValued: true,
    builtIn: true,
  },
  {
    attribute: 'contactMedium.characteristic.phoneNumber',
    path: ['contactMedium', 'characteristic', 'phoneNumber'],
    multiValued: true,
    builtIn: true,
  },
];

/** Types an equality lookup can serve exactly (a date-time has many spellings of one instant). */
const INDEXABLE_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'any']);

/**
 * The built-in lookup attributes plus the configured ones (`INDEXED_ATTRIBUTES`, CDK context
 * `indexedAttributes`): dotted paths, through arrays (`contactMedium.characteristic.city`), with
 * element selectors by name (`characteristic[segment].value`). Fails on anything else.
 */
export function lookupAttributesWith(configured: readonly string[]): readonly LookupAttribute[] {
  const attributes = [...BUILT_IN_LOOKUP_ATTRIBUTES];
  for (const raw of configured) {
    const attribute = raw.trim();
    if (attribute === '' || attributes.some((known) => known.attribute === attribute)) continue;
    const path = splitPath(attribute);
    const type = path ? attributeTypeOf(attribute) : undefined;
    if (!path || !type) throw new Error(`indexed attribute "${attribute}" is not an attribute of Customer`);
    if (!INDEXABLE_TYPES.has(type)) {
      throw new Error(
        `indexed attribute "${attribute}" is of type ${type}; only strings, numbers and booleans are indexed`,
      );
    }
    // Configured paths may run through arrays: ORed values may then overlap, and are counted as a union.
    attributes.push({ attribute, path, multiValued: true, builtIn: false });
  }
  return attributes;
}

/** Parses the comma-separated list of configured indexed attributes. */
export function parseIndexedAttributes(text: string | undefined): readonly LookupAttribute[] {
  return lookupAttributesWith((text ?? '').split(','));
}

/**
 * At most this many distinct indexed values per customer, so that a create or a PATCH that
 * changes every one of them still fits in one DynamoDB transaction (100 items).
 */
export const MAX_LOOKUP_ENTRIES = 24;

/** DynamoDB caps a partition key at 2048 bytes; longer values are indexed by their hash. */
const MAX_PLAIN_VALUE_BYTES = 1024;

/**
 * Ids the service stores and serves: its own ULIDs, and the ids customers bring from a legacy
 * BSS or CRM through a bulk import. 1 to 128 URL-unreserved characters (letters, digits, `-`,
 * `.`, `_`, `~`), starting with a letter or digit, so an id is always one clean path segment.
 */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

export function isCustomerIdShape(id: string): boolean {
  return CUSTOMER_ID_PATTERN.test(id);
}

/** The lookup entry for one value of an indexed attribute. Plain when short, hashed when not. */
export function lookupEntry(attribute: string, value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= MAX_PLAIN_VALUE_BYTES) return `${attribute}=${value}`;
  return `${attribute}#${createHash('sha256').update(value, 'utf8').digest('base64url')}`;
}

/**
 * The text an equality filter compares a value by: strings as they are, numbers and booleans as
 * JSON writes them (so `creditScore=90` finds 90). Objects, arrays and null are not indexed.
 */
function indexedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The distinct lookup entries of a customer document under the given indexed attributes, sorted. */
export function lookupEntriesOf(doc: Record<string, unknown>, attributes: readonly LookupAttribute[]): string[] {
  const entries = new Set<string>();
  for (const { attribute, path } of attributes) {
    for (const value of valuesAt(doc, path)) {
      const text = indexedText(value);
      if (text !== undefined) entries.add(lookupEntry(attribute, text));
    }
  }
  return [...entries].sort();
}

/** The attribute a lookup entry indexes, among the given ones (entries are `<attribute>=<value>` or `<attribute>#<hash>`). */
export function attributeOfEntry(entry: string, attributes: readonly LookupAttribute[]): LookupAttribute | undefined {
  return attributes.find(({ attribute }) => entry.startsWith(`${attribute}=`) || entry.startsWith(`${attribute}#`));
}
