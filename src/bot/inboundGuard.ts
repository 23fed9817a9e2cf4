import type { IncomingHttpHeaders } from 'node:http';

/**
 * Checks on a request to /api/messages before anything reads it (issue #16, item 2). A web page the
 * analyst visits can make the browser POST to 127.0.0.1: forms (urlencoded, multipart, text/plain) need
 * no CORS permission, and a DNS-rebound page is even "same-origin". So:
 *  - only `application/json` bodies are activities (a browser cannot send JSON cross-origin without a
 *    CORS preflight, which this server never grants);
 *  - a request a browser marks as coming from a page (Origin, Sec-Fetch-Site) is refused unless the page
 *    is the bot's own loopback origin; Teams and the Agents Playground send neither header;
 *  - in local mode (no BOT_ID, no inbound authentication) the Host must be a loopback name, which a
 *    rebound DNS name is not, and replies may only go to a loopback serviceUrl (the Playground), never
 *    to an address chosen by whoever posted the activity.
 */
export interface InboundProblem {
  status: 400 | 403 | 415;
  error: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Header checks; `local` is true when inbound authentication is off (no BOT_ID). */
export function checkInboundHeaders(
  headers: IncomingHttpHeaders,
  local: boolean,
): InboundProblem | undefined {
  const contentType = (header(headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    return { status: 415, error: 'Activities must be sent as application/json' };
  }
  const fetchSite = header(headers, 'sec-fetch-site')?.toLowerCase();
  if (fetchSite !== undefined && fetchSite !== 'none' && fetchSite !== 'same-origin') {
    return { status: 403, error: 'Cross-site requests are not accepted' };
  }
  const origin = header(headers, 'origin');
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return { status: 403, error: 'Requests from web pages are not accepted' };
  }
  if (local) {
    const host = header(headers, 'host') ?? '';
    const hostname = host.replace(/:\d+$/, '');
    if (!isLoopbackHost(hostname)) {
      return { status: 403, error: 'In local mode only loopback host names are accepted' };
    }
  }
  return undefined;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** In local mode the bot answers only to a loopback serviceUrl (the Agents Playground, tests). */
export function checkServiceUrl(body: unknown, local: boolean): InboundProblem | undefined {
  if (!local) return undefined;
  const serviceUrl =
    body !== null && typeof body === 'object' ? (body as { serviceUrl?: unknown }).serviceUrl : undefined;
  if (serviceUrl === undefined) return undefined;
  try {
    const url = typeof serviceUrl === 'string' ? new URL(serviceUrl) : undefined;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname))
      return undefined;
  } catch {
    // not a URL: refused below
  }
  return { status: 403, error: 'In local mode replies go only to a loopback serviceUrl' };
}
