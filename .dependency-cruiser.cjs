/* global module */
/**
 * Import rules `npm run lint` enforces (dependency-cruiser). Layers point one way:
 * HTTP handlers (functions/http, the Lambda entries) -> domain -> repository; the CDK app (lib/,
 * bin/app.ts) and the tools read the shared definitions in functions/, never the other way;
 * nothing but tests imports test/.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'tools-never-import-test-harnesses',
      comment: 'bin/, scripts/, bench/, lib/, local/ and functions/ run without the test folder: only tests import it',
      severity: 'error',
      from: { path: '^(bin|scripts|bench|lib|local|functions)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/' },
    },
    {
      name: 'runtime-never-imports-tools',
      comment: 'What runs on Lambda (functions/) never imports the CDK app, the local server or the tools',
      severity: 'error',
      from: { path: '^functions/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(lib|bin|scripts|bench|local|test)/' },
    },
    {
      name: 'domain-never-imports-http',
      comment: 'TMF rules know nothing of HTTP events: handlers call the domain, not the other way',
      severity: 'error',
      from: { path: '^functions/(domain|repository|bulk|notifications)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^functions/http/' },
    },
    {
      name: 'repository-never-imports-handlers',
      comment: 'The DynamoDB adapter serves the domain; it never reaches up into Lambda entries',
      severity: 'error',
      from: { path: '^functions/repository/' },
      to: { path: '^functions/[^/]+\\.ts$', pathNot: '^functions/(config|errors)\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others (folder-level loops are the redraw of issue 22)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|functions/generated|test/generatedClient)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
