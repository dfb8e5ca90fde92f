/**
 * The active Region as the SSM parameter's copies hold it, read at most every few seconds per process. The
 * SSM client is loaded on first use, so a single-Region deployment (which never reads it) does
 * not carry it in its cold start.
 */
import type { ActiveRegionStore } from '../domain/activeRegionSwitch.js';
import { StoreUnavailableError } from '../domain/ports.js';
import type { ActiveRegionCopy, ReadActiveRegionCopies } from '../domain/writeRegion.js';

export const ACTIVE_REGION_CACHE_MS = 5_000;
/** How long a read of another Region's copy may take: an unreachable Region is left out, not waited for. */
export const OTHER_REGION_TIMEOUT_MS = 1_000;

/**
 * This Region's copy of the parameter and the other Regions' copies, read together at most once
 * per cache period. This Region's copy must be read (else the write is refused for now, 503);
 * another Region's that cannot be read in time is left out (its Region may be the one that is down).
 */
export function activeRegionCopies(
  name: string,
  ownRegion: string,
  otherRegions: readonly string[],
  cacheMs = ACTIVE_REGION_CACHE_MS,
): ReadActiveRegionCopies {
  type Copies = Awaited<ReturnType<ReadActiveRegionCopies>>;
  let cached: { readonly at: number; readonly value: Promise<Copies> } | undefined;
  let reader: Promise<(region: string) => Promise<ActiveRegionCopy>> | undefined;
  return () => {
    if (cached && Date.now() - cached.at < cacheMs) return cached.value;
    const value = (async () => {
      reader ??= import('@aws-sdk/client-ssm').then(({ GetParameterCommand, SSMClient }) => {
        const clients = new Map(
          [ownRegion, ...otherRegions].map((region) => [
            region,
            region === ownRegion
              ? new SSMClient({})
              : new SSMClient({
                  region,
                  maxAttempts: 1,
                  requestHandler: {
                    requestTimeout: OTHER_REGION_TIMEOUT_MS,
                    connectionTimeout: OTHER_REGION_TIMEOUT_MS,
                  },
                }),
          ]),
        );
        return async (region: string) => {
          const { Parameter } = await clients.get(region)!.send(new GetParameterCommand({ Name: name }));
          return { region, names: Parameter?.Value ?? '', setAt: Parameter?.LastModifiedDate?.getTime() ?? 0 };
        };
      });
      const read = await reader;
      const others = Promise.allSettled(otherRegions.map((region) => read(region)));
      let own: ActiveRegionCopy;
      try {
        own = await read(ownRegion);
      } catch (error) {
        // Unknown which Region is active: refuse the write for now rather than risk two writers.
        throw new StoreUnavailableError('The active Region cannot be read; retry shortly', { cause: error });
      }
      return {
        own,
        others: (await others).flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
      };
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
