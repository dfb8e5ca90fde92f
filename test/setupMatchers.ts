// Matchers such as toHaveReceivedCommandWith for aws-sdk-client-mock, in every test file.
import 'aws-sdk-client-mock-vitest/extend';
