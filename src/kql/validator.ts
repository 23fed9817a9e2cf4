import {
  analyzeKql,
  buildGlobals,
  childByRole,
  descendants,
  parseKql,
  type AnalyzerGlobals,
  type KqlDiagnostic,
  type KqlNode,
} from './languageService';
import type { WorkspaceSchema } from './schema';

export interface KqlIssue {
  /** Language service code (KS142 unknown column, KS204 unknown table, ...) or MANAGEMENT_COMMAND. */
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
}

export interface KqlDiagnostics {
  valid: boolean;
  errors: KqlIssue[];
  warnings: KqlIssue[];
  /** Workspace tables the query reads. */
  tables: string[];
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

/**
 * Checks a query with the Kusto language service against the workspace schema. Only error-severity
 * diagnostics make it invalid: warnings (deprecated names such as makeset) still run in Log Analytics.
 */
export async function validateKql(query: string, schema: WorkspaceSchema): Promise<KqlDiagnostics> {
  const analyzed = analyzeKql(query, globalsFor(schema));
  const errors: KqlIssue[] = [];
  const warnings: KqlIssue[] = [];
  for (const diagnostic of analyzed.diagnostics) {
    const issue = toIssue(query, diagnostic);
    if (diagnostic.severity === 'Error') errors.push(issue);
    else if (diagnostic.severity === 'Warning') warnings.push(issue);
  }
  if (!isReadOnlyTree(analyzed.kind, analyzed.root)) {
    errors.unshift(
      toIssue(query, {
        code: 'MANAGEMENT_COMMAND',
        message: 'Management commands (starting with ".") are not allowed; only read-only queries run.',
        start: firstSignificantOffset(query),
        length: 0,
      }),
    );
  }
  const tables = new Set<string>();
  for (const node of descendants(analyzed.root)) {
    if (node.kind === 'NameReference' && node.symbolKind === 'Table' && node.name in schema)
      tables.add(node.name);
  }
  // table("X") inside query-local functions is resolved only at call time; count literal names too.
  if (mentionsTableCall(analyzed.root)) {
    for (const node of descendants(analyzed.root)) {
      if (node.kind === 'StringLiteralToken' && node.value in schema) tables.add(node.value);
    }
  }
  return { valid: errors.length === 0, errors, warnings, tables: [...tables].sort() };
}

function mentionsTableCall(root: KqlNode): boolean {
  for (const node of descendants(root)) {
    if (node.kind === 'FunctionCallExpression' && childByRole(node, 'Name')?.name === 'table') return true;
  }
  return false;
}

function firstSignificantOffset(query: string): number {
  const match = /^(?:\s|\/\/[^\n]*(?:\n|$))*/.exec(query);
  return match ? match[0].length : 0;
}

function isReadOnlyTree(kind: string, root: KqlNode): boolean {
  if (kind !== 'Query') return false;
  for (const node of descendants(root)) {
    if (node.kind.includes('Command')) return false;
    // The parser skips a trailing `; .drop table X` instead of failing; the dot still marks a command.
    if (node.kind === 'SkippedTokens' && [...descendants(node)].find((n) => n.isToken)?.kind === 'DotToken')
      return false;
  }
  return true;
}

/** False for management (control) commands such as `.drop table`, `.set`, `.append`. */
export function isReadOnlyQuery(query: string): boolean {
  if (query.slice(firstSignificantOffset(query)).startsWith('.')) return false;
  const parsed = parseKql(query);
  return isReadOnlyTree(parsed.kind, parsed.root);
}

const BOUNDING_OPERATORS = new Set(['TakeOperator', 'TopOperator', 'CountOperator', 'SummarizeOperator']);

/** The last expression statement of the query block: the tabular result Log Analytics returns. */
function finalExpression(root: KqlNode): KqlNode | undefined {
  const statements = childByRole(root, 'Statements');
  const last = statements?.children.filter((s) => s.kind === 'ExpressionStatement').at(-1);
  return last ? childByRole(last, 'Expression') : undefined;
}

/**
 * Appends `| take cap` unless the final tabular expression already bounds its rows (take/limit, top,
 * count, summarize anywhere along its pipe chain). Decided on the syntax tree, so a `take` inside a
 * string, a comment or a subquery does not count.
 */
export function applyRowCap(query: string, cap: number): string {
  if (!Number.isInteger(cap) || cap <= 0)
    throw new RangeError(`Row cap must be a positive integer, got ${cap}`);
  const parsed = parseKql(query);
  let expression = parsed.kind === 'Query' ? finalExpression(parsed.root) : undefined;
  if (!expression) return query;
  while (expression) {
    if (expression.kind === 'ParenthesizedExpression') {
      expression = childByRole(expression, 'Expression');
      continue;
    }
    if (expression.kind !== 'PipeExpression') break;
    const operator = childByRole(expression, 'Operator');
    if (operator && BOUNDING_OPERATORS.has(operator.kind)) return query;
    expression = childByRole(expression, 'Expression');
  }
  if (expression && BOUNDING_OPERATORS.has(expression.kind)) return query;
  const trimmed = query.replace(/[\s;]+$/, '');
  return `${trimmed}\n| take ${cap}`;
}

export interface ColumnReference {
  name: string;
  start: number;
  length: number;
}

/** Where the query reads columns (resolved by the analyzer), e.g. to explain or to test the validator. */
export function columnReferences(query: string, schema: WorkspaceSchema): ColumnReference[] {
  const analyzed = analyzeKql(query, globalsFor(schema));
  const references: ColumnReference[] = [];
  for (const node of descendants(analyzed.root)) {
    if (node.kind === 'NameReference' && node.symbolKind === 'Column') {
      references.push({ name: node.name, start: node.start, length: node.width });
    }
  }
  return references;
}
