import { StoreUnavailableError } from '../domain/ports.js';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import { tmfHandler } from './chain.js';
import { json } from './response.js';

const context = { awsRequestId: 'r1', functionName: 'f' } as Context;
const event = {
  headers: { Host: 'api.example.com' },
  requestContext: { stage: 'prod', domainName: 'api.example.com' },
  body: null,
} as unknown as APIGatewayProxyEvent;

const settings = { exposeReadStats: false, requireTokenScopes: false, publicBaseUrl: undefined };

describe('tmfHandler', () => {
  it('passes the operation result through', async () => {
    const handler = tmfHandler('testOperation', settings, async (request) => json(200, { baseUrl: request.baseUrl }));
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ baseUrl: 'https://api.example.com/tmf-api/customerManagement/v4' });
  });

  it('turns a named error into a TMF Error body with its status', async () => {
    const handler = tmfHandler('testOperation', settings, async () => {
      throw new NotFoundError('No customer with id "x"');
    });
    const result = await handler(event, context);
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['Content-Type']).toBe('application/json;charset=utf-8');
    expect(JSON.parse(result.body)).toEqual({
      '@type': 'Error',
      code: 'NOT_FOUND',
      reason: 'Resource not found',
      message: 'No customer with id "x"',
      status: '404',
    });
  });

  it('answers a real defect with a generic 500 that reveals nothing', async () => {
    const handler = tmfHandler('testOperation', settings, async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'doc') at /var/task/index.mjs:1:2");
    });
    const result = await handler(event, context);
    expect(result.statusCode).toBe(500);
    const body = JSON.parse(result.body) as Record<string, string>;
    expect(body).toMatchObject({ '@type': 'Error', code: 'INTERNAL_ERROR', status: '500' });
    expect(result.body).not.toMatch(/undefined|index\.mjs|doc/);
  });

  it('answers a storage failure that is only for now with 503 and Retry-After, revealing nothing', async () => {
    // What the DynamoDB adapter throws when the SDK gives up on a transient failure (repository/dynamo.ts).
    const handler = tmfHandler('testOperation', settings, async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443 at /var/task/index.mjs:1:2'), {
        code: 'ECONNREFUSED',
      });
      throw new StoreUnavailableError(undefined, { cause: refused });
    });
    const result = await handler(event, context);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['Retry-After']).toBe('1');
    expect(JSON.parse(result.body)).toMatchObject({ '@type': 'Error', code: 'SERVICE_UNAVAILABLE', status: '503' });
    expect(result.body).not.toMatch(/ECONNREFUSED|index\.mjs|10\.0\.0\.1/);
  });

  it('answers 503 with a TMF Error, not a 500, when the function is about to time out', async () => {
    const handler = tmfHandler('testOperation', settings, () => new Promise(() => undefined));
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => 50 } as Context);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toMatchObject({ '@type': 'Error', code: 'SERVICE_UNAVAILABLE', status: '503' });
  });

  it('gives the operation a deadline before the function time limit', async () => {
    const handler = tmfHandler('testOperation', settings, async (request) =>
      json(200, { left: request.deadline - Date.now() }),
    );
    const result = await handler(event, { ...context, getRemainingTimeInMillis: () => 10_000 } as Context);
    const { left } = JSON.parse(result.body) as { left: number };
    expect(left).toBeGreaterThan(8000);
    expect(left).toBeLessThan(10_000);
  });

  it('reads and checks the body before the operation runs', async () => {
    const handler = tmfHandler('testOperation', settings, async (request) => json(200, request.body), {
      body: { mediaTypes: ['application/json'] },
    });
    const bad = await handler({ ...event, headers: { 'Content-Type': 'application/json' }, body: '{' }, context);
    expect(bad.statusCode).toBe(400);
    const good = await handler({ ...event, headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' }, context);
    expect(JSON.parse(good.body)).toEqual({ a: 1 });
  });

  it('refuses registerListener to a token without customer read (API Gateway checked only the hub scope)', async () => {
    const handler = tmfHandler('registerListener', settings, async () => json(201, {}));
    const withScopes = (scope: string) =>
      ({
        ...event,
        requestContext: { ...event.requestContext, authorizer: { claims: { scope } } },
      }) as unknown as APIGatewayProxyEvent;
    const refused = await handler(withScopes('tmf629/hub'), context);
    expect(refused.statusCode).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/customer\.read/),
    });
    expect((await handler(withScopes('tmf629/hub tmf629/customer.read'), context)).statusCode).toBe(201);
  });

  it('asks the write gate before a write operation only (a multi-Region standby refuses writes, serves reads)', async () => {
    let asked = 0;
    const standby = {
      ...settings,
      writeGate: async () => {
        asked += 1;
        throw new ServiceUnavailableError('This Region (eu-central-1) is the standby', 30);
      },
    };
    const write = await tmfHandler('createCustomer', standby, async () => json(201, {}))(event, context);
    expect(write.statusCode).toBe(503);
    expect(write.headers?.['Retry-After']).toBe('30');
    expect(JSON.parse(write.body)).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/standby/),
    });
    const read = await tmfHandler('retrieveCustomer', standby, async () => json(200, {}))(event, context);
    expect(read.statusCode).toBe(200);
    expect(asked).toBe(1);
  });
});
