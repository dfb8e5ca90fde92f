import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from './generate-schema.js';

describe('generated schema artefacts', () => {
  it('match what the swagger in spec/ generates (run `npm run generate` after changing it)', async () => {
    const files = await generate();
    for (const [path, content] of Object.entries(files)) {
      expect(readFileSync(join(import.meta.dirname, '..', path), 'utf8'), path).toBe(content);
    }
  });
});
