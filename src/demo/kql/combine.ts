/** Operators that combine tables: join and union. */
import { childByRole, descendants, type KqlNode } from '../../kql/languageService';
import type { QueryBudget } from './budget';
import { listOf } from './evaluate';
import { EngineError, groupKey, unsupported, type Frame, type FrameColumn, type Row } from './values';

export type TabularEvaluator = (node: KqlNode) => Frame;

/** `kind=leftouter`, `withsource=Src`, ... from an operator's Parameters list. */
function parameters(op: KqlNode): Map<string, string> {
  const result = new Map<string, string>();
  for (const parameter of listOf(childByRole(op, 'Parameters'))) {
    if (parameter.kind !== 'NamedParameter') continue;
    const name = [...descendants(childByRole(parameter, 'Name') ?? parameter)].find((n) => n.isToken)?.text;
    const value = childByRole(parameter, 'Expression');
    const text = value ? ([...descendants(value)].find((n) => n.isToken)?.text ?? '') : '';
    if (name) result.set(name.toLowerCase(), text);
  }
  return result;
}

interface JoinKey {
  left: string;
  right: string;
}

function joinKeys(op: KqlNode): JoinKey[] {
  const clause = childByRole(op, 'ConditionClause') ?? childByRole(op, 'LookupClause');
  if (!clause || clause.kind !== 'JoinOnClause') throw unsupported('join condition', 'where');
  // `on $left.a == $right.b and $left.c == $right.d` is the same as a list of conditions.
  const conditions = (node: KqlNode): KqlNode[] =>
    node.kind === 'AndExpression'
      ? [childByRole(node, 'Left'), childByRole(node, 'Right')].flatMap((n) => (n ? conditions(n) : []))
      : node.kind === 'ParenthesizedExpression'
        ? conditions(childByRole(node, 'Expression') ?? node)
        : [node];
  return listOf(childByRole(clause, 'Expressions'))
    .flatMap(conditions)
    .map((e) => {
      if (e.kind === 'NameReference') return { left: e.name, right: e.name };
      if (e.kind === 'EqualExpression') {
        const side = (node: KqlNode | undefined): { side: string; column: string } => {
          if (node?.kind !== 'PathExpression') throw unsupported('join condition', 'expression');
          const target = childByRole(node, 'Expression')?.name ?? '';
          const column = childByRole(node, 'Selector')?.name ?? '';
          return { side: target.toLowerCase(), column };
        };
        const a = side(childByRole(e, 'Left'));
        const b = side(childByRole(e, 'Right'));
        const left = a.side === '$left' ? a : b;
        const right = a.side === '$left' ? b : a;
        return { left: left.column, right: right.column };
      }
      throw unsupported('join condition', e.kind);
    });
}

function requireColumns(frame: Frame, names: string[], side: string): void {
  for (const name of names) {
    if (!frame.columns.some((c) => c.name === name)) {
      throw new EngineError(
        'SemanticError',
        `'join' operator: Failed to resolve column named '${name}' on the ${side} side`,
      );
    }
  }
}

const SUPPORTED_JOINS = new Set([
  'inner',
  'innerunique',
  'leftouter',
  'leftanti',
  'leftsemi',
  'anti',
  'leftantisemi',
  'semi',
  'rightanti',
  'rightantisemi',
  'rightsemi',
  'rightouter',
  'fullouter',
  'outer',
]);

