import type { TestProject } from 'vitest/node';
import { startAzurite } from './azurite';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the Azurite blob service this test run started (in memory). */
    azuriteConnectionString: string;
  }
}

/** One Azurite for the whole run, started and stopped by the test command; tests `inject` its address. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  project.provide('azuriteConnectionString', azurite.connectionString);
  return () => azurite.stop();
}
