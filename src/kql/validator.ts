/**
 * KQL validation for everything the bot offers to run. The analysis runs on a worker thread, so a
 * large query never stalls the bot's event loop; where no worker can start it runs in-process, one
 * query per event-loop turn.
 */
import { checkQuery, firstSignificantOffset, type KqlDiagnostics } from './analysis';
import { BoundedWorker, isWorkerFailure, workerEntry, type WorkerFailure } from './boundedWorker';
import { checkQueryBounds, KqlInputError } from './inputBounds';
import { parseKql } from './languageService';
import { getLogger } from '../logger';
import { findRefusal, managementCommand, type Refusal } from './readOnly';
import { applyRowCap } from './rowCap';
import { isBundledTable, type WorkspaceSchema } from './schema';
import type { ValidationRequest } from './validationWorker';

export { columnReferences, type ColumnReference, type KqlDiagnostics, type KqlIssue } from './analysis';
export { applyRowCap } from './rowCap';

const log = getLogger('kql.validator');

/** A validation taking longer than this is ended (the bounded input makes it far slower than any real one). */
export const VALIDATION_TIMEOUT_MS = 15_000;
const VALIDATION_HEAP_MB = 512;

export interface ValidateOptions {
  /** When set and the query is valid, `cappedQuery` is the query with `| take rowCap` where needed. */
  rowCap?: number;
}

export type ValidatedKql = KqlDiagnostics & { cappedQuery?: string };

let worker: BoundedWorker<ValidationRequest, ValidatedKql> | undefined;
let workerUnavailable = false;

function validationWorker(): BoundedWorker<ValidationRequest, ValidatedKql> {
  worker ??= new BoundedWorker(workerEntry(__filename, 'validationWorker'), {
    maxHeapMb: VALIDATION_HEAP_MB,
    timeoutMs: VALIDATION_TIMEOUT_MS,
  });
  return worker;
}

/** Stops the validation worker (tests, shutdown); the next validation starts a new one. */
export async function stopValidationWorker(): Promise<void> {
  await worker?.close();
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/** In-process fallback: one validation per event-loop turn, so I/O is served between them. */
function inProcess(request: ValidationRequest): Promise<ValidatedKql> {
  const run = inProcessQueue.then(
    () =>
      new Promise<ValidatedKql>((resolve, reject) => {
        setImmediate(() => {
          try {
            const result = checkQuery(request.query, request.schema);
            const capped =
              result.valid && request.rowCap !== undefined
                ? applyRowCap(request.query, request.rowCap)
                : undefined;
            resolve(capped === undefined ? result : { ...result, cappedQuery: capped });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      }),
  );
  inProcessQueue = run.catch(() => undefined);
  return run;
}

function failedValidation(failure: WorkerFailure): ValidatedKql {
  const message =
    failure.failed === 'timeout'
      ? `Checking the query took longer than ${Math.round(failure.ms / 1000)} s, so it was not checked; simplify it.`
      : failure.failed === 'memory'
        ? 'Checking the query needed more memory than allowed, so it was not checked; simplify it.'
        : 'The query could not be checked (the validator failed); nothing was run.';
  const issue = { code: 'VALIDATION_FAILED', message, start: 0, length: 0, line: 1, column: 1, snippet: '' };
  return { valid: false, errors: [issue], warnings: [], tables: [] };
}

/**
 * Checks a query with the Kusto language service against the workspace schema. Only error-severity
 * diagnostics make it invalid: warnings (deprecated names such as makeset) still run in Log Analytics.
 * Queries over the input limits, and queries the read-only check refuses, are invalid too.
 */
export async function validateKql(
  query: string,
  schema: WorkspaceSchema,
  options: ValidateOptions = {},
): Promise<ValidatedKql> {
  const bundledTables = Object.entries(schema)
    .filter(([, columns]) => isBundledTable(columns))
    .map(([table]) => table);
  const request: ValidationRequest = { query, schema, bundledTables, rowCap: options.rowCap };
  if (workerUnavailable) return inProcess(request);
  const answer = await validationWorker().run(request);
  if (!isWorkerFailure(answer)) return answer;
  if (answer.failed === 'crash' && /did not start|Cannot find|ERR_MODULE|ENOENT/i.test(answer.message)) {
    log.warn({ err: answer.message }, 'validation worker cannot start; validating in-process');
    workerUnavailable = true;
    return inProcess(request);
  }
  return failedValidation(answer);
}

/**
 * Why the query may not run, checked before anything else: input limits, then the read-only check
 * (management commands, external data, cross-workspace references, outbound plugins, generators).
 */
export function readOnlyRefusal(query: string): Refusal | undefined {
  try {
    checkQueryBounds(query);
  } catch (error) {
    if (!(error instanceof KqlInputError)) throw error;
    return { code: error.code, reason: error.message.replace(/\.$/, ''), start: error.offset, length: 0 };
  }
  const first = firstSignificantOffset(query);
  if (query.slice(first).startsWith('.')) return managementCommand({ start: first, width: 1 });
  const parsed = parseKql(query);
  return findRefusal(parsed.kind, parsed.root);
}

/** False for management commands (`.drop table`, `.set`) and for anything else the read-only check refuses. */
export function isReadOnlyQuery(query: string): boolean {
  return readOnlyRefusal(query) === undefined;
}
