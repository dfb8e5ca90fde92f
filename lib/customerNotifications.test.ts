/** Template assertions for notification delivery: stream, bus, queues, dead letters and grants. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustomerManagementStack } from './customerManagementStack.js';

type Resource = { Properties: Record<string, any> };
let template: Template;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new CustomerManagementStack(app, 'Test'));
});

function functionId(description: string): string {
  const [id] = Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>).find(
    ([, fn]) => fn.Properties.Description === description,
  ) ?? [''];
  return id;
}

/** The DynamoDB statements of a function's role. */
function dynamoStatementsOf(description: string): { Action: string | string[]; Condition?: unknown }[] {
  const fn = (template.findResources('AWS::Lambda::Function') as Record<string, Resource>)[functionId(description)];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: unknown }[])
    .filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
}

function actionsOf(description: string): string[] {
  const fn = (template.findResources('AWS::Lambda::Function') as Record<string, Resource>)[functionId(description)];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat()),
    );
}

describe('notifications', () => {
  it('streams the table with old and new images', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('publishes from the stream with retries, bisection and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('TMF629 publishCustomerEvents') },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });

  it('delivers from an encrypted FIFO queue whose failures land, after 8 attempts, in a dead-letter queue', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue') as Record<string, Resource>);
    const delivery = queues.find((q) => q.Properties.RedrivePolicy);
    expect(delivery?.Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { maxReceiveCount: 8 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('TMF629 deliverNotifications') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const queue of queues) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('grants each notification function only what it does', () => {
    const publisher = actionsOf('TMF629 publishCustomerEvents');
    expect(publisher).toEqual(expect.arrayContaining(['dynamodb:Query', 'events:PutEvents', 'dynamodb:GetRecords']));
    expect(publisher.some((a) => a.startsWith('sqs:SendMessage'))).toBe(true);
    expect(publisher).not.toContain('dynamodb:PutItem');
    const deliverer = actionsOf('TMF629 deliverNotifications');
    // Its one read: the subscription, for the signing secret that messages no longer carry.
    expect(deliverer.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(deliverer).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage']),
    );
    expect(actionsOf('TMF629 registerListener').filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:PutItem']);
    expect(actionsOf('TMF629 retrieveListener').filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    expect(actionsOf('TMF629 unregisterListener').filter((a) => a.startsWith('dynamodb:'))).toEqual([
      'dynamodb:DeleteItem',
    ]);
  });

  it('keeps the hub functions, the publisher and the deliverer to the subscription items (LeadingKeys HUB)', () => {
    for (const name of [
      'registerListener',
      'retrieveListener',
      'unregisterListener',
      'publishCustomerEvents',
      'deliverNotifications',
    ]) {
      const tableStatements = dynamoStatementsOf(`TMF629 ${name}`).filter(
        (s) => ![s.Action].flat().some((a) => /Stream|GetRecords|GetShardIterator|DescribeStream/.test(a)),
      );
      expect(tableStatements.length, name).toBeGreaterThan(0);
      for (const statement of tableStatements) {
        expect(statement.Condition, name).toEqual({
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['HUB'] },
        });
      }
    }
  });

  it('alarms when a dead-letter queue holds anything', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
  });

  it('refuses private callbacks by default, and accepts them when configured', () => {
    const env = (t: Template, description: string) =>
      Object.values(t.findResources('AWS::Lambda::Function') as Record<string, Resource>).find(
        (fn) => fn.Properties.Description === description,
      )?.Properties.Environment.Variables;
    expect(env(template, 'TMF629 registerListener').ALLOW_PRIVATE_CALLBACKS).toBeUndefined();
    expect(env(template, 'TMF629 deliverNotifications').ALLOW_PRIVATE_CALLBACKS).toBeUndefined();
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const open = Template.fromStack(new CustomerManagementStack(app, 'Open', { allowPrivateCallbacks: true }));
    expect(env(open, 'TMF629 registerListener').ALLOW_PRIVATE_CALLBACKS).toBe('true');
    expect(env(open, 'TMF629 deliverNotifications').ALLOW_PRIVATE_CALLBACKS).toBe('true');
  });
});
