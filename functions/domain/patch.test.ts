import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidQueryError,
  PayloadTooLargeError,
  UnprocessableError,
  ValidationError,
} from '../errors.js';
import { applyPatchDocument } from './patch.js';

const LIMIT = 400 * 1024;
const jsonPatch = (document: unknown, patch: unknown) =>
  applyPatchDocument(document as Record<string, unknown>, patch, 'json-patch', LIMIT);

describe('JSON Patch (RFC 6902 appendix A)', async () => {
  it.each([
    [
      'A.1 add an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { baz: 'qux', foo: 'bar' },
    ],
    [
      'A.2 add an array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    [
      'A.4 remove an array element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'A.5 replace a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'A.6 move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 move an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 test a value (success)',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'A.10 add a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'A.11 ignore unrecognised elements',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
      { foo: 'bar', baz: 'qux' },
    ],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    [
      'A.16 add an array value',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
    ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
  ])('%s', async (_label, document, patch, expected) => {
    expect(await jsonPatch(document, patch)).toEqual(expected);
  });

  it('A.9 a failing test is a 409 and changes nothing', async () => {
    const document = { baz: 'qux' };
    await expect(jsonPatch(document, [{ op: 'test', path: '/baz', value: 'bar' }])).rejects.toThrow(ConflictError);
    expect(document).toEqual({ baz: 'qux' });
  });

  it('A.12 adding to a nonexistent target is a 422', async () => {
    await expect(jsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }])).rejects.toThrow(
      UnprocessableError,
    );
  });

  it('A.13 an invalid operation is a 400', async () => {
    await expect(
      jsonPatch({ foo: 'bar' }, [
        { op: 'add', path: '/baz', value: 'qux', op2: 'remove' },
        { op: 'frob', path: '/x' },
      ]),
    ).rejects.toThrow(ValidationError);
  });

  it('A.15 comparing strings and numbers fails the test', async () => {
    await expect(jsonPatch({ '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }])).rejects.toThrow(
      ConflictError,
    );
  });

  it('is all or nothing: a later failure leaves the document untouched', async () => {
    const document = { a: 1 };
    await expect(
      jsonPatch(document, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'remove', path: '/missing' },
      ]),
    ).rejects.toThrow(UnprocessableError);
    expect(document).toEqual({ a: 1 });
  });

  it.each([
    ['not an array', { op: 'add' }],
    ['an operation without a path', [{ op: 'add', value: 1 }]],
    ['a path that is not a pointer', [{ op: 'add', path: 'name', value: 1 }]],
    ['add without a value', [{ op: 'add', path: '/a' }]],
    ['move without from', [{ op: 'move', path: '/a' }]],
    ['a query outside json-patch-query', [{ op: 'replace', path: '/a?b=c', value: 1 }]],
    ['a __proto__ path', [{ op: 'add', path: '/__proto__/polluted', value: true }]],
  ])('refuses %s with 400', async (_label, patch) => {
    await expect(jsonPatch({ a: 1 }, patch)).rejects.toThrow(ValidationError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('JSON Patch Query', async () => {
  const customer = {
    id: 'x',
    contactMedium: [
      { mediumType: 'email', preferred: false, characteristic: { emailAddress: 'a@example.com' } },
      { mediumType: 'phone', preferred: true, characteristic: { phoneNumber: '1' } },
      { mediumType: 'email', preferred: false, characteristic: { emailAddress: 'b@example.com', city: 'Paris' } },
    ],
  };
  const patchQuery = (patch: unknown) => applyPatchDocument(customer, patch, 'json-patch-query', LIMIT);

  it('changes only the elements the query selects', async () => {
    const result = await patchQuery([
      { op: 'replace', path: '/contactMedium/preferred?contactMedium.mediumType=email', value: true },
    ]);
    expect((result.contactMedium as { preferred: boolean }[]).map((m) => m.preferred)).toEqual([true, true, true]);
    const one = await patchQuery([
      { op: 'replace', path: '/contactMedium/preferred?characteristic.city=Paris', value: true },
    ]);
    expect((one.contactMedium as { preferred: boolean }[]).map((m) => m.preferred)).toEqual([false, true, true]);
  });

  it('removes selected elements, and adds inside them', async () => {
    const removed = await patchQuery([{ op: 'remove', path: '/contactMedium?mediumType=email' }]);
    expect(removed.contactMedium).toEqual([customer.contactMedium[1]]);
    const added = await patchQuery([
      { op: 'add', path: '/contactMedium/characteristic/city?mediumType=phone', value: 'Lyon' },
    ]);
    expect((added.contactMedium as { characteristic: { city?: string } }[])[1]?.characteristic.city).toBe('Lyon');
  });

  it('answers 422 when no element matches, and 400 for a query on an unknown attribute', async () => {
    await expect(
      patchQuery([{ op: 'replace', path: '/contactMedium/preferred?mediumType=fax', value: true }]),
    ).rejects.toThrow(UnprocessableError);
    await expect(
      patchQuery([{ op: 'replace', path: '/contactMedium/preferred?planet=Mars', value: true }]),
    ).rejects.toThrow(InvalidQueryError);
  });

  it('takes plain JSON Patch operations too', async () => {
    expect((await patchQuery([{ op: 'add', path: '/status', value: 'Approved' }])).status).toBe('Approved');
  });
});

describe('the working document stays within the stored-size limit while a patch runs', () => {
  const customer = {
    name: 'x',
    characteristic: Array.from({ length: 10 }, (_, i) => ({ name: `c${i}`, value: 'v'.repeat(100) })),
  };

  it('refuses 22 self-doubling copies with 413 at the operation that crosses the limit, in milliseconds', async () => {
    const doubling = Array.from({ length: 22 }, () => ({
      op: 'copy',
      from: '/characteristic',
      path: '/characteristic/-',
    }));
    const started = performance.now();
    const refusal = await jsonPatch(customer, doubling).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PayloadTooLargeError);
    // 1.2 KB doubles past 400 KB at the ninth copy; nothing beyond is ever built.
    expect((refusal as Error).message).toMatch(/^operation (8|9) \(copy/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses adds to elements a query selects once the sum passes the limit', async () => {
    const many = { name: 'x', characteristic: Array.from({ length: 200 }, (_, i) => ({ name: `c${i}`, value: 1 })) };
    const add = { op: 'add', path: '/characteristic/value?name*=^c', value: 'y'.repeat(4000) };
    await expect(applyPatchDocument(many, [add], 'json-patch-query', LIMIT)).rejects.toThrow(PayloadTooLargeError);
  });

  it('lets a long patch that adds and removes stay under the limit, however many operations', async () => {
    const churn = Array.from({ length: 250 }, () => [
      { op: 'add', path: '/characteristic/-', value: { name: 'big', value: 'z'.repeat(1500) } },
      { op: 'remove', path: '/characteristic/10' },
    ]).flat();
    const result = await jsonPatch(customer, churn);
    expect(result.characteristic).toEqual(customer.characteristic);
  });

  it("names its own refusal of __proto__ paths, not the library's flags", async () => {
    const refusal = await jsonPatch({ a: {} }, [{ op: 'add', path: '/a/__proto__/polluted', value: 1 }]).catch(
      (error: unknown) => error as Error,
    );
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as Error).message).not.toMatch(/banPrototypeModifications/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
