/**
 * The one place that touches the Kusto language service's untyped global. It is a Bridge.NET build
 * that installs `globalThis.Kusto` when required, so we describe only the members we use and convert
 * its syntax trees into plain objects the rest of the code can walk with full types.
 */
import { createRequire } from 'node:module';
import { getLogger } from '../logger';
import type { WorkspaceSchema } from './schema';

const log = getLogger('kql.languageService');

interface BridgeList<T> {
  Count: number;
  getItem(index: number): T;
}

interface BridgeDiagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
  Length: number;
}

interface BridgeSymbol {
  Name: string;
  Kind: number;
  /** Table symbols only: the columns of a tabular result. */
  Columns?: BridgeList<{ Name: string; Type: BridgeSymbol }>;
}

interface BridgeElement {
  Kind: number;
  IsToken: boolean;
  NameInParent: string | null;
  /** Tokens: cheap. Nodes: recomputed from the whole subtree on each read, so never read for nodes. */
  Width: number;
  /** Width including leading trivia (whitespace, comments); the same caveat as Width. */
  FullWidth: number;
  ChildCount: number;
  GetChild(index: number): BridgeElement | null;
  /** Tokens only. */
  Text?: string;
  ValueText?: string;
  /** Names only. */
  SimpleName?: string;
  /** Expressions after analysis. */
  ReferencedSymbol?: BridgeSymbol | null;
  ResultType?: BridgeSymbol | null;
  /** Calls to query-local functions: errors found in the body as expanded for this call. */
  GetCalledFunctionDiagnostics?(): BridgeList<BridgeDiagnostic> | null;
}

interface BridgeCode {
  Kind: string;
  Syntax: BridgeElement | null;
  GetDiagnostics(): BridgeList<BridgeDiagnostic>;
}

type BridgeGlobals = { WithDatabase(db: unknown): BridgeGlobals };

interface KustoLanguage {
  KustoCode: {
    Parse(text: string, globals: BridgeGlobals | null): BridgeCode;
    ParseAndAnalyze(text: string, globals: BridgeGlobals): BridgeCode;
  };
  GlobalState: { Default: BridgeGlobals };
  Syntax: { SyntaxKind: Record<string, unknown> };
  Symbols: {
    SymbolKind: Record<string, unknown>;
    ScalarTypes: Record<string, unknown>;
    ColumnSymbol: new (
      name: string,
      type: unknown,
      description: null,
      originalColumns: null,
      source: null,
      examples: null,
    ) => unknown;
    TableSymbol: { $ctor4: new (name: string, columns: unknown[]) => unknown };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
  };
}

/** A syntax tree node, copied out of the language service. */
export interface KqlNode {
  /** SyntaxKind name, e.g. 'PipeExpression', 'FilterOperator', 'IdentifierToken'. */
  kind: string;
  /** The role the node plays in its parent ('Left', 'Condition', 'Expression', ...). */
  role: string;
  isToken: boolean;
  /** Raw token text ('' for non-tokens). */
  text: string;
  /** Decoded token value: string literals unquoted and unescaped. */
  value: string;
  /** Simple name of NameReference / NameDeclaration nodes. */
  name: string;
  start: number;
  width: number;
  /** Children; `List` nodes hold their elements directly (separators dropped). */
  children: KqlNode[];
  /** After analysis: kind of the referenced symbol ('Column', 'Table', 'Function', ...). */
  symbolKind: string;
  /** After analysis: the expression's type name ('string', 'datetime', 'dynamic', ...). */
  resultType: string;
  /** After analysis, for tabular expressions: the result's columns as Kusto names and types them. */
  columns?: { name: string; type: string }[];
}

export interface KqlDiagnostic {
  severity: string;
  code: string;
  message: string;
  start: number;
  length: number;
}

export interface ParsedKql {
  /** 'Query' or 'Command' (management command). */
  kind: string;
  root: KqlNode;
  diagnostics: KqlDiagnostic[];
}

