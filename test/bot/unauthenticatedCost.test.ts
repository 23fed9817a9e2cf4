import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installBoundedOpenIdMetadata } from '../../src/bot/openIdMetadata';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { FakeGateway } from '../support/fakeGateway';

/**
 * Issue #16 item 6: unauthenticated traffic must not cost. Forged tokens are refused with 401 (never a
 * 500 carrying a fetch error) and do not make the bot fetch the OpenID metadata once per request;
 * /healthz, public when BOT_ID is set, does not call Sentinel once per probe.
 */
const BOT_ID = '5f1b2c3d-0000-4000-8000-00000000b07d';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A token that passes botbuilder's cheap checks (scheme, issuer) and names a key nobody has. */
function forgedToken(i: number): string {
  const header = b64url({ alg: 'RS256', typ: 'JWT', kid: `forged-key-${i}` });
  const payload = b64url({
    iss: 'https://api.botframework.com',
    aud: BOT_ID,
    exp: Math.floor(Date.now() / 1000) + 3600,
    nbf: Math.floor(Date.now() / 1000) - 60,
  });
  return `${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`;
}

describe('forged tokens with BOT_ID set', () => {
  let h: BotHarness;
  const gateway = new FakeGateway();
  let metadataFetches = 0;

  beforeAll(async () => {
    // The metadata endpoint never answers (an unreachable or slow login.botframework.com).
    installBoundedOpenIdMetadata({
      timeoutMs: 300,
      fetch: (_url, init) => {
        metadataFetches += 1;
        return new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
        });
      },
    });
    h = await startBotHarness({
      gateway,
      env: { BOT_ID, BOT_PASSWORD: 'not-a-real-secret', POLL_INTERVAL_SECONDS: '0' },
    });
  });
  afterAll(() => h.close());

  it('200 concurrent forged requests: all 401 without error text, one metadata fetch, nothing processed', async () => {
    const callsBefore = gateway.calls.length;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.post(h.teams.message('incidents'), { authorization: `Bearer ${forgedToken(i)}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 200 }, () => 401));
    for (const r of results) expect(r.body).toEqual({ error: 'unauthorized' });
    expect(metadataFetches).toBe(1);
    expect(gateway.calls.slice(callsBefore).filter((c) => c.method !== 'ping')).toEqual([]);
    expect(h.teams.requests).toEqual([]);

    // Later forged requests reuse the failed attempt instead of fetching again.
    const again = await h.post(h.teams.message('help'), { authorization: `Bearer ${forgedToken(999)}` });
    expect(again.status).toBe(401);
    expect(metadataFetches).toBe(1);
  });

  it('a header without the Bearer scheme, or no header, is a plain 401', async () => {
    for (const authorization of [forgedToken(1), `Basic ${forgedToken(1)}`, 'Bearer', '']) {
      const res = await h.post(h.teams.message('help'), authorization ? { authorization } : {});
      expect(res.status, authorization).toBe(401);
      expect(res.body, authorization).toEqual({ error: 'unauthorized' });
    }
  });

  it('/healthz answers every probe from one cached Sentinel check', async () => {
    const before = gateway.calls.filter((c) => c.method === 'ping').length;
    const probes = await Promise.all(Array.from({ length: 50 }, () => fetch(`${h.botUrl}/healthz`)));
    expect(probes.every((p) => p.status === 200)).toBe(true);
    expect(gateway.calls.filter((c) => c.method === 'ping').length - before).toBeLessThanOrEqual(1);
  });
});

describe('/healthz while Sentinel does not answer', () => {
  let h: BotHarness;
  const hanging = new FakeGateway();
  beforeAll(async () => {
    hanging.ping = () => new Promise<boolean>(() => undefined);
    h = await startBotHarness({ gateway: hanging });
  });
  afterAll(() => h.close());

  it('still answers (unreachable) instead of waiting for the stalled check', async () => {
    // The abort is only a liveness guard for the test run, far above the bot's own bound.
    const res = await fetch(`${h.botUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(await res.json()).toMatchObject({ status: 'ok', sentinel: 'unreachable' });
  });
});

describe('a token naming a real key id but signed by another key', () => {
  let h: BotHarness;
  const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    const jwk = published.publicKey.export({ format: 'jwk' });
    installBoundedOpenIdMetadata({
      fetch: (url) =>
        Promise.resolve(
          new Response(
            JSON.stringify(
              String(url).endsWith('/keys')
                ? { keys: [{ kty: 'RSA', kid: 'published-key', n: jwk.n, e: jwk.e }] }
                : { jwks_uri: 'https://login.example/keys' },
            ),
          ),
        ),
    });
    h = await startBotHarness({
      gateway: new FakeGateway(),
      env: { BOT_ID, BOT_PASSWORD: 'not-a-real-secret', POLL_INTERVAL_SECONDS: '0' },
    });
  });
  afterAll(() => h.close());

  it('is refused with a plain 401, not a 500 carrying the library error', async () => {
    const header = b64url({ alg: 'RS256', typ: 'JWT', kid: 'published-key' });
    const payload = b64url({
      iss: 'https://api.botframework.com',
      aud: BOT_ID,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(signer.privateKey);
    const token = `${header}.${payload}.${signature.toString('base64url')}`;
    const res = await h.post(h.teams.message('help'), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
    expect(h.teams.requests).toEqual([]);
  });
});
