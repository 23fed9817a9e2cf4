/**
 * Before a query runs: every function it calls must be one the demo engine implements. Checked on the
 * whole tree, so a query fails the same way whatever the data (a function past a `where` that keeps
 * no rows would otherwise never be reached), with Log Analytics' error naming what is missing.
 */
import { childByRole, descendants, type KqlNode } from '../../kql/languageService';
import { isAggregateName } from './aggregates';
import { isScalarFunction } from './functions';
import { unsupported } from './values';

/** Calls the evaluator handles itself rather than through the function tables. */
const SPECIAL = new Set([
  'column_ifexists',
  'columnifexists',
  'row_number',
  'prev',
  'next',
  'table',
  'toscalar',
  'materialize',
  'range',
  'typeof',
  'row_window_session',
]);

/** Plugins `evaluate` runs. */
const PLUGINS = new Set(['bag_unpack', 'ipv4_lookup']);

function callName(node: KqlNode): string {
  return (childByRole(node, 'Name')?.name ?? '').toLowerCase();
}

export function preflight(root: KqlNode): void {
  const declared = new Set<string>();
  for (const node of descendants(root)) {
    if (node.kind === 'LetStatement') {
      const name = childByRole(node, 'Name')?.name;
      if (name) declared.add(name.toLowerCase());
    }
    if (node.kind === 'FunctionParameter') {
      const name = childByRole(childByRole(node, 'NameAndType') ?? node, 'Name')?.name;
      if (name) declared.add(name.toLowerCase());
    }
  }
  const pluginCalls = new Set<KqlNode>();
  const aggregatePositions = new Set<KqlNode>();
  for (const node of descendants(root)) {
    if (node.kind !== 'SummarizeOperator') continue;
    for (const aggregate of childByRole(node, 'Aggregates')?.children ?? []) {
      const value = aggregate.kind.endsWith('NamedExpression')
        ? childByRole(aggregate, 'Expression')
        : aggregate;
      if (value?.kind === 'FunctionCallExpression') aggregatePositions.add(value);
    }
  }
  for (const node of descendants(root)) {
    if (node.kind === 'EvaluateOperator') {
      const call = childByRole(node, 'FunctionCall');
      const name = call ? callName(call) : '';
      if (!PLUGINS.has(name)) throw unsupported('plugin', name || 'evaluate');
      if (call) pluginCalls.add(call);
      continue;
    }
    if (node.kind !== 'FunctionCallExpression' || pluginCalls.has(node)) continue;
    const name = callName(node);
    if (declared.has(name) || SPECIAL.has(name) || isAggregateName(name) || isScalarFunction(name)) continue;
    throw unsupported(aggregatePositions.has(node) ? 'aggregation function' : 'function', name);
  }
}
