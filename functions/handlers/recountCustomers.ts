/** The cloud import job's last step (and an on-demand repair): recomputes every kept count. */
import { recountCustomers, type RecountSummary } from '../bulk/recounting.js';
import { dynamoMaintenanceStore } from '../repository/maintenanceStore.js';
import { lambdaEntry } from './runtime.js';

export const handler = lambdaEntry<unknown, RecountSummary>(({ documentClient, settings }) => {
  const customers = dynamoMaintenanceStore(documentClient, settings);
  return async () => recountCustomers(customers, { segments: 16 });
});
