/**
 * TM Forum's own CTK-Customer-4.0.0, prepared as the kit's runner prepares it before Newman (its
 * HOW-TO-RUN.md): the headers of config.json replace those of every request; the POST payload of
 * config.json, checked against Customer.schema.json, becomes the body of the create; the base URL
 * goes into the `Customer` variable of the kit's environment. The kit's files are read, never
 * changed or copied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

/** Where TM Forum publishes the kit, and the commit CI runs (../shared/tmf629/SOURCES.md). */
export const OFFICIAL_KIT = {
  repository: 'https://github.com/tmforum-rand/CTK-TMF629-Customer.git',
  commit: '5936ce61ae3a7c9f2bb487583e2fc113c2e150b9',
  /** Where `npm run ctk:fetch` puts it (git-ignored). */
  localFolder: '.ctk-official',
} as const;

/** The kit's files by their names; `dir` holds them flat (../shared) or as in its repository. */
export interface KitFiles {
  readonly dir: string;
  readonly config: string;
  readonly collection: string;
  readonly environment: string;
  readonly schema: string;
  readonly licence: string;
}

function kitFilesIn(dir: string): KitFiles | undefined {
  const flat = {
    dir,
    config: join(dir, 'config.json'),
    collection: join(dir, 'CTK-Customer-4.0.0.postman_collection.json'),
    environment: join(dir, 'TMFENV-V4.0.0.postman_environment.json'),
    schema: join(dir, 'Customer.schema.json'),
    licence: join(dir, 'LICENSE'),
  };
  const repository = {
    ...flat,
    collection: join(dir, 'ctk', 'CTK-Customer-4.0.0.postman_collection.json'),
    environment: join(dir, 'ctk', 'TMFENV-V4.0.0.postman_environment.json'),
    schema: join(dir, 'ctk', 'schemas', 'Customer.schema.json'),
  };
  return [flat, repository].find((files) => [files.config, files.collection].every((file) => existsSync(file)));
}

/**
 * The official kit, from the first place that has it: CTK_OFFICIAL_DIR, the workspace's
 * ../shared/tmf629/ctk-official (CI), or what `npm run ctk:fetch` cloned into .ctk-official.
 */
export function findOfficialKit(root: string, env: NodeJS.ProcessEnv = process.env): KitFiles | undefined {
  const places = env.CTK_OFFICIAL_DIR
    ? [env.CTK_OFFICIAL_DIR]
    : [join(root, '..', 'shared', 'tmf629', 'ctk-official'), join(root, OFFICIAL_KIT.localFolder)];
  for (const place of places) {
    const files = kitFilesIn(place);
    if (files) return files;
  }
  return undefined;
}

/** What `npm run ctk` says when the kit is not here: the one command that brings it. */
export function officialKitMissing(): string {
  return `TM Forum's CTK-Customer-4.0.0: not in this clone. \`npm run ctk:fetch\` downloads it (tmforum-rand/CTK-TMF629-Customer at ${OFFICIAL_KIT.commit.slice(0, 7)}, the commit CI runs; its licence is shown), then \`npm run ctk\` runs it too. Or set CTK_OFFICIAL_DIR to a copy.`;
}

/** A Postman collection item: a folder of items, or a request. */
interface PostmanItem {
  readonly item?: PostmanItem[];
  readonly request?: { readonly method?: string } & Record<string, unknown>;
  readonly [key: string]: unknown;
}
export type PostmanCollection = { readonly item: PostmanItem[] } & Record<string, unknown>;
export type PostmanEnvironment = { readonly values: { readonly key: string }[] } & Record<string, unknown>;

export interface PreparedKit {
  readonly collection: PostmanCollection;
  readonly environment: PostmanEnvironment;
}

interface KitConfig {
  readonly headers: Record<string, string>;
  readonly payloads: { readonly Customer: { readonly POST: { readonly payload: unknown } } };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

export function prepareOfficialKit(kit: KitFiles, baseUrl: string): PreparedKit {
  const config = readJson(kit.config) as KitConfig;
  const collection = readJson(kit.collection) as PostmanCollection;
  const environment = readJson(kit.environment) as PostmanEnvironment;

  const payload = config.payloads.Customer.POST.payload;
  // The kit's schema names a draft Ajv does not load; its keywords are the same in draft 7.
  const { $schema: _draft, ...schema } = readJson(kit.schema) as Record<string, unknown>;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  if (!validate(payload)) {
    throw new Error(`the kit's POST payload does not match Customer.schema.json: ${JSON.stringify(validate.errors)}`);
  }

  const headers = Object.entries(config.headers).map(([key, value]) => ({ key, value, type: 'text' }));
  let first = true;
  const prepare = (items: PostmanItem[]): PostmanItem[] =>
    items.map((item) => {
      if (Array.isArray(item.item)) return { ...item, item: prepare(item.item) };
      const request: Record<string, unknown> = { ...item.request, header: headers };
      if (first && request.method === 'POST') {
        request.body = { mode: 'raw', raw: JSON.stringify(payload) };
        first = false;
      }
      return { ...item, request };
    });

  return {
    collection: { ...collection, item: prepare(collection.item) },
    environment: {
      ...environment,
      values: environment.values.map((entry) => (entry.key === 'Customer' ? { ...entry, value: baseUrl } : entry)),
    },
  };
}
