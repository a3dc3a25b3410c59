import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveCommands } from '../lib/ipc.ts';

/** The floor: node:http reading the body and answering 200, nothing else. */
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveCommands({ port: (server.address() as AddressInfo).port }, {}, () => {
  server.closeAllConnections();
  server.close();
});
