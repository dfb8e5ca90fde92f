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

export interface PreparedKit {
  readonly collection: Record<string, any>;
  readonly environment: Record<string, any>;
}

interface KitConfig {
  readonly headers: Record<string, string>;
  readonly payloads: { readonly Customer: { readonly POST: { readonly payload: unknown } } };
}

const readJson = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

export function prepareOfficialKit(kitDir: string, baseUrl: string): PreparedKit {
  const config = readJson(kitDir, 'config.json') as KitConfig;
  const collection = readJson(kitDir, 'CTK-Customer-4.0.0.postman_collection.json') as Record<string, any>;
  const environment = readJson(kitDir, 'TMFENV-V4.0.0.postman_environment.json') as Record<string, any>;

  const payload = config.payloads.Customer.POST.payload;
  // The kit's schema names a draft Ajv does not load; its keywords are the same in draft 7.
  const { $schema: _draft, ...schema } = readJson(kitDir, 'Customer.schema.json') as Record<string, unknown>;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  if (!validate(payload)) {
    throw new Error(`the kit's POST payload does not match Customer.schema.json: ${JSON.stringify(validate.errors)}`);
  }

  const headers = Object.entries(config.headers).map(([key, value]) => ({ key, value, type: 'text' }));
  let first = true;
  const prepare = (items: Record<string, any>[]): Record<string, any>[] =>
    items.map((item) => {
      if (Array.isArray(item.item)) return { ...item, item: prepare(item.item) };
      const request = { ...item.request, header: headers };
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
      values: (environment.values as { key: string }[]).map((entry) =>
        entry.key === 'Customer' ? { ...entry, value: baseUrl } : entry,
      ),
    },
  };
}
