import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    // Azurite (Azure Blob Storage emulator, in memory) for the STORAGE=azure tests; see test/support/azurite.ts.
    globalSetup: ['test/support/azuriteGlobalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers on loopback ports; files run in parallel, tests inside a file in order.
    pool: 'forks',
    fileParallelism: true,
  },
});
