import { createHash } from 'node:crypto';

/**
 * How a StateStorage key becomes a blob name, and back.
 *
 * Keys hold any character (Teams conversation ids carry `:` `;` `@` `=`, keys use `/` as a separator)
 * while blob names must avoid URL-reserved characters, `.`/`/` at the end, `..` segments and `%`
 * (the storage SDK treats `%XX` in a name as already escaped). So:
 *
 * - `A–Z a–z 0–9 _ -` stay as they are;
 * - every other UTF-16 code unit below U+0080 becomes `~` + 2 hex digits (`/` → `~2F`, `:` → `~3A`);
 * - every code unit from U+0080 up becomes `~u` + 4 hex digits (so lone surrogates round-trip too).
 *
 * The mapping works code unit by code unit, so it is injective and keeps prefixes: the name of every
 * key under `prefix` starts with the name of `prefix`, and `list(prefix)` is one blob-prefix listing.
 * Blob names are at most 1,024 characters; an encoded key longer than `MAX_PLAIN_NAME` is cut to its
 * first `HASHED_HEAD` characters + `~~` + the SHA-256 of the whole key. Plain names never contain `~~`,
 * so hashed names are recognisable; their key is read from the blob body (which always stores it).
 * Names that fit neither form (not written by us) are ignored by listings.
 */
export const MAX_PLAIN_NAME = 966;
export const HASHED_HEAD = 900;
const HASH_MARK = '~~';

const PLAIN = /^[A-Za-z0-9_-]$/;

export function blobNameForKey(key: string): string {
  const encoded = encodeKey(key);
  if (encoded.length <= MAX_PLAIN_NAME) return encoded;
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  return `${encoded.slice(0, HASHED_HEAD)}${HASH_MARK}${hash}`;
}

/** The blob-name prefix to list for keys under `prefix` (cut to the part every long name keeps). */
export function blobPrefixForKeyPrefix(prefix: string): string {
  return encodeKey(prefix).slice(0, HASHED_HEAD);
}

export function isHashedBlobName(name: string): boolean {
  return name.includes(HASH_MARK);
}

/** The key a plain blob name encodes; undefined for hashed names and names that are not ours. */
export function keyForBlobName(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_PLAIN_NAME || isHashedBlobName(name)) return undefined;
  let key = '';
  for (let i = 0; i < name.length;) {
    const c = name[i] as string;
    if (PLAIN.test(c)) {
      key += c;
      i += 1;
      continue;
    }
    if (c !== '~') return undefined;
    const wide = name[i + 1] === 'u';
    const hex = wide ? name.slice(i + 2, i + 6) : name.slice(i + 1, i + 3);
    if (!/^[0-9A-F]+$/.test(hex) || hex.length !== (wide ? 4 : 2)) return undefined;
    const code = parseInt(hex, 16);
    // Only the canonical form decodes, so exactly one name maps to each key.
    if (wide ? code < 0x80 : PLAIN.test(String.fromCharCode(code))) return undefined;
    key += String.fromCharCode(code);
    i += wide ? 6 : 3;
  }
  return key;
}

function encodeKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i] as string;
    if (PLAIN.test(c)) {
      out += c;
      continue;
    }
    const code = key.charCodeAt(i);
    out +=
      code < 0x80
        ? `~${code.toString(16).toUpperCase().padStart(2, '0')}`
        : `~u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}
