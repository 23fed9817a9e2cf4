import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A failure to report in the API's own error body. ARM bodies are {error:{code,message}}; Log
 * Analytics adds innererror, so `inner` carries that when present.
 */
export class DemoHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly inner?: { code: string; message: string },
  ) {
    super(message);
    this.name = 'DemoHttpError';
  }

  toBody(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.inner !== undefined) error.innererror = this.inner;
    return { error };
  }
}

const MAX_BODY_BYTES = 1_000_000;

/** Reads a JSON body; empty means undefined. Too large → 413, unparsable → 400 (never a crash). */
export async function readJsonBody(req: IncomingMessage, badJsonCode: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY_BYTES)
      throw new DemoHttpError(413, 'RequestEntityTooLarge', `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new DemoHttpError(
      400,
      badJsonCode,
      `The request content was invalid and could not be deserialized: ${reason}`,
    );
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text.length > 0 ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bearer token present and non-empty; the demo accepts any token (real validation is Entra ID's job). */
export function hasBearerToken(req: IncomingMessage): boolean {
  const auth = req.headers.authorization;
  return typeof auth === 'string' && /^Bearer\s+\S+/i.test(auth.trim());
}
