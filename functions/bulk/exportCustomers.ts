/**
 * Streams every customer matching a TMF630 filter as TMF JSON (the v4 Customer, or the v5 one when
 * asked), for `npm run export`: a parallel
 * Scan in segments, each customer checked and projected in memory as a list request would, and
 * handed to `write` one line at a time (the caller applies back-pressure). Memory stays flat
 * whatever the table size.
 */
import { InvalidQueryError } from '../errors.js';
import { project } from '../domain/fields.js';
import { matchesFilter, prepareFilter } from '../domain/filter.js';
import { parseListQuery, type QueryParams } from '../domain/listQuery.js';
import { represent } from '../domain/representation.js';
import type { CustomerStore } from '../domain/ports.js';
import { v5View } from '../domain/v5/v5View.js';

/** Which TMF629 version's Customer an export writes: v4 (what import reads back) or v5. */
export type ExportRepresentation = 'v4' | 'v5';

export interface ExportOptions {
  /** The TMF630 query: filters and `fields`; paging and sorting do not apply to an export. */
  readonly query: QueryParams;
  /** Base URL for `href`; without it, customers are exported without `href` (as an import takes them). */
  readonly baseUrl?: string;
  /** v4 by default; with v5 the query's attribute paths are v5's too (`contactMedium.emailAddress`). */
  readonly representation?: ExportRepresentation;
  readonly segments?: number;
  readonly onProgress?: (scanned: number, exported: number) => void;
}

export interface ExportSummary {
  readonly scanned: number;
  readonly exported: number;
}

export function parseExportQuery(query: QueryParams, representation: ExportRepresentation = 'v4') {
  for (const name of ['offset', 'limit', 'sort']) {
    if (query[name] !== undefined) {
      throw new InvalidQueryError(`${name}: an export streams every match in table order; ${name} does not apply`);
    }
  }
  return parseListQuery(query, representation === 'v5' ? v5View.attributeTypes : undefined);
}

export async function exportCustomers(
  store: Pick<CustomerStore, 'forEachCustomer'>,
  options: ExportOptions,
  write: (line: string) => Promise<void> | void,
): Promise<ExportSummary> {
  const { filter, fields } = parseExportQuery(options.query, options.representation);
  await prepareFilter(filter);
  const context = { baseUrl: options.baseUrl ?? '', ...(options.representation === 'v5' ? { view: v5View } : {}) };
  let scanned = 0;
  let exported = 0;
  await store.forEachCustomer(async (customers) => {
    for (const stored of customers) {
      scanned += 1;
      const resource: Record<string, unknown> = represent(stored, context);
      if (!matchesFilter(resource, filter)) continue;
      if (options.baseUrl === undefined) delete resource.href;
      await write(`${JSON.stringify(project(resource, fields))}\n`);
      exported += 1;
    }
    options.onProgress?.(scanned, exported);
  }, options.segments ?? 8);
  return { scanned, exported };
}
