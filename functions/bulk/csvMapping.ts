/**
 * CSV rows to TMF Customers. The header names where each cell goes, as a path into the Customer:
 *
 *   id,name,status,engagedParty.id,engagedParty.@referredType,contactMedium[0].mediumType,contactMedium[0].characteristic.emailAddress
 *
 * Dots step into objects, `[n]` into array elements (rows may leave later elements empty). Each
 * cell is typed by the swagger's type of its path: integers and numbers as numbers, booleans as
 * `true`/`false`, strings as given. A path whose value is an object or array (`characteristic`,
 * `engagedParty`), and the untyped `characteristic.value`, take JSON in the cell
 * (`[{"name":"segment","value":"gold"}]`); an untyped cell that is not JSON is a string. An empty
 * cell means the attribute is absent.
 */
import { customerAttributeTypes, type AttributeType } from '../generated/customerAttributes.js';
import { parseJsonText } from '../domain/untrustedJson.js';

type Step = string | number;

export class CsvMappingError extends Error {}

const STEP = /([^.[\]]+)|\[(\d{1,4})\]/g;
const PATH = /^[^.[\]]+(\[\d{1,4}\])*(\.[^.[\]]+(\[\d{1,4}\])*)*$/;

/** `contactMedium[0].characteristic.emailAddress` -> ['contactMedium', 0, 'characteristic', 'emailAddress'] */
export function parseColumn(header: string): Step[] {
  if (!PATH.test(header)) {
    throw new CsvMappingError(`column "${header.slice(0, 64)}" is not a path such as contactMedium[0].mediumType`);
  }
  const steps: Step[] = [...header.matchAll(STEP)].map((match) =>
    match[1] !== undefined ? match[1] : Number(match[2]),
  );
  if (steps.length === 0) {
    throw new CsvMappingError(`column "${header.slice(0, 64)}" is not a path such as contactMedium[0].mediumType`);
  }
  if (steps.some((step) => step === '__proto__' || step === 'constructor' || step === 'prototype')) {
    throw new CsvMappingError(`column "${header.slice(0, 64)}" names a reserved key`);
  }
  return steps;
}

function typeOf(steps: readonly Step[]): AttributeType | undefined {
  return customerAttributeTypes[steps.filter((step): step is string => typeof step === 'string').join('.')];
}

function cellValue(cell: string, type: AttributeType | undefined, column: string): unknown {
  switch (type) {
    case 'integer':
    case 'number': {
      const value = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(value))
        throw new CsvMappingError(`${column}: "${cell}" is not a number`);
      if (/^\s*-?\d+\s*$/.test(cell) && !Number.isSafeInteger(value))
        throw new CsvMappingError(`${column}: ${cell.trim()} is beyond ±2^53 - 1 and cannot be kept exactly`);
      return value;
    }
    case 'boolean':
      if (cell === 'true') return true;
      if (cell === 'false') return false;
      throw new CsvMappingError(`${column}: "${cell}" is not true or false`);
    case 'object':
      try {
        return parseJsonText(cell, column);
      } catch (error) {
        throw new CsvMappingError(`${column}: an object or array column takes JSON: ${(error as Error).message}`);
      }
    case 'any':
      try {
        return parseJsonText(cell, column);
      } catch {
        return cell;
      }
    default:
      return cell;
  }
}

/** A compiled header: the steps and type of each column. */
export interface CsvHeader {
  readonly columns: readonly { readonly name: string; readonly steps: Step[]; readonly type?: AttributeType }[];
}

export function compileHeader(names: readonly string[]): CsvHeader {
  const seen = new Set<string>();
  return {
    columns: names.map((name) => {
      if (seen.has(name)) throw new CsvMappingError(`column "${name.slice(0, 64)}" appears twice`);
      seen.add(name);
      const steps = parseColumn(name);
      const type = typeOf(steps);
      return { name, steps, ...(type ? { type } : {}) };
    }),
  };
}

/** One row (cells in header order) as a Customer record. Unknown paths are kept for the validator to name. */
export function rowToRecord(header: CsvHeader, cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  header.columns.forEach(({ name, steps, type }, index) => {
    const cell = cells[index];
    if (cell === undefined || cell === '') return;
    let target: Record<string, unknown> | unknown[] = record;
    for (let i = 0; i < steps.length - 1; i++) {
      const step = steps[i] as Step;
      const nextIsIndex = typeof steps[i + 1] === 'number';
      const container = (target as Record<string | number, unknown>)[step];
      if (container === undefined) {
        const created = nextIsIndex ? [] : {};
        (target as Record<string | number, unknown>)[step] = created;
        target = created;
      } else if (typeof container === 'object' && container !== null && Array.isArray(container) === nextIsIndex) {
        target = container as Record<string, unknown> | unknown[];
      } else {
        throw new CsvMappingError(`${name}: clashes with another column for the same attribute`);
      }
    }
    const last = steps[steps.length - 1] as Step;
    (target as Record<string | number, unknown>)[last] = cellValue(cell, type, name);
  });
  // Arrays filled sparsely (contactMedium[2] without [1]) are closed up.
  return compact(record) as Record<string, unknown>;
}

function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((element) => element !== undefined).map(compact);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, compact(inner)]));
  }
  return value;
}

/**
 * One CSV cell as this project writes it: quoted, and neutralised when it would start a formula
 * in a spreadsheet (`= + - @`, tab or carriage return first): a leading `'` makes it text (OWASP's
 * advice for CSV injection). Exported data is the customers' own, so any value may be hostile.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
