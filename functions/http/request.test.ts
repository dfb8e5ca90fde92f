import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { NotAcceptableError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors.js';
import { MAX_BODY_BYTES, parseJsonText } from '../domain/untrustedJson.js';
import { assertAcceptsJson, baseUrlOf, parseJsonBody, readRequest } from './request.js';

function event(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body: null,
    headers: {},
    multiValueHeaders: {},
    httpMethod: 'GET',
    isBase64Encoded: false,
    path: '/',
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    resource: '/',
    requestContext: {
      stage: 'prod',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    } as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

const json = { mediaTypes: ['application/json'] };

describe('baseUrlOf', () => {
  it('includes the stage on the execute-api hostname', () => {
    const headers = { host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'x-forwarded-proto': 'https' };
    expect(baseUrlOf(event(), headers)).toBe(
      'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/tmf-api/customerManagement/v4',
    );
  });

  it('leaves the stage out on a custom domain', () => {
    expect(baseUrlOf(event(), { host: 'api.example.com' })).toBe(
      'https://api.example.com/tmf-api/customerManagement/v4',
    );
  });

  it('uses http only when the gateway says the client used it', () => {
    expect(baseUrlOf(event(), { host: '127.0.0.1:3000', 'x-forwarded-proto': 'http' })).toBe(
      'http://127.0.0.1:3000/tmf-api/customerManagement/v4',
    );
  });

  it('ignores a Host header that is not a host name', () => {
    expect(baseUrlOf(event(), { host: 'evil.com/phish?' })).toMatch(/^https:\/\/abc123\.execute-api/);
  });
});

describe('assertAcceptsJson', () => {
  it.each([
    undefined,
    '*/*',
    'application/json',
    'application/*',
    'text/html, application/json;q=0.9',
    'application/problem+json',
  ])('accepts %s', (accept) => {
    expect(() => assertAcceptsJson(accept)).not.toThrow();
  });
  it.each(['application/xml', 'text/html', 'text/*'])('refuses %s with 406', (accept) => {
    expect(() => assertAcceptsJson(accept)).toThrow(NotAcceptableError);
  });
});

describe('parseJsonBody', () => {
  it('parses JSON, also when API Gateway base64-encodes it', () => {
    expect(parseJsonBody(event({ body: '{"a":1}' }), 'application/json', json)).toEqual({ a: 1 });
    expect(
      parseJsonBody(
        event({ body: Buffer.from('{"a":2}').toString('base64'), isBase64Encoded: true }),
        'application/json',
        json,
      ),
    ).toEqual({ a: 2 });
  });

  it('refuses other media types with 415 before reading the body', () => {
    expect(() => parseJsonBody(event({ body: '{}' }), 'text/plain', json)).toThrow(UnsupportedMediaTypeError);
    expect(() => parseJsonBody(event({ body: '{}' }), undefined, json)).toThrow(UnsupportedMediaTypeError);
  });

  it('refuses bodies over the size limit with 413', () => {
    expect(() => parseJsonBody(event({ body: `"${'x'.repeat(MAX_BODY_BYTES)}"` }), 'application/json', json)).toThrow(
      PayloadTooLargeError,
    );
  });

  it.each([
    ['empty', ''],
    ['malformed', '{"a":'],
    ['deeply nested', '['.repeat(100) + ']'.repeat(100)],
    ['__proto__', '{"a":{"__proto__":{"x":1}}}'],
    ['byte-order-marked', '\ufeff{"a":1}'],
  ])('refuses a %s body with 400 INVALID_BODY', (_label, body) => {
    expect(() => parseJsonBody(event({ body }), 'application/json', json)).toThrow(ValidationError);
  });

  it('does not count brackets inside strings as nesting', () => {
    const body = JSON.stringify({ text: '['.repeat(1000) });
    expect(parseJsonBody(event({ body }), 'application/json', json)).toEqual({ text: '['.repeat(1000) });
  });
});

describe('readRequest', () => {
  it('lower-cases headers and keeps every value of repeated query parameters', () => {
    const request = readRequest(
      event({
        headers: { Host: 'api.example.com', 'Content-Type': 'Application/JSON; charset=utf-8' },
        queryStringParameters: { name: 'b' },
        multiValueQueryStringParameters: { name: ['a', 'b'] },
        pathParameters: { id: 'x' },
      }),
      undefined,
    );
    expect(request.headers['content-type']).toBe('Application/JSON; charset=utf-8');
    expect(request.mediaType).toBe('application/json');
    expect(request.query).toEqual({ name: ['a', 'b'] });
    expect(request.pathParameters).toEqual({ id: 'x' });
  });
});

describe('parseJsonText: what every door reads (bodies, import lines, JSON cells of a CSV)', () => {
  it.each([
    ['a number beyond the double range', '{"creditProfile":[{"creditScore":1e400}]}', /creditScore is a number beyond/],
    ['a negative one', '{"v":-1e309}', /v is a number beyond/],
    ['one in an array', '[1, 2E+999]', /\[1\] is a number beyond/],
    [
      'an integer beyond 2^53',
      '{"creditScore":9007199254740993}',
      /integer 9007199254740993, beyond ±9007199254740991/,
    ],
    ['a lone high surrogate', '{"name":"a\\ud800b"}', /name is not well-formed Unicode/],
    ['a lone low surrogate in a key', '{"a\\udc00":1}', /attribute name that is not well-formed/],
  ])('refuses %s with 400 INVALID_BODY, naming where', (_label, text, message) => {
    const refusal = (() => {
      try {
        parseJsonText(text, 'The body');
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal?.message).toMatch(message);
  });

  it('keeps what is exact: safe integers, fractions, small and large doubles, surrogate pairs', () => {
    expect(
      parseJsonText(
        '[9007199254740991, -9007199254740991, 0.1, 1e-300, 1.5e300, 12345678901234567e3, "😀", "12345678901234567890"]',
        'x',
      ),
    ).toEqual([
      9007199254740991,
      -9007199254740991,
      0.1,
      1e-300,
      1.5e300,
      12345678901234567e3,
      '😀',
      '12345678901234567890',
    ]);
  });
});
