import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted OpenAI-compatible chat completions server for tests, so the real `openai` client and the
 * teams-ai code paths run. Serves POST /v1/chat/completions and /chat/completions (also Azure's
 * /openai/deployments/{d}/chat/completions), JSON or SSE (`stream: true`), and records every request.
 *
 *   const ai = await startFakeOpenAI();
 *   ai.script({ content: 'Answer.\nEvidence: none' }, { status: 429, headers: { 'retry-after-ms': '10' } });
 *   // OPENAI_BASE_URL = ai.baseUrl  (…/v1)
 */
export interface ChatMessageBody {
  role: string;
  content: unknown;
}

export interface ChatRequestBody {
  model?: string;
  messages: ChatMessageBody[];
  stream?: boolean;
  temperature?: number;
  response_format?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: ChatRequestBody;
  at: number;
}

export interface ScriptedReply {
  /** Assistant text (default "Default answer.\nEvidence: none"). */
  content?: string;
  /** Streamed in these pieces instead of ~24-character slices of `content`. */
  chunks?: string[];
  /** Non-2xx answers an OpenAI-style error body. */
  status?: number;
  headers?: Record<string, string>;
  /** Before the response starts (timeouts, fixed model latency). */
  delayMs?: number;
  /** Between SSE chunks. */
  chunkDelayMs?: number;
  finishReason?: 'stop' | 'length' | 'content_filter';
}

export type ReplyFor = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

export interface FakeOpenAI {
  /** http://127.0.0.1:<port>/v1, what OPENAI_BASE_URL takes. */
  baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Replies for the next requests, in order; after them the default reply answers. */
  script(...replies: ReplyFor[]): void;
  setDefault(reply: ReplyFor): void;
  /** Text of all messages of a recorded request, joined. */
  promptText(request: RecordedRequest): string;
  clear(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const queue: ReplyFor[] = [];
  let fallback: ReplyFor = { content: 'Default answer.\nEvidence: none' };
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}`, type: 'not_found' } }));
      return;
    }
    const raw = await readBody(req);
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'body is not JSON', type: 'invalid_request_error' } }));
      return;
    }
    const recorded: RecordedRequest = { path, headers: req.headers, body, at: Date.now() };
    requests.push(recorded);
    const next = queue.shift() ?? fallback;
    const reply = typeof next === 'function' ? next(recorded) : next;
    await sleep(reply.delayMs ?? 0);
    if (res.destroyed) return;
    if (reply.status !== undefined && reply.status >= 400) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          error: { message: `scripted ${reply.status}`, type: 'scripted_error', code: String(reply.status) },
        }),
      );
      return;
    }
    const content = reply.content ?? 'Default answer.\nEvidence: none';
    const id = `chatcmpl-fake-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model ?? 'fake-model';
    const finish = reply.finishReason ?? 'stop';
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...reply.headers,
    });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of reply.chunks ?? slices(content, 24)) {
      await sleep(reply.chunkDelayMs ?? 0);
      if (res.destroyed) return;
      res.write(chunk({ content: piece }, null));
    }
    res.write(chunk({}, finish));
    res.end('data: [DONE]\n\n');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    setDefault: (reply) => {
      fallback = reply;
    },
    promptText: (r) =>
      r.body.messages
        .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
        .join('\n'),
    clear: () => {
      requests.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function slices(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
