/**
 * TM Forum's own CTK-Customer-4.0.0, prepared as the kit's runner prepares it before Newman (its
 * HOW-TO-RUN.md): the headers of config.json replace those of every request; the POST payload of
 * config.json, checked against Customer.schema.json, becomes the body of the create; the base URL
 * goes into the `Customer` variable of the kit's environment. The kit's files are read, never
 * changed or copied.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';

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

const readJson = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

export function prepareOfficialKit(kitDir: string, baseUrl: string): PreparedKit {
  const config = readJson(kitDir, 'config.json') as KitConfig;
  const collection = readJson(kitDir, 'CTK-Customer-4.0.0.postman_collection.json') as PostmanCollection;
  const environment = readJson(kitDir, 'TMFENV-V4.0.0.postman_environment.json') as PostmanEnvironment;

  const payload = config.payloads.Customer.POST.payload;
  // The kit's schema names a draft Ajv does not load; its keywords are the same in draft 7.
  const { $schema: _draft, ...schema } = readJson(kitDir, 'Customer.schema.json') as Record<string, unknown>;
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