export function join(left: Frame, op: KqlNode, evaluate: TabularEvaluator, budget: QueryBudget): Frame {
  // `lookup` is a join whose default kind is leftouter and whose right key columns are not repeated.
  const isLookup = op.kind === 'LookupOperator';
  const kind = (parameters(op).get('kind') ?? (isLookup ? 'leftouter' : 'innerunique')).toLowerCase();
  if (!SUPPORTED_JOINS.has(kind)) throw unsupported('join kind', kind);
  const rightNode = childByRole(op, 'Expression');
  if (!rightNode) throw new EngineError('SyntaxError', 'join needs a right-hand table');
  const right = evaluate(rightNode);
  const keys = joinKeys(op);
  requireColumns(
    left,
    keys.map((k) => k.left),
    'left',
  );
  requireColumns(
    right,
    keys.map((k) => k.right),
    'right',
  );

  const index = new Map<string, Row[]>();
  for (const row of right.rows) {
    const key = groupKey(keys.map((k) => row[k.right]));
    const bucket = index.get(key) ?? [];
    bucket.push(row);
    index.set(key, bucket);
  }
  let leftRows = left.rows;
  if (kind === 'innerunique') {
    // innerunique (the default) keeps one left row per key before matching.
    const seen = new Set<string>();
    leftRows = leftRows.filter((row) => {
      const key = groupKey(keys.map((k) => row[k.left]));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  const matchesOf = (row: Row): Row[] => index.get(groupKey(keys.map((k) => row[k.left]))) ?? [];
  if (kind === 'leftanti' || kind === 'anti' || kind === 'leftantisemi') {
    return { columns: left.columns, rows: leftRows.filter((row) => matchesOf(row).length === 0) };
  }
  if (kind === 'leftsemi' || kind === 'semi') {
    return { columns: left.columns, rows: leftRows.filter((row) => matchesOf(row).length > 0) };
  }
  const leftKeys = new Set(left.rows.map((row) => groupKey(keys.map((k) => row[k.left]))));
  const rightKey = (row: Row): string => groupKey(keys.map((k) => row[k.right]));
  if (kind === 'rightanti' || kind === 'rightantisemi') {
    return { columns: right.columns, rows: right.rows.filter((row) => !leftKeys.has(rightKey(row))) };
  }
  if (kind === 'rightsemi') {
    return { columns: right.columns, rows: right.rows.filter((row) => leftKeys.has(rightKey(row))) };
  }
  // Right columns whose names clash get a numeric suffix, as Kusto does (TimeGenerated1).
  const leftNames = new Set(left.columns.map((c) => c.name));
  const rightKeys = new Set(keys.map((k) => k.right));
  const renamed = right.columns
    .filter((c) => !isLookup || !rightKeys.has(c.name))
    .map((c) => {
      let name = c.name;
      for (let n = 1; leftNames.has(name); n++) name = `${c.name}${n}`;
      leftNames.add(name);
      return { from: c.name, column: { name, type: c.type } };
    });
  const rows: Row[] = [];
  const width = left.columns.length + renamed.length;
  const keepUnmatchedLeft = kind === 'leftouter' || kind === 'fullouter' || kind === 'outer';
  const matchedRight = new Set<Row>();
  for (const row of leftRows) {
    const matches = matchesOf(row);
    // Charged as rows are made: a self-join can multiply rows far past memory before it returns.
    budget.charge(Math.max(1, matches.length), width);
    if (matches.length === 0 && keepUnmatchedLeft) {
      const out: Row = { ...row };
      for (const r of renamed) out[r.column.name] = null;
      rows.push(out);
    }
    for (const match of matches) {
      matchedRight.add(match);
      const out: Row = { ...row };
      for (const r of renamed) out[r.column.name] = match[r.from] ?? null;
      rows.push(out);
    }
  }
  if (kind === 'rightouter' || kind === 'fullouter' || kind === 'outer') {
    for (const match of right.rows) {
      if (matchedRight.has(match)) continue;
      const out: Row = {};
      for (const c of left.columns) out[c.name] = null;
      for (const r of renamed) out[r.column.name] = match[r.from] ?? null;
      rows.push(out);
    }
  }
  return { columns: [...left.columns, ...renamed.map((r) => r.column)], rows };
}

/** `union [withsource=Col] A, (B | ...)`, either leading a pipe or as a pipe operator on `input`. */
export function union(input: Frame | undefined, op: KqlNode, evaluate: TabularEvaluator): Frame {
  const params = parameters(op);
  const sourceColumn = params.get('withsource');
  const kind = (params.get('kind') ?? 'outer').toLowerCase();
  if (kind !== 'outer') throw unsupported('union kind', kind);
  const parts: { label: string; frame: Frame }[] = [];
  if (input) parts.push({ label: 'union_arg0', frame: input });
  for (const expression of listOf(childByRole(op, 'Expressions'))) {
    const label = expression.kind === 'NameReference' ? expression.name : `union_arg${parts.length}`;
    parts.push({ label, frame: evaluate(expression) });
  }
  const columns: FrameColumn[] = sourceColumn ? [{ name: sourceColumn, type: 'string' }] : [];
  for (const part of parts) {
    for (const column of part.frame.columns) {
      if (!columns.some((c) => c.name === column.name)) columns.push(column);
    }
  }
  const rows: Row[] = [];
  for (const part of parts) {
    for (const row of part.frame.rows) {
      const out: Row = {};
      for (const c of columns) out[c.name] = row[c.name] ?? null;
      if (sourceColumn) out[sourceColumn] = part.label;
      rows.push(out);
    }
  }
  return { columns, rows };
}
