/**
 * One stored customer, two representations: TMF629 v4 and v5.
 *
 * The table keeps the v4 document (its indexes, filters, imports and the v4 kit read it as
 * before). What v4 cannot express of a v5 customer rides beside the attributes it belongs to, in
 * a pocket (`@v5`, a JSON Merge Patch from the v5 view derived from the v4 attributes to the v5
 * attributes as written): a `SocialContactMedium`'s `id`, `partyRoleSpecification`, a related
 * party given as a whole `Individual`. Each node (the customer, each contact medium, each
 * characteristic, ...) has its own, so a pocket moves with its element when a v4 client reorders
 * or removes elements.
 *
 * The mapping itself is data: per node type, how its own attributes read in v5 (`toV5`) and how
 * a v5 node is kept in v4 (`toV4`); the engine below does the rest, the same for every node.
 *   v5 -> store -> v5   identical by construction (the pocket is the difference).
 *   v4 -> store -> v4   identical (pockets are never shown to v4).
 *   v4 -> store -> v5 -> store -> v4   identical: writing v5 back keeps each stored node whose v5
 *   view did not change, so v4-only details (a `mediumType` spelt `telephone`, an engaged
 *   party's `role`) survive a v5 PATCH of something else.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyMergePatch } from '../mergePatch.js';

export type Node = Record<string, unknown>;

/** The attribute that holds what v4 cannot express of a node. Never accepted from a client. */
export const POCKET = '@v5';

interface Part {
  /** This node's own attributes (children excluded) as v5 shows them, from the stored v4 ones. */
  readonly toV5: (v4: Node) => Node;
  /** A v5 node's own attributes as v4 keeps them; whatever this loses goes to the pocket. */
  readonly toV4: (v5: Node) => Node;
  /** Attributes holding nodes of their own (one, or an array of them). */
  readonly children?: Readonly<Record<string, Part>>;
}

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function omit(node: Node, keys: readonly string[]): Node {
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) if (!keys.includes(key)) out[key] = value;
  return out;
}

