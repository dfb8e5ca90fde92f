/** The cloud import job's last step (and an on-demand repair): recomputes every kept count. */
import { recountCustomers, type RecountSummary } from '../bulk/recounting.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry<unknown, RecountSummary>(
  ({ customers }) =>
    async () =>
      recountCustomers(customers, { segments: 16 }),
);
