import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a real server that can lose a response: the request reaches the server and
 * takes effect, then the client's connection is reset before the answer arrives. That is the failure a
 * client's retry policy turns into "my own write now fails its own condition".
 */
export interface LossyProxy {
  /** Base URL that forwards to the target. */
  url: string;
  /** The next request matching `predicate` is forwarded, then its response is dropped. */
  loseNextResponse(predicate: (req: IncomingMessage) => boolean): void;
  /** How many responses were lost so far. */
  readonly lost: number;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  let pending: ((req: IncomingMessage) => boolean) | undefined;
  let lost = 0;
  const server: Server = createServer((req, res) => {
    const drop = pending?.(req) === true;
    if (drop) pending = undefined;
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (drop) {
          answer.resume();
          answer.once('end', () => {
            lost++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    loseNextResponse(predicate) {
      pending = predicate;
    },
    get lost() {
      return lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
