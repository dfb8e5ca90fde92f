/**
 * The composition root of the Lambda entries. On a function's first call (not at import), the
 * configuration is read from the environment once and the store and clients are built from it;
 * every later call of that process reuses them. The local server builds its own runtime from
 * its own settings and hands it to the same handler modules (`entry.with(runtime)`), so nothing
 * depends on the order in which modules are imported.
 */
import type { Context } from 'aws-lambda';
import { apiSecurityFrom, readConfig, type ApiSecurity, type Config, type Environment } from '../config.js';
import type { SubscriptionStore } from '../domain/ports.js';
import { dynamoCustomerStore, type DynamoCustomerStore } from '../repository/customerRepository.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type DocumentClientSettings } from '../repository/dynamo.js';
import { activeRegionCopies } from '../repository/activeRegionParameter.js';
import { writeGate } from '../domain/writeRegion.js';
import type { ChainSettings } from '../http/chain.js';
import { dynamoSubscriptionStore } from '../repository/hubRepository.js';

export interface Runtime {
  readonly settings: Config;
  /** What the HTTP chain needs: the settings it reads, and the write gate of a multi-Region deployment. */
  readonly chain: ChainSettings;
  /** The one DynamoDB client of the process (bulk writers share it). */
  readonly documentClient: DynamoDBDocumentClient;
  readonly customers: DynamoCustomerStore;
  readonly subscriptions: SubscriptionStore;
  /** How the API description declares signing in (API_SECURITY and the OAuth2 URLs). */
  readonly apiSecurity: ApiSecurity;
  /** The environment it was composed from, for entries that need more than `settings` (the publisher). */
  readonly env: Environment;
}

/** Builds the stores and clients one process needs, from an environment (process.env on Lambda). */
export function composeRuntime(
  env: Environment,
  client: Pick<DocumentClientSettings, 'region' | 'credentials'> = {},
): Runtime {
  const settings = readConfig(env);
  const documentClient = createDocumentClient({ ...settings, ...client });
  const { multiRegion } = settings;
  return {
    settings,
    chain: {
      ...settings,
      ...(multiRegion
        ? {
            writeGate: writeGate(
              multiRegion.ownRegion,
              activeRegionCopies(multiRegion.activeRegionParameter, multiRegion.ownRegion, multiRegion.otherRegions),
            ),
          }
        : {}),
    },
    documentClient,
    customers: dynamoCustomerStore(documentClient, {
      ...settings,
      ...(multiRegion ? { writtenIn: multiRegion.ownRegion } : {}),
    }),
    subscriptions: dynamoSubscriptionStore(documentClient, settings.tableName),
    apiSecurity: apiSecurityFrom(env),
    env,
  };
}

let processRuntime: Runtime | undefined;

/** The runtime of this Lambda process, composed from its environment on first use. */
function lambdaRuntime(): Runtime {
  processRuntime ??= composeRuntime(process.env);
  return processRuntime;
}

export type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/** A Lambda entry: the handler Lambda calls, and the same handler built against a given runtime. */
export interface LambdaEntry<E, R> extends Handler<E, R> {
  /** The handler against this runtime (the local server, tests). */
  with(runtime: Runtime): Handler<E, R>;
  /** Composes now what the first call would (the cold-start benchmark counts it). */
  init(): void;
}

export function lambdaEntry<E, R>(make: (runtime: Runtime) => Handler<E, R>): LambdaEntry<E, R> {
  let handler: Handler<E, R> | undefined;
  const init = () => {
    handler ??= make(lambdaRuntime());
    return handler;
  };
  const entry = ((event: E, context: Context) => init()(event, context)) as LambdaEntry<E, R>;
  entry.with = make;
  entry.init = () => void init();
  return entry;
}
