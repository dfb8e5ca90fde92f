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
  // Code that knows it is deployed: the v5 validators are files beside the bundle (below).
  define: { TMF629_BUNDLED: 'true' },
} as const;

/**
 * Code too large to parse at every cold start and needed only by some requests, shipped beside
 * each function's bundle (each self-contained) and imported on first use: v5's validators (360 KB
 * each, minified; functions/domain/v5/validatorsV5.ts) and RE2 (150 KB, for regex filters;
 * functions/domain/filter.ts). Inside the one bundle, V8 would scan them at every cold start.
 */
export const BESIDE_BUNDLE = [
  { source: 'functions/generated/v5/validateCustomerV5.cjs', name: 'validateCustomerV5.cjs' },
  { source: 'functions/generated/v5/validateCustomerV5Create.cjs', name: 'validateCustomerV5Create.cjs' },
  { source: 'node_modules/re2js/build/index.cjs', name: 're2js.cjs' },
] as const;

type BesideFile = (typeof BESIDE_BUNDLE)[number];

/** esbuild's options for one file beside the bundle, written to `outdir` under its name. */
export function besideBundleOptions(root: string, file: BesideFile, outdir: string) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: LAMBDA_NODE_TARGET,
    minify: true,
    entryPoints: [`${root}/${file.source}`] as string[],
    outfile: `${outdir}/${file.name}`,
  } as const;
}

/** The same as shell commands, for the CDK's afterBundling hook (inputDir: the project root). */
export function besideBundleCommands(inputDir: string, outputDir: string): string[] {
  return BESIDE_BUNDLE.map((file) => {
    const options = besideBundleOptions(inputDir, file, outputDir);
    return [
      `"${inputDir}/node_modules/.bin/esbuild"`,
      `"${options.entryPoints[0]}"`,
      '--bundle',
      `--platform=${options.platform}`,
      `--format=${options.format}`,
      `--target=${options.target}`,
      '--minify',
      '--log-level=warning',
      `--outfile="${options.outfile}"`,
    ].join(' ');
  });
}
