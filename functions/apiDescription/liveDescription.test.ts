import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv } from 'ajv';
import formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { operationIds } from '../../bin/check-description.js';
import { TMF_ERROR_CODES } from '../errorCatalogue.js';
import { operations } from '../operations.js';
import { describeApi, resolvedSecurity, type ApiSecurity, type DescriptionFormat } from './liveDescription.js';
import { apiSecurityFrom } from '../config.js';

const base = 'https://api.example.com/tmf-api/customerManagement/v4';
const variants: Record<string, ApiSecurity> = {
  none: { kind: 'none' },
  clientCredentials: { kind: 'oauth2', tokenUrl: 'https://auth.example.com/oauth2/token' },
  authorizationCode: {
    kind: 'oauth2',
    tokenUrl: 'https://auth.example.com/oauth2/token',
    authorizationUrl: 'https://auth.example.com/oauth2/authorize',
  },
  sigv4: { kind: 'sigv4' },
};
type Doc = Record<string, any>;

async function validate(document: Record<string, unknown>) {
  const validator = new Validator();
  const result = await validator.validate(document as Parameters<Validator['validate']>[0]);
  return {
    valid: result.valid,
    errors: JSON.stringify(result.errors ?? []).slice(0, 2000),
    version: validator.version,
  };
}

describe.each(Object.entries(variants))('the API description, security %s', (_name, security) => {
  it.each(['openapi', 'swagger'] as DescriptionFormat[])(
    '%s is a valid document (maintained OpenAPI validator)',
    async (format) => {
      const document = describeApi(format, base, security);
      const result = await validate(document);
      expect(result.errors).toBe('[]');
      expect(result.valid).toBe(true);
      expect(result.version).toBe(format === 'openapi' ? '3.0' : '2.0');
    },
  );

  it('names every served operation by its TMF operationId, with the scope it needs', () => {
    for (const format of ['openapi', 'swagger'] as const) {
      const document = describeApi(format, base, security) as Doc;
      // The v4 description names the v4 operations (v5's are in the v5 document).
      const v4Operations = operations.filter((o) => !('apiVersion' in o));
      expect(operationIds(document)).toEqual(v4Operations.map((o) => o.operationId).sort());
      const list = document.paths['/customer'].get;
      if (security.kind === 'oauth2')
        expect(list.security).toEqual(
          format === 'openapi'
            ? [{ tmf629: ['tmf629/customer.read'] }, { accessToken: [] }]
            : [{ tmf629: ['tmf629/customer.read'] }],
        );
      else if (security.kind === 'sigv4') expect(list.security).toEqual([{ tmf629: [] }]);
      else expect(list.security).toEqual([]);
    }
  });
});

