/**
 * Notification delivery in AWS. The table's stream feeds publishCustomerEvents, so an event exists
 * exactly when a write happened; it publishes TMF events to an EventBridge bus (for other AWS
 * consumers and analytics) and queues one delivery per interested hub subscriber on an SQS FIFO
 * queue (ordered per subscriber and customer). deliverNotifications POSTs them, retrying with
 * exponential backoff; what still fails lands in a dead-letter queue, which alarms.
 */
import { ENV } from '../functions/config.js';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAX_DELIVERY_ATTEMPTS } from '../functions/notifications/delivery.js';
import { HUB_PARTITION } from '../functions/repository/customerTable.js';
import { TmfFunction } from './tmfFunction.js';

export interface CustomerNotificationsProps {
  readonly table: ITableV2;
  /** A multi-Region deployment: publish only the changes written in this Region (functions/config.ts). */
  readonly activeRegionParameter?: string;
  /** Base URL for the hrefs of customers in events. */
  readonly publicBaseUrl: string;
  readonly logRetention: RetentionDays;
  /** Deliver to private, loopback and link-local callbacks too (off by default). */
  readonly allowPrivateCallbacks: boolean;
}

export class CustomerNotifications extends Construct {
  readonly bus: EventBus;
  readonly deliveryQueue: Queue;
  readonly deadLetterQueues: Queue[];
  readonly functions: TmfFunction[];

  constructor(scope: Construct, id: string, props: CustomerNotificationsProps) {
    super(scope, id);
    const { table } = props;
    this.bus = new EventBus(this, 'Bus', { description: 'TMF629 customer events (CustomerCreateEvent, ...)' });

    const queue = (queueId: string, extra: ConstructorParameters<typeof Queue>[2] = {}) =>
      new Queue(this, queueId, { fifo: true, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, ...extra });
    const deliveryDeadLetters = queue('DeliveryDeadLetters', { retentionPeriod: Duration.days(14) });
    this.deliveryQueue = queue('DeliveryQueue', {
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: deliveryDeadLetters, maxReceiveCount: MAX_DELIVERY_ATTEMPTS },
    });
    // Stream batches that fail every retry are kept here (standard queue: Lambda's on-failure destination).
    const streamDeadLetters = new Queue(this, 'StreamDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterQueues = [deliveryDeadLetters, streamDeadLetters];
    for (const deadLetters of this.deadLetterQueues) {
      Validations.of(deadLetters).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SQS3',
        reason:
          'This is a dead-letter queue: what lands here is kept for inspection and alarms; it needs no queue of its own.',
      });
    }

    const environment: Record<string, string> = {
      [ENV.tableName]: table.tableName,
      [ENV.publicBaseUrl]: props.publicBaseUrl,
    };
    if (props.allowPrivateCallbacks) environment[ENV.allowPrivateCallbacks] = 'true';
    if (props.activeRegionParameter) environment[ENV.activeRegionParameter] = props.activeRegionParameter;
    const publisher = new TmfFunction(this, 'publishCustomerEvents', {
      operationId: 'publishCustomerEvents',
      entry: 'functions/handlers/publishCustomerEvents.ts',
      environment: {
        ...environment,
        [ENV.eventBusName]: this.bus.eventBusName,
        [ENV.deliveryQueueUrl]: this.deliveryQueue.queueUrl,
      },
      logRetention: props.logRetention,
      timeout: Duration.seconds(60),
      otherWildcardReason:
        'reading the table stream needs dynamodb:ListStreams, which supports no resource-level permissions',
    });
    publisher.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(streamDeadLetters),
      }),
    );
    // Reads the hub subscriptions (one partition of the table), publishes, queues.
    const hubOnly = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [HUB_PARTITION] } };
    publisher.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn], conditions: hubOnly }),
    );
    this.bus.grantPutEventsTo(publisher);
    this.deliveryQueue.grantSendMessages(publisher);

    const deliverer = new TmfFunction(this, 'deliverNotifications', {
      operationId: 'deliverNotifications',
      entry: 'functions/handlers/deliverNotifications.ts',
      environment,
      logRetention: props.logRetention,
      timeout: Duration.seconds(30),
    });
    deliverer.addEventSource(new SqsEventSource(this.deliveryQueue, { batchSize: 10, reportBatchItemFailures: true }));
    // Messages never carry the signing secret: the deliverer reads it from the subscription, and nothing else.
    deliverer.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn], conditions: hubOnly }),
    );
    this.functions = [publisher, deliverer];
  }
}
