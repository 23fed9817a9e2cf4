import { describe, expect, it } from 'vitest';
import {
  blobNameForKey,
  blobPrefixForKeyPrefix,
  HASHED_HEAD,
  isHashedBlobName,
  keyForBlobName,
  MAX_PLAIN_NAME,
} from '../../src/storage/blobNames';

const AWKWARD_KEYS = [
  'msteams/bot/conversations/19:abc@thread.tacv2;messageid=1700000000000',
  'a:b;c@d=e&f?g#h%20i',
  '../../etc/passwd',
  'ends with a dot.',
  'ends/with/slash/',
  '//double//slashes',
  'Straße/日本語/emoji 🚨',
  'lone \ud800 surrogate',
  '~2F already looks encoded',
  'UPPER/lower',
  'upper/lower',
];

describe('blob names for storage keys', () => {
  it('round-trips keys with any characters through names of URL-safe characters only', () => {
    for (const key of AWKWARD_KEYS) {
      const name = blobNameForKey(key);
      expect(name).toMatch(/^[A-Za-z0-9_~-]+$/);
      expect(keyForBlobName(name)).toBe(key);
    }
  });

  it('is injective (distinct keys, distinct names), including keys that differ only in case', () => {
    const names = AWKWARD_KEYS.map(blobNameForKey);
    expect(new Set(names).size).toBe(AWKWARD_KEYS.length);
  });

  it('keeps prefixes: every key under a prefix has a name under the prefix’s name', () => {
    for (const key of AWKWARD_KEYS) {
      for (let cut = 0; cut <= key.length; cut++) {
        expect(blobNameForKey(key).startsWith(blobPrefixForKeyPrefix(key.slice(0, cut)))).toBe(true);
      }
    }
  });

  it('hashes very long keys into a name within Azure’s 1,024 characters that still keeps the prefix', () => {
    const long = `outbox/${'x'.repeat(5_000)}`;
    const other = `outbox/${'x'.repeat(4_999)}y`;
    const name = blobNameForKey(long);
    expect(name.length).toBeLessThanOrEqual(1024);
    expect(isHashedBlobName(name)).toBe(true);
    expect(blobNameForKey(other)).not.toBe(name);
    expect(name.startsWith(blobPrefixForKeyPrefix('outbox/'))).toBe(true);
    // Hashed names carry no decodable key (it is read from the blob body).
    expect(keyForBlobName(name)).toBeUndefined();
  });

  it('a key right at the plain limit stays plain; one character more is hashed', () => {
    const atLimit = 'k'.repeat(MAX_PLAIN_NAME);
    expect(blobNameForKey(atLimit)).toBe(atLimit);
    expect(isHashedBlobName(blobNameForKey(`${atLimit}k`))).toBe(true);
    expect(blobNameForKey(`${atLimit}k`).slice(0, HASHED_HEAD)).toBe(atLimit.slice(0, HASHED_HEAD));
  });

  it('decodes only names it could have written (foreign or non-canonical names are not keys)', () => {
    for (const foreign of ['', 'has.dot', 'a/b', '~zz', '~2', '~u00', '~41', '~u0041', '~2f']) {
      expect(keyForBlobName(foreign)).toBeUndefined();
    }
  });
});
