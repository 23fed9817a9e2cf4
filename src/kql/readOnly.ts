/**
 * The read-only check: what a query may do besides reading this workspace's tables. Decided on the
 * syntax tree, so a forbidden name inside a string or a comment does not count and one hidden in a
 * query-local function body does.
 *
 * Refused: management commands; data from outside the workspace (externaldata, external_table, other
 * clusters, databases, workspaces, apps, Azure Resource Graph); plugins other than the local ones we
 * know (http_request, sql_request, python, ... reach out or run code); generators whose size is not a
 * constant we can bound (`range x from 1 to 1e10`).
 */
import { childByRole, descendants, listOf, type KqlNode } from './languageService';
import { timespanMilliseconds } from './literals';

export interface Refusal {
  /** MANAGEMENT_COMMAND, EXTERNAL_DATA, CROSS_SCOPE, PLUGIN, GENERATOR. */
  code: string;
  /** What the user reads after "refused:". */
  reason: string;
  start: number;
  length: number;
}

/** Most rows a `range` operator (or elements a range()/repeat() call) may generate. */
export const MAX_GENERATED_ROWS = 1_000_000;

/** Functions that name data outside the workspace. */
const CROSS_SCOPE_FUNCTIONS: Record<string, string> = {
  cluster: 'cluster() reads from another Kusto cluster',
  database: 'database() reads from another database',
  workspace: 'workspace() reads from another Log Analytics workspace',
  app: 'app() reads from an Application Insights resource outside the workspace',
  resource: 'resource() reads from outside the workspace',
  adx: 'adx() reads from an Azure Data Explorer cluster',
  arg: 'arg() reads from Azure Resource Graph, outside the workspace',
  external_table: 'external_table() reads from outside the workspace',
  externaldata: 'externaldata reads from outside the workspace',
};

/**
 * Plugins that only compute over their input. Anything else is refused: several plugins call out over
 * the network (http_request, sql_request, cosmosdb_sql_request, mysql_request, postgresql_request,
 * azure_digital_twins_query_request, ai_*) or run code (python, r), and new ones appear.
 */
const LOCAL_PLUGINS = new Set([
  'bag_unpack',
  'narrow',
  'pivot',
  'autocluster',
  'basket',
  'diffpatterns',
  'diffpatterns_text',
  'ipv4_lookup',
  'ipv6_lookup',
  'preview',
  'schema_merge',
  'sequence_detect',
  'funnel_sequence',
  'funnel_sequence_completion',
  'active_users_count',
  'activity_counts_metrics',
  'activity_engagement',
  'activity_metrics',
  'new_activity_metrics',
  'session_count',
  'sliding_window_counts',
  'dcount_intersect',
  'rolling_percentile',
  'rows_near',
  'market_basket',
]);

const OUTBOUND_PLUGINS = new Set([
  'http_request',
  'http_request_post',
  'sql_request',
  'cosmosdb_sql_request',
  'mysql_request',
  'postgresql_request',
  'azure_digital_twins_query_request',
]);

function pluginReason(name: string): string {
  if (OUTBOUND_PLUGINS.has(name)) return `the ${name} plugin reaches outside the workspace`;
  if (name === 'python' || name === 'r') return `the ${name} plugin runs code in a sandbox`;
  if (name.startsWith('ai_')) return `the ${name} plugin calls an external AI service`;
  return `the ${name} plugin is not one of the local plugins the bot allows`;
}

function callName(node: KqlNode): string {
  return (childByRole(node, 'Name')?.name ?? '').toLowerCase();
}

function callArguments(node: KqlNode): KqlNode[] {
  return listOf(childByRole(childByRole(node, 'ArgumentList') ?? node, 'Expressions'));
}

const refusal = (code: string, reason: string, node: { start: number; width: number }): Refusal => ({
  code,
  reason,
  start: node.start,
  length: node.width,
});

/** The first reason the tree is not a read-only query over this workspace, or undefined. */
export function findRefusal(kind: string, root: KqlNode): Refusal | undefined {
  if (kind !== 'Query') return managementCommand(root);
  const constants = new ConstantScope(root);
  for (const node of descendants(root)) {
    if (node.kind.includes('Command')) return managementCommand(node);
    // The parser skips a trailing `; .drop table X` instead of failing; the dot still marks a command.
    if (node.kind === 'SkippedTokens' && [...descendants(node)].find((n) => n.isToken)?.kind === 'DotToken')
      return managementCommand(node);
    const found = refusalAt(node, constants);
    if (found) return found;
  }
  return undefined;
}

/** The refusal of a management command at `node` (any span). */
export function managementCommand(node: { start: number; width: number }): Refusal {
  return refusal(
    'MANAGEMENT_COMMAND',
    'management commands (starting with ".", such as .drop or .set) change the workspace',
    node,
  );
}

