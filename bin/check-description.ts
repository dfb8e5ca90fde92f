/**
 * npm run check-description -- <base URL> [<token>]   (--help for usage)
 *
 * Reads a running deployment's {base}/openapi.json and {base}/swagger.json and checks them the way
 * an integrator's tools will: both valid (a maintained OpenAPI validator), no error from two
 * OpenAPI linters nobody here wrote (Spectral's `spectral:oas`, Redocly's `recommended`) and no
 * warning but those kept on purpose (KEPT_WARNINGS, listed in the README with why), the server they
 * name is the base URL asked, the Swagger 2.0 under 1 MB with one security definition, the same TMF
 * operations in both; and the v5 document beside it (…/tmf-api/customer/v5/openapi.json) the same
 * way, with the warnings TM Forum's own v5 document brings (KEPT_WARNINGS_V5). Prints one line per finding; exits 1 when there is any.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parseCommand } from './cli/command.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

/**
 * Linter warnings kept, by rule, with why (the README lists them): the deploying CSP is the API's
 * contact and sets its licence terms, and a local server's URL is localhost by nature.
 */
export const KEPT_WARNINGS: Readonly<Record<string, string>> = {
  'info-contact': 'the contact is the CSP that deploys the API, unknown to the template',
  'info-license': "the licence terms of an API are the deploying CSP's to state",
  'no-server-example.com': 'a local server is on localhost by nature (a stage is not)',
};

/**
 * Kept for the v5 document only: it is TM Forum's v5.0.1 document, which declares schemas no
 * operation uses and no error answers for the listener's side of the callbacks.
 */
export const KEPT_WARNINGS_V5: Readonly<Record<string, string>> = {
  'oas3-unused-component': "TM Forum's v5.0.1 document declares schemas no operation of this API uses",
  'no-unused-components': "TM Forum's v5.0.1 document declares schemas no operation of this API uses",
  'operation-4xx-response': "the event callbacks' answers are the listener's own",
};

type Json = Record<string, unknown>;

async function fetchJson(url: string, token?: string): Promise<{ text: string; body: Json }> {
  const response = await fetch(url, {
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { text, body: JSON.parse(text) as Json };
}

/** The TMF operationIds a document describes, sorted (path-level `x-` extensions are not operations). */
export const operationIds = (document: Json) =>
  Object.values(document.paths as Record<string, Record<string, { operationId?: string }>>)
    .flatMap((byMethod) =>
      Object.entries(byMethod)
        .filter(([method]) => !method.startsWith('x-'))
        .map(([, operation]) => operation.operationId ?? '?'),
    )
    .sort();

interface LintProblem {
  readonly linter: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly at: string;
}

/** What Spectral (spectral:oas) and Redocly (recommended) report on one document. */
export async function lintProblems(file: string): Promise<LintProblem[]> {
  const problems: LintProblem[] = [];
  // Both exit non-zero when they find errors; their JSON report is on stdout either way.
  const output = async (command: string, args: string[]) =>
    run(command, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }).then(
      (done) => done.stdout,
      (failed: { stdout?: string }) => failed.stdout ?? '',
    );
  const spectral = JSON.parse(
    (await output(bin('spectral'), ['lint', '-r', join(root, '.spectral.yaml'), '-f', 'json', '--quiet', file])) ||
      '[]',
  ) as { code: string; severity: number; message: string; path: string[] }[];
  for (const problem of spectral) {
    if (problem.severity > 1) continue; // information and hints
    problems.push({
      linter: 'spectral',
      rule: problem.code,
      severity: problem.severity === 0 ? 'error' : 'warning',
      message: problem.message,
      at: problem.path.join('.'),
    });
  }
  const redocly = JSON.parse(
    (await output(bin('redocly'), ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', file])) ||
      '{"problems":[]}',
  ) as { problems: { ruleId: string; severity: string; message: string; location?: { pointer?: string }[] }[] };
  for (const problem of redocly.problems) {
    problems.push({
      linter: 'redocly',
      rule: problem.ruleId,
      severity: problem.severity === 'error' ? 'error' : 'warning',
      message: problem.message,
      at: problem.location?.[0]?.pointer ?? '',
    });
  }
  return problems;
}

export async function descriptionFindings(baseUrl: string, token?: string): Promise<string[]> {
  const base = baseUrl.replace(/\/+$/, '');
  const findings: string[] = [];
  const openapi = await fetchJson(`${base}/openapi.json`, token);
  const swagger = await fetchJson(`${base}/swagger.json`, token);
  const baseV5 = base.replace(/\/tmf-api\/customerManagement\/v4$/, '/tmf-api/customer/v5');
  const openapiV5 = await fetchJson(`${baseV5}/openapi.json`, token);
  const work = mkdtempSync(join(tmpdir(), 'tmf629-lint-'));
  try {
    for (const [name, text] of [
      ['openapi.json', openapi.text],
      ['swagger.json', swagger.text],
      ['v5 openapi.json', openapiV5.text],
    ] as const) {
      const file = join(work, name.replace(' ', '-'));
      writeFileSync(file, text);
      const kept = name.startsWith('v5') ? { ...KEPT_WARNINGS, ...KEPT_WARNINGS_V5 } : KEPT_WARNINGS;
      for (const problem of await lintProblems(file)) {
        if (problem.severity === 'warning' && problem.rule in kept) continue;
        findings.push(
          `${name}: ${problem.linter} ${problem.severity} ${problem.rule} at ${problem.at}: ${problem.message}`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const [name, document] of [
    ['openapi.json', openapi.body],
    ['swagger.json', swagger.body],
    ['v5 openapi.json', openapiV5.body],
  ] as const) {
    const result = await new Validator().validate(document as Parameters<Validator['validate']>[0]);
    if (!result.valid) findings.push(`${name} is not a valid document: ${JSON.stringify(result.errors).slice(0, 500)}`);
  }
  const server = (openapi.body.servers as { url: string }[] | undefined)?.[0]?.url;
  if (server !== base) findings.push(`openapi.json names server ${server}, not ${base}`);
  const serverV5 = (openapiV5.body.servers as { url: string }[] | undefined)?.[0]?.url;
  if (serverV5 !== baseV5) findings.push(`v5 openapi.json names server ${serverV5}, not ${baseV5}`);
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
  const { args } = parseCommand('check-description', (command) =>
    command
      .description("Check a running deployment's openapi.json and swagger.json as integrators' tools will")
      .argument('<base-url>', 'e.g. https://api.example.com/tmf-api/customerManagement/v4')
      .argument('[token]', 'an access token, when the description needs one'),
  );
  const [base = '', token] = args;
  const findings = await descriptionFindings(base, token);
  for (const finding of findings) console.log(finding);
  console.log(
    findings.length === 0 ? `the description of ${base} is valid and matches it` : `${findings.length} findings`,
  );
  process.exit(findings.length === 0 ? 0 : 1);
}