function defined(entries: Record<string, unknown>): Node {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

// --- The mapping, as data -------------------------------------------------------------------

/** v5 contact medium subclasses, the v4 `mediumType` each is written as, and the attributes they carry. */
export const CONTACT_MEDIUM_TYPES = [
  { v5: 'EmailContactMedium', v4: 'email', attributes: ['emailAddress'] },
  { v5: 'PhoneContactMedium', v4: 'phone', attributes: ['phoneNumber'] },
  { v5: 'FaxContactMedium', v4: 'fax', attributes: ['faxNumber'] },
  {
    v5: 'GeographicAddressContactMedium',
    v4: 'postalAddress',
    attributes: ['city', 'country', 'postCode', 'stateOrProvince', 'street1', 'street2'],
  },
  { v5: 'SocialContactMedium', v4: 'social', attributes: ['socialNetworkId'] },
] as const;
type ContactMediumType = (typeof CONTACT_MEDIUM_TYPES)[number];

/** v4 `mediumType` spellings seen in the field (compared without case, spaces, dashes or underscores). */
export const MEDIUM_TYPE_SPELLINGS: Readonly<Record<string, ContactMediumType['v5']>> = {
  email: 'EmailContactMedium',
  emailaddress: 'EmailContactMedium',
  phone: 'PhoneContactMedium',
  telephone: 'PhoneContactMedium',
  phonenumber: 'PhoneContactMedium',
  mobile: 'PhoneContactMedium',
  mobilephone: 'PhoneContactMedium',
  fax: 'FaxContactMedium',
  faxnumber: 'FaxContactMedium',
  postaladdress: 'GeographicAddressContactMedium',
  postal: 'GeographicAddressContactMedium',
  address: 'GeographicAddressContactMedium',
  geographicaddress: 'GeographicAddressContactMedium',
  social: 'SocialContactMedium',
  socialmedia: 'SocialContactMedium',
  socialnetwork: 'SocialContactMedium',
};

function contactMediumTypeOf(mediumType: unknown): ContactMediumType | undefined {
  if (typeof mediumType !== 'string') return undefined;
  const v5 = MEDIUM_TYPE_SPELLINGS[mediumType.toLowerCase().replace(/[\s_-]/g, '')];
  return CONTACT_MEDIUM_TYPES.find((type) => type.v5 === v5);
}

/** The v5 characteristic subclasses and the values each holds. */
const CHARACTERISTIC_VALUE: Readonly<Record<string, (value: unknown) => boolean>> = {
  StringCharacteristic: (v) => typeof v === 'string',
  BooleanCharacteristic: (v) => typeof v === 'boolean',
  IntegerCharacteristic: (v) => Number.isInteger(v),
  NumberCharacteristic: (v) => typeof v === 'number',
  FloatCharacteristic: (v) => typeof v === 'number',
  ObjectCharacteristic: isNode,
  StringArrayCharacteristic: (v) => Array.isArray(v) && v.every((e) => typeof e === 'string'),
  BooleanArrayCharacteristic: (v) => Array.isArray(v) && v.every((e) => typeof e === 'boolean'),
  IntegerArrayCharacteristic: (v) => Array.isArray(v) && v.every((e) => Number.isInteger(e)),
  NumberArrayCharacteristic: (v) => Array.isArray(v) && v.every((e) => typeof e === 'number'),
  ObjectArrayCharacteristic: (v) => Array.isArray(v) && v.every(isNode),
};

/** The v5 subclass of a characteristic: the one v4 names when its value fits, else the first that fits. */
export function characteristicTypeOf(value: unknown, named: unknown): string {
  if (value === undefined) return 'Characteristic';
  if (typeof named === 'string' && CHARACTERISTIC_VALUE[named]?.(value)) return named;
  return Object.keys(CHARACTERISTIC_VALUE).find((type) => CHARACTERISTIC_VALUE[type]?.(value)) ?? 'Characteristic';
}

/** A reference whose only v5 difference is its fixed `@type` (AccountRef, AgreementRef, ...). */
const typed = (type: string): Part => ({
  toV5: (v4) => ({ ...v4, '@type': type }),
  toV4: (v5) => ({ ...v5 }),
});

const contactMedium: Part = {
  toV5: (v4) => {
    const { mediumType, characteristic, '@type': _type, ...rest } = v4;
    const type = contactMediumTypeOf(mediumType);
    const held = isNode(characteristic) ? characteristic : {};
    const attributes: Node = {};
    for (const name of type?.attributes ?? []) if (held[name] !== undefined) attributes[name] = held[name];
    return {
      '@type': type?.v5 ?? 'ContactMedium',
      ...rest,
      ...defined({ contactType: held.contactType }),
      ...attributes,
    };
  },
  toV4: (v5) => {
    const type = CONTACT_MEDIUM_TYPES.find((candidate) => candidate.v5 === v5['@type']);
    const carried: readonly string[] = type?.attributes ?? [];
    const { '@type': v5Type, contactType, id: _id, geographicAddress: _address, ...rest } = v5;
    const characteristic: Node = defined({ contactType });
    for (const name of carried) if (rest[name] !== undefined) characteristic[name] = rest[name];
    return { mediumType: type?.v4 ?? v5Type, ...omit(rest, [...carried, 'characteristic']), characteristic };
  },
};

const characteristic: Part = {
  toV5: (v4) => {
    const { '@type': named, ...rest } = v4;
    return { ...rest, '@type': characteristicTypeOf(v4.value, named) };
  },
  toV4: (v5) => ({ ...omit(v5, ['id', 'characteristicRelationship']) }),
};

const engagedParty: Part = {
  toV5: (v4) => ({ ...omit(v4, ['role']), '@type': 'PartyRef' }),
  toV4: (v5) => ({ ...v5 }),
};

/** v4 RelatedParty (a flat reference with a role) <-> v5 RelatedPartyOrPartyRole (role + partyOrPartyRole). */
const relatedParty: Part = {
  toV5: (v4) => {
    const { role, '@type': _t, '@baseType': _b, '@schemaLocation': _s, ...party } = v4;
    return {
      '@type': 'RelatedPartyOrPartyRole',
      ...defined({ role }),
      partyOrPartyRole: { ...party, '@type': 'PartyRef' },
    };
  },
  toV4: (v5) => {
    const party = isNode(v5.partyOrPartyRole) ? v5.partyOrPartyRole : {};
    const { '@type': partyType, id, href, name } = party;
    const isReference = partyType === 'PartyRef' || partyType === 'PartyRoleRef';
    return defined({
      id,
      href,
      name,
      role: v5.role,
      // A party given whole (an Individual, an Organization) is referred to by its type.
      '@referredType': party['@referredType'] ?? (isReference ? undefined : partyType),
    });
  },
};

const customer: Part = {
  toV5: (v4) => ({ ...v4 }),
  toV4: (v5) => omit(v5, ['description', 'role', 'partyRoleSpecification', 'href']),
  children: {
    engagedParty,
    contactMedium,
    characteristic,
    relatedParty,
    account: typed('AccountRef'),
    agreement: typed('AgreementRef'),
    paymentMethod: typed('PaymentMethodRef'),
    creditProfile: typed('CreditProfile'),
  },
};

// --- The engine -------------------------------------------------------------------------------

/** The JSON Merge Patch that turns `from` into `to` (v5 bodies hold no nulls: the schema refuses them). */
function mergeDiff(to: Node, from: Node): Node {
  const patch: Node = {};
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (isDeepStrictEqual(value, before)) continue;
    if (isNode(value) && isNode(before)) {
      const inner = mergeDiff(value, before);
      if (Object.keys(inner).length > 0) patch[key] = inner;
    } else patch[key] = value;
  }
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  return patch;
}

