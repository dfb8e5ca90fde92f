/**
 * The customer store with what bulk jobs need besides the port: whole-table scans, the kept
 * counts' repair and folding, reindex writes and index states. A module of its own, so the API
 * functions, which compose only the port (customerRepository.ts), do not bundle it.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addToCount, deleteCounts, foldImportCounts, importCountsOf, writeNewCounts } from './customerCounts.js';
import { dynamoCustomerStore, type CustomerStoreSettings } from './customerRepository.js';
import { applyLookupChanges, deleteIndexState, readIndexStates, writeIndexState } from './lookupMaintenance.js';
import { on, type Table } from './table.js';
import { forEachCountSource, forEachStoredCustomer } from './tableScans.js';

export function dynamoMaintenanceStore(documentClient: DynamoDBDocumentClient, settings: CustomerStoreSettings) {
  const table: Table = { documentClient, tableName: settings.tableName };
  return {
    ...dynamoCustomerStore(documentClient, settings),
    forEachStoredCustomer: on(table, forEachStoredCustomer),
    forEachCountSource: on(table, forEachCountSource),
    importCountsOf: on(table, importCountsOf),
    foldImportCounts: on(table, foldImportCounts),
    addToCount: on(table, addToCount),
    writeNewCounts: on(table, writeNewCounts),
    readIndexStates: on(table, readIndexStates),
    applyLookupChanges: on(table, applyLookupChanges),
    writeIndexState: on(table, writeIndexState),
    deleteIndexState: on(table, deleteIndexState),
    deleteCounts: on(table, deleteCounts),
  };
}

/** The DynamoDB customer store with the maintenance operations bulk jobs use. */
export type DynamoMaintenanceStore = ReturnType<typeof dynamoMaintenanceStore>;
