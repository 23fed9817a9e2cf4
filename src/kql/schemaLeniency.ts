/**
 * Two places where the language service, given the bundled schema, would reject a query that a real
 * workspace runs. Both are handled by preparing what the analyzer sees, never by dropping its errors:
 *
 * 1. AzureDiagnostics is an open table: each Azure resource that sends diagnostics adds columns named
 *    `<field>_s` (string), `_d` (real), `_g` (guid), `_b` (bool) or `_t` (datetime). The bundled list
 *    cannot know them, so while AzureDiagnostics comes from that list (not from the workspace's own
 *    getschema), a name with one of those suffixes that the query uses is taken as a column of that
 *    type, as a workspace receiving that resource's logs would have it.
 * 2. `column_ifexists("X", "")` is typed by the service from its default (string), although when X
 *    exists Kusto returns the column itself. When X is a column of a table the query reads, the
 *    analyzer sees a default of X's type instead (`dynamic(null)`, ...); diagnostics are mapped back
 *    to the text the user wrote. Guid columns are left alone: queries compare them with strings,
 *    which the service allows only while they are typed string.
 *
 * `_g` columns are typed string for the same reason: published AzureDiagnostics queries use string
 * operators (`!~`, `has`) on them.
 */
import { childByRole, descendants, listOf, parseKql, type KqlNode } from './languageService';
import { isBundledTable, type SchemaColumn, type WorkspaceSchema } from './schema';

/** What the analyzer is given, and how to map its offsets back to the original query. */
export interface PreparedQuery {
  text: string;
  schema: WorkspaceSchema;
  toOriginal(offset: number): number;
}

const RESOURCE_SPECIFIC = /^[A-Za-z_][A-Za-z0-9_]*_([sdgbt])$/;
const SUFFIX_TYPES: Record<string, string> = {
  s: 'string',
  d: 'real',
  g: 'string',
  b: 'bool',
  t: 'datetime',
};

interface Edit {
  start: number;
  end: number;
  replacement: string;
}

function callName(node: KqlNode): string {
  return (childByRole(node, 'Name')?.name ?? '').toLowerCase();
}

function callArguments(node: KqlNode): KqlNode[] {
  return listOf(childByRole(childByRole(node, 'ArgumentList') ?? node, 'Expressions'));
}

function stringValue(node: KqlNode | undefined): string | undefined {
  if (node?.kind !== 'StringLiteralExpression') return undefined;
  return node.children.find((c) => c.isToken)?.value;
}

/** Tables of the schema the query names (directly, or as a string for table()). */
function tablesNamed(nodes: KqlNode[], schema: WorkspaceSchema): string[] {
  const names = new Set<string>();
  for (const node of nodes) {
    const name =
      node.kind === 'NameReference' ? node.name : node.kind === 'StringLiteralToken' ? node.value : '';
    if (name !== '' && Object.prototype.hasOwnProperty.call(schema, name)) names.add(name);
  }
  return [...names];
}

function openAzureDiagnostics(nodes: KqlNode[], schema: WorkspaceSchema, read: string[]): WorkspaceSchema {
  const published = schema.AzureDiagnostics;
  if (!read.includes('AzureDiagnostics') || !isBundledTable(published) || !published) return schema;
  const known = new Set(published.map((c) => c.name));
  const extra: SchemaColumn[] = [];
  const consider = (name: string | undefined): void => {
    const suffix = name === undefined ? undefined : RESOURCE_SPECIFIC.exec(name)?.[1];
    if (name === undefined || suffix === undefined || known.has(name)) return;
    known.add(name);
    extra.push({ name, type: SUFFIX_TYPES[suffix] ?? 'string' });
  };
  for (const node of nodes) {
    if (node.kind === 'NameReference') consider(node.name);
    if (node.kind === 'FunctionCallExpression' && callName(node) === 'column_ifexists')
      consider(stringValue(callArguments(node)[0]));
  }
  if (extra.length === 0) return schema;
  return { ...schema, AzureDiagnostics: [...published, ...extra] };
}

const TYPED_NULL: Record<string, string> = {
  dynamic: 'dynamic(null)',
  long: 'long(null)',
  int: 'int(null)',
  real: 'real(null)',
  double: 'real(null)',
  bool: 'bool(null)',
  boolean: 'bool(null)',
  datetime: 'datetime(null)',
  timespan: 'timespan(null)',
  decimal: 'decimal(null)',
  string: '""',
};

function columnIfExistsEdits(nodes: KqlNode[], schema: WorkspaceSchema, read: string[]): Edit[] {
  const edits: Edit[] = [];
  for (const node of nodes) {
    if (node.kind !== 'FunctionCallExpression' || callName(node) !== 'column_ifexists') continue;
    const [nameArg, fallback] = callArguments(node);
    const column = stringValue(nameArg);
    if (column === undefined || !fallback) continue;
    const types = new Set(
      read.flatMap((t) =>
        (schema[t] ?? []).filter((c) => c.name === column).map((c) => c.type.toLowerCase()),
      ),
    );
    const [type] = [...types];
    const replacement = types.size === 1 && type !== undefined ? TYPED_NULL[type] : undefined;
    if (replacement === undefined) continue;
    edits.push({ start: fallback.start, end: fallback.start + fallback.width, replacement });
  }
  return edits.sort((a, b) => a.start - b.start);
}

function applyEdits(query: string, edits: Edit[]): Pick<PreparedQuery, 'text' | 'toOriginal'> {
  let text = '';
  let at = 0;
  for (const edit of edits) {
    text += query.slice(at, edit.start) + edit.replacement;
    at = edit.end;
  }
  text += query.slice(at);
  const toOriginal = (offset: number): number => {
    let delta = 0;
    for (const edit of edits) {
      const newStart = edit.start + delta;
      if (offset < newStart) return offset - delta;
      if (offset < newStart + edit.replacement.length) return edit.start;
      delta += edit.replacement.length - (edit.end - edit.start);
    }
    return offset - delta;
  };
  return { text, toOriginal };
}

/** The query and schema to analyze in place of the originals (often the originals themselves). */
export function prepareForAnalysis(query: string, schema: WorkspaceSchema): PreparedQuery {
  const nodes = [...descendants(parseKql(query).root)];
  const read = tablesNamed(nodes, schema);
  const analyzedSchema = openAzureDiagnostics(nodes, schema, read);
  const edits = columnIfExistsEdits(nodes, analyzedSchema, read);
  if (edits.length === 0) return { text: query, schema: analyzedSchema, toOriginal: (offset) => offset };
  return { ...applyEdits(query, edits), schema: analyzedSchema };
}
