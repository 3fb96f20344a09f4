// The reference server of bench/websocket-connections.sh: npm ws's WebSocketServer over Node's HTTPS server, on one
// thread, answering {"action":"echo","data":X} with X (what the lab's echo route does), without auth. Prints
// "listening PORT" when ready. Input: BENCH_CERT, BENCH_KEY (PEM files), BENCH_PORT.
'use strict';
const fs = require('fs');
const https = require('https');
const { WebSocketServer } = require('ws');

const server = https.createServer({ cert: fs.readFileSync(process.env.BENCH_CERT), key: fs.readFileSync(process.env.BENCH_KEY) });
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 128 * 1024 });
wss.on('connection', (ws) => {
  ws.on('message', (m) => {
    let data;
    try { data = JSON.parse(m.toString()).data; } catch (e) { data = undefined; }
    ws.send(typeof data === 'string' ? data : m.toString());
  });
});
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => console.log('listening ' + server.address().port));
// SIGUSR2: print the V8 heap used before and after a full GC (node runs with --expose-gc), as the lab's is measured
process.on('SIGUSR2', () => {
  const before = process.memoryUsage().heapUsed;
  global.gc();
  const after = process.memoryUsage().heapUsed;
  console.log(`heap ${(before / 1048576).toFixed(1)} ${(after / 1048576).toFixed(1)}`);
});
process.on('SIGTERM', () => process.exit(0));
