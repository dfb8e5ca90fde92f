/** Every CDK context key the app reads is in the configuration table of docs/configuration.md (and none that it does not read). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ENV } from '../functions/config.js';

const root = join(import.meta.dirname, '..');

it('lists every context key bin/app.ts reads in the configuration table of docs/configuration.md', () => {
  const app = readFileSync(join(root, 'bin', 'app.ts'), 'utf8');
  const read = new Set(
    [...app.matchAll(/\b(?:text|flag|number|list|unlessOff)\('([A-Za-z]+)'\)/g)].map((match) => match[1] as string),
  );
  expect(read.size).toBeGreaterThan(20);
  const readme = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| CDK context (`-c key=value`)'), readme.indexOf('**Region**'));
  const listed = new Set(
    [...table.matchAll(/^\| `([A-Za-z]+)`(?: \/ `([A-Za-z]+)`)?/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean)),
  );
  expect([...read].filter((key) => !listed.has(key)).sort()).toEqual([]);
  expect([...listed].filter((key) => !read.has(key as string)).sort()).toEqual([]);
});

it('documents every environment variable the functions read (functions/config.ts ENV)', () => {
  const guide = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
  const table = guide.slice(guide.indexOf('Function environment'), guide.indexOf('Local server:'));
  expect(Object.values(ENV).filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
});
