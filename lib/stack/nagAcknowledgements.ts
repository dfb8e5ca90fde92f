/** The cdk-nag findings the stack accepts on purpose, in one place, each with its reason. */
import { Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ApiAuthorization } from '../apiAuthorization.js';
import type { CustomerManagementStackProps } from './props.js';

/** cdk-nag (AwsSolutions) findings that are deliberate, each with the reason a reviewer needs. */
export function acknowledgeNagFindings(
  stack: { readonly api: RestApi; readonly authorization: ApiAuthorization; readonly table: ITableV2 },
  props: CustomerManagementStackProps,
): void {
  Validations.of(stack.api).acknowledge({
    id: 'AwsSolutions::AwsSolutions-APIG6',
    reason:
      'Stage access logs (JSON) and X-Ray tracing are on; execution logging needs the account-wide API Gateway CloudWatch role, which CSPs manage centrally, so it is left to them.',
  });
  if (!props.webAclArn) {
    Validations.of(stack.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG3',
      reason:
        'WAF is optional (-c webAclArn=...): the API is authorised per method and throttled per stage; a CSP attaches its own web ACL.',
    });
  }
  if (stack.authorization.mode === 'iam') {
    Validations.of(stack.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason: 'authMode=iam: every method requires SigV4 (IAM) authorisation instead of a Cognito authorizer.',
    });
  }
  if (stack.authorization.userPool) {
    Validations.of(stack.authorization.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG3',
      reason:
        stack.authorization.authorizationCodeClients.size > 0
          ? "Sign-ins are those of the few integration makers an operator adds (self sign-up is off, MFA is required); the Plus plan with threat protection is the CSP's choice."
          : 'The pool serves machine clients (client-credentials grant) only; there are no end-user sign-ins for threat protection to watch.',
    });
    Validations.of(stack.authorization.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        stack.authorization.authorizationCodeClients.size > 0
          ? 'The Plus feature plan adds threat protection for user sign-ins; the only people signing in are integration makers an operator adds, with MFA.'
          : 'The Plus feature plan adds threat protection for user sign-ins; this pool only issues client-credentials tokens to machine clients.',
    });
  }
  if (props.corsAllowOrigins && props.corsAllowOrigins.length > 0) {
    Validations.of(stack.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason: 'CORS preflight (OPTIONS) must answer without credentials; every other method is authorised.',
    });
    Validations.of(stack.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason:
        'CORS preflight (OPTIONS) must answer without credentials; every other method uses the Cognito authorizer.',
    });
  }
  // A secondary Region's replica is made by the primary stack, which acknowledges it there.
  if (!props.backup && stack.table instanceof TableV2) {
    Validations.of(stack.table).acknowledge({
      id: 'AwsSolutions::AwsSolutions-DDB4',
      reason: 'Point-in-time recovery (35 days, continuous) is on; an AWS Backup plan is optional (-c backup=true).',
    });
  }
}