let language: KustoLanguage | undefined;
let syntaxKindNames: Map<number, string> = new Map();
let symbolKindNames: Map<number, string> = new Map();

function reverseEnum(values: Record<string, unknown>): Map<number, string> {
  const names = new Map<number, string>();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number' && !key.startsWith('$')) names.set(value, key);
  }
  return names;
}

/** Loads the language service on first use (~0.6 s); later calls are free. */
export function loadLanguageService(): KustoLanguage {
  if (language) return language;
  const started = Date.now();
  // The bridge runtime must be loaded before the package: both attach to globalThis, so they are
  // loaded for their side effects, synchronously, on first use.
  const load = createRequire(__filename);
  load('@kusto/language-service-next/bridge.js');
  load('@kusto/language-service-next');
  const kusto = (globalThis as unknown as { Kusto?: { Language?: unknown } }).Kusto;
  if (!kusto?.Language) throw new Error('The Kusto language service did not install its global');
  const loaded = kusto.Language as KustoLanguage;
  syntaxKindNames = reverseEnum(loaded.Syntax.SyntaxKind);
  symbolKindNames = reverseEnum(loaded.Symbols.SymbolKind);
  language = loaded;
  log.info({ ms: Date.now() - started }, 'Kusto language service loaded');
  return loaded;
}

const SCALAR_TYPE_NAMES: Record<string, string> = {
  string: 'String',
  int: 'Int',
  long: 'Long',
  real: 'Real',
  double: 'Real',
  bool: 'Bool',
  boolean: 'Bool',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  dynamic: 'Dynamic',
  guid: 'Guid',
  decimal: 'Decimal',
};

/** Builds analyzer globals holding one database with the schema's tables. */
export function buildGlobals(schema: WorkspaceSchema): BridgeGlobals {
  const lang = loadLanguageService();
  const symbols = lang.Symbols;
  const tables = Object.entries(schema).map(([table, columns]) => {
    const columnSymbols = columns.map((column) => {
      const typeName = SCALAR_TYPE_NAMES[column.type.toLowerCase()] ?? 'Dynamic';
      return new symbols.ColumnSymbol(column.name, symbols.ScalarTypes[typeName], null, null, null, null);
    });
    return new symbols.TableSymbol.$ctor4(table, columnSymbols);
  });
  const database = new symbols.DatabaseSymbol.ctor('workspace', tables);
  return lang.GlobalState.Default.WithDatabase(database);
}

function readDiagnostics(list: BridgeList<BridgeDiagnostic> | null | undefined, into: KqlDiagnostic[]): void {
  for (let i = 0; i < (list?.Count ?? 0); i++) {
    const d = list?.getItem(i);
    if (!d) continue;
    if (into.some((x) => x.code === d.Code && x.start === d.Start && x.length === d.Length)) continue;
    into.push({ severity: d.Severity, code: d.Code, message: d.Message, start: d.Start, length: d.Length });
  }
}

/**
 * A function taking a table name (`let f = (t:string) { table(t) | where X ... }`) is only checked
 * per call, and those errors are not in GetDiagnostics(); the corpus uses this pattern often.
 */
function collectCalledFunctionDiagnostics(element: BridgeElement, into: KqlDiagnostic[]): void {
  if (element.IsToken) return;
  if (
    syntaxKindNames.get(element.Kind) === 'FunctionCallExpression' &&
    element.GetCalledFunctionDiagnostics
  ) {
    readDiagnostics(element.GetCalledFunctionDiagnostics(), into);
  }
  for (let i = 0; i < element.ChildCount; i++) {
    const child = element.GetChild(i);
    if (child) collectCalledFunctionDiagnostics(child, into);
  }
}

function tableColumns(table: BridgeSymbol): { name: string; type: string }[] | undefined {
  const list = table.Columns;
  if (!list) return undefined;
  const columns: { name: string; type: string }[] = [];
  for (let i = 0; i < list.Count; i++) {
    const column = list.getItem(i);
    columns.push({ name: column.Name, type: column.Type.Name });
  }
  return columns;
}

