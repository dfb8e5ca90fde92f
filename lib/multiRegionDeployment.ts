/**
 * A multi-Region (active-passive) deployment: one CustomerManagementStack per Region, the first
 * (primary) owning the global table and its replicas, every other reading its own replica. The
 * primary keeps the one-Region stack's name, so an existing deployment gains replicas in place.
 * bin/app.ts builds it from `-c regions=...`; the tests build the same thing.
 */
import type { App } from 'aws-cdk-lib';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

export interface MultiRegionOptions {
  /** Every Region, the primary first. */
  readonly regions: readonly string[];
  readonly account?: string;
  /** One key per Region for the global table (default: the AWS managed key). */
  readonly encryptionKeyArns?: readonly string[];
  /** One hostname over the Regions: its hosted zone and one ACM certificate per Region, in order. */
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly certificateArns?: readonly string[];
}

export function addMultiRegionDeployment(
  app: App,
  stackName: string,
  settings: CustomerManagementStackProps,
  options: MultiRegionOptions,
): CustomerManagementStack[] {
  const { regions, domainName, hostedZoneId, certificateArns } = options;
  if (domainName && !(hostedZoneId && certificateArns?.length === regions.length)) {
    throw new Error(
      'a custom domain over Regions needs hostedZoneId and certificateArns (one per Region, in the order of regions)',
    );
  }
  const stacks: CustomerManagementStack[] = [];
  for (const [i, region] of regions.entries()) {
    const primary = stacks[0];
    const stack = new CustomerManagementStack(app, primary ? `${stackName}-${region}` : stackName, {
      ...settings,
      domainName: undefined,
      globalTable: {
        deploymentName: stackName,
        regions,
        tableName: primary?.table.tableName,
        encryptionKeyArns: options.encryptionKeyArns,
      },
      failover:
        domainName && hostedZoneId && certificateArns
          ? { domainName, hostedZoneId, certificateArn: certificateArns[i] ?? '' }
          : undefined,
      // The table's name reaches the other Regions through CDK's cross-Region references (SSM).
      crossRegionReferences: true,
      env: { account: options.account, region },
    });
    if (primary) stack.addStackDependency(primary, 'its replica is created by the primary stack');
    stacks.push(stack);
  }
  return stacks;
}