function refusalAt(node: KqlNode, constants: ConstantScope): Refusal | undefined {
  switch (node.kind) {
    case 'ExternalDataExpression':
      return refusal('EXTERNAL_DATA', 'externaldata reads from outside the workspace', node);
    case 'FunctionCallExpression': {
      const name = callName(node);
      const crossScope = CROSS_SCOPE_FUNCTIONS[name];
      if (crossScope)
        return refusal(name.startsWith('ext') ? 'EXTERNAL_DATA' : 'CROSS_SCOPE', crossScope, node);
      if (name === 'range' || name === 'repeat') return generatorCall(node, name, constants);
      return undefined;
    }
    case 'EvaluateOperator': {
      const call = childByRole(node, 'FunctionCall');
      const name = call ? callName(call) : '';
      if (LOCAL_PLUGINS.has(name)) return undefined;
      return refusal('PLUGIN', pluginReason(name || 'unnamed'), node);
    }
    case 'RangeOperator': {
      const from = constants.value(childByRole(node, 'From'));
      const to = constants.value(childByRole(node, 'To'));
      const step = constants.value(childByRole(node, 'Step'));
      if (from === undefined || to === undefined || step === undefined)
        return refusal('GENERATOR', 'range needs constant from, to and step so its size is known', node);
      return tooMany(node, 'range', (to - from) / step);
    }
    default:
      return undefined;
  }
}

function generatorCall(node: KqlNode, name: string, constants: ConstantScope): Refusal | undefined {
  const args = callArguments(node);
  if (name === 'repeat') {
    const count = constants.value(args[1]);
    return count === undefined ? undefined : tooMany(node, 'repeat()', count);
  }
  const [start, stop, step] = args.map((a) => constants.value(a));
  if (start === undefined || stop === undefined) return undefined;
  return tooMany(node, 'range()', (stop - start) / (step ?? 1));
}

function tooMany(node: KqlNode, what: string, count: number): Refusal | undefined {
  if (Number.isFinite(count) && Math.abs(count) <= MAX_GENERATED_ROWS) return undefined;
  const size = Number.isFinite(count) ? Math.abs(Math.floor(count)).toLocaleString('en-US') : 'unbounded';
  return refusal(
    'GENERATOR',
    `${what} would generate ${size} rows (the limit is ${MAX_GENERATED_ROWS.toLocaleString('en-US')})`,
    node,
  );
}

function tokenText(node: KqlNode): string {
  return [...descendants(node)]
    .filter((n) => n.isToken)
    .map((n) => n.text)
    .join('');
}

/**
 * Numbers, timespans (as milliseconds) and datetimes (as epoch milliseconds) that a query fixes before
 * it runs: literals, now(), ago(), arithmetic and `let` names bound to such values. Enough to size a
 * generator; anything else is "not constant".
 */
class ConstantScope {
  private readonly lets = new Map<string, KqlNode>();
  private readonly resolving = new Set<string>();

  constructor(root: KqlNode) {
    for (const statement of childByRole(root, 'Statements')?.children ?? []) {
      if (statement.kind !== 'LetStatement') continue;
      const name = childByRole(statement, 'Name')?.name;
      const value = childByRole(statement, 'Expression');
      if (name && value) this.lets.set(name, value);
    }
  }

  value(node: KqlNode | undefined): number | undefined {
    if (!node) return undefined;
    switch (node.kind) {
      case 'LongLiteralExpression':
      case 'IntLiteralExpression':
      case 'RealLiteralExpression': {
        const text = tokenText(node).trim();
        const inner = /^\w+\((.*)\)$/.exec(text)?.[1] ?? text;
        const n = Number(inner);
        return Number.isNaN(n) ? undefined : n;
      }
      case 'TimespanLiteralExpression':
        return timespanMilliseconds(tokenText(node)) ?? undefined;
      case 'DateTimeLiteralExpression': {
        const inner = /\((.*)\)/.exec(tokenText(node))?.[1]?.trim() ?? '';
        const ms = Date.parse(inner);
        return Number.isNaN(ms) ? undefined : ms;
      }
      case 'ParenthesizedExpression':
        return this.value(childByRole(node, 'Expression'));
      case 'UnaryMinusExpression': {
        const v = this.value(childByRole(node, 'Expression'));
        return v === undefined ? undefined : -v;
      }
      case 'AddExpression':
      case 'SubtractExpression':
      case 'MultiplyExpression':
      case 'DivideExpression': {
        const a = this.value(childByRole(node, 'Left'));
        const b = this.value(childByRole(node, 'Right'));
        if (a === undefined || b === undefined) return undefined;
        if (node.kind === 'AddExpression') return a + b;
        if (node.kind === 'SubtractExpression') return a - b;
        if (node.kind === 'MultiplyExpression') return a * b;
        return b === 0 ? undefined : a / b;
      }
      case 'FunctionCallExpression': {
        const name = callName(node);
        const args = callArguments(node);
        if (name === 'now') return Date.now() + (args[0] ? (this.value(args[0]) ?? NaN) : 0);
        if (name === 'ago') {
          const span = this.value(args[0]);
          return span === undefined ? undefined : Date.now() - span;
        }
        if (['todatetime', 'totimespan', 'tolong', 'toint', 'todouble', 'toreal'].includes(name))
          return this.value(args[0]);
        return undefined;
      }
      case 'NameReference': {
        const bound = this.lets.get(node.name);
        if (!bound || this.resolving.has(node.name)) return undefined;
        this.resolving.add(node.name);
        try {
          return this.value(bound);
        } finally {
          this.resolving.delete(node.name);
        }
      }
      default:
        return undefined;
    }
  }
}
