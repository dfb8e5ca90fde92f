/**
 * The stack's settings checked in one place, before any resource is made: a wrong value fails the
 * synth with its name, not a deployment half-way.
 */
import { ENV } from '../../functions/config.js';
import { parseIndexedAttributes } from '../../functions/domain/lookupAttributes.js';
import type { CustomerManagementStackProps } from './props.js';

export const API_BASE_PATH = 'tmf-api/customerManagement/v4';

export interface CheckedSettings {
  /** dataRemovalPolicy=destroy: throw-away stacks (tests, demos) delete their data with them. */
  readonly throwAway: boolean;
  /** The public base URL the functions write into href and Location, when one is known before deployment. */
  readonly publicBaseUrl: string | undefined;
}

export function checkStackProps(props: CustomerManagementStackProps, region?: string): CheckedSettings {
  const throwAway = props.dataRemovalPolicy === 'destroy';
  checkMultiRegion(props, region);
  if (props.dataRemovalPolicy && !['retain', 'destroy'].includes(props.dataRemovalPolicy)) {
    throw new Error(`dataRemovalPolicy must be retain or destroy, got ${String(props.dataRemovalPolicy)}`);
  }
  if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
    throw new Error('domainName and certificateArn go together (the certificate must cover the domain)');
  }
  for (const [key, value, min, max] of [
    ['functionMemoryMb', props.functionMemoryMb, 128, 10240],
    ['maxQueryReadItems', props.maxQueryReadItems, 1, 100_000_000],
    ['listCountAhead', props.listCountAhead, 0, 100_000_000],
    ['alarmServerErrorPercent', props.alarmServerErrorPercent, 0, 100],
    ['alarmLatencyP99Ms', props.alarmLatencyP99Ms, 1, 29_000],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      throw new Error(`${key} must be an integer from ${min} to ${max}, got ${value}`);
    }
  }
  const domainName = props.failover?.domainName ?? props.domainName;
  const publicBaseUrl = props.publicBaseUrl ?? (domainName ? `https://${domainName}/${API_BASE_PATH}` : undefined);
  return { throwAway, publicBaseUrl };
}

/** A multi-Region deployment's settings, checked against this stack's Region. */
function checkMultiRegion(props: CustomerManagementStackProps, region: string | undefined): void {
  const { globalTable, failover } = props;
  if (failover && !globalTable) throw new Error('failover (one hostname over Regions) needs regions');
  if (!globalTable) return;
  const { regions } = globalTable;
  if (regions.length < 2 || new Set(regions).size !== regions.length) {
    throw new Error(`regions must name two or more different Regions, got ${regions.join(',')}`);
  }
  if (!region || !regions.includes(region)) {
    throw new Error(`a stack of a multi-Region deployment must be in one of ${regions.join(',')}, got ${region}`);
  }
  if (props.encryptionKeyArn || props.createEncryptionKey) {
    throw new Error(
      'a global table needs a key in every Region: give encryptionKeyArns (one per Region), not encryptionKeyArn or createEncryptionKey',
    );
  }
  if (globalTable.encryptionKeyArns && globalTable.encryptionKeyArns.length !== regions.length) {
    throw new Error(
      `encryptionKeyArns must name one key per Region (${regions.length}), got ${globalTable.encryptionKeyArns.length}`,
    );
  }
  if (failover && regions.length !== 2) {
    throw new Error(
      'Route 53 failover routing has a primary and a secondary: a custom domain over Regions needs exactly two',
    );
  }
  // Over Regions the domain is the failover's (one certificate per Region), never one stack's own.
  if (props.domainName || props.certificateArn) {
    throw new Error(
      'a multi-Region deployment takes domainName with hostedZoneId and certificateArns (one ACM certificate per Region), not certificateArn',
    );
  }
}

/**
 * The customer functions' environment (functions/config.ts reads it), from the stack's settings;
 * with the configured indexed attributes, which the import job needs too.
 */
export function functionEnvironment(
  props: CustomerManagementStackProps,
  deployment: {
    readonly tableName: string;
    readonly publicBaseUrl?: string;
    readonly requireTokenScopes: boolean;
    readonly activeRegionParameter?: string;
    readonly regions?: readonly string[];
  },
): { environment: Record<string, string>; indexedAttributes: string } {
  // Fails the synth on an attribute that cannot be indexed, not the functions at run time.
  const indexedAttributes = parseIndexedAttributes((props.indexedAttributes ?? []).join(','))
    .filter((attribute) => !attribute.builtIn)
    .map((attribute) => attribute.attribute)
    .join(',');
  const environment: Record<string, string> = { [ENV.tableName]: deployment.tableName };
  if (indexedAttributes) environment[ENV.indexedAttributes] = indexedAttributes;
  if (deployment.publicBaseUrl) environment[ENV.publicBaseUrl] = deployment.publicBaseUrl;
  if (props.maxQueryReadItems !== undefined) environment[ENV.maxQueryReadItems] = String(props.maxQueryReadItems);
  if (props.listCountAhead !== undefined) environment[ENV.listCountAhead] = String(props.listCountAhead);
  if (props.allowPrivateCallbacks) environment[ENV.allowPrivateCallbacks] = 'true';
  if (deployment.requireTokenScopes) environment[ENV.requireTokenScopes] = 'true';
  if (deployment.activeRegionParameter) environment[ENV.activeRegionParameter] = deployment.activeRegionParameter;
  if (deployment.regions) environment[ENV.deploymentRegions] = deployment.regions.join(',');
  return { environment, indexedAttributes };
}
