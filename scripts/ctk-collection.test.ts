import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCollection, collectionJson, collectionPath } from './ctk-collection.js';

describe('CTK collection', () => {
  it('is committed as built (run `npx tsx scripts/ctk-collection.ts` after changing the builder)', () => {
    expect(readFileSync(collectionPath, 'utf8')).toBe(collectionJson());
  });

  it('holds the ten requests of the official kit, in its order', () => {
    const requests = buildCollection().item.flatMap((folder) =>
      folder.item.map((i) => `${i.request.method} ${i.request.url}`),
    );
    expect(requests).toEqual([
      'POST {{Customer}}customer',
      'GET {{Customer}}customer',
      'GET {{Customer}}customer/{{IDCU01}}',
      'GET {{Customer}}customer?fields=href',
      'GET {{Customer}}customer?fields=id',
      'GET {{Customer}}customer?id={{IDCU01}}',
      'GET {{Customer}}customer?fields=name',
      'GET {{Customer}}customer?name={{NAMECU01}}',
      'PATCH {{Customer}}customer/{{IDCU01}}',
      'GET {{Customer}}customer/c2df1950-c17c-4576-9c22-e59073a4a86a',
    ]);
  });
});
