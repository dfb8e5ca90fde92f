/**
 * No shipped example may use an id a conformance kit uses: the kits take some ids to mean "does
 * not exist" (`/Customer/404ID`), so importing the examples would fail certification.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const officialKit = join(root, '..', 'shared', 'tmf629', 'ctk-official', 'CTK-Customer-4.0.0.postman_collection.json');
const kits = [join(root, 'ctk', 'TMF629-Customer-v4-CTK.postman_collection.json'), officialKit].filter(existsSync);

/** Every id a kit names: UUIDs anywhere, and what follows `customer/` or `hub/` in its URLs. */
function kitIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const match of text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)) {
    ids.add(match[0].toLowerCase());
  }
  for (const match of text.matchAll(/(?:customer|hub)\/([A-Za-z0-9._~-]+)/gi)) ids.add((match[1] ?? '').toLowerCase());
  return ids;
}

/** Every id an example gives a customer: `"id"` values in JSON and NDJSON, the id column of CSV. */
function exampleIds(): Map<string, string> {
  const ids = new Map<string, string>();
  const folder = join(root, 'docs', 'examples');
  for (const name of readdirSync(folder)) {
    const text = readFileSync(join(folder, name), 'utf8');
    if (name.endsWith('.csv')) {
      const [header, ...rows] = text.trim().split('\n');
      const column = (header ?? '').split(',').indexOf('id');
      if (column >= 0) for (const row of rows) ids.set((row.split(',')[column] ?? '').toLowerCase(), name);
    } else {
      for (const match of text.matchAll(/"id"\s*:\s*"([^"]+)"/g)) ids.set((match[1] ?? '').toLowerCase(), name);
    }
  }
  return ids;
}

describe('shipped examples and the conformance kits', () => {
  it('share no id', () => {
    expect(kits.length).toBeGreaterThan(0);
    const examples = exampleIds();
    expect(examples.size).toBeGreaterThan(5);
    for (const kit of kits) {
      const used = kitIds(readFileSync(kit, 'utf8'));
      expect(used.has('c2df1950-c17c-4576-9c22-e59073a4a86a'), 'the kits’ id for "does not exist"').toBe(true);
      const shared = [...examples.keys()].filter((id) => used.has(id)).map((id) => `${id} (${examples.get(id)})`);
      expect(shared, kit).toEqual([]);
    }
  });
});
