/** CDK app: `npx cdk deploy` puts the TMF629 Customer Management API into the current account. */
import { App } from 'aws-cdk-lib';
import { CustomerManagementStack } from '../lib/customerManagementStack.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

new CustomerManagementStack(app, context('stackName') ?? 'Tmf629CustomerManagement', {
  stageName: context('stageName'),
  publicBaseUrl: context('publicBaseUrl'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
