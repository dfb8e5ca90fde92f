/**
 * The catalogue of error codes (TMF_ERROR_CODES, which the API description and docs/api.md list)
 * names every code the service can answer: each error class's, and each API Gateway answer's.
 */
import { describe, expect, it } from 'vitest';
import { gatewayResponses } from '../lib/tmfErrorResponses.js';
import { TMF_ERROR_CODES } from './errorCatalogue.js';
import * as errors from './errors.js';

const catalogued = (code: string, status: number) =>
  TMF_ERROR_CODES.some((entry) => entry.code === code && entry.status.includes(status));

describe('TMF_ERROR_CODES', () => {
  it('holds the code and status of every error class', () => {
    type Concrete = new (message: string, allowed: readonly string[]) => errors.TmfError;
    const classes = (Object.values(errors) as unknown[]).filter(
      (value): value is Concrete => typeof value === 'function' && value.prototype instanceof errors.TmfError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(16);
    for (const ErrorClass of classes) {
      const error = new ErrorClass('x', []);
      expect(catalogued(error.code, error.status), `${error.code} ${error.status}`).toBe(true);
    }
  });

  it('holds the code and status of every answer API Gateway gives itself', () => {
    for (const { code, status } of gatewayResponses) expect(catalogued(code, status), `${code} ${status}`).toBe(true);
  });

  it('names each code once', () => {
    const codes = TMF_ERROR_CODES.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
