/**
 * Request body models for API Gateway's validator, derived from the swagger in spec/: a first
 * line that turns away bodies of the wrong shape before a Lambda runs. The functions still
 * validate fully (API Gateway models are JSON Schema draft-04, without $ref across models).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonSchemaType, JsonSchemaVersion, type JsonSchema } from 'aws-cdk-lib/aws-apigateway';

type Schema = Record<string, unknown>;

const swaggerPath = join(import.meta.dirname, '..', 'spec', 'TMF629-Customer-v4.0.0.swagger.json');

const TYPES: Record<string, JsonSchemaType> = {
  object: JsonSchemaType.OBJECT,
  array: JsonSchemaType.ARRAY,
  string: JsonSchemaType.STRING,
  integer: JsonSchemaType.INTEGER,
  number: JsonSchemaType.NUMBER,
  boolean: JsonSchemaType.BOOLEAN,
};

/** A swagger schema with its $refs inlined, in the CDK's JsonSchema shape (descriptions dropped). */
function inline(schema: Schema, definitions: Record<string, Schema>, depth = 0): JsonSchema {
  if (depth > 8) return {};
  if (typeof schema.$ref === 'string') {
    return inline(definitions[schema.$ref.replace('#/definitions/', '')] ?? {}, definitions, depth + 1);
  }
  const result: { -readonly [K in keyof JsonSchema]: JsonSchema[K] } = {};
  if (typeof schema.type === 'string' && TYPES[schema.type]) result.type = TYPES[schema.type];
  if (Array.isArray(schema.required) && schema.required.length > 0) result.required = schema.required as string[];
  if (schema.items && typeof schema.items === 'object')
    result.items = inline(schema.items as Schema, definitions, depth + 1);
  if (schema.properties && typeof schema.properties === 'object') {
    result.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, Schema>).map(([name, child]) => [
        name,
        inline(child, definitions, depth + 1),
      ]),
    );
  }
  return result;
}

export function customerCreateModelSchema(): JsonSchema {
  const swagger = JSON.parse(readFileSync(swaggerPath, 'utf8')) as { definitions: Record<string, Schema> };
  const schema = inline(swagger.definitions.Customer_Create ?? {}, swagger.definitions);
  // Conformance profile 629B: name and engagedParty are mandatory on create.
  return { ...schema, schema: JsonSchemaVersion.DRAFT4, title: 'CustomerCreate', required: ['engagedParty', 'name'] };
}

export const mergePatchModelSchema: JsonSchema = {
  schema: JsonSchemaVersion.DRAFT4,
  title: 'MergePatch',
  type: JsonSchemaType.OBJECT,
};

export const jsonPatchModelSchema: JsonSchema = {
  schema: JsonSchemaVersion.DRAFT4,
  title: 'JsonPatch',
  type: JsonSchemaType.ARRAY,
  items: {
    type: JsonSchemaType.OBJECT,
    required: ['op', 'path'],
    properties: {
      op: { type: JsonSchemaType.STRING, enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
      path: { type: JsonSchemaType.STRING },
      from: { type: JsonSchemaType.STRING },
    },
  },
};
