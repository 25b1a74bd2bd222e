import { defineConfig } from 'vitest/config';

const integration = ['tests/integration/**/*.test.ts'];
const serverUrl = process.env.TEST_DATABASE_URL;
if (process.env.CI === 'true' && !serverUrl) {
  throw new Error(
    'CI=true needs TEST_DATABASE_URL: the integration tests must run against a real PostGIS server too',
  );
}

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true as const, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true as const,
        test: {
          name: 'embedded',
          include: integration,
          env: { TEST_DB: 'embedded' },
          globalSetup: ['tests/setup/globalEmbedded.ts'],
        },
      },
      {
        extends: true as const,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          env: { TEST_DB: 'embedded' },
          globalSetup: ['tests/setup/globalEmbedded.ts', 'tests/setup/globalClient.ts'],
          // one Chromium at a time: each renders WebGL in software on a 2-core machine
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
      ...(serverUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'server',
                include: [...integration, 'tests/server-only/**/*.test.ts'],
                env: { TEST_DB: 'server' },
                globalSetup: ['tests/setup/globalServer.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
