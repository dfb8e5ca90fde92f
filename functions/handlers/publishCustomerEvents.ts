/**
 * publishCustomerEvents: reads the customer table's DynamoDB stream, so an event exists exactly
 * when a write happened; publishes each TMF event to the EventBridge bus and queues one delivery
 * per interested hub subscriber on the SQS FIFO delivery queue (ordered per subscriber and customer).
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { readPublisherConfig } from '../config.js';
import { logger } from '../http/logger.js';
import { orderingGroupOf } from '../notifications/delivery.js';
import { publishRecords, type StreamRecord } from '../notifications/publish.js';
import { lambdaEntry } from './runtime.js';

async function inBatches<T>(items: readonly T[], size: number, send: (batch: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await send(items.slice(i, i + size));
}

export const handler = lambdaEntry(({ env, settings, subscriptions }) => {
  const { eventBusName, deliveryQueueUrl, publicBaseUrl } = readPublisherConfig(env, settings);
  const eventBridge = new EventBridgeClient({});
  const sqs = new SQSClient({});
  return middy<DynamoDBStreamEvent, void>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const published = await publishRecords(
        event.Records as StreamRecord[],
        { baseUrl: publicBaseUrl },
        subscriptions,
        {
          publish: (events) =>
            inBatches(events, 10, async (batch) => {
              const result = await eventBridge.send(
                new PutEventsCommand({
                  Entries: batch.map((e) => ({
                    EventBusName: eventBusName,
                    Source: 'tmf629.customerManagement',
                    DetailType: e.eventType,
                    Detail: JSON.stringify(e),
                  })),
                }),
              );
              // A partial failure fails the batch: the stream retries it (event ids let consumers drop repeats).
              if (result.FailedEntryCount) throw new Error(`EventBridge refused ${result.FailedEntryCount} events`);
            }),
          enqueue: (deliveries) =>
            inBatches(deliveries, 10, async (batch) => {
              const result = await sqs.send(
                new SendMessageBatchCommand({
                  QueueUrl: deliveryQueueUrl,
                  Entries: batch.map((delivery, i) => ({
                    Id: String(i),
                    MessageBody: JSON.stringify(delivery),
                    MessageGroupId: orderingGroupOf(delivery),
                    // The same event to the same subscriber is sent once, even when the stream retries.
                    MessageDeduplicationId: `${delivery.event.eventId}.${delivery.subscriptionId}`.slice(0, 128),
                  })),
                }),
              );
              if (result.Failed && result.Failed.length > 0)
                throw new Error(`SQS refused ${result.Failed.length} deliveries`);
            }),
        },
        { region: settings.multiRegion?.ownRegion },
      );
      logger.info('published customer events', { records: event.Records.length, events: published });
    });
});
