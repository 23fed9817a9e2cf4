import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import { getLogger } from '../logger';

const log = getLogger('bot.openid');

/**
 * The Bot Framework signing keys, fetched with bounds. botbuilder's own OpenIdMetadata fetches the
 * OpenID configuration with no timeout for every token whose key id it does not know (and for every
 * request while it has never succeeded), so forged tokens make it hold one socket each: 200 requests
 * held 201 sockets and exhausted file descriptors (issue #16, item 6). This one fetches at most once
 * at a time, with a timeout and a size cap, waits after a failure, and refreshes for an unknown key id
 * at most every few minutes. A token it cannot find a key for is refused (401), never an error.
 */
export interface OpenIdMetadataOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Keys are refreshed this often (botbuilder: 24 h). */
  refreshMs?: number;
  /** An unknown key id triggers a refresh at most this often. */
  unknownKeyRefreshMs?: number;
  /** After a failed fetch, no new attempt for this long. */
  retryAfterFailureMs?: number;
  now?: () => number;
}

interface SigningKey {
  key: string;
  endorsements?: string[];
}

interface Jwk extends JsonWebKey {
  kid?: string;
  endorsements?: unknown;
}

const MAX_DOCUMENT_BYTES = 256 * 1024;

export class BoundedOpenIdMetadata {
  private keys = new Map<string, SigningKey>();
  private lastSuccess = 0;
  private lastAttempt = 0;
  private lastFailed = false;
  private inFlight: Promise<void> | undefined;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;

  constructor(
    readonly url: string,
    private readonly options: OpenIdMetadataOptions = {},
  ) {
    this.fetchFn = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }

  /** The shape JwtTokenExtractor calls: the key for `keyId`, or null (the token is then refused). */
  async getKey(keyId: string | undefined): Promise<SigningKey | null> {
    const now = this.now();
    const stale = now - this.lastSuccess > (this.options.refreshMs ?? 24 * 60 * 60_000);
    const unknown = keyId === undefined || !this.keys.has(keyId);
    const mayRetry =
      !this.lastFailed || now - this.lastAttempt > (this.options.retryAfterFailureMs ?? 60_000);
    const unknownMayRefresh = now - this.lastAttempt > (this.options.unknownKeyRefreshMs ?? 5 * 60_000);
    if (mayRetry && (stale || (unknown && unknownMayRefresh))) await this.refresh();
    return keyId === undefined ? null : (this.keys.get(keyId) ?? null);
  }

  private refresh(): Promise<void> {
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    this.lastAttempt = this.now();
    try {
      const config = await this.fetchJson(this.url);
      const jwksUri = (config as { jwks_uri?: unknown }).jwks_uri;
      if (typeof jwksUri !== 'string' || !jwksUri.startsWith('https://'))
        throw new Error('the OpenID configuration has no https jwks_uri');
      const jwks = (await this.fetchJson(jwksUri)) as { keys?: unknown };
      if (!Array.isArray(jwks.keys)) throw new Error('the key set has no keys');
      const keys = new Map<string, SigningKey>();
      for (const jwk of jwks.keys as Jwk[]) {
        if (typeof jwk.kid !== 'string' || !jwk.n || !jwk.e) continue;
        const pem = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
          .export({ type: 'spki', format: 'pem' })
          .toString();
        const endorsements = Array.isArray(jwk.endorsements)
          ? jwk.endorsements.filter((e): e is string => typeof e === 'string')
          : undefined;
        keys.set(jwk.kid, { key: pem, endorsements });
      }
      this.keys = keys;
      this.lastSuccess = this.now();
      this.lastFailed = false;
    } catch (err) {
      if (!this.lastFailed) log.warn({ err, url: this.url }, 'could not load the Bot Framework signing keys');
      this.lastFailed = true;
    }
  }

  private async fetchJson(url: string): Promise<unknown> {
    const response = await this.fetchFn(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const text = await response.text();
    if (text.length > MAX_DOCUMENT_BYTES)
      throw new Error(`${url} answered more than ${MAX_DOCUMENT_BYTES} bytes`);
    return JSON.parse(text) as unknown;
  }
}

/** One bounded metadata object per URL; botbuilder's extractor asks this cache before creating its own. */
class BoundedMetadataCache extends Map<string, BoundedOpenIdMetadata> {
  constructor(private readonly options: OpenIdMetadataOptions) {
    super();
  }

  override get(url: string): BoundedOpenIdMetadata {
    let metadata = super.get(url);
    if (!metadata) {
      metadata = new BoundedOpenIdMetadata(url, this.options);
      super.set(url, metadata);
    }
    return metadata;
  }
}

/**
 * Makes every JwtTokenExtractor (created per request by botbuilder's authentication) use bounded
 * metadata. Process-wide, like botbuilder's own cache it replaces; call before serving requests.
 */
export function installBoundedOpenIdMetadata(options: OpenIdMetadataOptions = {}): void {
  (JwtTokenExtractor as unknown as { openIdMetadataCache: Map<string, unknown> }).openIdMetadataCache =
    new BoundedMetadataCache(options);
  installed = true;
}

let installed = false;

/** Installs the default bounded metadata unless something (a test with a fake fetch) already did. */
export function ensureBoundedOpenIdMetadata(): void {
  if (!installed) installBoundedOpenIdMetadata();
}
