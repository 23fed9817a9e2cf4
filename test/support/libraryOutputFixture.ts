/**
 * Run as its own process by test/logger.test.ts: what a library prints (teams-ai's `console.log(err)` of
 * an upstream 401 that echoes the API key, botbuilder's `console.error`, Node's DEP0111 warning) once the
 * entry point has routed library output through the redacting logger.
 */
import { configureLogging, registerSecrets, routeLibraryOutput } from '../../src/logger';

const key = process.argv[2] ?? 'sk-missing';
registerSecrets([key]);
routeLibraryOutput();
configureLogging('debug');
console.log(new Error(`401 Incorrect API key provided: ${key}. You can find your API key elsewhere.`));
console.error('upstream body:', JSON.stringify({ error: { message: `bad key ${key}` } }));
console.warn('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln');
process.emitWarning(
  "Access to process.binding('http_parser') is deprecated.",
  'DeprecationWarning',
  'DEP0111',
);
setTimeout(() => process.exit(0), 50);
