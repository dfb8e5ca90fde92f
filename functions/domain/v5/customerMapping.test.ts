/**
 * The round trips of one stored customer through both representations, as properties over
 * generated customers of each version.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POCKET, customerV4Of, customerV5Of, namesPocket, storedFromV4, storedFromV5 } from './customerMapping.js';

const text = fc.string({ minLength: 1, maxLength: 12 });
const id = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) =>
  fc.record(model, { requiredKeys: [] }).map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
const period = record({
  startDateTime: fc.constant('2024-01-01T00:00:00.000Z'),
  endDateTime: opt(fc.constant('2025-01-01T00:00:00Z')),
});
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const value = fc.oneof(
  scalar,
  fc.array(text, { maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(id, scalar, { maxKeys: 3 }),
);

// --- v4 customers, as v4 clients write them (spellings and details v5 has no place for included).
const v4ContactMedium = fc
  .tuple(
    fc.constantFrom(
      'email',
      'Email',
      'telephone',
      'phone',
      'mobile',
      'fax',
      'postalAddress',
      'postal address',
      'social',
      'pigeon',
    ),
    record({
      emailAddress: text,
      phoneNumber: text,
      faxNumber: text,
      city: text,
      street1: text,
      country: text,
      socialNetworkId: text,
      contactType: text,
      '@type': fc.constant('MediumCharacteristic'),
    }),
    record({ preferred: fc.boolean(), validFor: period, '@type': fc.constant('ContactMedium') }),
  )
  .map(([mediumType, characteristic, rest]) => ({ mediumType, characteristic, ...rest }));
const v4Customer = fc
  .tuple(
    fc.record({
      name: text,
      engagedParty: fc.record({ id, '@referredType': fc.constantFrom('Individual', 'Organization') }),
    }),
    record({
      status: fc.constantFrom('Approved', 'Validated'),
      statusReason: text,
      validFor: period,
      '@type': fc.constant('Customer'),
      contactMedium: fc.array(v4ContactMedium, { maxLength: 3 }),
      characteristic: fc.array(
        fc
          .tuple(
            fc.record({ name: text, value }),
            record({ valueType: text, '@type': fc.constantFrom('Characteristic', 'StringCharacteristic') }),
          )
          .map(([a, b]) => ({ ...a, ...b })),
        { maxLength: 3 },
      ),
      relatedParty: fc.array(
        fc
          .tuple(
            fc.record({ id, '@referredType': fc.constantFrom('Individual', 'Organization') }),
            record({ role: text, name: text, '@type': fc.constant('RelatedParty') }),
          )
          .map(([a, b]) => ({ ...a, ...b })),
        { maxLength: 3 },
      ),
      account: fc.array(
        fc.tuple(fc.record({ name: text }), record({ id, description: text })).map(([a, b]) => ({ ...a, ...b })),
        { maxLength: 2 },
      ),
      creditProfile: fc.array(
        record({ creditScore: fc.integer(), validFor: period, creditProfileDate: fc.constant('2024-02-02T00:00:00Z') }),
        { maxLength: 2 },
      ),
    }),
    record({ role: text }),
  )
  .map(([required, optional, engaged]) => ({
    id: 'C1',
    ...required,
    ...optional,
    engagedParty: { ...required.engagedParty, ...engaged },
  }));

// --- v5 customers, as the v5 schema types them.
const v5ContactMedium = fc
  .oneof(
    record({ emailAddress: text }).map((a) => ({ '@type': 'EmailContactMedium', ...a })),
    record({ phoneNumber: text }).map((a) => ({ '@type': 'PhoneContactMedium', ...a })),
    record({ faxNumber: text }).map((a) => ({ '@type': 'FaxContactMedium', ...a })),
    record({ socialNetworkId: text }).map((a) => ({ '@type': 'SocialContactMedium', ...a })),
    record({
      city: text,
      postCode: text,
      street1: text,
      geographicAddress: fc.record({ '@type': fc.constant('GeographicAddressRef'), id }),
    }).map((a) => ({
      '@type': 'GeographicAddressContactMedium',
      ...a,
    })),
  )
  .chain((medium) =>
    record({ id, preferred: fc.boolean(), contactType: text, validFor: period }).map((common) => ({
      ...common,
      ...medium,
    })),
  );
const v5Characteristic = fc
  .oneof(
    text.map((v) => ({ '@type': 'StringCharacteristic', value: v })),
    fc.integer().map((v) => ({ '@type': 'IntegerCharacteristic', value: v })),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => ({ '@type': 'FloatCharacteristic', value: v })),
    fc.boolean().map((v) => ({ '@type': 'BooleanCharacteristic', value: v })),
    fc.array(text, { maxLength: 3 }).map((v) => ({ '@type': 'StringArrayCharacteristic', value: v })),
    fc.dictionary(id, scalar, { maxKeys: 3 }).map((v) => ({ '@type': 'ObjectCharacteristic', value: v })),
  )
  .chain((typed) =>
    fc
      .tuple(
        fc.record({ name: text }),
        record({
          id,
          valueType: text,
          characteristicRelationship: fc.array(
            fc.record({ '@type': fc.constant('CharacteristicRelationship'), id, relationshipType: text }),
            { maxLength: 2 },
          ),
        }),
      )
      .map(([a, b]) => ({ ...a, ...b, ...typed })),
  );
const v5RelatedParty = fc
  .tuple(
    record({ role: text }),
    fc.oneof(
      fc
        .tuple(
          fc.record({ id }),
          record({ name: text, '@referredType': fc.constantFrom('Individual', 'Organization') }),
        )
        .map(([a, b]) => ({ '@type': 'PartyRef', ...a, ...b })),
      fc.record({ id, partyId: id }).map((a) => ({ '@type': 'PartyRoleRef', ...a })),
      fc.record({ id, givenName: text, familyName: text }).map((a) => ({ '@type': 'Individual', ...a })),
    ),
    fc.constantFrom('RelatedPartyOrPartyRole', 'RelatedPartyRefOrPartyRoleRef'),
  )
  .map(([a, party, type]) => ({ '@type': type, ...a, partyOrPartyRole: party }));
const v5Customer = fc
  .tuple(
    fc.record({
      name: text,
      engagedParty: fc
        .tuple(fc.record({ id }), record({ name: text, '@referredType': fc.constant('Organization') }))
        .map(([a, b]) => ({ '@type': 'PartyRef', ...a, ...b })),
    }),
    record({
      description: text,
      role: text,
      status: text,
      partyRoleSpecification: fc.record({ '@type': fc.constant('PartyRoleSpecificationRef'), id }),
      contactMedium: fc.array(v5ContactMedium, { maxLength: 3 }),
      characteristic: fc.array(v5Characteristic, { maxLength: 3 }),
      relatedParty: fc.array(v5RelatedParty, { maxLength: 3 }),
      account: fc.array(fc.record({ '@type': fc.constant('AccountRef'), id, name: text }), { maxLength: 2 }),
      agreement: fc.array(fc.record({ '@type': fc.constant('AgreementRef'), id }), { maxLength: 2 }),
      creditProfile: fc.array(
        record({ creditScore: fc.integer() }).map((a) => ({ '@type': 'CreditProfile', ...a })),
        { maxLength: 2 },
      ),
    }),
  )
  .map(([required, optional]) => ({ id: 'C1', '@type': 'Customer', ...required, ...optional }));

describe('one stored customer, two representations', () => {
  it('v5 -> store -> v5 is identical', () => {
    fc.assert(
      fc.property(v5Customer, (customer) => {
        expect(customerV5Of(storedFromV5(customer))).toStrictEqual(customer);
      }),
      { numRuns: 300 },
    );
  });

  it('v4 -> store -> v4 is identical, and a v4 write keeps what only v5 said', () => {
    fc.assert(
      fc.property(v4Customer, v5Customer, (v4, v5) => {
        expect(customerV4Of(v4)).toBe(v4); // nothing to strip: the v4 path is untouched
        // A v5 customer rewritten by a v4 client that changed only the name.
        const stored = storedFromV5(v5);
        const rewritten = storedFromV4({ ...customerV4Of(stored), name: `${String(v5.name)}!` }, stored);
        expect(customerV4Of(rewritten)).toStrictEqual({ ...customerV4Of(stored), name: `${String(v5.name)}!` });
        expect(customerV5Of(rewritten)).toStrictEqual({ ...v5, name: `${String(v5.name)}!` });
      }),
      { numRuns: 300 },
    );
  });

  it('v4 -> store -> v5 -> store -> v4 is identical, whatever v5 cannot express', () => {
    fc.assert(
      fc.property(v4Customer, (v4) => {
        const v5 = customerV5Of(v4);
        expect(customerV4Of(storedFromV5(v5, v4))).toStrictEqual(v4);
        // A v5 PATCH of one attribute changes that attribute only, in v4 too.
        const patched = customerV4Of(storedFromV5({ ...v5, status: 'Suspended' }, v4));
        expect(patched).toStrictEqual({ ...v4, status: 'Suspended' });
      }),
      { numRuns: 300 },
    );
  });

  it('maps each v4 contact medium to the v5 subclass its mediumType names', () => {
    const v5 = customerV5Of({
      id: 'C1',
      name: 'n',
      contactMedium: [
        { mediumType: 'email', characteristic: { emailAddress: 'a@b.c', contactType: 'work', phoneNumber: '1' } },
        { mediumType: 'Telephone', preferred: true, characteristic: { phoneNumber: '+33 1' } },
        { mediumType: 'postal address', characteristic: { city: 'Paris', street1: '1 rue' } },
        { mediumType: 'pigeon', characteristic: { city: 'Rome' } },
      ],
      characteristic: [
        { name: 'n', value: 3 },
        { name: 'o', value: { a: 1 } },
        { name: 'p', value: 'x', '@type': 'Characteristic' },
      ],
      relatedParty: [{ id: '7', role: 'bill receiver', '@referredType': 'Individual' }],
    });
    expect(v5.contactMedium).toEqual([
      { '@type': 'EmailContactMedium', emailAddress: 'a@b.c', contactType: 'work' },
      { '@type': 'PhoneContactMedium', preferred: true, phoneNumber: '+33 1' },
      { '@type': 'GeographicAddressContactMedium', city: 'Paris', street1: '1 rue' },
      { '@type': 'ContactMedium' },
    ]);
    expect(v5.characteristic).toEqual([
      { '@type': 'IntegerCharacteristic', name: 'n', value: 3 },
      { '@type': 'ObjectCharacteristic', name: 'o', value: { a: 1 } },
      { '@type': 'StringCharacteristic', name: 'p', value: 'x' },
    ]);
    expect(v5.relatedParty).toEqual([
      {
        '@type': 'RelatedPartyOrPartyRole',
        role: 'bill receiver',
        partyOrPartyRole: { '@type': 'PartyRef', id: '7', '@referredType': 'Individual' },
      },
    ]);
  });

  it('keeps a v5-only element detail with its element when a v4 client reorders the array', () => {
    const stored = storedFromV5({
      id: 'C1',
      '@type': 'Customer',
      name: 'n',
      contactMedium: [
        { '@type': 'SocialContactMedium', id: 'cm-1', socialNetworkId: '@moon' },
        { '@type': 'EmailContactMedium', id: 'cm-2', emailAddress: 'a@b.c' },
      ],
    });
    const v4 = customerV4Of(stored);
    expect(JSON.stringify(v4)).not.toContain(POCKET);
    const reordered = storedFromV4({ ...v4, contactMedium: [...(v4.contactMedium as unknown[])].reverse() }, stored);
    expect(customerV5Of(reordered).contactMedium).toEqual([
      { '@type': 'EmailContactMedium', id: 'cm-2', emailAddress: 'a@b.c' },
      { '@type': 'SocialContactMedium', id: 'cm-1', socialNetworkId: '@moon' },
    ]);
  });

  it('finds the pocket named anywhere in a body', () => {
    expect(namesPocket({ a: [{ b: { [POCKET]: {} } }] })).toBe(true);
    expect(namesPocket({ a: [{ b: {} }] })).toBe(false);
  });
});
