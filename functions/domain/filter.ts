/**
 * TMF630 filtering: parses `attr=value` query parameters (dotted paths, operators as suffixes or
 * symbols, regex, comma ORs) into typed conditions, and evaluates them against a resource.
 * Different parameters AND; an array matches when any element matches.
 */
import type { RE2JS } from 're2js';
import { InvalidQueryError } from '../errors.js';
import { attributeTypeOf, splitPath, valuesAt, type AttributeType, type AttributeTypes } from './attributes.js';

export type Operator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'regex';

interface TypedValue {
  readonly raw: string;
  /** The value as the attribute's type reads it: a number, an instant in ms, a boolean, or the text. */
  readonly typed: string | number | boolean;
  /** For regex conditions, compiled by prepareFilter. */
  regex?: RE2JS;
}

export interface Condition {
  readonly attribute: string;
  readonly path: readonly string[];
  readonly operator: Operator;
  readonly type: AttributeType;
  /** Alternatives: the condition holds when any of them does. */
  readonly values: readonly TypedValue[];
}

export type Filter = readonly Condition[];

/** Regexes are run by RE2 (linear time, no backtracking) and limited in length. */
export const MAX_REGEX_LENGTH = 256;
const MAX_VALUE_LENGTH = 2048;
/**
 * Caps on one query's filter, so that its work is bounded before it starts: each comma-ORed value
 * on an indexed attribute is one more index read (fan-out), each condition one more test per
 * customer examined.
 */