describe('the API description', () => {
  it('gives the live base URL as the server (3.0) and as host, basePath and scheme (2.0)', () => {
    expect((describeApi('openapi', base, variants.none!) as Doc).servers[0].url).toBe(base);
    const swagger = describeApi(
      'swagger',
      'http://127.0.0.1:3000/tmf-api/customerManagement/v4',
      variants.none!,
    ) as Doc;
    expect([swagger.host, swagger.basePath, swagger.schemes]).toEqual([
      '127.0.0.1:3000',
      '/tmf-api/customerManagement/v4',
      ['http'],
    ]);
  });

  it('keeps Swagger 2.0 under 1 MB with one security definition, the interactive flow when configured', () => {
    const swagger = describeApi('swagger', base, variants.authorizationCode!) as Doc;
    expect(JSON.stringify(swagger).length).toBeLessThan(1_000_000);
    expect(Object.keys(swagger.securityDefinitions)).toEqual(['tmf629']);
    expect(swagger.securityDefinitions.tmf629).toMatchObject({
      flow: 'accessCode',
      authorizationUrl: 'https://auth.example.com/oauth2/authorize',
    });
    expect((describeApi('swagger', base, variants.clientCredentials!) as Doc).securityDefinitions.tmf629).toMatchObject(
      { flow: 'application' },
    );
    const openapi = describeApi('openapi', base, variants.authorizationCode!) as Doc;
    expect(Object.keys(openapi.components.securitySchemes.tmf629.flows)).toEqual([
      'clientCredentials',
      'authorizationCode',
    ]);
    expect(Object.keys(openapi.components.securitySchemes.tmf629.flows.clientCredentials.scopes)).toEqual([
      'tmf629/customer.read',
      'tmf629/customer.write',
      'tmf629/hub',
    ]);
  });

  it('describes paging, headers, the PATCH formats, every error code and the events as callbacks', () => {
    const openapi = describeApi('openapi', base, variants.none!) as Doc;
    const list = openapi.paths['/customer'].get;
    expect(list.parameters.map((p: Doc) => p.name)).toEqual(
      expect.arrayContaining(['fields', 'offset', 'limit', 'sort', 'cursor']),
    );
    expect(Object.keys(list.responses['206'].headers)).toEqual([
      'X-Total-Count',
      'X-Result-Count',
      'Link',
      'X-Read-Items',
      'X-Customers-Examined',
      'X-Read-Capacity',
      'X-Write-Capacity',
    ]);
    expect(list.description).toContain('TMF630');
    const patch = openapi.paths['/customer/{id}'].patch;
    expect(Object.keys(patch.requestBody.content)).toEqual([
      'application/merge-patch+json',
      'application/json',
      'application/json-patch+json',
      'application/json-patch-query+json',
    ]);
    expect(patch.parameters.map((p: Doc) => p.name)).toContain('If-Match');
    // A merge patch names only what changes; a new customer needs name and engagedParty (profile 629B).
    expect(openapi.components.schemas.Customer_Update.required).toBeUndefined();
    expect(openapi.components.schemas.Customer_Create.required.sort()).toEqual(['engagedParty', 'name']);
    expect(patch.responses['200'].headers.ETag).toBeDefined();
    expect(openapi.paths['/customer'].post.responses['201'].headers.Location).toBeDefined();
    expect(openapi.paths['/customer'].get.responses['503'].headers['Retry-After']).toBeDefined();
    expect(openapi.components.schemas.Error.properties.code.enum).toEqual(TMF_ERROR_CODES.map((e) => e.code));
    expect(Object.keys(openapi.paths['/hub'].post.callbacks)).toEqual([
      'CustomerCreateEvent',
      'CustomerAttributeValueChangeEvent',
      'CustomerStateChangeEvent',
      'CustomerDeleteEvent',
    ]);
    expect(Object.keys(openapi.paths)).not.toContain('/listener/customerCreateEvent');
  });

  it("lists the deployment's configured indexed attributes as filters, once, in both formats", async () => {
    for (const format of ['openapi', 'swagger'] as const) {
      const document = describeApi(format, base, variants.none!, ['characteristic[segment].value', 'status']) as Doc;
      const names = document.paths['/customer'].get.parameters.map((p: Doc) => p.name);
      expect(names.filter((n: string) => n === 'characteristic[segment].value')).toHaveLength(1);
      expect(names.filter((n: string) => n === 'status')).toHaveLength(1);
      expect((await validate(document)).valid).toBe(true);
    }
  });

  it('reads its security from the environment, loudly when incomplete', () => {
    expect(apiSecurityFrom({})).toEqual({ kind: 'none' });
    expect(apiSecurityFrom({ API_SECURITY: 'sigv4' })).toEqual({ kind: 'sigv4' });
    expect(() => apiSecurityFrom({ API_SECURITY: 'oauth2' })).toThrow(/OAUTH2_TOKEN_URL/);
    expect(() => apiSecurityFrom({ API_SECURITY: 'basic' })).toThrow(/none, oauth2 or sigv4/);
    const local = apiSecurityFrom({ API_SECURITY: 'oauth2', OAUTH2_TOKEN_URL: '/oauth2/token' });
    expect(resolvedSecurity(local, 'http://127.0.0.1:3000/tmf-api/customerManagement/v4')).toEqual({
      kind: 'oauth2',
      tokenUrl: 'http://127.0.0.1:3000/oauth2/token',
    });
  });

  it('gives examples that are valid bodies: the README sample customer and each PATCH format', () => {
    const openapi = describeApi('openapi', base, variants.none!) as Doc;
    const ajv = new Ajv({ strict: false, allErrors: true });
    formatsModule.default(ajv);
    ajv.addSchema(openapi, 'openapi');
    const check = (pointer: string, value: unknown) => {
      const validate = ajv.compile({ $ref: `openapi#${pointer}` });
      expect(validate(value), ajv.errorsText(validate.errors)).toBe(true);
    };
    const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/examples/customer.json'), 'utf8'));
    check('/components/schemas/Customer_Create', sample);
    const create = openapi.paths['/customer'].post.requestBody.content['application/json'];
    expect(create.example).toEqual(sample);
    for (const [media, content] of Object.entries(openapi.paths['/customer/{id}'].patch.requestBody.content as Doc)) {
      if (content.example === undefined) continue;
      const schema = content.schema.$ref.replace('#', '');
      expect(media).toMatch(/json/);
      check(schema, content.example);
    }
  });
});

