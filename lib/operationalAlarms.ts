/**
 * Alarms an operations team expects on a customer master API, all sent to one SNS topic:
 * API 5xx rate, API p99 latency, Lambda throttles, DynamoDB throttling.
 */
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperationalAlarmsProps {
  readonly api: RestApi;
  readonly functions: readonly IFunction[];
  readonly table: ITableV2;
  /** Optional address subscribed to the alarm topic. */
  readonly alarmEmail?: string;
  /** p99 latency (ms) above which the API alarms (default 2000). */
  readonly latencyP99Ms?: number;
  /** Share of requests answering 5xx (%) above which the API alarms (default 1). */
  readonly serverErrorPercent?: number;
}

export class OperationalAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'TMF629 Customer Management alarms',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const period = Duration.minutes(5);

    this.add('ServerErrorRate', {
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period, statistic: 'Sum' }),
          requests: props.api.metricCount({ period, statistic: 'Sum' }),
        },
        period,
        label: '5xx %',
      }),
      threshold: props.serverErrorPercent ?? 1,
      description: 'More than the allowed share of API requests answered 5xx',
    });
    this.add('LatencyP99', {
      metric: props.api.metricLatency({ period, statistic: 'p99' }),
      threshold: props.latencyP99Ms ?? 2000,
      description: 'API p99 latency is above budget',
    });
    // A math expression takes at most 10 metrics: one alarm per 10 functions (v4 and v5 have 8 each).
    for (let start = 0; start < props.functions.length; start += 10) {
      const group = props.functions.slice(start, start + 10);
      this.add(start === 0 ? 'LambdaThrottles' : `LambdaThrottles${start / 10 + 1}`, {
        metric: new MathExpression({
          expression: group.map((_, i) => `t${i}`).join(' + '),
          usingMetrics: Object.fromEntries(
            group.map((fn, i) => [`t${i}`, fn.metricThrottles({ period, statistic: 'Sum' })]),
          ),
          period,
          label: 'throttled invocations',
        }),
        threshold: 0,
        description: 'Lambda invocations are being throttled (concurrency limit reached)',
      });
    }
    this.add('DynamoDbThrottles', {
      metric: new MathExpression({
        expression: 'reads + writes',
        usingMetrics: {
          reads: props.table.metric('ReadThrottleEvents', { period, statistic: 'Sum' }),
          writes: props.table.metric('WriteThrottleEvents', { period, statistic: 'Sum' }),
        },
        period,
        label: 'throttled DynamoDB events',
      }),
      threshold: 0,
      description: 'DynamoDB requests are being throttled',
    });
  }

  add(id: string, options: { metric: IMetric; threshold: number; description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    this.notify(alarm);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Sends an alarm made elsewhere (replication, failover) to the same topic. */
  notify(alarm: Alarm): void {
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
  }
}
