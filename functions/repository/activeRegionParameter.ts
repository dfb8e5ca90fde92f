/**
 * The active Region as an SSM parameter holds it, read at most every few seconds per process. The
 * SSM client is loaded on first use, so a single-Region deployment (which never reads it) does
 * not carry it in its cold start.
 */
import type { ActiveRegionStore } from '../domain/activeRegionSwitch.js';
import { StoreUnavailableError } from '../domain/ports.js';

export const ACTIVE_REGION_CACHE_MS = 5_000;

export function activeRegionParameter(name: string, cacheMs = ACTIVE_REGION_CACHE_MS): () => Promise<string> {
  let cached: { readonly at: number; readonly value: Promise<string> } | undefined;
  let client: Promise<{ read: () => Promise<string | undefined> }> | undefined;
  return () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const value = (async () => {
      client ??= import('@aws-sdk/client-ssm').then(({ GetParameterCommand, SSMClient }) => {
        const ssm = new SSMClient({});
        return { read: async () => (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value };
      });
      try {
        return (await (await client).read()) ?? '';
      } catch (error) {
        // Unknown which Region is active: refuse the write for now rather than risk two writers.
        throw new StoreUnavailableError('The active Region cannot be read; retry shortly', { cause: error });
      }
    })();
    value.catch(() => (cached = undefined));
    cached = { at: Date.now(), value };
    return value;
  };
}

/**
 * Every Region's copy of the parameter, for the operator's failover command: one SSM client per
 * Region, a write overwriting the value (the parameter itself is the stack's).
 */
export async function activeRegionParameterStore(name: string): Promise<ActiveRegionStore> {
  const { GetParameterCommand, PutParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
  const clients = new Map<string, InstanceType<typeof SSMClient>>();
  const client = (region: string) => {
    let found = clients.get(region);
    if (!found) clients.set(region, (found = new SSMClient({ region, maxAttempts: 3 })));
    return found;
  };
  return {
    read: async (region) => (await client(region).send(new GetParameterCommand({ Name: name }))).Parameter?.Value ?? '',
    write: async (region, activeRegion) => {
      await client(region).send(
        new PutParameterCommand({ Name: name, Value: activeRegion, Type: 'String', Overwrite: true }),
      );
    },
  };
}
