/**
 * End to end against the local server with autocannon (p50/p99 latency, throughput), next to a
 * bare DynamoDB Local GetItem/PutItem from the same machine, and what each operation consumed
 * (read and write capacity units, from the X-Read-Capacity / X-Write-Capacity headers).
 */
import autocannon from 'autocannon';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from '../local/engine.js';
import { startLocalApi } from '../local/childServer.js';
import { syntheticCustomer } from './seed.js';

export interface EndToEndResult {
  readonly name: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
  /** Capacity one request consumed (RCU / WCU as DynamoDB counts them). */
  readonly readCapacity?: number;
  readonly writeCapacity?: number;
}

const CONNECTIONS = 8;

export interface VersionComparison {
  readonly requests: number;
  readonly v4P50Ms: number;
  readonly v5P50Ms: number;
  readonly v4P99Ms: number;
  readonly v5P99Ms: number;
  readonly ratioP50: number;
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.floor(sorted.length * p)] ?? 0;

/**
 * GET by id through v4 and through v5, interleaved request by request on the same customers
 * (CONNECTIONS callers, each alternating), timed with performance.now(): drift in machine load hits
 * both alike, and sub-millisecond differences show (autocannon's histogram counts whole ms).
 */
async function compareVersions(v4Base: string, ids: readonly string[], seconds = 8): Promise<VersionComparison> {
  const v5Base = v4Base.replace('/tmf-api/customerManagement/v4/', '/tmf-api/customer/v5/');
  const times = { v4: [] as number[], v5: [] as number[] };
  const until = Date.now() + seconds * 1000;
  let turn = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const id = ids[turn % ids.length] as string;
        const version = turn++ % 2 === 0 ? 'v4' : 'v5';
        const started = performance.now();
        const response = await fetch(`${version === 'v4' ? v4Base : v5Base}customer/${id}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`GET ${version} ${id} answered ${response.status}`);
        times[version].push(performance.now() - started);
      }
    }),
  );
  const v4 = times.v4.sort((a, b) => a - b);
  const v5 = times.v5.sort((a, b) => a - b);
  return {
    requests: v4.length + v5.length,
    v4P50Ms: percentile(v4, 0.5),
    v5P50Ms: percentile(v5, 0.5),
    v4P99Ms: percentile(v4, 0.99),
    v5P99Ms: percentile(v5, 0.99),
    ratioP50: percentile(v5, 0.5) / percentile(v4, 0.5),
  };
}

function createBody(i: number): string {
  const { id: _id, ...body } = syntheticCustomer(i);
  return JSON.stringify(body);
}

/** A v5 create of about the same size: typed contact media, a description and a social medium. */
function createBodyV5(i: number): string {
  return JSON.stringify({
    '@type': 'Customer',
    name: `Customer ${i}`,
    description: `Created through v5 (${i})`,
    status: 'Approved',
    engagedParty: { '@type': 'PartyRef', id: `P-${i % 50}`, '@referredType': 'Organization', name: `Party ${i % 50}` },
    contactMedium: [
      { '@type': 'EmailContactMedium', preferred: true, emailAddress: `customer${i}@bench.example` },
      { '@type': 'PhoneContactMedium', phoneNumber: `+33 1 00 00 ${String(i).padStart(4, '0')}` },
      { '@type': 'SocialContactMedium', socialNetworkId: `@customer${i}` },
    ],
    characteristic: [{ '@type': 'StringCharacteristic', name: 'segment', value: i % 2 ? 'gold' : 'silver' }],
  });
}

async function run(name: string, options: autocannon.Options): Promise<EndToEndResult> {
  const result = await autocannon({ connections: CONNECTIONS, duration: 5, ...options });
  return {
    name,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: result.requests.average,
    errors: result.errors + result.non2xx,
  };
}

/** The same load shape on DynamoDB Local directly: CONNECTIONS callers in a loop for 5 s. */
async function bare(name: string, call: (i: number) => Promise<unknown>): Promise<EndToEndResult> {
  const latencies: number[] = [];
  const until = Date.now() + 5000;
  let counter = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        try {
          await call(counter++);
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    name,
    p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    requestsPerSecond: latencies.length / 5,
    errors,
  };
}

async function capacity(url: string, init?: RequestInit): Promise<{ readCapacity: number; writeCapacity: number }> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return {
    readCapacity: Number(response.headers.get('x-read-capacity') ?? 0),
    writeCapacity: Number(response.headers.get('x-write-capacity') ?? 0),
  };
}

export async function measureEndToEnd(): Promise<{ results: EndToEndResult[]; versions: VersionComparison }> {
  const api = await startLocalApi();
  const base = api.baseUrl;
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const ids: string[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${base}customer`, { method: 'POST', headers: json, body: createBody(i) });
      ids.push(((await response.json()) as { id: string }).id);
    }
    // A third of the customers created through v5 (typed media, what only v5 holds in its pockets).
    const v5Base = base.replace('/tmf-api/customerManagement/v4/', '/tmf-api/customer/v5/');
    for (let i = 300; i < 450; i++) {
      const response = await fetch(`${v5Base}customer`, { method: 'POST', headers: json, body: createBodyV5(i) });
      if (response.status !== 201) throw new Error(`v5 create answered ${response.status}: ${await response.text()}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const versions = await compareVersions(base, ids);
    let n = 1000;
    const pick = () => ids[Math.floor(Math.random() * ids.length)] as string;
    const results: EndToEndResult[] = [];
    const measured = async (
      result: Promise<EndToEndResult>,
      sample: () => Promise<{ readCapacity: number; writeCapacity: number }>,
    ) => {
      results.push({ ...(await result), ...(await sample()) });
    };
    await measured(
      run('retrieveCustomer GET /customer/{id}', {
        url: base,
        requests: [{ setupRequest: (r) => ({ ...r, path: `${new URL(base).pathname}customer/${pick()}` }) }],
      }),
      () => capacity(`${base}customer/${pick()}`),
    );
    await measured(
      run('retrieveCustomerV5 GET /customer/{id} (v5)', {
        url: v5Base,
        requests: [{ setupRequest: (r) => ({ ...r, path: `${new URL(v5Base).pathname}customer/${pick()}` }) }],
      }),
      () => capacity(`${v5Base}customer/${pick()}`),
    );
    await measured(run('listCustomer GET /customer?limit=20', { url: `${base}customer?limit=20` }), () =>
      capacity(`${base}customer?limit=20`),
    );
    await measured(
      run('listCustomer GET /customer?name=', {
        url: base,
        requests: [
          {
            setupRequest: (r) => ({
              ...r,
              path: `${new URL(base).pathname}customer?name=Customer%20${Math.floor(Math.random() * 300)}`,
            }),
          },
        ],
      }),
      () => capacity(`${base}customer?name=Customer%2042`),
    );
    await measured(
      run('createCustomer POST /customer', {
        url: `${base}customer`,
        method: 'POST',
        headers: json,
        requests: [{ setupRequest: (r) => ({ ...r, body: createBody(n++) }) }],
      }),
      () => capacity(`${base}customer`, { method: 'POST', headers: json, body: createBody(n++) }),
    );
    await measured(
      run('patchCustomer PATCH /customer/{id}', {
        url: base,
        method: 'PATCH',
        headers: json,
        requests: [
          {
            setupRequest: (r) => ({
              ...r,
              path: `${new URL(base).pathname}customer/${pick()}`,
              body: JSON.stringify({ statusReason: `r${n++}` }),
            }),
          },
        ],
      }),
      () =>
        capacity(`${base}customer/${pick()}`, {
          method: 'PATCH',
          headers: json,
          body: JSON.stringify({ statusReason: `r${n++}` }),
        }),
    );
    const doomed = [...ids];
    await measured(
      run('deleteCustomer DELETE /customer/{id}', {
        url: base,
        method: 'DELETE',
        amount: doomed.length - 1,
        requests: [
          { setupRequest: (r) => ({ ...r, path: `${new URL(base).pathname}customer/${doomed.pop() ?? 'none'}` }) },
        ],
      }),
      () => capacity(`${base}customer/${doomed.pop() ?? 'none'}`, { method: 'DELETE' }),
    );

    const client = new DynamoDBClient({
      endpoint: api.engineEndpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: {
        accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
    const item = { pk: { S: 'BENCH#1' }, sk: { S: 'BENCH' }, doc: { S: createBody(1) } };
    await client.send(new PutItemCommand({ TableName: api.tableName, Item: item }));
    results.push(
      await bare('bare DynamoDB Local GetItem', () =>
        client.send(
          new GetItemCommand({ TableName: api.tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
        ),
      ),
    );
    results.push(
      await bare('bare DynamoDB Local PutItem', (i) =>
        client.send(new PutItemCommand({ TableName: api.tableName, Item: { ...item, pk: { S: `BENCH#${i}` } } })),
      ),
    );
    client.destroy();
    return { results, versions };
  } finally {
    await api.stop();
  }
}

if (process.argv[1] === import.meta.filename) {
  const { results, versions } = await measureEndToEnd();
  console.log(versions);
  for (const r of results) {
    console.log(
      `${r.name}\tp50 ${r.p50Ms} ms\tp99 ${r.p99Ms} ms\t${r.requestsPerSecond.toFixed(0)} req/s\terrors ${r.errors}\tRCU ${r.readCapacity ?? '-'}\tWCU ${r.writeCapacity ?? '-'}`,
    );
  }
}
