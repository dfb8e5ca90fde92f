/**
 * Derives everything schema-shaped from the official TMF629 v4.0.0 swagger in spec/:
 *   functions/generated/validate<Definition>.cjs  precompiled Ajv validators, one per file (no compilation at cold start)
 *   functions/generated/customerAttributes.ts   attribute paths and types, for filters and sorting
 *   functions/generated/tmf629.ts               TypeScript types for the swagger definitions
 *   functions/generated/{openapi,swagger}.base.json  the API's own description (scripts/buildDescription.ts)
 *
 * The swagger is taken as published, plus the conformance profile 629B overlay (officialSwagger.ts) and the extension policy in `applyExtensionPolicy`. Run with `npm run generate`;
 * a unit test fails when the committed output is stale.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, _ } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import formatsModule from 'ajv-formats';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { openapiBase, swaggerBase } from './buildDescription.js';
import { readOfficialSwagger, withConformanceRequired } from './officialSwagger.js';
import { readV5Document, v5CustomerAttributeTypes, v5Definitions } from './v5Schema.js';
import { addServiceAnswersV5 } from './description/v5Additions.js';

// CommonJS packages whose default export NodeNext types as the module namespace.
const standaloneCode = standaloneModule.default;
const addFormats = formatsModule.default;

type Schema = {
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
  [key: string]: unknown;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The validators the service uses, by export name -> swagger definition. */
const validated = {
  validateCustomerCreate: 'Customer_Create',
  validateCustomer: 'Customer',
  validateEventSubscriptionInput: 'EventSubscriptionInput',
} as const;

/** The v5 validators, by export name -> v5 schema (see v5Schema.ts for the discriminators). */
const validatedV5 = {
  validateCustomerV5Create: 'Customer_FVO',
  validateCustomerV5: 'Customer',
  validateHubV5Create: 'Hub_FVO',
} as const;

/**
 * TMF extends resources through `@schemaLocation`: an object that names its schema may carry
 * attributes this API does not know; one that does not is held to the published attributes, so a
 * misspelt attribute is a 400 rather than silently stored.
 */
function applyExtensionPolicy(definition: Schema): Schema {
  const properties = definition.properties;
  if (!properties || !('@schemaLocation' in properties)) return definition;
  return {
    ...definition,
    if: { not: { required: ['@schemaLocation'] } },
    then: { propertyNames: { enum: Object.keys(properties) } },
  };
}

export function loadDefinitions(): Record<string, Schema> {
  const swagger = readOfficialSwagger<{ definitions: Record<string, Schema> }>();
  const definitions: Record<string, Schema> = {};
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    definitions[name] = applyExtensionPolicy(withConformanceRequired(name, definition));
  }
  return definitions;
}

/** `$ref` siblings (descriptions) make json-schema-to-typescript emit one type per use; drop them. */
function withoutRefSiblings<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutRefSiblings) as T;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$ref === 'string') return { $ref: record.$ref } as T;
  return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, withoutRefSiblings(child)])) as T;
}

export type AttributeType = 'string' | 'date-time' | 'integer' | 'number' | 'boolean' | 'any' | 'object';

/**
 * Every attribute path of a Customer (dotted, arrays transparent) with the type the swagger gives
 * it, so filters compare values by type without walking the schema at run time.
 */
export function customerAttributeTypes(definitions: Record<string, Schema>): Record<string, AttributeType> {
  const types: Record<string, AttributeType> = {};
  const resolve = (schema: Schema): Schema =>
    typeof schema.$ref === 'string' ? resolve(definitions[schema.$ref.replace('#/definitions/', '')] ?? {}) : schema;
  const walk = (schema: Schema, path: string, depth: number): void => {
    const resolved = resolve(schema);
    if (resolved.type === 'array' && resolved.items) return walk(resolved.items, path, depth);
    if (path) {
      if (resolved.type === 'object' || resolved.properties) types[path] = 'object';
      else if (resolved.type === 'string') types[path] = resolved.format === 'date-time' ? 'date-time' : 'string';
      else if (resolved.type === 'integer' || resolved.type === 'number' || resolved.type === 'boolean')
        types[path] = resolved.type;
      else types[path] = 'any';
    }
    if (depth > 6) return;
    for (const [name, child] of Object.entries(resolved.properties ?? {})) {
      walk(child, path ? `${path}.${name}` : name, depth + 1);
    }
  };
  walk(definitions.Customer ?? {}, '', 0);
  return types;
}

function withoutDescriptions<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutDescriptions) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key, child]) => !(key === 'description' && typeof child === 'string'))
      .map(([key, child]) => [key, withoutDescriptions(child)]),
  ) as T;
}

