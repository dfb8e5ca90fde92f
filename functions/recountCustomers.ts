/** The cloud import job's last step (and an on-demand repair): recomputes every kept count. */
import { recountCustomers, type RecountSummary } from './bulk/recount.js';
import { config } from './config.js';

const { tableName } = config();

export async function handler(): Promise<RecountSummary> {
  return recountCustomers({ tableName, segments: 16 });
}
