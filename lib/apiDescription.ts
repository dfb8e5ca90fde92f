/**
 * The API describes itself: GET {base}/openapi.json and {base}/swagger.json from a small function
 * of their own (the customer functions do not carry the description), and the reference page at
 * {base}/docs, whose static files API Gateway reads straight from S3 (no Lambda in between, no
 * 6 MB response limit). Both are readable without a token unless `protect` says otherwise.
 */
import { serviceRoutes } from '../functions/operations.js';
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  AwsIntegration,
  LambdaIntegration,
  PassthroughBehavior,
  type IResource,
  type MethodOptions,
  type MethodResponse,
} from 'aws-cdk-lib/aws-apigateway';
import { addGetAndHead } from './readMethods.js';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { REFERENCE_ASSETS } from '../functions/apiDescription/referenceAssets.js';
import { tmfErrorTemplate } from './tmfErrorResponses.js';
import { TmfFunction } from './tmfFunction.js';

export interface ApiDescriptionProps {
  /** The API's base resource ({stage}/tmf-api/customerManagement/v4). */
  readonly base: IResource;
  /** The v5 base resource: its openapi.json is the v5 description. */
  readonly baseV5?: IResource;
  /** The customer functions' environment (table, public URL) plus API_SECURITY and OAuth2 URLs. */
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** How the description and reference methods are authorised (open by default). */
  readonly methodOptions: MethodOptions;
  /** Serve the reference page at {base}/docs (default true). */
  readonly reference: boolean;
}

const OPEN_REASON =
  'The API description and reference page say what the API is, not what it holds; integrators and low-code tools read them before they have credentials. -c protectApiDescription=true requires a token.';

export class ApiDescription extends Construct {
  readonly describeFunction: TmfFunction;
  readonly referenceBucket?: Bucket;

  constructor(scope: Construct, id: string, props: ApiDescriptionProps) {
    super(scope, id);
    const open = props.methodOptions.authorizationType === AuthorizationType.NONE;
    this.describeFunction = new TmfFunction(this, 'describeApi', {
      operationId: 'describeApi',
      entry: serviceRoutes.description.entry,
      environment: props.environment,
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
    });
    const integration = new LambdaIntegration(this.describeFunction);
    for (const { file, operationId } of serviceRoutes.description.files) {
      for (const method of addGetAndHead(props.base.addResource(file), integration, operationId, props.methodOptions)) {
        if (open) acknowledgeOpen(method);
      }
    }
    if (props.baseV5) {
      const v5 = props.baseV5.addResource('openapi.json');
      for (const method of addGetAndHead(v5, integration, 'describeApiV5', props.methodOptions)) {
        if (open) acknowledgeOpen(method);
      }
    }
    if (!props.reference) return;

    this.referenceBucket = new Bucket(this, 'ReferenceBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    Validations.of(this.referenceBucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'The bucket holds only the reference page, copied from the npm package on each deploy and read by API Gateway; API Gateway access logs record who read it.',
    });
    new BucketDeployment(this, 'ReferenceFiles', {
      sources: [Source.asset(stagedReferenceFiles())],
      destinationBucket: this.referenceBucket,
      destinationKeyPrefix: 'docs/',
      prune: true,
      memoryLimit: 256,
    });
    const bucketLogicalId = Stack.of(this).getLogicalId(this.referenceBucket.node.defaultChild as CfnBucket);
    acknowledgeBucketDeployment(this, bucketLogicalId);

    const reader = new Role(this, 'ReferenceReader', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway reads the TMF629 reference page files',
    });
    reader.addToPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [this.referenceBucket.arnForObjects('docs/*')] }),
    );
    Validations.of(reader).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/docs/*]`,
      reason: 'API Gateway reads any file of the reference page, and nothing else in the bucket.',
    });
    const s3Object = (key: string, parameters: Record<string, string> = {}) =>
      new AwsIntegration({
        service: 's3',
        integrationHttpMethod: 'GET',
        path: `${this.referenceBucket?.bucketName}/${key}`,
        options: {
          credentialsRole: reader,
          passthroughBehavior: PassthroughBehavior.WHEN_NO_MATCH,
          requestParameters: parameters,
          integrationResponses: [
            {
              statusCode: '200',
              responseParameters: {
                'method.response.header.Content-Type': 'integration.response.header.Content-Type',
                'method.response.header.Cache-Control': "'public, max-age=300'",
              },
            },
            {
              // S3 answers 403 for a missing key the role may read: to a client it is a 404.
              selectionPattern: '4\\d\\d',
              statusCode: '404',
              responseParameters: { 'method.response.header.Content-Type': "'application/json;charset=utf-8'" },
              responseTemplates: {
                'application/json': tmfErrorTemplate(
                  'NOT_FOUND',
                  'Resource not found',
                  404,
                  '"No such file of the reference page"',
                ),
              },
            },
          ],
        },
      });
    const methodResponses: MethodResponse[] = [
      {
        statusCode: '200',
        responseParameters: {
          'method.response.header.Content-Type': true,
          'method.response.header.Cache-Control': true,
        },
      },
      { statusCode: '404', responseParameters: { 'method.response.header.Content-Type': true } },
    ];
    const docs = props.base.addResource(serviceRoutes.reference.path.slice(1));
    const page = docs.addMethod('GET', s3Object('docs/index.html'), {
      operationName: 'apiReference',
      ...props.methodOptions,
      methodResponses,
    });
    const asset = docs
      .addResource('{file}')
      .addMethod('GET', s3Object('docs/{file}', { 'integration.request.path.file': 'method.request.path.file' }), {
        operationName: 'apiReferenceFile',
        ...props.methodOptions,
        requestParameters: { 'method.request.path.file': true },
        methodResponses,
      });
    if (open) {
      acknowledgeOpen(page);
      acknowledgeOpen(asset);
    }
  }
}

function acknowledgeOpen(method: Construct): void {
  for (const id of ['AwsSolutions::AwsSolutions-APIG4', 'AwsSolutions::AwsSolutions-COG4']) {
    Validations.of(method).acknowledge({ id, reason: OPEN_REASON });
  }
}

/** The reference files in one folder, as BucketDeployment takes them (fingerprinted by content). */
function stagedReferenceFiles(): string {
  const folder = mkdtempSync(join(tmpdir(), 'tmf629-reference-'));
  for (const asset of REFERENCE_ASSETS) copyFileSync(asset.file, join(folder, asset.name));
  return folder;
}

/** BucketDeployment's own copier (an AWS-maintained custom resource), as cdk-nag sees it. */
function acknowledgeBucketDeployment(scope: Construct, bucketLogicalId: string): void {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const copier =
    "The CDK BucketDeployment copier (an AWS-maintained custom resource) copies the page's asset from the CDK assets bucket into the reference bucket: aws-cdk-lib grants it these object actions on those two buckets only.";
  // The copier is one function per stack (a singleton), outside this construct: acknowledged on it alone.
  const singleton = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!singleton) throw new Error('BucketDeployment no longer adds its copier to the stack: review these findings');
  Validations.of(singleton).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "The CDK BucketDeployment copier (AWS-maintained custom resource) logs with Lambda's basic execution policy.",
    },
    {
      id: 'AwsSolutions::AwsSolutions-L1',
      reason: 'The CDK BucketDeployment copier runtime is chosen and updated by aws-cdk-lib, not by this stack.',
    },
    ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map((action) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
      reason: copier,
    })),
    { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`, reason: copier },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
      reason: copier,
    },
  );
}
