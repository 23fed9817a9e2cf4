import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths';

/**
 * Azurite's blob service (the npm package, in memory, no Docker) as a child process on a free port.
 * Used by the vitest globalSetup (one per test run) and by benches.
 */
export interface RunningAzurite {
  /** Blob endpoint including the account, e.g. http://127.0.0.1:41234/devstoreaccount1 */
  blobEndpoint: string;
  /** A connection string for AZURE_STORAGE_CONNECTION_STRING. */
  connectionString: string;
  stop(): Promise<void>;
}

const AZURITE_DIST = path.join(REPO_ROOT, 'node_modules', 'azurite', 'dist', 'src', 'blob');
// Azurite's fixed development account (public and documented, not a secret), read from the package
// itself so it always matches the Azurite that runs (the package ships no type declarations).
const constants = readFileSync(path.join(AZURITE_DIST, 'utils', 'constants.js'), 'utf8');
const ACCOUNT = constantOf('EMULATOR_ACCOUNT_NAME');
const ACCOUNT_KEY = constantOf('EMULATOR_ACCOUNT_KEY_STR');

function constantOf(name: string): string {
  const value = new RegExp(`exports\\.${name} = "([^"]+)"`).exec(constants)?.[1];
  if (value === undefined) throw new Error(`azurite: ${name} not found in its constants.js`);
  return value;
}
const STARTUP_TIMEOUT_MS = 30_000;
/**
 * Runs Azurite's main module in a process that exits when its stdin closes, i.e. when the test run that
 * started it ends in any way (even killed), so no Azurite is ever left behind.
 */
const EXIT_WITH_PARENT = [
  "process.stdin.on('end', () => process.exit(0)).resume();",
  'const [main, ...args] = process.argv.slice(1);',
  'process.argv = [process.argv[0], main, ...args];',
  'require(main);',
].join(' ');

export function azuriteConnectionString(blobEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};BlobEndpoint=${blobEndpoint};`;
}

export async function startAzurite(): Promise<RunningAzurite> {
  const workdir = mkdtempSync(path.join(os.tmpdir(), 'azurite-'));
  const child = spawn(
    process.execPath,
    [
      '-e',
      EXIT_WITH_PARENT,
      path.join(AZURITE_DIST, 'main.js'),
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '512',
      '--disableTelemetry',
      '--silent',
      // The storage SDK may speak a newer service version than this Azurite knows; the calls we make exist in both.
      '--skipApiVersionCheck',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
    ],
    // In memory, Azurite still wants a working directory it may touch; a throw-away one.
    { cwd: workdir, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('did not start in time')), STARTUP_TIMEOUT_MS);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Azurite: ${err.message}\n${output}`));
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited with code ${code ?? 'signal'}`)));
  });
  // Keep draining so a full pipe never blocks Azurite; the output is only shown on a startup failure.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  const blobEndpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: azuriteConnectionString(blobEndpoint),
    stop: () => stopChild(child, workdir),
  };
}

async function stopChild(child: ChildProcess, workdir: string): Promise<void> {
  child.removeAllListeners('exit');
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(workdir, { recursive: true, force: true });
}