interface Converted {
  node: KqlNode;
  fullWidth: number;
  /** Whitespace and comments before the node's first token. */
  leading: number;
}

/**
 * Copies the tree out. Widths are summed from the tokens up and offsets handed down: asking the
 * service for a node's Width or TextStart recomputes its whole subtree or walks to the root, which
 * made deep trees (long pipe chains) quadratic.
 */
function convert(element: BridgeElement, fullStart: number): Converted {
  const kind = syntaxKindNames.get(element.Kind) ?? String(element.Kind);
  const children: KqlNode[] = [];
  let fullWidth = 0;
  let leading: number | undefined;
  if (element.IsToken) {
    fullWidth = element.FullWidth;
    leading = element.FullWidth - element.Width;
  }
  for (let i = 0; i < element.ChildCount; i++) {
    const child = element.GetChild(i);
    if (!child) continue;
    const converted = convert(child, fullStart + fullWidth);
    if (leading === undefined && converted.fullWidth > 0) leading = fullWidth + converted.leading;
    fullWidth += converted.fullWidth;
    if (kind === 'List' && converted.node.kind === 'SeparatedElement') {
      const inner = converted.node.children.find((c) => !c.isToken || c.kind !== 'CommaToken');
      if (inner) children.push(inner);
      continue;
    }
    children.push(converted.node);
  }
  const lead = leading ?? fullWidth;
  const symbol = element.IsToken ? null : element.ReferencedSymbol;
  const resultType = element.IsToken ? null : element.ResultType;
  const columns =
    resultType && symbolKindNames.get(resultType.Kind) === 'Table' ? tableColumns(resultType) : undefined;
  const node: KqlNode = {
    kind,
    role: element.NameInParent ?? '',
    isToken: element.IsToken,
    text: element.IsToken ? (element.Text ?? '') : '',
    value: element.IsToken ? (element.ValueText ?? '') : '',
    name: typeof element.SimpleName === 'string' ? element.SimpleName : '',
    start: fullStart + lead,
    width: fullWidth - lead,
    children,
    symbolKind: symbol ? (symbolKindNames.get(symbol.Kind) ?? '') : '',
    resultType: resultType?.Name ?? '',
    ...(columns ? { columns } : {}),
  };
  return { node, fullWidth, leading: lead };
}

function toParsed(code: BridgeCode, analyzed: boolean): ParsedKql {
  const diagnostics: KqlDiagnostic[] = [];
  readDiagnostics(code.GetDiagnostics(), diagnostics);
  if (!code.Syntax) throw new Error('The Kusto parser returned no syntax tree');
  if (analyzed) collectCalledFunctionDiagnostics(code.Syntax, diagnostics);
  return { kind: code.Kind, root: convert(code.Syntax, 0).node, diagnostics };
}

/** Syntax only: no schema, no semantic diagnostics. */
export function parseKql(query: string): ParsedKql {
  return toParsed(loadLanguageService().KustoCode.Parse(query, null), false);
}

/** Syntax and semantics against the given globals (see buildGlobals). */
export function analyzeKql(query: string, globals: BridgeGlobals): ParsedKql {
  return toParsed(loadLanguageService().KustoCode.ParseAndAnalyze(query, globals), true);
}

export type AnalyzerGlobals = BridgeGlobals;

/** Depth-first walk over a converted tree (pre-order; iterative, so deep trees cost linear time). */
export function* descendants(node: KqlNode): Generator<KqlNode> {
  const stack: KqlNode[] = [node];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    yield next;
    for (let i = next.children.length - 1; i >= 0; i--) {
      const child = next.children[i];
      if (child) stack.push(child);
    }
  }
}

/** The child playing `role`, if any. */
export function childByRole(node: KqlNode, role: string): KqlNode | undefined {
  return node.children.find((c) => c.role === role);
}

/** Elements of a List node (arguments, expressions); a lone non-list node counts as one element. */
export function listOf(node: KqlNode | undefined): KqlNode[] {
  if (!node) return [];
  return node.kind === 'List' ? node.children : [node];
}
