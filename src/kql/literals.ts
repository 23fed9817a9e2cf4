/**
 * Entity values come from alerts and therefore from attackers (a crafted UPN, URL or file name).
 * They reach KQL only through this function: a double-quoted literal with backslash escapes, so no
 * quote, backslash, newline or pipe can end the literal and inject operators.
 */
export function kqlString(value: string): string {
  let escaped = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        escaped += '\\\\';
        break;
      case '"':
        escaped += '\\"';
        break;
      case '\n':
        escaped += '\\n';
        break;
      case '\r':
        escaped += '\\r';
        break;
      case '\t':
        escaped += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // Other control characters have no meaning in an indicator and are not all escapable in KQL.
        escaped += code < 0x20 || code === 0x7f ? ' ' : ch;
      }
    }
  }
  return `"${escaped}"`;
}

/** `datetime(...)` literal for an instant; throws on an unparseable timestamp. */
export function kqlDatetime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('Invalid date for a KQL datetime literal');
  return `datetime(${value.toISOString()})`;
}
