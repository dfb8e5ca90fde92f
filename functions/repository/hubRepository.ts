/** Hub subscriptions (TMF630 notification listeners) in the customer table. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SubscriptionStore } from '../domain/ports.js';
import {
  HUB_PARTITION,
  fromSubscriptionItem,
  subscriptionKey,
  toSubscriptionItem,
  type StoredSubscription,
} from './customerTable.js';

/** Hub subscriptions on DynamoDB: one partition (HUB) of the customer table. */
export function dynamoSubscriptionStore(documentClient: DynamoDBDocumentClient, tableName: string): SubscriptionStore {
  async function insertSubscription(subscription: StoredSubscription): Promise<void> {
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: toSubscriptionItem(subscription),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async function findSubscription(id: string): Promise<StoredSubscription | undefined> {
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: subscriptionKey(id), ConsistentRead: true }),
    );
    return Item ? fromSubscriptionItem(Item) : undefined;
  }

  /** Deletes a subscription; false when there was none. */
  async function removeSubscription(id: string): Promise<boolean> {
    try {
      await documentClient.send(
        new DeleteCommand({
          TableName: tableName,
          Key: subscriptionKey(id),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every subscription (one partition, read to the end). */
  async function listSubscriptions(): Promise<StoredSubscription[]> {
    const subscriptions: StoredSubscription[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documentClient.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :hub',
          ExpressionAttributeValues: { ':hub': HUB_PARTITION },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      subscriptions.push(...(page.Items ?? []).map(fromSubscriptionItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return subscriptions;
  }

  return { insertSubscription, findSubscription, removeSubscription, listSubscriptions };
}
