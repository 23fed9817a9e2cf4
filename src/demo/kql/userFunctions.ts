/**
 * Query-local functions (`let f = (t:string, n:long = 5) { table(t) | take n };`), `table()` and
 * `view` declarations. A call evaluates the body in a scope where the parameters are bound to the
 * call's arguments (tabular arguments as tables, scalar ones as values); tabular calls with the same
 * scalar arguments are evaluated once per query.
 */
import { childByRole, listOf, type KqlNode } from '../../kql/languageService';
import { callArguments, callName, evalScalar } from './evaluate';
import { EngineError, groupKey, toKustoString, type Frame, type Row } from './values';
import { bindOperands, evalTabular, isTabular, lookupTable, runLet, type QueryContext } from './engine';

interface Parameter {
  name: string;
  tabular: boolean;
  fallback?: KqlNode;
}

function parametersOf(declaration: KqlNode): Parameter[] {
  const list = childByRole(childByRole(declaration, 'Parameters') ?? declaration, 'Parameters');
  return listOf(list).map((parameter) => {
    const nameAndType = childByRole(parameter, 'NameAndType') ?? parameter;
    const name = childByRole(nameAndType, 'Name')?.name ?? '';
    const type = childByRole(nameAndType, 'Type');
    const fallback = childByRole(childByRole(parameter, 'DefaultValue') ?? parameter, 'Value');
    return { name, tabular: type?.kind === 'SchemaTypeExpression', ...(fallback ? { fallback } : {}) };
  });
}

function bodyOf(declaration: KqlNode): KqlNode {
  const body = childByRole(declaration, 'Body');
  if (!body) throw new EngineError('SyntaxError', 'A function declaration has no body');
  return body;
}

/** The scope a call runs in: the caller's bindings plus the parameters. */
function callScope(
  declaration: KqlNode,
  call: KqlNode,
  row: Row,
  ctx: QueryContext,
): { scope: QueryContext; key: string | undefined } {
  const scope: QueryContext = {
    ...ctx,
    scalars: new Map(ctx.scalars),
    frames: new Map(ctx.frames),
    functions: new Map(ctx.functions),
  };
  bindOperands(scope);
  const args = callArguments(call);
  const keyParts: unknown[] = [];
  let cacheable = true;
  parametersOf(declaration).forEach((parameter, i) => {
    const arg = args[i] ?? parameter.fallback;
    if (!arg) throw new EngineError('SemanticError', `Function is missing the argument '${parameter.name}'`);
    if (parameter.tabular || isTabular(arg, ctx)) {
      scope.frames.set(parameter.name, evalTabular(arg, ctx));
      scope.scalars.delete(parameter.name);
      cacheable = false;
    } else {
      const value = evalScalar(arg, row, ctx);
      scope.scalars.set(parameter.name, value);
      scope.frames.delete(parameter.name);
      keyParts.push(value);
    }
  });
  const body = bodyOf(declaration);
  for (const statement of childByRole(body, 'Statements')?.children ?? []) runLet(statement, scope);
  return { scope, key: cacheable ? groupKey(keyParts) : undefined };
}

/** A tabular call: table("X"), a user function, or a view. */
export function callTabular(call: KqlNode, ctx: QueryContext): Frame | undefined {
  const name = callName(call);
  if (name === 'table') {
    const arg = callArguments(call)[0];
    const tableName = arg ? toKustoString(evalScalar(arg, {}, ctx)) : '';
    return lookupTable(tableName, ctx);
  }
  const declaration = ctx.functions.get(childByRole(call, 'Name')?.name ?? '');
  if (!declaration) return undefined;
  const { scope, key } = callScope(declaration, call, {}, ctx);
  const cacheKey = key === undefined ? undefined : `${childByRole(call, 'Name')?.name ?? ''}|${key}`;
  const cached = cacheKey === undefined ? undefined : ctx.callCache.get(cacheKey);
  if (cached) return cached;
  const expression = childByRole(bodyOf(declaration), 'Expression');
  if (!expression) throw new EngineError('SemanticError', 'The function body has no result expression');
  const frame = evalTabular(expression, scope);
  if (cacheKey !== undefined) ctx.callCache.set(cacheKey, frame);
  return frame;
}

/** A scalar call of a user function, evaluated for `row`; undefined when `call` names none. */
export function callScalar(call: KqlNode, row: Row, ctx: QueryContext): { value: unknown } | undefined {
  const declaration = ctx.functions.get(childByRole(call, 'Name')?.name ?? '');
  if (!declaration) return undefined;
  const { scope } = callScope(declaration, call, row, ctx);
  const expression = childByRole(bodyOf(declaration), 'Expression');
  if (!expression) throw new EngineError('SemanticError', 'The function body has no result expression');
  return { value: evalScalar(expression, row, scope) };
}

/** Whether a user function returns a table, from the shape of its body. */
export function returnsTable(declaration: KqlNode, ctx: QueryContext): boolean {
  const expression = childByRole(bodyOf(declaration), 'Expression');
  return expression !== undefined && isTabular(expression, ctx);
}
