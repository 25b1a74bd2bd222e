import { defineConfig } from 'vitest/config';
import { projectsFor } from './tests/setup/projects.ts';

const integration = ['tests/integration/**/*.test.ts'];

export default defineConfig(async () => {
  // outside CI, no Chromium or no PostGIS server skips those tests, saying what to install
  const run = await projectsFor(process.env);
  return {
    test: {
      // two files at a time: vitest's default on a 2-core machine is one (cores − 1), and the
      // integration files wait on servers, processes and the database much of their time; the
      // browser files still run one at a time, after the others (fileParallelism below)
      maxWorkers: 2,
      testTimeout: 60_000,
      hookTimeout: 180_000,
      projects: [
        { extends: true as const, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
        {
          extends: true as const,
          test: {
            name: 'embedded',
            include: [...integration, 'tests/embedded-only/**/*.test.ts'],
            env: { TEST_DB: 'embedded' },
            globalSetup: ['tests/setup/globalEmbedded.ts'],
          },
        },
        ...(run.browser
          ? [
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
            ]
          : []),
        ...(run.server
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
  };
});
