/**
 * One TMF629 operation's Lambda, with the defaults every operation shares: the newest Node.js
 * runtime, arm64, an ESM bundle with the AWS SDK inside (minified, tree-shaken), a log group with
 * retention, and active tracing.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(import.meta.dirname, '..');

export interface TmfFunctionProps {
  /** TMF629 operation id, e.g. retrieveCustomer. */
  readonly operationId: string;
  /** Handler module, relative to the repository root. */
  readonly entry: string;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

export class TmfFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: TmfFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      description: `TMF629 ${props.operationId}`,
      entry: join(REPOSITORY_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'tmf629-customer',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: false,
        // Bundle the SDK too: one file to load, only the commands used, pinned versions.
        externalModules: [],
        mainFields: ['module', 'main'],
        // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
        banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  }
}
