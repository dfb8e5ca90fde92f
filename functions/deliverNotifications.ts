/**
 * deliverNotifications: POSTs queued events to hub subscribers. A failed delivery is retried
 * with exponential backoff (the message becomes visible again after 5 s, 10 s, 20 s ... up to
 * 15 min); after MAX_DELIVERY_ATTEMPTS receives SQS moves it to the dead-letter queue, which alarms.
 * The queue is FIFO: a failing delivery holds back later events of the same customer for the
 * same subscriber, so they still arrive in order.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { config } from './config.js';
import { logger } from './http/logger.js';
import { cachedSubscriptions, deliver, retryDelaySeconds, type Delivery } from './notifications/delivery.js';
import { findSubscription } from './repository/hubRepository.js';

const { allowPrivateCallbacks } = config();
const sqs = new SQSClient({});
// The signing secret is read from the subscription, never from the message (kept across invocations).
const subscriptions = cachedSubscriptions(findSubscription);

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    const blockedGroups = new Set<string>();
    for (const record of event.Records) {
      const group = record.attributes.MessageGroupId ?? record.messageId;
      if (blockedGroups.has(group)) {
        failures.push({ itemIdentifier: record.messageId }); // keep the group's order
        continue;
      }
      try {
        const delivery = JSON.parse(record.body) as Delivery;
        if (!(await deliver(delivery, allowPrivateCallbacks, subscriptions))) {
          logger.info('subscription gone; delivery dropped', { subscriptionId: delivery.subscriptionId });
        }
      } catch (error) {
        const attempt = Number(record.attributes.ApproximateReceiveCount ?? 1);
        logger.warn('delivery failed; will retry', {
          messageId: record.messageId,
          attempt,
          error: (error as Error).message,
        });
        blockedGroups.add(group);
        failures.push({ itemIdentifier: record.messageId });
        const queueUrl = `https://sqs.${record.awsRegion}.amazonaws.com/${record.eventSourceARN.split(':')[4]}/${record.eventSourceARN.split(':')[5]}`;
        await sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: queueUrl,
              ReceiptHandle: record.receiptHandle,
              VisibilityTimeout: retryDelaySeconds(attempt),
            }),
          )
          .catch((visibilityError: unknown) =>
            logger.warn('could not set the retry delay', { error: visibilityError as Error }),
          );
      }
    }
    return { batchItemFailures: failures };
  });
