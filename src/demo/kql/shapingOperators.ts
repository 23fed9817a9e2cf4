/** Operators that reshape rows beyond the basics: parse, mv-expand, mv-apply, make-series, evaluate. */
import { childByRole, type KqlNode } from '../../kql/languageService';
import { callArguments, callName, evalScalar, type EvalContext } from './evaluate';
import { mvApply, mvExpand } from './expand';
import { callScalarFunction } from './functions';
import { derivedName } from './operators';
import { parseRows } from './parseOperator';
import { makeSeries } from './series';
import {
  EngineError,
  isDynamic,
  toKustoString,
  typeOfValue,
  unsupported,
  type Frame,
  type FrameColumn,
  type Row,
} from './values';

/** `evaluate bag_unpack(col [, prefix])`: one column per key seen in the bags, the bag column dropped. */
function bagUnpack(input: Frame, call: KqlNode, ctx: EvalContext): Frame {
  // Options such as columnsConflict='replace_source' are named arguments; the demo has no conflicts to settle.
  const [bagArg, prefixArg] = callArguments(call).filter((a) => a.kind !== 'SimpleNamedExpression');
  if (!bagArg) throw new EngineError('SemanticError', 'bag_unpack needs a dynamic column');
  const prefix = prefixArg ? toKustoString(evalScalar(prefixArg, {}, ctx)) : '';
  const bagColumn = bagArg.kind === 'NameReference' ? bagArg.name : undefined;
  const keys = new Map<string, FrameColumn>();
  const bags = input.rows.map((row) => {
    const value = evalScalar(bagArg, row, ctx);
    const bag = isDynamic(value) && !Array.isArray(value) ? value : {};
    for (const [key, v] of Object.entries(bag)) {
      const name = `${prefix}${key}`;
      const type = typeOfValue(v);
      const known = keys.get(name);
      if (!known) keys.set(name, { name, type: type ?? 'string' });
      else if (type && known.type !== type) known.type = 'dynamic';
    }
    return bag;
  });
  const kept = input.columns.filter((c) => c.name !== bagColumn && !keys.has(c.name));
  const added = [...keys.values()];
  const rows = input.rows.map((row, i) => {
    const out: Row = {};
    for (const c of kept) out[c.name] = row[c.name] ?? null;
    const bag = bags[i] ?? {};
    for (const c of added) out[c.name] = bag[c.name.slice(prefix.length)] ?? null;
    return out;
  });
  return { columns: [...kept, ...added], rows };
}

/**
 * `evaluate ipv4_lookup(Lookup, SourceIp, Range [, return_unmatched])`: each row joined with the
 * lookup rows whose IPv4 range (CIDR or single address) holds its address.
 */
function ipv4Lookup(input: Frame, call: KqlNode, ctx: EvalContext): Frame {
  const [tableArg, ipArg, rangeArg, unmatchedArg] = callArguments(call);
  const lookup = tableArg ? ctx.tabular?.(tableArg) : undefined;
  if (!lookup || !ipArg || rangeArg?.kind !== 'NameReference')
    throw new EngineError('SemanticError', 'ipv4_lookup needs a lookup table, an address and a range column');
  const keepUnmatched = unmatchedArg ? evalScalar(unmatchedArg, {}, ctx) === true : false;
  const added = lookup.columns.filter((c) => !input.columns.some((i) => i.name === c.name));
  const rows: Row[] = [];
  for (const row of input.rows) {
    const address = toKustoString(evalScalar(ipArg, row, ctx));
    const matches = lookup.rows.filter(
      (l) => callScalarFunction('ipv4_is_in_range', [address, l[rangeArg.name]], new Date()) === true,
    );
    if (matches.length === 0 && keepUnmatched)
      rows.push({ ...row, ...Object.fromEntries(added.map((c) => [c.name, null])) });
    for (const match of matches)
      rows.push({ ...row, ...Object.fromEntries(added.map((c) => [c.name, match[c.name] ?? null])) });
  }
  return { columns: [...input.columns, ...added], rows };
}

function evaluatePlugin(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  const call = childByRole(op, 'FunctionCall');
  const name = call ? callName(call) : '';
  if (call && name === 'bag_unpack') return bagUnpack(input, call, ctx);
  if (call && name === 'ipv4_lookup') return ipv4Lookup(input, call, ctx);
  throw unsupported('plugin', name || 'evaluate');
}

/** Names for expanded expressions: the derived name (tostring(X) → X), else the analyzer's. */
const nameOf = (expression: KqlNode): string | undefined => derivedName(expression);

/** Applies one reshaping operator; undefined when `op` is none of these. */
export function applyShapingOperator(
  input: Frame,
  op: KqlNode,
  ctx: EvalContext,
  runSubquery: (frame: Frame, subquery: KqlNode) => Frame,
): Frame | undefined {
  switch (op.kind) {
    case 'ParseOperator':
      return parseRows(input, op, ctx, false);
    case 'ParseWhereOperator':
      return parseRows(input, op, ctx, true);
    case 'MvExpandOperator':
      return mvExpand(input, op, ctx, nameOf);
    case 'MvApplyOperator':
      return mvApply(input, op, ctx, nameOf, runSubquery);
    case 'MakeSeriesOperator':
      return makeSeries(input, op, ctx);
    case 'EvaluateOperator':
      return evaluatePlugin(input, op, ctx);
    default:
      return undefined;
  }
}
