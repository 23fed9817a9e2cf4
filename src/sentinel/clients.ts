import { SecurityInsights } from '@azure/arm-securityinsight';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { SentinelConfig } from '../config';
import { getLogger } from '../logger';
import { RetryAfterTooLongError, retryAfterMsFrom } from './errorMapping';

/** The Sentinel REST version we speak; its examples are in shared/contracts/sentinel-2024-09-01. */
export const SENTINEL_API_VERSION = '2024-09-01';

/**
 * Retry budget. The pipelines already retry 429 (honouring Retry-After), 5xx and dropped connections;
 * we only bound them. An analyst waits on every call in a Teams turn, and Teams itself gives up on an
 * invoke after ~15 s, so three quick retries are worth it but minutes of backoff are not: past this
 * budget we answer "Sentinel is busy, try again in N s" and let the human decide.
 */
const MAX_RETRIES = 3;
const MAX_BACKOFF_MS = 4_000;
/** A single Retry-After longer than this is not waited for at all (see capRetryAfterPolicy). */
const MAX_RETRY_AFTER_MS = 10_000;

const DEMO_TOKEN = 'demo-token';
const log = getLogger('sentinel.clients');

/** What the gateway needs: both SDK clients, plus the ARM base URL for the REST calls the SDK lacks. */
export interface SentinelClients {
  securityInsights: SecurityInsights;
  logs: LogsQueryClient;
  /** ARM endpoint without trailing slash (incident tasks are called by URL, see tasks.ts). */
  armEndpoint: string;
}

/**
 * The throttling retry strategy waits whatever Retry-After says, however long, and maxRetryDelayInMs
 * does not cap it. Sitting inside the retry loop, this policy turns an over-long wait into an immediate
 * failure that the gateway reports as Throttled with the server's retryAfterMs.
 */
function capRetryAfterPolicy(maxWaitMs: number): PipelinePolicy {
  return {
    name: 'sentinelCapRetryAfterPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        const waitMs = retryAfterMsFrom(response.headers);
        if (waitMs !== undefined && waitMs > maxWaitMs)
          throw new RetryAfterTooLongError(response.status, waitMs);
      }
      return response;
    },
  };
}

/**
 * Demo mode only. The demo workspace is plain http on 127.0.0.1, which the bearer token policy always
 * refuses (FACTS.md), so it is replaced by this fixed token; the node client's own http refusal is
 * lifted per request, which also covers requests we build ourselves (incident tasks).
 */
function demoAuthPolicy(): PipelinePolicy {
  return {
    name: 'sentinelDemoAuthPolicy',
    async sendRequest(request, next) {
      request.headers.set('Authorization', `Bearer ${DEMO_TOKEN}`);
      request.allowInsecureConnection = true;
      return next(request);
    },
  };
}

function useDemoAuth(pipeline: Pipeline): void {
  const removed = pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  if (removed.length === 0) {
    // Without this the demo would silently keep the policy that refuses http; fail loudly instead.
    throw new Error('demo mode: the Azure client pipeline has no bearerTokenAuthenticationPolicy to replace');
  }
  pipeline.addPolicy(demoAuthPolicy(), { phase: 'Sign' });
}

/** Never used for a request in demo mode; the SDK constructors just insist on a credential. */
const demoCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: DEMO_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/**
 * The one factory for the Azure clients. Real mode uses `credential` or DefaultAzureCredential with TLS
 * and bearer tokens as the SDKs configure them; demo mode talks to the local demo workspace over http.
 */
export function createSentinelClients(config: SentinelConfig, credential?: TokenCredential): SentinelClients {
  const demo = config.mode === 'demo';
  const armEndpoint = config.armEndpoint.replace(/\/+$/, '');
  const effectiveCredential = demo ? demoCredential : (credential ?? new DefaultAzureCredential());
  const common = {
    retryOptions: { maxRetries: MAX_RETRIES, maxRetryDelayInMs: MAX_BACKOFF_MS },
    ...(demo ? { allowInsecureConnection: true } : {}),
  };

  const securityInsights = new SecurityInsights(effectiveCredential, config.workspace.subscriptionId, {
    ...common,
    endpoint: armEndpoint,
    apiVersion: SENTINEL_API_VERSION,
  });
  const logs = new LogsQueryClient(effectiveCredential, {
    ...common,
    endpoint: config.logsEndpoint.replace(/\/+$/, ''),
  });

  for (const pipeline of [securityInsights.pipeline, logs.pipeline]) {
    pipeline.addPolicy(capRetryAfterPolicy(MAX_RETRY_AFTER_MS), { afterPhase: 'Retry' });
    if (demo) useDemoAuth(pipeline);
  }
  log.info({ mode: config.mode, armEndpoint, logsEndpoint: config.logsEndpoint }, 'Sentinel clients created');
  return { securityInsights, logs, armEndpoint };
}
