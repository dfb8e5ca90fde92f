/** What a CSP sets when it deploys the stack (bin/app.ts reads each from CDK context). */
import type { StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { AuthMode } from '../apiAuthorization.js';

export interface CustomerManagementStackProps extends StackProps {
  /** API Gateway stage name (default `v4`). */
  readonly stageName?: string;
  /** Public base URL clients use (custom domain), used for `href` and `Location`. */
  readonly publicBaseUrl?: string;
  /** How long function and access logs are kept (default one month). */
  readonly logRetention?: RetentionDays;
  /** `cognito` (default): OAuth2 client-credentials scopes per method; `iam`: SigV4. */
  readonly authMode?: AuthMode;
  /** Cognito domain prefix for the token endpoint (default derived from the stack). */
  readonly cognitoDomainPrefix?: string;
  /** Encrypt the table with this KMS key instead of the AWS managed key. */
  readonly encryptionKeyArn?: string;
  /** Create a customer-managed KMS key (rotated yearly) for the table. */
  readonly createEncryptionKey?: boolean;
  /** Add the table to an AWS Backup plan (daily, kept 35 days). Point-in-time recovery is always on. */
  readonly backup?: boolean;
  /** Stage throttling: steady requests per second and burst (defaults 1000 / 2000). */
  readonly throttlingRateLimit?: number;
  readonly throttlingBurstLimit?: number;
  /** A WAFv2 web ACL (regional) to associate with the stage. */
  readonly webAclArn?: string;
  /** Origins allowed by CORS; none by default (server-to-server API). */
  readonly corsAllowOrigins?: readonly string[];
  /** Address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** Accept hub callbacks to private, loopback and link-local addresses (default: refused). */
  readonly allowPrivateCallbacks?: boolean;
  /** Add the cloud bulk import job (S3 bucket, Step Functions Distributed Map, recount). */
  readonly importJob?: boolean;
  /** Child batches the import job runs at once (default 20). */
  readonly importMaxConcurrency?: number;
  /** Add the analytics dataset (scheduled table export to S3, Glue table, Athena queries). */
  readonly analytics?: boolean;
  /** When the analytics export runs (EventBridge Scheduler expression; default daily 03:00 UTC). */
  readonly analyticsSchedule?: string;
  /**
   * Attributes indexed besides the built-in ones (name, engagedParty.id, status, email, phone):
   * attribute paths such as `contactMedium.characteristic.city` or `characteristic[segment].value`.
   * After a deploy that adds or removes one, `npm run reindex` backfills or removes its lookups.
   */
  readonly indexedAttributes?: readonly string[];
  /**
   * Keep the `byCreation` index of stacks deployed before the sharded list index: CloudFormation
   * adds or removes one global secondary index per update, so an upgrade deploys once with this
   * (adding `byListShard`), runs `npm run reindex`, then deploys without it (removing the old one).
   */
  readonly legacyListIndex?: boolean;
  /**
   * A custom domain for the API (`api.example.com`), with the ARN of its ACM certificate in the
   * stack's region: a regional API Gateway domain name mapped to this stage, and every `href`,
   * `Location` and event link on it (unless `publicBaseUrl` says otherwise). The CSP points a DNS
   * record at the `CustomDomainTarget` output.
   */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** Memory of the API functions, in MB (default 512). */
  readonly functionMemoryMb?: number;
  /** Most customers a sorted list may read (MAX_QUERY_READ_ITEMS, default 250000). */
  readonly maxQueryReadItems?: number;
  /** Customers a filter no index serves examines past a page to count every match (default 10000). */
  readonly listCountAhead?: number;
  /** API 5xx share (%) and p99 latency (ms) above which the API alarms (defaults 1 and 2000). */
  readonly alarmServerErrorPercent?: number;
  readonly alarmLatencyP99Ms?: number;
  /**
   * `retain` (default): the table and user pool survive the stack, with deletion protection.
   * `destroy`: a throw-away stage (CI, a demo) whose data goes with `cdk destroy`.
   */
  readonly dataRemovalPolicy?: 'retain' | 'destroy';
  /**
   * One app client per integrating system, with its scopes (client credentials):
   * `crm:read`, `billing:read+write`, `events:hub`. Each client id is an output.
   */
  readonly integrationClients?: readonly string[];
  /**
   * Authorization-code app clients for low-code tools (Power Platform connectors, Salesforce Named
   * Credentials, Postman's browser flow): `powerPlatform:read+write`, optionally
   * `=callback|callback` (default: Power Platform's and Postman's redirect URLs).
   */
  readonly authorizationCodeClients?: readonly string[];
  /** Serve the API reference page at {base}/docs (default true). */
  readonly apiReference?: boolean;
  /** Require a token (customer.read) for openapi.json, swagger.json and /docs (default: open). */
  readonly protectApiDescription?: boolean;
  /**
   * One Region of a multi-Region (active-passive) deployment: bin/app.ts makes one stack per
   * Region from `-c regions=r1,r2`. The first Region's stack owns the global table and its
   * replicas; every stack serves the API from its own Region's replica.
   */
  readonly globalTable?: GlobalTableSettings;
  /** One hostname for every Region: Route 53 failover records on health checks (multi-Region only). */
  readonly failover?: FailoverSettings;
}

export interface GlobalTableSettings {
  /** What the deployment is called in every Region (the primary stack's name): names the active-Region parameter. */
  readonly deploymentName: string;
  /** Every Region of the deployment, the primary (the first active Region) first. */
  readonly regions: readonly string[];
  /** The table's name, from the primary stack (a cross-Region reference); secondary stacks only. */
  readonly tableName?: string;
  /** One KMS key ARN per Region, in the order of `regions` (default: the AWS managed key). */
  readonly encryptionKeyArns?: readonly string[];
}

export interface FailoverSettings {
  /** The hostname clients use, e.g. api.example.com. */
  readonly domainName: string;
  /** The Route 53 public hosted zone that holds it. */
  readonly hostedZoneId: string;
  /** The ACM certificate for domainName in this stack's Region. */
  readonly certificateArn: string;
}
