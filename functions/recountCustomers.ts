/** The cloud import job's last step (and an on-demand repair): recomputes every kept count. */
import { recountCustomers, type RecountSummary } from './bulk/recount.js';

export async function handler(): Promise<RecountSummary> {
  return recountCustomers({ segments: 16 });
}
