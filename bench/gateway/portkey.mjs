// Starts @portkey-ai/gateway's own node server (build/start-server.js, as its
// `npx @portkey-ai/gateway` does) on 127.0.0.1 only: that script listens on
// every interface, so Server.listen is bound to loopback before it runs.
//   node portkey.mjs PORT
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error('usage: node portkey.mjs PORT');
  process.exit(2);
}

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') {
    if (typeof args[1] !== 'string') {
      args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
    }
  } else if (args[0] && typeof args[0] === 'object' && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};

process.argv = [process.argv[0], 'start-server.js', `--port=${port}`, '--headless'];
const here = path.dirname(fileURLToPath(import.meta.url));
await import(pathToFileURL(path.join(here, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js')).href);
