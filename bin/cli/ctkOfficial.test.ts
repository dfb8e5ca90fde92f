import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OFFICIAL_KIT, findOfficialKit, officialKitMissing, prepareOfficialKit } from './ctkOfficial.js';

const root = join(import.meta.dirname, '..', '..');
const shared = join(root, '..', 'shared', 'tmf629', 'ctk-official');
const work = mkdtempSync(join(tmpdir(), 'tmf629-kit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("locating TM Forum's kit", () => {
  it('tells a clone without the kit the one command that fetches it, pinned to the commit CI runs', () => {
    const clone = join(work, 'clone');
    mkdirSync(clone);
    expect(findOfficialKit(clone, {})).toBeUndefined();
    expect(officialKitMissing()).toMatch(
      /`npm run ctk:fetch` downloads it \(tmforum-rand\/CTK-TMF629-Customer at 5936ce6/,
    );
    expect(officialKitMissing()).toMatch(/licence/);
    expect(OFFICIAL_KIT.commit).toBe('5936ce61ae3a7c9f2bb487583e2fc113c2e150b9');
  });

  it.skipIf(!findOfficialKit(root, { CTK_OFFICIAL_DIR: shared }))(
    'reads the kit as its repository lays it out (what ctk:fetch clones), and prepares it',
    () => {
      // The repository's layout, built from the workspace's flat, byte-exact copy.
      const clone = join(work, 'with-kit');
      const fetched = join(clone, OFFICIAL_KIT.localFolder);
      mkdirSync(join(fetched, 'ctk', 'schemas'), { recursive: true });
      for (const [from, to] of [
        ['config.json', 'config.json'],
        ['LICENSE', 'LICENSE'],
        ['CTK-Customer-4.0.0.postman_collection.json', 'ctk/CTK-Customer-4.0.0.postman_collection.json'],
        ['TMFENV-V4.0.0.postman_environment.json', 'ctk/TMFENV-V4.0.0.postman_environment.json'],
        ['Customer.schema.json', 'ctk/schemas/Customer.schema.json'],
      ] as const) {
        copyFileSync(join(shared, from), join(fetched, to));
      }
      const kit = findOfficialKit(clone, {});
      expect(kit?.collection).toBe(join(fetched, 'ctk', 'CTK-Customer-4.0.0.postman_collection.json'));
      const prepared = prepareOfficialKit(kit!, 'http://127.0.0.1:3000/tmf-api/customerManagement/v4/');
      expect(prepared.collection.item.length).toBeGreaterThan(0);
    },
  );
});