export const MAX_FILTER_CONDITIONS = 20;
export const MAX_FILTER_VALUES = 32;
const SUFFIXES: Record<string, Operator> = { eq: 'eq', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte' };

/** RFC 3339 date-time, or a date alone; a time without an offset is read as UTC. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}:\d{2})?)?$/;

export function instantOf(value: string): number | undefined {
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, date, time, offset] = match;
  const instant = Date.parse(time ? `${date}T${time}${offset ?? 'Z'}` : `${date}T00:00:00Z`);
  return Number.isNaN(instant) ? undefined : instant;
}

/** Reads the operator out of a parameter as a query string split it at its first `=`. */
function operatorOf(name: string, value: string): { attribute: string; operator: Operator; value: string } {
  const symbol = /^([^<>]+)([<>])(.*)$/.exec(name);
  if (symbol) {
    const [, attribute = '', sign, rest = ''] = symbol;
    // `a>=5` arrives as name "a>" and value "5"; `a>5` as name "a>5"; an encoded `a%3E%3D5` as name "a>=5".
    if (rest === '') return { attribute, operator: sign === '>' ? 'gte' : 'lte', value };
    const inclusive = rest.startsWith('=');
    const operand = inclusive ? rest.slice(1) : rest;
    const operator: Operator = sign === '>' ? (inclusive ? 'gte' : 'gt') : inclusive ? 'lte' : 'lt';
    return { attribute, operator, value: value === '' ? operand : `${operand}=${value}` };
  }
  if (name.endsWith('*')) return { attribute: name.slice(0, -1), operator: 'regex', value };
  if (value.startsWith('~')) return { attribute: name, operator: 'regex', value: value.slice(1) };
  if (value.startsWith('=')) return { attribute: name, operator: 'eq', value: value.slice(1) };
  const dot = name.lastIndexOf('.');
  const suffix = dot > 0 ? SUFFIXES[name.slice(dot + 1)] : undefined;
  if (suffix) return { attribute: name.slice(0, dot), operator: suffix, value };
  return { attribute: name, operator: 'eq', value };
}

function typedValue(attribute: string, type: AttributeType, operator: Operator, raw: string): TypedValue {
  if (raw.length > MAX_VALUE_LENGTH)
    throw new InvalidQueryError(`${attribute}: the value is longer than ${MAX_VALUE_LENGTH} characters`);
  if (operator === 'regex') {
    if (raw.length > MAX_REGEX_LENGTH)
      throw new InvalidQueryError(`${attribute}: the regular expression is longer than ${MAX_REGEX_LENGTH} characters`);
    return { raw, typed: raw }; // compiled by prepareFilter
  }
  const wrongType = (what: string) => new InvalidQueryError(`${attribute}: "${raw.slice(0, 64)}" is not ${what}`);
  switch (type) {
    case 'integer':
      if (!/^-?\d{1,15}$/.test(raw)) throw wrongType('an integer');
      return { raw, typed: Number(raw) };
    case 'number': {
      const number = raw.trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(number)) throw wrongType('a number');
      return { raw, typed: number };
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw wrongType('true or false');
      return { raw, typed: raw === 'true' };
    case 'date-time': {
      const instant = instantOf(raw);
      if (instant === undefined) throw wrongType('a date-time (RFC 3339, e.g. 2026-01-31T12:00:00Z)');
      return { raw, typed: instant };
    }
    default:
      return { raw, typed: raw };
  }
}

export interface FilterOptions {
  /** Parameters that are not filters (paging, selection, sorting). */
  readonly reserved?: ReadonlySet<string>;
  /** For JSON Patch Query: attribute paths are relative to elements of this array attribute. */
  readonly within?: string;
  /** The attribute paths and types of the representation filtered (default: v4's). */
  readonly attributeTypes?: AttributeTypes;
}

declare const TMF629_BUNDLED: boolean | undefined;

/**
 * Compiles the filter's regular expressions. RE2 is loaded here, on the first regex a request
 * uses, so that no function pays for loading it at cold start: deployed, it is a file beside the
 * bundle (lib/bundling.ts), not scanned with it.
 */
export async function prepareFilter(filter: Filter): Promise<void> {
  const regexes = filter.filter((condition) => condition.operator === 'regex');
  if (regexes.length === 0) return;
  const loaded: { RE2JS?: typeof RE2JS; default?: { RE2JS: typeof RE2JS } } =
    typeof TMF629_BUNDLED !== 'undefined' && TMF629_BUNDLED
      ? await import(new URL('./re2js.cjs', import.meta.url).href)
      : await import('re2js');
  const Re2 = loaded.RE2JS ?? (loaded.default?.RE2JS as typeof RE2JS);
  for (const condition of regexes) {
    for (const value of condition.values) {
      try {
        value.regex = Re2.compile(value.raw);
      } catch {
        throw new InvalidQueryError(
          `${condition.attribute}: "${value.raw.slice(0, 64)}" is not a valid regular expression`,
        );
      }
    }
  }
}

/**
 * Parses query parameters into a filter. Unknown attributes, operators or ill-typed values are a
 * 400. A filter with regexes needs `prepareFilter` before it is evaluated.
 */
export function parseFilter(entries: Iterable<readonly [string, string]>, options: FilterOptions = {}): Filter {
  const conditions: Condition[] = [];
  let valueCount = 0;
  for (const [name, rawValue] of entries) {
    if (options.reserved?.has(name)) continue;
    const { attribute: given, operator, value } = operatorOf(name, rawValue);
    const prefix = options.within ? `${options.within}.` : '';
    // In a JSON Patch Query, `contactMedium.mediumType` and `mediumType` both name the element's attribute.
    const relative = prefix && given.startsWith(prefix) ? given.slice(prefix.length) : given;
    const attribute = `${prefix}${relative}`;
    const path = splitPath(relative);
    const type = path ? attributeTypeOf(attribute, options.attributeTypes) : undefined;
    if (!path || !type) {
      throw new InvalidQueryError(`${given.slice(0, 64)}: not an attribute of Customer that can be filtered on`);
    }
    if (type === 'object') {
      throw new InvalidQueryError(`${given}: is an object; filter on one of its attributes (e.g. ${given}.id)`);
    }
    if (type === 'boolean' && operator !== 'eq') {
      throw new InvalidQueryError(`${given}: a boolean can only be compared for equality`);
    }
    const alternatives = operator === 'regex' ? [value] : value.split(',');
    if (conditions.length + 1 > MAX_FILTER_CONDITIONS) {
      throw new InvalidQueryError(
        `the filter has more than ${MAX_FILTER_CONDITIONS} conditions (MAX_FILTER_CONDITIONS)`,
      );
    }
    valueCount += alternatives.length;
    if (valueCount > MAX_FILTER_VALUES) {
      throw new InvalidQueryError(
        `${given.slice(0, 64)}: the filter has more than ${MAX_FILTER_VALUES} values in all, comma-ORed values included (MAX_FILTER_VALUES)`,
      );
    }
    conditions.push({
      attribute,
      path,
      operator,
      type,
      values: alternatives.map((alternative) => typedValue(given, type, operator, alternative)),
    });
  }
  return conditions;
}

function compareTo(actual: unknown, wanted: TypedValue, condition: Condition): number | undefined {
  if (condition.type === 'date-time') {
    const instant = typeof actual === 'string' ? instantOf(actual) : undefined;
    return instant === undefined ? undefined : instant - (wanted.typed as number);
  }
  if (condition.type === 'any') {
    // Untyped values (characteristic.value): a numeric filter value orders numbers, any other
    // orders strings; equality also holds when the texts are equal (90 = "90").
    const number = wanted.raw.trim() === '' ? Number.NaN : Number(wanted.raw);
    if (typeof actual === 'number' && Number.isFinite(number)) return actual - number;
    if (typeof actual === 'string' && !Number.isFinite(number))
      return actual === wanted.raw ? 0 : actual < wanted.raw ? -1 : 1;
    if (
      condition.operator === 'eq' &&
      (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean')
    ) {
      return String(actual) === wanted.raw ? 0 : undefined;
    }
    return undefined;
  }
  if (typeof actual !== typeof wanted.typed) return undefined;
  if (typeof actual === 'number') return actual - (wanted.typed as number);
  if (typeof actual === 'boolean') return actual === wanted.typed ? 0 : 1;
  const text = actual as string;
  const other = wanted.typed as string;
  return text === other ? 0 : text < other ? -1 : 1;
}

function holds(actual: unknown, wanted: TypedValue, condition: Condition): boolean {
  if (condition.operator === 'regex') {
    const text =
      typeof actual === 'string'
        ? actual
        : typeof actual === 'number' || typeof actual === 'boolean'
          ? String(actual)
          : undefined;
    if (!wanted.regex) throw new Error('filter evaluated before prepareFilter compiled its regexes');
    return text !== undefined && wanted.regex.matcher(text).find();
  }
  const order = compareTo(actual, wanted, condition);
  if (order === undefined) return false;
  switch (condition.operator) {
    case 'eq':
      return order === 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    default:
      return order <= 0;
  }
}

export function conditionHolds(resource: unknown, condition: Condition): boolean {
  const actual = valuesAt(resource, condition.path);
  return actual.some((value) => condition.values.some((wanted) => holds(value, wanted, condition)));
}

export function matchesFilter(resource: unknown, filter: Filter): boolean {
  return filter.every((condition) => conditionHolds(resource, condition));
}
