/**
 * cfn-lint (AWS's CloudFormation linter, installed on the build machines) over every variant of
 * the template an operator can synthesize: no error-level finding in any.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomerManagementStack, type CustomerManagementStackProps } from './customerManagementStack.js';

const installed = spawnSync('cfn-lint', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'tmf629-cfn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const variants: Record<string, CustomerManagementStackProps> = {
  defaults: {},
  production: {
    env: { account: '123456789012', region: 'eu-west-1' },
    createEncryptionKey: true,
    backup: true,
    alarmEmail: 'ops@example.com',
    webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/tmf/abc',
    domainName: 'api.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666',
    indexedAttributes: ['contactMedium.characteristic.city'],
    functionMemoryMb: 1024,
    integrationClients: ['crm:read', 'billing:read+write'],
    authorizationCodeClients: ['powerPlatform:read+write'],
    protectApiDescription: true,
  },
  iamWithJobs: { authMode: 'iam', importJob: true, analytics: true, corsAllowOrigins: ['https://portal.example.com'] },
  throwAway: { dataRemovalPolicy: 'destroy', legacyListIndex: true, stageName: 'ci', apiReference: false },
};

describe.skipIf(!installed)('cfn-lint', () => {
  it.each(Object.entries(variants))(
    'finds no error in the %s template',
    (name, props) => {
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const template = Template.fromStack(new CustomerManagementStack(app, `Lint${name}`, props)).toJSON();
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(template));
      let output = '';
      try {
        output = execFileSync('cfn-lint', ['--format', 'parseable', file], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? '');
      }
      const errors = output.split('\n').filter((line) => /:E\d{4}:/.test(line));
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
