/* global module */
/**
 * Import rules `npm run lint` enforces (dependency-cruiser). Layers point one way:
 * entries (functions/handlers, composition roots) -> HTTP chain -> domain -> ports <- repository
 * (the DynamoDB adapter); the CDK app (lib/, bin/app.ts) and the tools read the shared
 * definitions in functions/, never the other way; nothing but tests imports test/.
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
      name: 'domain-only-knows-its-ports',
      comment:
        'TMF rules talk to storage through domain/ports.ts: never to the DynamoDB adapter, the AWS SDK, HTTP, the entries, bulk jobs or delivery',
      severity: 'error',
      from: { path: '^functions/domain/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(functions/(repository|http|handlers|bulk|notifications)/|node_modules/@aws-sdk/)' },
    },
    {
      name: 'repository-serves-the-domain',
      comment:
        'The DynamoDB adapter implements the ports; it never reaches up into HTTP, entries, bulk jobs or delivery',
      severity: 'error',
      from: { path: '^functions/repository/' },
      to: { path: '^functions/(http|handlers|bulk|notifications)/' },
    },
    {
      name: 'http-never-imports-storage',
      comment:
        'The HTTP chain maps errors and reads requests; storage reaches it only through the domain and the entries',
      severity: 'error',
      from: { path: '^functions/http/', pathNot: '\\.test\\.ts$' },
      to: { path: '^functions/(repository|handlers|bulk)/' },
    },
    {
      name: 'only-roots-import-entries',
      comment:
        'Lambda entries are composition roots: the local server, the CLIs and the bench may load them, nothing in functions/',
      severity: 'error',
      from: { path: '^functions/', pathNot: '^functions/handlers/' },
      to: { path: '^functions/handlers/' },
    },
    {
      name: 'bulk-and-delivery-never-import-http',
      comment: 'Bulk jobs and notification delivery run without HTTP events',
      severity: 'error',
      from: { path: '^functions/(bulk|notifications)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^functions/(http|handlers)/' },
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