function split(part: Part, node: Node): { own: Node; children: Node; pocket: Node | undefined } {
  const own: Node = {};
  const children: Node = {};
  let pocket: Node | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === POCKET) pocket = isNode(value) ? value : undefined;
    else if (part.children?.[key]) children[key] = value;
    else own[key] = value;
  }
  return { own, children, pocket };
}

function ownV5(part: Part, own: Node, pocket: Node | undefined): Node {
  const derived = part.toV5(own);
  return pocket ? (applyMergePatch(derived, pocket) as Node) : derived;
}

function eachChild(value: unknown, map: (node: Node, index: number) => Node): unknown {
  if (Array.isArray(value)) return value.map((element, i) => (isNode(element) ? map(element, i) : element));
  return isNode(value) ? map(value, 0) : value;
}

function readNode(part: Part, node: Node): Node {
  const { own, children, pocket } = split(part, node);
  const out = ownV5(part, own, pocket);
  for (const [key, value] of Object.entries(children)) {
    out[key] = eachChild(value, (child) => readNode(part.children?.[key] as Part, child));
  }
  return out;
}

function writeNode(part: Part, v5: Node, previous: Node | undefined): Node {
  if (previous && isDeepStrictEqual(readNode(part, previous), v5)) return previous;
  const { own, children } = split(part, v5);
  let stored: Node;
  const before = previous ? split(part, previous) : undefined;
  if (before && isDeepStrictEqual(ownV5(part, before.own, before.pocket), own)) {
    // Its own attributes read the same: keep them as stored (v4-only details included).
    stored = { ...before.own, ...(before.pocket ? { [POCKET]: before.pocket } : {}) };
  } else {
    stored = part.toV4(own);
    const pocket = mergeDiff(own, part.toV5(stored));
    if (Object.keys(pocket).length > 0) stored[POCKET] = pocket;
  }
  for (const [key, value] of Object.entries(children)) {
    const childPart = part.children?.[key] as Part;
    const was = before?.children[key];
    if (Array.isArray(value)) {
      stored[key] = writeElements(childPart, value, Array.isArray(was) ? was : []);
    } else {
      stored[key] = isNode(value) ? writeNode(childPart, value, isNode(was) ? was : undefined) : value;
    }
  }
  return stored;
}

