/**
 * npm run check-description -- <base URL>
 *
 * Reads a running deployment's {base}/openapi.json and {base}/swagger.json and checks them the way
 * an integrator's tools will: both valid (a maintained OpenAPI validator), the server they name is
 * the base URL asked, the Swagger 2.0 under 1 MB with one security definition, the same TMF
 * operations in both. Prints one line per finding; exits 1 when there is any.
 */
import { Validator } from '@seriousme/openapi-schema-validator';

type Json = Record<string, unknown>;

async function fetchJson(url: string): Promise<{ text: string; body: Json }> {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { text, body: JSON.parse(text) as Json };
}

const operationIds = (document: Json) =>
  Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>)
    .flatMap((byMethod) => Object.values(byMethod).map((operation) => operation.operationId ?? '?'))
    .sort();

export async function descriptionFindings(baseUrl: string): Promise<string[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const findings: string[] = [];
  const openapi = await fetchJson(`${base}/openapi.json`);
  const swagger = await fetchJson(`${base}/swagger.json`);
  for (const [name, document] of [
    ['openapi.json', openapi.body],
    ['swagger.json', swagger.body],
  ] as const) {
    const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
    if (!result.valid) findings.push(`${name} is not a valid document: ${JSON.stringify(result.errors).slice(0, 500)}`);
  }
  const server = (openapi.body.servers as { url: string }[] | undefined)?.[0]?.url;
  if (server !== base) findings.push(`openapi.json names server ${server}, not ${base}`);
  const url = new URL(base);
  const swaggerBase = `${(swagger.body.schemes as string[] | undefined)?.[0]}://${String(swagger.body.host)}${String(swagger.body.basePath)}`;
  if (swaggerBase !== `${url.protocol.replace(':', '')}://${url.host}${url.pathname}`)
    findings.push(`swagger.json describes ${swaggerBase}, not ${base}`);
  if (swagger.text.length >= 1_000_000) findings.push(`swagger.json is ${swagger.text.length} bytes (1 MB or more)`);
  const definitions = Object.keys((swagger.body.securityDefinitions as Json | undefined) ?? {});
  if (definitions.length > 1) findings.push(`swagger.json has ${definitions.length} security definitions`);
  if (operationIds(openapi.body).join() !== operationIds(swagger.body).join())
    findings.push('openapi.json and swagger.json describe different operations');
  return findings;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.argv[2];
  if (!base) {
    console.error(
      'usage: npm run check-description -- <base URL, e.g. https://api.example.com/tmf-api/customerManagement/v4>',
    );
    process.exit(2);
  }
  const findings = await descriptionFindings(base);
  for (const finding of findings) console.log(finding);
  console.log(
    findings.length === 0 ? `the description of ${base} is valid and matches it` : `${findings.length} findings`,
  );
  process.exit(findings.length === 0 ? 0 : 1);
}
