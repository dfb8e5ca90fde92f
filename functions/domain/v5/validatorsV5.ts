/**
 * The generated v5 Customer validators, loaded on first use. Each is about 330 KB minified (v5's
 * polymorphic closure: every contact medium, characteristic and party subclass): inside a
 * function's one bundle, it would be scanned at every cold start. Deployed, it is a file beside
 * the bundle (lib/bundling.ts builds it, `TMF629_BUNDLED` is defined there), imported at the first
 * write; from source (local server, tests) it is imported from functions/generated/v5.
 */
import type { ValidateFunction } from 'ajv';

declare const TMF629_BUNDLED: boolean | undefined;

type Validator = ValidateFunction<Record<string, unknown>>;

/** Customer_FVO: a v5 create body. */
export async function customerCreateValidatorV5(): Promise<Validator> {
  const loaded =
    typeof TMF629_BUNDLED !== 'undefined' && TMF629_BUNDLED
      ? await import(new URL('./validateCustomerV5Create.cjs', import.meta.url).href)
      : await import('../../generated/v5/validateCustomerV5Create.cjs');
  return validatorOf(loaded, 'validateCustomerV5Create');
}

/** Customer: a v5 customer after a PATCH. */
export async function customerValidatorV5(): Promise<Validator> {
  const loaded =
    typeof TMF629_BUNDLED !== 'undefined' && TMF629_BUNDLED
      ? await import(new URL('./validateCustomerV5.cjs', import.meta.url).href)
      : await import('../../generated/v5/validateCustomerV5.cjs');
  return validatorOf(loaded, 'validateCustomerV5');
}

function validatorOf(loaded: unknown, name: string): Validator {
  // A CommonJS module imported from ESM: its exports are `default` (and, when Node can tell, named).
  const exports = (loaded as { default?: Record<string, Validator> }).default ?? (loaded as Record<string, Validator>);
  const validator = exports[name];
  if (typeof validator !== 'function') throw new Error(`${name} is missing from its module`);
  return validator;
}
