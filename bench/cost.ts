/**
 * What a million of each operation costs on demand, from the capacity each consumed and the time
 * it took. Prices: AWS us-east-1 list prices (checked 2026-11): DynamoDB on-demand $0.625 per
 * million write request units and $0.125 per million read request units; Lambda arm64
 * $0.0000133334 per GB-second and $0.20 per million requests; API Gateway REST API $3.50 per
 * million requests (first 333 million a month). Change them here for another region.
 */
export const PRICES = {
  dynamoWritePerMillion: 0.625,
  dynamoReadPerMillion: 0.125,
  lambdaGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  apiGatewayPerMillion: 3.5,
} as const;

/** Memory the stack gives each function (lib/tmfFunction.ts). */
export const LAMBDA_MEMORY_MB = 512;

export interface CostPerMillion {
  readonly dynamo: number;
  readonly lambda: number;
  readonly apiGateway: number;
  readonly total: number;
}

/** Billed duration rounds up to the millisecond. */
export function costPerMillion(readCapacity: number, writeCapacity: number, durationMs: number): CostPerMillion {
  const dynamo = readCapacity * PRICES.dynamoReadPerMillion + writeCapacity * PRICES.dynamoWritePerMillion;
  const gbSeconds = (LAMBDA_MEMORY_MB / 1024) * (Math.ceil(durationMs) / 1000);
  const lambda = 1_000_000 * gbSeconds * PRICES.lambdaGbSecond + PRICES.lambdaPerMillionRequests;
  const apiGateway = PRICES.apiGatewayPerMillion;
  return { dynamo, lambda, apiGateway, total: dynamo + lambda + apiGateway };
}
