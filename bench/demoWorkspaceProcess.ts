/**
 * The demo workspace in a process of its own, for benchmarks: in production Sentinel is remote, so its
 * CPU must not be charged to the bot's event loop. Prints {"port":N} once listening; exits with its parent.
 */
import { configureLogging } from '../src/logger';
import { startDemoWorkspace } from '../src/demo/server';

configureLogging('silent');
void startDemoWorkspace({ port: 0 }).then((demo) => {
  process.stdout.write(`${JSON.stringify({ port: demo.port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void demo.close().then(() => process.exit(0)));
});
