/**
 * The official TMF629 v5.0.1 OpenAPI document in spec/, turned into JSON Schema definitions that
 * Ajv can check with the discriminators enforced (build time only):
 *   - every `allOf` inheritance chain is flattened into one object schema (properties and
 *     `required` merged), so an object that does not name its `@schemaLocation` is held to the
 *     attributes its type declares (the same extension policy as v4);
 *   - every reference to a polymorphic schema (one with a `discriminator.mapping`, or a `oneOf`)
 *     goes through a dispatch on `@type`: an unknown `@type` fails on an enum that lists the known
 *     ones, and a known one is checked against exactly the schema its mapping names, so "matches
 *     none or several" cannot happen silently.
 * The spec's own examples type related parties as `RelatedPartyRefOrPartyRoleRef`, a schema the
 * document defines but leaves out of `RelatedPartyOrPartyRole`'s mapping; it is accepted there too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const v5SpecPath = join(import.meta.dirname, '..', 'spec', 'TMF629-Customer_Management-v5.0.1.oas.yaml');

export type Schema = {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  [key: string]: unknown;
};

export interface V5Document {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema>; [key: string]: unknown };
  [key: string]: unknown;
}

export function readV5Document(): V5Document {
  return parse(readFileSync(v5SpecPath, 'utf8')) as V5Document;
}

const nameOf = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
/** The definition that dispatches on `@type` for a polymorphic schema. */
export const dispatchName = (name: string) => `${name}~`;

/** Aliases the spec's examples use beside a mapping (see the header). */
const MAPPING_ALIASES: Record<string, Record<string, string>> = {
  RelatedPartyOrPartyRole: { RelatedPartyRefOrPartyRoleRef: 'RelatedPartyRefOrPartyRoleRef' },
  RelatedPartyOrPartyRole_FVO: { RelatedPartyRefOrPartyRoleRef: 'RelatedPartyRefOrPartyRoleRef' },
  RelatedPartyOrPartyRole_MVO: { RelatedPartyRefOrPartyRoleRef: 'RelatedPartyRefOrPartyRoleRef' },
};

/** `@type` -> the schema it names, for a polymorphic schema; undefined for the others. */
export function mappingOf(schemas: Record<string, Schema>, name: string): Record<string, string> | undefined {
  const schema = schemas[name];
  const mapping = schema?.discriminator?.mapping;
  if (!mapping) return undefined;
  return {
    ...Object.fromEntries(Object.entries(mapping).map(([type, ref]) => [type, nameOf(ref)])),
    ...MAPPING_ALIASES[name],
  };
}

interface Flat {
  properties: Record<string, Schema>;
  required: string[];
}

function flatten(schemas: Record<string, Schema>, schema: Schema, into: Flat = { properties: {}, required: [] }): Flat {
  if (schema.$ref) return flatten(schemas, schemas[nameOf(schema.$ref)] ?? {}, into);
  for (const part of schema.allOf ?? []) flatten(schemas, part, into);
  Object.assign(into.properties, schema.properties ?? {});
  into.required.push(...(schema.required ?? []));
  return into;
}

function withoutDescriptions(schema: Schema): Schema {
  const { description: _d, example: _e, discriminator: _x, ...rest } = schema;
  return rest;
}

/**
 * The JSON Schema definitions (draft-07, `#/definitions/<name>`), with the dispatch definitions
 * named `<name>~`.
 */
export function v5Definitions(doc: V5Document = readV5Document()): Record<string, Schema> {
  const schemas = doc.components.schemas;
  const polymorphic = (name: string) => mappingOf(schemas, name) !== undefined;
  const refTo = (name: string): Schema => ({
    $ref: `#/definitions/${polymorphic(name) ? dispatchName(name) : name}`,
  });
  /** A property's schema with its references rewritten (inline `oneOf`s do not occur in v5.0.1). */
  const rewrite = (schema: Schema): Schema => {
    if (schema.$ref) return refTo(nameOf(schema.$ref));
    const out: Schema = withoutDescriptions(schema);
    if (schema.items) out.items = rewrite(schema.items);
    if (schema.properties) {
      out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, rewrite(v)]));
    }
    return out;
  };
  const definitions: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const mapping = mappingOf(schemas, name);
    if (schema.oneOf) {
      // A oneOf with a discriminator is only its dispatch; the body is never used alone.
      definitions[name] = { $ref: `#/definitions/${dispatchName(name)}` };
    } else if (schema.allOf || schema.properties || schema.type === 'object') {
      const { properties, required } = flatten(schemas, schema);
      const body: Schema = {
        type: 'object',
        properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, rewrite(v)])),
      };
      const unique = [...new Set(required)];
      if (unique.length > 0) body.required = unique;
      if ('@schemaLocation' in properties) {
        body.if = { not: { required: ['@schemaLocation'] } };
        body.then = { propertyNames: { enum: Object.keys(properties) } };
      }
      definitions[name] = body;
    } else {
      definitions[name] = rewrite(schema);
    }
    if (mapping) {
      const types = Object.keys(mapping);
      definitions[dispatchName(name)] = {
        type: 'object',
        required: ['@type'],
        properties: { '@type': { type: 'string', enum: types } },
        allOf: types.map((type) => ({
          if: { required: ['@type'], properties: { '@type': { const: type } } },
          then: { $ref: `#/definitions/${mapping[type] as string}` },
        })),
      };
    }
  }
  return definitions;
}

export type AttributeType = 'string' | 'date-time' | 'integer' | 'number' | 'boolean' | 'any' | 'object';

/**
 * Every attribute path of a v5 Customer with its type; across the subclasses of a polymorphic
 * element (contactMedium.emailAddress, characteristic.value) the union, `any` where they differ.
 */
export function v5CustomerAttributeTypes(definitions: Record<string, Schema>): Record<string, AttributeType> {
  const types: Record<string, AttributeType> = {};
  const note = (path: string, type: AttributeType) => {
    const known = types[path];
    types[path] = known === undefined || known === type ? type : 'any';
  };
  const alternatives = (schema: Schema): Schema[] => {
    if (!schema.$ref) return [schema];
    const name = nameOf(schema.$ref);
    const definition = definitions[name] ?? {};
    if (name.endsWith('~')) {
      return (definition.allOf ?? []).flatMap((branch) => alternatives((branch.then as Schema | undefined) ?? {}));
    }
    return definition.$ref ? alternatives(definition) : [definition];
  };
  const walk = (schema: Schema, path: string, depth: number): void => {
    for (const resolved of alternatives(schema)) {
      if (resolved.type === 'array' && resolved.items) {
        walk(resolved.items, path, depth);
        continue;
      }
      if (path) {
        if (resolved.type === 'object' || resolved.properties) note(path, 'object');
        else if (resolved.type === 'string') note(path, resolved.format === 'date-time' ? 'date-time' : 'string');
        else if (resolved.type === 'integer' || resolved.type === 'number' || resolved.type === 'boolean')
          note(path, resolved.type);
        else note(path, 'any');
      }
      if (depth >= 3) continue; // deeper paths (inside an embedded Individual, say) are not filtered on
      for (const [name, child] of Object.entries(resolved.properties ?? {})) {
        walk(child, path ? `${path}.${name}` : name, depth + 1);
      }
    }
  };
  walk(definitions.Customer ?? {}, '', 0);
  return types;
}