export async function generate(): Promise<Record<string, string>> {
  const definitions = loadDefinitions();
  const header =
    '// Generated by scripts/generate-schema.ts from spec/TMF629-Customer-v4.0.0.swagger.json. Do not edit.\n';
  // One module per validator, so each function bundles (and loads) only the one it uses.
  const validatorFiles: Record<string, string> = {};
  // Descriptions are for people; left out of the validators, they would only weigh on every cold start.
  const validationDefinitions = withoutDescriptions(definitions);
  for (const [exportName, definition] of Object.entries(validated)) {
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
    });
    addFormats(ajv, ['date-time', 'uri']);
    ajv.addSchema({ $id: 'tmf629', definitions: validationDefinitions });
    validatorFiles[`functions/generated/${exportName}.cjs`] =
      header + '/* eslint-disable */\n' + standaloneCode(ajv, { [exportName]: `tmf629#/definitions/${definition}` });
    // Typed with the swagger's own type, so a checked value is that type to the compiler too.
    validatorFiles[`functions/generated/${exportName}.d.cts`] =
      header +
      "import type { ValidateFunction } from 'ajv';\n" +
      `import type { ${definition} } from './tmf629.js';\n` +
      `export declare const ${exportName}: ValidateFunction<${definition}>;\n`;
  }

  const v5Header =
    '// Generated by scripts/generate-schema.ts from spec/TMF629-Customer_Management-v5.0.1.oas.yaml. Do not edit.\n';
  const v5 = v5Definitions();
  for (const [exportName, definition] of Object.entries(validatedV5)) {
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      // One function per definition, called where referenced: v5's subclasses are referenced from
      // many places, and inlined they made each validator 520 KB (parsed at every cold start).
      inlineRefs: false,
      code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` },
    });
    addFormats(ajv, ['date-time', 'uri']);
    ajv.addSchema({ $id: 'tmf629v5', definitions: v5 });
    validatorFiles[`functions/generated/v5/${exportName}.cjs`] =
      v5Header +
      '/* eslint-disable */\n' +
      standaloneCode(ajv, { [exportName]: `tmf629v5#/definitions/${definition}` });
    validatorFiles[`functions/generated/v5/${exportName}.d.cts`] =
      v5Header +
      "import type { ValidateFunction } from 'ajv';\n" +
      `export declare const ${exportName}: ValidateFunction<Record<string, unknown>>;\n`;
  }
  // The v5 description served live: the official document, plus what this service adds.
  const v5Document = readV5Document();
  addServiceAnswersV5(v5Document);
  validatorFiles['functions/generated/v5/openapi.base.json'] = JSON.stringify(v5Document) + '\n';
  validatorFiles['functions/generated/v5/customerAttributes.ts'] =
    v5Header +
    "import type { AttributeType } from '../customerAttributes.js';\n\n" +
    '/** v5 Customer attribute paths (dotted; arrays transparent; the union across @type subclasses). */\n' +
    `export const customerAttributeTypesV5: Readonly<Record<string, AttributeType>> = ${JSON.stringify(
      v5CustomerAttributeTypes(v5),
      null,
      2,
    )};\n`;

  // One TypeScript type per swagger definition, named as the swagger names it.
  const typesSource = await compile(
    {
      title: 'TMF629Definitions',
      type: 'object',
      definitions: withoutRefSiblings(definitions) as Record<string, JSONSchema>,
      additionalProperties: false,
    },
    'TMF629Definitions',
    {
      bannerComment: header.trimEnd(),
      additionalProperties: false,
      unreachableDefinitions: true,
      declareExternallyReferenced: true,
      format: true,
      strictIndexSignatures: true,
    },
  );
  const attributes =
    header +
    "export type AttributeType = 'string' | 'date-time' | 'integer' | 'number' | 'boolean' | 'any' | 'object';\n\n" +
    '/** Customer attribute paths (dotted; arrays transparent) and their types, from the swagger. */\n' +
    `export const customerAttributeTypes: Readonly<Record<string, AttributeType>> = ${JSON.stringify(
      customerAttributeTypes(definitions),
      null,
      2,
    )};\n`;
  return {
    'functions/generated/customerAttributes.ts': attributes,
    'functions/generated/openapi.base.json': JSON.stringify(await openapiBase(), null, 1) + '\n',
    'functions/generated/swagger.base.json': JSON.stringify(swaggerBase(), null, 1) + '\n',
    ...validatorFiles,
    'functions/generated/tmf629.ts': typesSource,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await generate();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    console.log(`wrote ${path}`);
  }
}
