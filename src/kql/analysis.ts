/**
 * The validation itself, synchronous: input bounds, the read-only check, and the Kusto language
 * service's diagnostics against the schema (with the leniencies of schemaLeniency.ts). It runs on the
 * validation worker (see validator.ts), or in-process where no worker can start.
 */
import { checkQueryBounds, KqlInputError } from './inputBounds';
import {
  analyzeKql,
  buildGlobals,
  childByRole,
  descendants,
  type AnalyzerGlobals,
  type KqlDiagnostic,
  type KqlNode,
} from './languageService';
import { findRefusal, type Refusal } from './readOnly';
import type { WorkspaceSchema } from './schema';
import { prepareForAnalysis } from './schemaLeniency';
import { closestName } from './suggest';

export interface KqlIssue {
  /**
   * Language service code (KS142 unknown column, KS204 unknown table, ...); a refusal of the read-only
   * check (MANAGEMENT_COMMAND, EXTERNAL_DATA, CROSS_SCOPE, PLUGIN, GENERATOR); or an input limit
   * (QUERY_TOO_LONG, QUERY_TOO_DEEP).
   */
  code: string;
  message: string;
  /** Character offset and length in the query. */
  start: number;
  length: number;
  /** 1-based. */
  line: number;
  column: number;
  /** The offending text, or the line it sits on when the issue has no width. */
  snippet: string;
  /** For an unknown column: the closest column of the tables the query reads ("did you mean"). */
  suggestion?: string;
}

export interface KqlDiagnostics {
  valid: boolean;
  errors: KqlIssue[];
  warnings: KqlIssue[];
  /** Workspace tables the query reads. */
  tables: string[];
  /** Set when the read-only check refused the query: the reason the user reads after "refused:". */
  refusal?: string;
}

const globalsBySchema = new WeakMap<WorkspaceSchema, AnalyzerGlobals>();
const globalsByContent = new Map<string, AnalyzerGlobals>();
const MAX_CACHED_SCHEMAS = 16;

function globalsFor(schema: WorkspaceSchema): AnalyzerGlobals {
  const byIdentity = globalsBySchema.get(schema);
  if (byIdentity) return byIdentity;
  const key = JSON.stringify(schema);
  let globals = globalsByContent.get(key);
  if (!globals) {
    globals = buildGlobals(schema);
    if (globalsByContent.size >= MAX_CACHED_SCHEMAS) {
      const oldest = globalsByContent.keys().next();
      if (!oldest.done) globalsByContent.delete(oldest.value);
    }
    globalsByContent.set(key, globals);
  }
  globalsBySchema.set(schema, globals);
  return globals;
}

function toIssue(
  query: string,
  diagnostic: Pick<KqlDiagnostic, 'code' | 'message' | 'start' | 'length'>,
): KqlIssue {
  const start = Math.max(0, Math.min(diagnostic.start, query.length));
  const before = query.slice(0, start);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = query.indexOf('\n', start);
  const lineText = query.slice(lineStart, lineEnd < 0 ? query.length : lineEnd).trim();
  const text = query.slice(start, start + diagnostic.length).trim();
  return {
    code: diagnostic.code,
    message: diagnostic.message,
    start,
    length: diagnostic.length,
    line,
    column: start - lineStart + 1,
    snippet: (text !== '' ? text : lineText).slice(0, 160),
  };
}

const MANAGEMENT_MESSAGE =
  'Management commands (starting with ".") are not allowed; only read-only queries run.';

function refusalIssue(query: string, refusal: Refusal): KqlIssue {
  return toIssue(query, {
    code: refusal.code,
    message: refusal.code === 'MANAGEMENT_COMMAND' ? MANAGEMENT_MESSAGE : `Refused: ${refusal.reason}.`,
    start: refusal.code === 'MANAGEMENT_COMMAND' ? firstSignificantOffset(query) : refusal.start,
    length: refusal.code === 'MANAGEMENT_COMMAND' ? 0 : refusal.length,
  });
}

