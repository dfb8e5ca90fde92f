/**
 * How every function is bundled, in esbuild's terms: one ESM file with the AWS SDK inside,
 * minified and tree-shaken. The CDK construct and the cold-start benchmark both take it from here,
 * so the benchmark measures what is deployed.
 */
export const LAMBDA_NODE_TARGET = 'node24';

/** CommonJS dependencies inside an ESM bundle still call require() for Node built-ins. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export const lambdaEsbuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: LAMBDA_NODE_TARGET,
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  // Bundle the SDK too: one file to load, only the commands used, pinned versions. One exception:
  // the SSM client, which only a multi-Region deployment loads (the active Region, on demand).
  // Bundled, esbuild would put all of it in every function's one file, parsed at every cold start
  // (+250 KiB, 1.5x the baseline); left out, it comes from the SDK the Lambda runtime provides.
  external: ['@aws-sdk/client-ssm'] as string[],
} as const;
