/**
 * The analytics questions asked of the customer base, in one place for both engines that answer
 * them: Athena over the deployed stack's scheduled DynamoDB exports, and DuckDB over a local
 * `npm run export` file (`npm run report`). Each reads the TMF document, so both give the same
 * answer for the same customers.
 */
export interface AnalyticsQuestion {
  readonly name: string;
  readonly title: string;
  /** The column that labels each row (the other one is `customers`). */
  readonly label: string;
  /** SQL over a relation `customers(doc)`, `doc` being the TMF Customer as JSON text; `attr` reads the value at a key path as text. */
  sql(attr: (keys: readonly string[]) => string): string;
}

export const analyticsQuestions: readonly AnalyticsQuestion[] = [
  {
    name: 'customers_by_status',
    title: 'Customers by status',
    label: 'status',
    sql: (attr) =>
      `SELECT coalesce(${attr(['status'])}, '(none)') AS status, count(*) AS customers FROM customers GROUP BY 1 ORDER BY 2 DESC, 1`,
  },
  {
    name: 'new_customers_per_month',
    title: 'New customers per month (validFor.startDateTime)',
    label: 'month',
    sql: (attr) =>
      `SELECT coalesce(substr(${attr(['validFor', 'startDateTime'])}, 1, 7), '(unknown)') AS month, count(*) AS customers FROM customers GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'customers_per_engaged_party_type',
    title: 'Customers per engaged party type',
    label: 'engaged_party_type',
    sql: (attr) =>
      `SELECT coalesce(${attr(['engagedParty', '@referredType'])}, '(none)') AS engaged_party_type, count(*) AS customers FROM customers GROUP BY 1 ORDER BY 2 DESC, 1`,
  },
];

/** Glue table over the DynamoDB export files (DynamoDB JSON, one `{"Item": ...}` per line). */
export const ATHENA_EXPORT_TABLE = 'customer_export';

/**
 * The Athena form: `customers` is the customer items of the latest export only (exports are kept
 * side by side under exports/AWSDynamoDB/<export id>/, and export ids sort by time).
 */
export function athenaSql(question: AnalyticsQuestion): string {
  return [
    `WITH items AS (SELECT item, "$path" AS path FROM ${ATHENA_EXPORT_TABLE} WHERE item.sk.s = 'CUSTOMER'),`,
    `latest AS (SELECT max(regexp_extract(path, 'AWSDynamoDB/([^/]+)/', 1)) AS export_id FROM items),`,
    `customers AS (SELECT item.doc.s AS doc FROM items, latest WHERE strpos(path, '/' || latest.export_id || '/') > 0)`,
    // Presto's JSONPath: bracketed keys (`@referredType` is not a plain identifier).
    question.sql((keys) => `json_extract_scalar(doc, '$${keys.map((key) => `["${key}"]`).join('')}')`),
  ].join('\n');
}

/** The DuckDB form, over an NDJSON file of TMF Customers (`npm run export` output). */
export function duckdbSql(question: AnalyticsQuestion, file: string): string {
  const quoted = file.replace(/'/g, "''");
  return [
    `WITH customers AS (SELECT json AS doc FROM read_ndjson_objects('${quoted}'))`,
    // DuckDB's JSONPath: quoted keys.
    question.sql((keys) => `json_extract_string(doc, '$${keys.map((key) => `."${key}"`).join('')}')`),
  ].join('\n');
}