/**
 * Elements of an array, each matched to the stored element it came from: one whose v5 view is
 * equal (same position first), else the one at the same position when the array kept its length.
 */
function writeElements(part: Part, elements: unknown[], previous: unknown[]): unknown[] {
  const views = previous.map((element) => (isNode(element) ? readNode(part, element) : element));
  const used = new Set<number>();
  const samePlace = elements.length === previous.length;
  return elements.map((element, i) => {
    if (!isNode(element)) return element;
    const order = [i, ...views.keys()];
    const equal = order.find((j) => !used.has(j) && isDeepStrictEqual(views[j], element));
    if (equal !== undefined) {
      used.add(equal);
      return previous[equal];
    }
    const was = samePlace && !used.has(i) && isNode(previous[i]) ? (previous[i] as Node) : undefined;
    if (was) used.add(i);
    return writeNode(part, element, was);
  });
}

/** Keeps pockets through a v4 write: a node keeps its pocket when it is the same node as before. */
function carryPockets(part: Part, next: Node, previous: Node): Node {
  const before = split(part, previous);
  const out: Node = { ...next };
  if (before.pocket) out[POCKET] = before.pocket;
  for (const [key, childPart] of Object.entries(part.children ?? {})) {
    const value = next[key];
    const was = before.children[key];
    if (Array.isArray(value) && Array.isArray(was)) {
      const samePlace = value.length === was.length;
      const used = new Set<number>();
      const plain = was.map((element) => (isNode(element) ? stripNode(childPart, element) : element));
      out[key] = value.map((element, i) => {
        if (!isNode(element)) return element;
        const equal = [i, ...plain.keys()].find((j) => !used.has(j) && isDeepStrictEqual(plain[j], element));
        const match = equal ?? (samePlace && !used.has(i) ? i : undefined);
        if (match === undefined || !isNode(was[match])) return element;
        used.add(match);
        return carryPockets(childPart, element, was[match] as Node);
      });
    } else if (isNode(value) && isNode(was)) {
      out[key] = carryPockets(childPart, value, was);
    }
  }
  return out;
}

function stripNode(part: Part, node: Node): Node {
  const { [POCKET]: _pocket, ...rest } = node;
  for (const key of Object.keys(part.children ?? {})) {
    if (key in rest) rest[key] = eachChild(rest[key], (child) => stripNode(part.children?.[key] as Part, child));
  }
  return rest;
}

// --- The customer -----------------------------------------------------------------------------

/** The stored customer as v5 shows it (without href). */
export function customerV5Of(stored: Node): Node {
  return readNode(customer, stored);
}

/**
 * A v5 customer (without href) as stored; given the stored version it replaces, every node whose
 * v5 view is unchanged is kept as it was stored. The root always has a pocket, which marks the
 * document as holding some (see customerV4Of).
 */
export function storedFromV5(v5: Node, previous?: Node): Node {
  const stored = writeNode(customer, v5, previous);
  if (stored === previous || POCKET in stored) return stored;
  return { ...stored, [POCKET]: {} };
}

/** The stored customer as v4 shows it: the document without pockets (free when it has none). */
export function customerV4Of<T extends Node>(stored: T): T {
  return (POCKET in stored ? stripNode(customer, stored) : stored) as T;
}

/** A document written through v4, with the pockets of the version it replaces carried over. */
export function storedFromV4<T extends Node>(next: T, previous: Node): T {
  return (POCKET in previous ? carryPockets(customer, next, previous) : next) as T;
}

/** Whether a client's body names the pocket anywhere (it is refused: only the service writes it). */
export function namesPocket(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(namesPocket);
  if (!isNode(value)) return false;
  return Object.entries(value).some(([key, child]) => key === POCKET || namesPocket(child));
}
