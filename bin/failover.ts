/**
 * `npm run failover -- --to <region> --regions r1,r2 [--deployment NAME] [--force] [--status]`:
 * makes one Region of a multi-Region deployment the one that takes writes (failover, and
 * fail-back the same way). Every other Region is told first and refuses writes; after writes they
 * had already admitted have finished, the new Region is told. `--status` only reads each Region.
 */
import { Option } from 'commander';
import { parseCommand, runMain, wholeNumber } from './cli/command.js';
import { activeRegionStatus, switchActiveRegion, type RegionState } from '../functions/domain/activeRegionSwitch.js';
import { ACTIVE_REGION_CACHE_MS, activeRegionParameterStore } from '../functions/repository/activeRegionParameter.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The longest a write function runs (its Lambda timeout, lib/stack/operationRoutes.ts), in seconds. */
const LONGEST_WRITE_SECONDS = 10;

const values = parseCommand('failover', (command) =>
  command
    .description('Name the Region that takes writes in a multi-Region deployment (failover and fail-back)')
    .option('--regions <list>', "the deployment's Regions, comma-separated (as -c regions= at deploy)")
    .option('--to <region>', 'the Region to make active')
    .option('--status', 'only show which Region each Region names active')
    .option('--deployment <name>', 'the primary stack name (-c stackName at deploy)', 'Tmf629CustomerManagement')
    .option('--force', 'promote even though a Region could not be told (it is down, or out of DNS)')
    .addOption(
      new Option('--settle-seconds <n>', 'wait between demoting the others and promoting')
        .argParser(wholeNumber(0))
        .default(Math.ceil(ACTIVE_REGION_CACHE_MS / 1000) + LONGEST_WRITE_SECONDS),
    )
    .option('--json', 'end with the result as one JSON line'),
).options as {
  regions?: string;
  to?: string;
  status?: boolean;
  deployment: string;
  force?: boolean;
  settleSeconds: number;
  json?: boolean;
};

const describeState = (state: RegionState) =>
  `${state.region}: ${state.error ? `unreachable (${state.error})` : `names ${state.after ?? state.before ?? '?'} active`}`;

async function main(): Promise<number> {
  const regions = (values.regions ?? '').split(',').filter(Boolean);
  if (regions.length < 2) throw new Error('say --regions r1,r2 (the Regions given at deploy, the primary first)');
  const store = await activeRegionParameterStore(`/${values.deployment}/active-region`);
  if (values.status) {
    const states = await activeRegionStatus(store, regions);
    for (const state of states) console.log(describeState(state));
    if (values.json) console.log(JSON.stringify({ regions: states }));
    return states.some((state) => state.error) ? 1 : 0;
  }
  if (!values.to) throw new Error('say --to <region>, or --status to only read');
  const result = await switchActiveRegion({
    to: values.to,
    regions,
    store,
    settleMs: values.settleSeconds * 1000,
    force: values.force,
    log: (line) => console.error(line),
  });
  for (const state of result.regions) console.log(describeState(state));
  console.log(`failover to ${values.to}: ${result.outcome}`);
  if (values.json) console.log(JSON.stringify(result));
  return result.outcome === 'blocked' ? 1 : 0;
}

runMain('failover', main);
