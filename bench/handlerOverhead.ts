/**
 * Handler overhead in-process: each operation's Lambda handler invoked with an API Gateway event
 * and a stubbed DynamoDB client (aws-sdk-client-mock answering at once), so what is timed is our
 * code: the middy chain, parsing, validation, the domain and the item mapping.
 */
import {
  DynamoDBDocumentClient,
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { cursorKeyItemKey, toCustomerItem } from '../functions/repository/customerTable.js';
import { BUILT_IN_LOOKUP_ATTRIBUTES, lookupEntriesOf } from '../functions/domain/lookupAttributes.js';
import type { TmfLambdaHandler } from '../functions/http/chain.js';
import { composeRuntime, type LambdaEntry } from '../functions/handlers/runtime.js';
import { syntheticCustomer } from './seed.js';
import { apiGatewayEvent } from '../local/lambdaEvents.js';

export interface OverheadResult {
  readonly operationId: string;
  readonly meanUs: number;
  readonly p99Us: number;
}

const event = apiGatewayEvent;

export async function measureHandlerOverhead(iterations = 3000): Promise<OverheadResult[]> {
  // Powertools' own settings; the handlers' configuration is composed below and passed to them.
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
  const runtime = composeRuntime(
    { TABLE_NAME: 'bench' },
    { region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } },
  );
  const doc = syntheticCustomer(7);
  const item = toCustomerItem(doc, 3, lookupEntriesOf(doc, BUILT_IN_LOOKUP_ATTRIBUTES));
  const id = doc.id as string;
  const ddb = mockClient(DynamoDBDocumentClient);
  ddb.on(GetCommand).resolves({ Item: item });
  ddb.on(PutCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: Array.from({ length: 20 }, () => ({ id, count: 1 })) });
  // The list index carries the documents: each shard answers its share of 20 customers.
  const listed = Array.from({ length: 20 }, (_, n) => {
    const { pk: _pk, sk: _sk, ...rest } = toCustomerItem({ ...doc, id: `${id}${String(n).padStart(2, '0')}` }, 3, []);
    return rest;
  });
  ddb
    .on(QueryCommand, { IndexName: 'byListShard' })
    .callsFake((input: { ExpressionAttributeValues?: Record<string, unknown> }) => ({
      Items: listed.filter((one) => one.listShard === input.ExpressionAttributeValues?.[':value']),
    }));
  ddb.on(GetCommand, { Key: cursorKeyItemKey }).resolves({ Item: { key: Buffer.alloc(32, 1).toString('base64') } });
  ddb.on(BatchGetCommand).resolves({ Responses: { bench: [item] } });

  const { id: _id, ...createBody } = doc;
  const cases: { operationId: string; module: string; event: () => APIGatewayProxyEvent }[] = [
    {
      operationId: 'createCustomer',
      module: '../functions/handlers/createCustomer.js',
      event: () => event('POST', '/customer', { body: JSON.stringify(createBody) }),
    },
    {
      operationId: 'retrieveCustomer',
      module: '../functions/handlers/retrieveCustomer.js',
      event: () => event('GET', `/customer/${id}`, { pathParameters: { id } }),
    },
    {
      operationId: 'retrieveCustomerV5',
      module: '../functions/handlers/v5/retrieveCustomerV5.js',
      event: () => event('GET', `/customer/${id}`, { pathParameters: { id } }),
    },
    {
      operationId: 'listCustomer',
      module: '../functions/handlers/listCustomer.js',
      event: () =>
        event('GET', '/customer', {
          queryStringParameters: { limit: '20' },
          multiValueQueryStringParameters: { limit: ['20'] },
        }),
    },
    {
      operationId: 'listCustomerV5',
      module: '../functions/handlers/v5/listCustomerV5.js',
      event: () =>
        event('GET', '/customer', {
          queryStringParameters: { limit: '20' },
          multiValueQueryStringParameters: { limit: ['20'] },
        }),
    },
    {
      operationId: 'patchCustomer',
      module: '../functions/handlers/patchCustomer.js',
      event: () =>
        event('PATCH', `/customer/${id}`, {
          pathParameters: { id },
          body: JSON.stringify({ statusReason: `r${Math.random()}` }),
        }),
    },
    {
      operationId: 'deleteCustomer',
      module: '../functions/handlers/deleteCustomer.js',
      event: () => event('DELETE', `/customer/${id}`, { pathParameters: { id } }),
    },
  ];
  const context = {
    awsRequestId: 'bench',
    functionName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
  const results: OverheadResult[] = [];
  for (const { operationId, module, event: makeEvent } of cases) {
    const entry = (await import(module)) as { handler: LambdaEntry<APIGatewayProxyEvent, APIGatewayProxyResult> };
    const handler: TmfLambdaHandler = entry.handler.with(runtime);
    for (let i = 0; i < 200; i++) await handler(makeEvent(), context); // warm up
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const input = makeEvent();
      const started = process.hrtime.bigint();
      const result = await handler(input, context);
      samples.push(Number(process.hrtime.bigint() - started) / 1000);
      if (result.statusCode >= 400) throw new Error(`${operationId} answered ${result.statusCode}: ${result.body}`);
    }
    samples.sort((a, b) => a - b);
    results.push({
      operationId,
      meanUs: samples.reduce((a, b) => a + b, 0) / samples.length,
      p99Us: samples[Math.floor(samples.length * 0.99)] ?? 0,
    });
  }
  ddb.restore();
  return results;
}

if (process.argv[1] === import.meta.filename) {
  for (const r of await measureHandlerOverhead())
    console.log(`${r.operationId}\tmean ${r.meanUs.toFixed(0)} µs\tp99 ${r.p99Us.toFixed(0)} µs`);
}