describe('what strict and low-code tools read', () => {
  const openapi = describeApi('openapi', base, variants.none!) as Doc;
  const swagger = describeApi('swagger', base, variants.none!) as Doc;

  it('requires only id and href of an answered customer, and keeps what a request must hold', () => {
    expect(openapi.components.schemas.Customer.required).toEqual(['id', 'href']);
    expect(openapi.components.schemas.ContactMedium.required).toBeUndefined();
    expect(openapi.components.schemas.ContactMedium_Input.required).toEqual(['mediumType', 'characteristic']);
    expect(openapi.components.schemas.Customer_Create.required).toEqual(['engagedParty', 'name']);
    expect(JSON.stringify(openapi.components.schemas.Customer_Create)).not.toMatch(/schemas\/ContactMedium"/);
  });

  it('lets a merge patch send null for every optional attribute, not for the mandatory ones', () => {
    const update = openapi.components.schemas.Customer_Update.properties;
    expect(update.status.nullable).toBe(true);
    expect(update.contactMedium.nullable).toBe(true);
    expect(update.validFor).toMatchObject({ nullable: true, type: 'object' });
    expect(update.name.nullable).toBeUndefined();
    expect(update.engagedParty.nullable).toBeUndefined();
  });

  it('makes POST /hub a Power Automate webhook trigger, with labels and examples in swagger.json', () => {
    expect(swagger.paths['/hub'].post['x-ms-trigger']).toBe('single');
    expect(swagger.paths['/hub']['x-ms-notification-content'].schema).toEqual({ $ref: '#/definitions/CustomerEvent' });
    expect(swagger.definitions.EventSubscriptionInput.properties.callback).toMatchObject({
      format: 'uri',
      'x-ms-notification-url': true,
      'x-ms-visibility': 'internal',
    });
    expect(swagger.paths['/hub/{id}'].delete.operationId).toBe('unregisterListener');
    const list = swagger.paths['/customer'].get.parameters as Doc[];
    expect(list.find((p) => p.name === 'engagedParty.id')?.['x-ms-summary']).toBe('Engaged party id');
    expect(list.find((p) => p.name === 'creditProfile.creditScore.gte')?.type).toBe('integer');
    expect(swagger.definitions.Customer.properties['@type']['x-ms-summary']).toBe('Type');
    expect(swagger.definitions.Customer_Create.example.name).toEqual(expect.any(String));
    expect(swagger.definitions.EventSubscriptionInput.example.callback).toMatch(/^https:/);
    // The 3.0 document says the same with callbacks, without the Power Platform's extensions.
    expect(openapi.paths['/hub'].post['x-ms-trigger']).toBeUndefined();
  });

  it('declares every operation open explicitly when there is no security, and no $ref with siblings', () => {
    for (const byMethod of Object.values(openapi.paths as Record<string, Doc>))
      for (const [method, operation] of Object.entries(byMethod))
        if (!method.startsWith('x-')) expect(operation.security, `${method}`).toEqual([]);
    const siblings: string[] = [];
    const walk = (value: unknown, at: string) => {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}/${i}`));
      else if (value && typeof value === 'object') {
        if ('$ref' in value && Object.keys(value).length > 1) siblings.push(at);
        for (const [key, child] of Object.entries(value)) walk(child, `${at}/${key}`);
      }
    };
    walk(openapi, '');
    walk(swagger, '');
    expect(siblings).toEqual([]);
  });
});
