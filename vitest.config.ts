import { defineConfig } from 'vitest/config';

// `npm run test:unit`: no engine, seconds. `npm run test:integration`: over HTTP against the local
// engine. `npm test` runs both.
const unit = [
  'bin/**/*.test.ts',
  'functions/**/*.test.ts',
  'lib/**/*.test.ts',
  'local/**/*.test.ts',
  'scripts/**/*.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setupMatchers.ts'],
    env: {
      // Powertools' own settings (it reads them itself): no log or EMF noise in test output.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    // Integration tests drive a real engine over HTTP; on a busy 2-core CI machine some take 20 s
    // (they took 10 s here). A limit three times their worst observed run keeps them from flaking.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unit } },
      {
        extends: true,
        // Integration tests share one local API (real DynamoDB Local) started here.
        test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/globalSetup.ts'] },
      },
    ],
  },
});
