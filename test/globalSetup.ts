import type { TestProject } from 'vitest/node';
import { startLocalApi } from '../local/childServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    apiBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const api = await startLocalApi();
  project.provide('apiBaseUrl', api.baseUrl);
  return () => api.stop();
}
