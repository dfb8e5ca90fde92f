/** CDK app: `npx cdk deploy` puts the TMF629 Customer Management API into the current account. */
import { App, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CustomerManagementStack, type CustomerManagementStackProps } from '../lib/customerManagementStack.js';
import { addMultiRegionDeployment } from '../lib/multiRegionDeployment.js';

const app = new App();
const text = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};
const flag = (key: string): boolean => {
  const value: unknown = app.node.tryGetContext(key);
  return value === true || value === 'true';
};
const number = (key: string): number | undefined => {
  const value = text(key) ?? (app.node.tryGetContext(key) as unknown);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`context ${key} must be a number, got ${String(value)}`);
  return parsed;
};
/** A list given as a comma-separated string (`-c key=a,b`) or a JSON array in cdk.json. */
const list = (key: string): string[] | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return value.split(',');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error(`context ${key} must be a comma-separated list or an array of strings`);
};
/** A switch that is on unless set to false. */
const unlessOff = (key: string): boolean => {
  const value: unknown = app.node.tryGetContext(key);
  return !(value === false || value === 'false');
};
const removalPolicy = text('dataRemovalPolicy');
if (removalPolicy !== undefined && removalPolicy !== 'retain' && removalPolicy !== 'destroy') {
  throw new Error(`context dataRemovalPolicy must be retain or destroy, got ${removalPolicy}`);
}
const authMode = text('authMode') ?? 'cognito';
if (authMode !== 'cognito' && authMode !== 'iam')
  throw new Error(`context authMode must be cognito or iam, got ${authMode}`);
const retentionDays = number('logRetentionDays');
if (retentionDays !== undefined && !Object.values(RetentionDays).includes(retentionDays)) {
  throw new Error(`context logRetentionDays must be one of CloudWatch's retention periods, got ${retentionDays}`);
}

const settings: CustomerManagementStackProps = {
  stageName: text('stageName'),
  publicBaseUrl: text('publicBaseUrl'),
  authMode,
  cognitoDomainPrefix: text('cognitoDomainPrefix'),
  encryptionKeyArn: text('encryptionKeyArn'),
  createEncryptionKey: flag('createEncryptionKey'),
  backup: flag('backup'),
  throttlingRateLimit: number('throttlingRateLimit'),
  throttlingBurstLimit: number('throttlingBurstLimit'),
  webAclArn: text('webAclArn'),
  corsAllowOrigins: text('corsAllowOrigins')?.split(','),
  alarmEmail: text('alarmEmail'),
  allowPrivateCallbacks: flag('allowPrivateCallbacks'),
  importJob: flag('importJob'),
  importMaxConcurrency: number('importMaxConcurrency'),
  analytics: flag('analytics'),
  analyticsSchedule: text('analyticsSchedule'),
  indexedAttributes: list('indexedAttributes'),
  legacyListIndex: flag('legacyListIndex'),
  domainName: text('domainName'),
  certificateArn: text('certificateArn'),
  functionMemoryMb: number('functionMemoryMb'),
  maxQueryReadItems: number('maxQueryReadItems'),
  listCountAhead: number('listCountAhead'),
  alarmServerErrorPercent: number('alarmServerErrorPercent'),
  alarmLatencyP99Ms: number('alarmLatencyP99Ms'),
  dataRemovalPolicy: removalPolicy,
  integrationClients: list('integrationClients'),
  authorizationCodeClients: list('authorizationCodeClients'),
  apiReference: unlessOff('apiReference'),
  protectApiDescription: flag('protectApiDescription'),
  logRetention: retentionDays as RetentionDays | undefined,
};
const stackName = text('stackName') ?? 'Tmf629CustomerManagement';
const regions = list('regions');

if (!regions) {
  new CustomerManagementStack(app, stackName, {
    ...settings,
    // The region: -c region=..., else the AWS profile's (AWS_REGION, AWS_DEFAULT_REGION, ~/.aws/config).
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: text('region') ?? process.env.CDK_DEFAULT_REGION },
  });
} else {
  if (text('region')) throw new Error('give either region (one Region) or regions (several), not both');
  addMultiRegionDeployment(app, stackName, settings, {
    regions,
    account: process.env.CDK_DEFAULT_ACCOUNT,
    encryptionKeyArns: list('encryptionKeyArns'),
    domainName: text('domainName'),
    hostedZoneId: text('hostedZoneId'),
    certificateArns: list('certificateArns'),
  });
}

// AWS Solutions checks on every synth: an unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
