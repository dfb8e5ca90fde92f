/**
 * One TMF629 operation's Lambda, with the defaults every operation shares: the newest Node.js
 * runtime, arm64, an ESM bundle with the AWS SDK inside (minified, tree-shaken), a log group with
 * retention, and active tracing.
 */
import { ENV } from '../functions/config.js';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { besideBundleCommands, lambdaEsbuildOptions } from './bundling.js';

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
  /** Why any other `Resource: *` this function is granted is needed (cdk-nag acknowledgement). */
  readonly otherWildcardReason?: string;
}

export class TmfFunction extends NodejsFunction {
  /** The TMF629 operation (or job step) this function serves. */
  readonly operationId: string;

  constructor(scope: Construct, id: string, props: TmfFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // One role per function, with no managed policy: it may write its own log group and nothing
    // else until the stack grants exactly what the operation does.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `TMF629 ${props.operationId}`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
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
      role,
      environment: {
        [ENV.serviceName]: 'tmf629-customer',
        [ENV.metricsNamespace]: 'TMF629',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaEsbuildOptions.target,
        minify: lambdaEsbuildOptions.minify,
        sourceMap: lambdaEsbuildOptions.sourcemap,
        externalModules: [...lambdaEsbuildOptions.external],
        mainFields: [...lambdaEsbuildOptions.mainFields],
        banner: lambdaEsbuildOptions.banner.js,
        define: lambdaEsbuildOptions.define,
        // Only the v5 functions load the large v5 validators (each beside its bundle).
        ...(props.entry.startsWith('functions/handlers/v5/')
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => besideBundleCommands(inputDir, outputDir),
              },
            }
          : {}),
      },
    });
    this.operationId = props.operationId;
    // Active tracing grants X-Ray actions, which take no resource-level permissions.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: [
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they are granted on "*"',
        props.otherWildcardReason,
        'every other permission names its exact resource.',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
}
