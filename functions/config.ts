/**
 * Runtime configuration, read once at cold start. A missing required variable fails the
 * function's initialisation loudly instead of failing each request obscurely.
 */
export interface Config {
  /** DynamoDB table holding customers (TABLE_NAME). */
  readonly tableName: string;
  /** Absolute URL clients use to reach the API base path, e.g. https://api.example.com/tmf-api/customerManagement/v4 (PUBLIC_BASE_URL). */
  readonly publicBaseUrl: string | undefined;
  /** DynamoDB endpoint override, for the local engine (DYNAMODB_ENDPOINT). */
  readonly dynamodbEndpoint: string | undefined;
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const tableName = env.TABLE_NAME;
  if (!tableName) {
    throw new Error('TABLE_NAME is not set: the function cannot know which DynamoDB table holds customers');
  }
  const publicBaseUrl = env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, '') : undefined;
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new Error(`PUBLIC_BASE_URL must be an absolute http(s) URL, got "${publicBaseUrl}"`);
  }
  return { tableName, publicBaseUrl, dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined };
}

let current: Config | undefined;

/** The process-wide configuration, read from the environment on first use. */
export function config(): Config {
  current ??= readConfig(process.env);
  return current;
}
