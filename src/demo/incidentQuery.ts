import { DemoHttpError } from './requestIo';
import type { StoredIncident } from './storeTypes';

/**
 * The subset of OData that Sentinel's incident list accepts and the bot uses: comparisons on status,
 * severity, number and the time fields, joined by and/or with parentheses. Anything else is refused
 * with a 400 naming the part, so a query the demo cannot honour never silently returns everything.
 */

type FieldKind = 'string' | 'number' | 'datetime';
type Predicate = (incident: StoredIncident) => boolean;

const FIELDS: Record<string, { kind: FieldKind; get: (i: StoredIncident) => string | number | undefined }> = {
  'properties/incidentnumber': { kind: 'number', get: (i) => i.number },
  'properties/status': { kind: 'string', get: (i) => i.status },
  'properties/severity': { kind: 'string', get: (i) => i.severity },
  'properties/classification': { kind: 'string', get: (i) => i.classification },
  'properties/owner/objectid': { kind: 'string', get: (i) => i.owner.objectId },
  'properties/owner/userprincipalname': { kind: 'string', get: (i) => i.owner.userPrincipalName },
  'properties/owner/email': { kind: 'string', get: (i) => i.owner.email },
  'properties/owner/assignedto': { kind: 'string', get: (i) => i.owner.assignedTo },
  'properties/createdtimeutc': { kind: 'datetime', get: (i) => i.createdTimeUtc },
  'properties/lastmodifiedtimeutc': { kind: 'datetime', get: (i) => i.lastModifiedTimeUtc },
  'properties/firstactivitytimeutc': { kind: 'datetime', get: (i) => i.firstActivityTimeUtc },
  'properties/lastactivitytimeutc': { kind: 'datetime', get: (i) => i.lastActivityTimeUtc },
};

const SUPPORTED =
  'properties/incidentNumber, properties/status, properties/severity, properties/classification, properties/owner/*, properties/createdTimeUtc, properties/lastModifiedTimeUtc, properties/firstActivityTimeUtc, properties/lastActivityTimeUtc';
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Operator = (typeof OPERATORS)[number];

type Token =
  | { t: 'lparen' | 'rparen'; pos: number }
  | { t: 'word'; value: string; pos: number }
  | { t: 'string'; value: string; pos: number }
  | { t: 'number'; value: number; pos: number }
  | { t: 'datetime'; value: number; raw: string; pos: number };

function badFilter(message: string): DemoHttpError {
  return new DemoHttpError(
    400,
    'BadRequest',
    `Invalid $filter: ${message}. Supported: comparisons (eq, ne, gt, ge, lt, le) on ${SUPPORTED}, joined by and/or.`,
  );
}

function parseDate(raw: string, pos: number): number {
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badFilter(`'${raw}' at position ${pos} is not a valid ISO 8601 datetime`);
  return ms;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const patterns: [RegExp, (m: RegExpExecArray, pos: number) => Token][] = [
    [/^\(/y, (_m, pos) => ({ t: 'lparen', pos })],
    [/^\)/y, (_m, pos) => ({ t: 'rparen', pos })],
    [
      /^datetime'([^']*)'/iy,
      (m, pos) => ({ t: 'datetime', value: parseDate(m[1] ?? '', pos), raw: m[1] ?? '', pos }),
    ],
    [/^'((?:[^']|'')*)'/y, (m, pos) => ({ t: 'string', value: (m[1] ?? '').replace(/''/g, "'"), pos })],
    [
      /^\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/y,
      (m, pos) => ({ t: 'datetime', value: parseDate(m[0], pos), raw: m[0], pos }),
    ],
    [/^-?\d+(?:\.\d+)?/y, (m, pos) => ({ t: 'number', value: Number(m[0]), pos })],
    [/^[A-Za-z_$][\w/$]*/y, (m, pos) => ({ t: 'word', value: m[0], pos })],
  ];
  let pos = 0;
  while (pos < text.length) {
    if (/\s/.test(text[pos] ?? '')) {
      pos += 1;
      continue;
    }
    const rest = text.slice(pos);
    let matched = false;
    for (const [re, make] of patterns) {
      re.lastIndex = 0;
      const m = re.exec(rest);
      if (m !== null) {
        tokens.push(make(m, pos));
        pos += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) throw badFilter(`unexpected '${rest.slice(0, 20)}' at position ${pos}`);
  }
  return tokens;
}

function compare(a: number | string, b: number | string, op: Operator): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

class FilterParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Predicate {
    const p = this.or();
    const extra = this.tokens[this.i];
    if (extra !== undefined) throw badFilter(`unexpected ${describe(extra)} at position ${extra.pos}`);
    return p;
  }

  private or(): Predicate {
    const parts = [this.and()];
    while (this.keyword('or')) parts.push(this.and());
    return parts.length === 1 ? (parts[0] as Predicate) : (x) => parts.some((p) => p(x));
  }

  private and(): Predicate {
    const parts = [this.primary()];
    while (this.keyword('and')) parts.push(this.primary());
    return parts.length === 1 ? (parts[0] as Predicate) : (x) => parts.every((p) => p(x));
  }

  private keyword(word: string): boolean {
    const t = this.tokens[this.i];
    if (t?.t === 'word' && t.value.toLowerCase() === word) {
      this.i += 1;
      return true;
    }
    return false;
  }

  private primary(): Predicate {
    const t = this.tokens[this.i];
    if (t === undefined) throw badFilter('expression ends too early');
    if (t.t === 'lparen') {
      this.i += 1;
      const inner = this.or();
      if (this.tokens[this.i]?.t !== 'rparen') throw badFilter(`missing ')' for '(' at position ${t.pos}`);
      this.i += 1;
      return inner;
    }
    if (t.t !== 'word') throw badFilter(`expected a property at position ${t.pos}, got ${describe(t)}`);
    if (this.tokens[this.i + 1]?.t === 'lparen') throw badFilter(`function '${t.value}' is not supported`);
    const field = FIELDS[t.value.toLowerCase()];
    if (field === undefined) throw badFilter(`property '${t.value}' is not supported`);
    this.i += 1;
    const opToken = this.tokens[this.i];
    const op = opToken?.t === 'word' ? opToken.value.toLowerCase() : '';
    if (!isOperator(op))
      throw badFilter(
        `expected an operator after '${t.value}'${opToken ? `, got ${describe(opToken)}` : ''}`,
      );
    this.i += 1;
    const lit = this.tokens[this.i];
    if (lit === undefined) throw badFilter(`missing value after '${t.value} ${op}'`);
    this.i += 1;
    return this.comparison(t.value, field, op, lit);
  }

  private comparison(name: string, field: (typeof FIELDS)[string], op: Operator, lit: Token): Predicate {
    if (lit.t === 'word' && lit.value.toLowerCase() === 'null' && (op === 'eq' || op === 'ne')) {
      return (x) => (field.get(x) === undefined) === (op === 'eq');
    }
    if (field.kind === 'number') {
      if (lit.t !== 'number') throw badFilter(`'${name}' compares with a number, got ${describe(lit)}`);
      return (x) => {
        const v = field.get(x);
        return typeof v === 'number' && compare(v, lit.value, op);
      };
    }
    if (field.kind === 'datetime') {
      const value =
        lit.t === 'datetime' ? lit.value : lit.t === 'string' ? parseDate(lit.value, lit.pos) : undefined;
      if (value === undefined) throw badFilter(`'${name}' compares with a datetime, got ${describe(lit)}`);
      return (x) => {
        const v = field.get(x);
        return typeof v === 'string' && compare(Date.parse(v), value, op);
      };
    }
    if (lit.t !== 'string') throw badFilter(`'${name}' compares with a quoted string, got ${describe(lit)}`);
    if (op !== 'eq' && op !== 'ne') throw badFilter(`'${name}' supports only eq and ne`);
    const wanted = lit.value.toLowerCase();
    return (x) => {
      const v = field.get(x);
      return compare(typeof v === 'string' ? v.toLowerCase() : '', wanted, op);
    };
  }
}

function isOperator(op: string): op is Operator {
  return (OPERATORS as readonly string[]).includes(op);
}

function describe(t: Token): string {
  switch (t.t) {
    case 'lparen':
      return "'('";
    case 'rparen':
      return "')'";
    case 'datetime':
      return `datetime '${t.raw}'`;
    case 'string':
      return `'${t.value}'`;
    default:
      return `'${t.value}'`;
  }
}

export function parseIncidentFilter(filter: string): Predicate {
  // OData functions (contains, startswith, tolower, any...) would fail later on their commas; name them.
  for (const m of filter.replace(/'(?:[^']|'')*'/g, "''").matchAll(/([A-Za-z_][\w/]*)\s*\(/g)) {
    const word = (m[1] ?? '').toLowerCase();
    if (word !== 'and' && word !== 'or') throw badFilter(`function '${m[1] ?? ''}' is not supported`);
  }
  return new FilterParser(tokenize(filter)).parse();
}

const ORDER_FIELDS: Record<string, (i: StoredIncident) => number> = {
  'properties/createdtimeutc': (i) => Date.parse(i.createdTimeUtc),
  'properties/lastmodifiedtimeutc': (i) => Date.parse(i.lastModifiedTimeUtc),
  'properties/incidentnumber': (i) => i.number,
  'properties/firstactivitytimeutc': (i) => Date.parse(i.firstActivityTimeUtc ?? i.createdTimeUtc),
  'properties/lastactivitytimeutc': (i) => Date.parse(i.lastActivityTimeUtc ?? i.createdTimeUtc),
};

/** Comparator for $orderby; ties break on incident number so paging is stable. Default: newest first. */
export function parseIncidentOrderBy(
  orderBy: string | undefined,
): (a: StoredIncident, b: StoredIncident) => number {
  const text = (orderBy ?? 'properties/createdTimeUtc desc').trim();
  const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(text);
  const key = m?.[1]?.toLowerCase() ?? '';
  const get = ORDER_FIELDS[key];
  if (m === null || get === undefined) {
    throw new DemoHttpError(
      400,
      'BadRequest',
      `Invalid $orderby '${text}'. Supported: properties/createdTimeUtc, properties/lastModifiedTimeUtc, properties/incidentNumber, followed by asc or desc.`,
    );
  }
  const sign = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => sign * (get(a) - get(b) || a.number - b.number);
}
