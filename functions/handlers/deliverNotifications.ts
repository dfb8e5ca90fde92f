/**
 * deliverNotifications: POSTs queued events to hub subscribers. A failed delivery is retried
 * with exponential backoff (the message becomes visible again after 5 s, 10 s, 20 s ... up to
 * 15 min); after MAX_DELIVERY_ATTEMPTS receives SQS moves it to the dead-letter queue, which alarms.
 * The queue is FIFO: Powertools' FIFO batch processor handles records in order and, once a
 * delivery fails, fails the rest of its message group only (`skipGroupOnError`), so later events
 * of the same customer for the same subscriber still arrive in order while other groups go on.
 */
import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../http/logger.js';
import { cachedSubscriptions, deliver, retryDelaySeconds, type Delivery } from '../notifications/delivery.js';
import { lambdaEntry } from './runtime.js';

/** The queue a record came from, by its ARN (arn:aws:sqs:<region>:<account>:<name>). */
function queueUrlOf(record: SQSRecord): string {
  const [, , , region, account, name] = record.eventSourceARN.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

export const handler = lambdaEntry(({ settings, subscriptions: store }) => {
  const sqs = new SQSClient({});
  // The signing secret is read from the subscription, never from the message (kept across invocations).
  const subscriptions = cachedSubscriptions((id) => store.findSubscription(id));
  const processor = new SqsFifoPartialProcessorAsync();

  const deliverRecord = async (record: SQSRecord): Promise<void> => {
    try {
      const delivery = JSON.parse(record.body) as Delivery;
      if (!(await deliver(delivery, settings.allowPrivateCallbacks, subscriptions))) {
        logger.info('subscription gone; delivery dropped', { subscriptionId: delivery.subscriptionId });
      }
    } catch (error) {
      const attempt = Number(record.attributes.ApproximateReceiveCount ?? 1);
      logger.warn('delivery failed; will retry', {
        messageId: record.messageId,
        attempt,
        error: (error as Error).message,
      });
      await sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrlOf(record),
            ReceiptHandle: record.receiptHandle,
            VisibilityTimeout: retryDelaySeconds(attempt),
          }),
        )
        .catch((visibilityError: unknown) =>
          logger.warn('could not set the retry delay', { error: visibilityError as Error }),
        );
      throw error;
    }
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler((event, context) =>
      processPartialResponse(event, deliverRecord, processor, {
        context,
        skipGroupOnError: true,
        // Every record failed: answer them all as failures (each with its retry delay set) rather than
        // failing the invocation, which would make them visible again at once.
        throwOnFullBatchFailure: false,
      }),
    );
});