export function checkQuery(query: string, schema: WorkspaceSchema): KqlDiagnostics {
  try {
    checkQueryBounds(query);
  } catch (error) {
    if (!(error instanceof KqlInputError)) throw error;
    const issue = toIssue(query, {
      code: error.code,
      message: error.message,
      start: error.offset,
      length: 0,
    });
    return {
      valid: false,
      errors: [issue],
      warnings: [],
      tables: [],
      refusal: error.message.replace(/\.$/, ''),
    };
  }
  const prepared = prepareForAnalysis(query, schema);
  const analyzed = analyzeKql(prepared.text, globalsFor(prepared.schema));
  const tables = tablesRead(analyzed.root, schema);
  const columns = tables.flatMap((t) => (prepared.schema[t] ?? []).map((c) => c.name));
  const errors: KqlIssue[] = [];
  const warnings: KqlIssue[] = [];
  for (const diagnostic of analyzed.diagnostics) {
    const start = prepared.toOriginal(diagnostic.start);
    const end = prepared.toOriginal(diagnostic.start + diagnostic.length);
    const issue = toIssue(query, { ...diagnostic, start, length: Math.max(0, end - start) });
    if (diagnostic.severity === 'Error') errors.push(withSuggestion(issue, columns));
    else if (diagnostic.severity === 'Warning') warnings.push(issue);
  }
  const refusal = findRefusal(analyzed.kind, analyzed.root);
  if (refusal) {
    const start = prepared.toOriginal(refusal.start);
    const end = prepared.toOriginal(refusal.start + refusal.length);
    errors.unshift(refusalIssue(query, { ...refusal, start, length: Math.max(0, end - start) }));
  }
  return {
    valid: errors.length === 0,
    errors,
    warnings,
    tables,
    ...(refusal ? { refusal: refusal.reason } : {}),
  };
}

/** KS142 (unknown name) gets the closest column of the tables read, e.g. IpAddr → IPAddress. */
function withSuggestion(issue: KqlIssue, columns: string[]): KqlIssue {
  if (issue.code !== 'KS142' || issue.snippet === '') return issue;
  const suggestion = closestName(issue.snippet, columns);
  if (suggestion === undefined || suggestion === issue.snippet) return issue;
  return { ...issue, message: `${issue.message} Did you mean '${suggestion}'?`, suggestion };
}

function tablesRead(root: KqlNode, schema: WorkspaceSchema): string[] {
  const tables = new Set<string>();
  for (const node of descendants(root)) {
    if (node.kind === 'NameReference' && node.symbolKind === 'Table' && node.name in schema)
      tables.add(node.name);
  }
  // table("X") inside query-local functions is resolved only at call time; count literal names too.
  if (mentionsTableCall(root)) {
    for (const node of descendants(root)) {
      if (node.kind === 'StringLiteralToken' && node.value in schema) tables.add(node.value);
    }
  }
  return [...tables].sort();
}

function mentionsTableCall(root: KqlNode): boolean {
  for (const node of descendants(root)) {
    if (node.kind === 'FunctionCallExpression' && childByRole(node, 'Name')?.name === 'table') return true;
  }
  return false;
}

export function firstSignificantOffset(query: string): number {
  const match = /^(?:\s|\/\/[^\n]*(?:\n|$))*/.exec(query);
  return match ? match[0].length : 0;
}

export interface ColumnReference {
  name: string;
  start: number;
  length: number;
}

/** Where the query reads columns (resolved by the analyzer), e.g. to explain or to test the validator. */
export function columnReferences(query: string, schema: WorkspaceSchema): ColumnReference[] {
  checkQueryBounds(query);
  const prepared = prepareForAnalysis(query, schema);
  const analyzed = analyzeKql(prepared.text, globalsFor(prepared.schema));
  const references: ColumnReference[] = [];
  for (const node of descendants(analyzed.root)) {
    if (node.kind === 'NameReference' && node.symbolKind === 'Column') {
      references.push({ name: node.name, start: prepared.toOriginal(node.start), length: node.width });
    }
  }
  return references;
}
