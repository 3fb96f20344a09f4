// The WebSocket benchmark's client (bench/websocket-connections.sh): opens CONNECTIONS WebSocket connections to one
// server, holds them all, then sends ROUND_TRIPS echo messages on each (one at a time per connection, ECHO_CONCURRENCY
// connections at a time, so the percentiles are latency with every connection held, not a burst's queue) and prints
// one JSON line: connections opened and still open, failures, and the round-trip
// percentiles. The same client drives the lab (SigV4-presigned $connect, npm aws4) and the reference npm ws echo
// server (no signing). Input from the environment, never the command line:
//   BENCH_URL        wss://host:port/path (host is the TLS name and the signed Host)
//   BENCH_ADDRESS    the address host resolves to (the lab's DNS is not the system's)
//   BENCH_CA         CA certificate (PEM) to verify the server with
//   BENCH_SIGN       "presigned" (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or "none"
//   CONNECTIONS, OPEN_CONCURRENCY, ROUND_TRIPS, ECHO_CONCURRENCY, HOLD_MS
'use strict';
const fs = require('fs');
const aws4 = require('aws4');
const WebSocket = require('ws');

const url = new URL(process.env.BENCH_URL);
const address = process.env.BENCH_ADDRESS;
const ca = fs.readFileSync(process.env.BENCH_CA);
const sign = process.env.BENCH_SIGN === 'presigned';
const total = Number(process.env.CONNECTIONS || 5000);
const concurrency = Number(process.env.OPEN_CONCURRENCY || 100);
const roundTrips = Number(process.env.ROUND_TRIPS || 2);
const holdMs = Number(process.env.HOLD_MS || 2000);
const echoConcurrency = Number(process.env.ECHO_CONCURRENCY || 50);
const region = url.hostname.split('.')[2];
const lookup = (hostname, options, callback) => options && options.all
  ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4);

function target() {
  if (!sign) return url.href;
  const s = aws4.sign({ host: url.host, path: url.pathname, service: 'execute-api', region, signQuery: true },
    { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY });
  return `wss://${url.host}${s.path}`;
}

function open() {
  return new Promise((resolve) => {
    const ws = new WebSocket(target(), { ca, servername: url.hostname, lookup, perMessageDeflate: false });
    const done = (ok, why) => { ws.removeAllListeners('open'); resolve(ok ? ws : why); };
    ws.once('open', () => done(true));
    ws.once('unexpected-response', (req, res) => done(false, 'HTTP ' + res.statusCode));
    ws.once('error', (e) => done(false, String(e.code || e.message)));
  });
}

function echo(ws, i) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const data = 'bench-' + i;
    const onMessage = (m) => {
      if (m.toString() !== data) return;
      ws.off('message', onMessage);
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ action: 'echo', data }));
  });
}

function pct(sorted, p) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, i)] * 1000) / 1000;
}

(async () => {
  const started = Date.now();
  const sockets = [];
  const failures = {};
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const r = await open();
      if (typeof r === 'string') failures[r] = (failures[r] || 0) + 1;
      else sockets.push(r);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const openedMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, holdMs));
  const held = sockets.filter((s) => s.readyState === WebSocket.OPEN);
  const times = [];
  const rtStart = Date.now();
  let k = 0;
  const echoer = async () => {
    while (k < held.length) {
      const n = k++;
      for (let i = 0; i < roundTrips; i++) times.push(await echo(held[n], n * roundTrips + i));
    }
  };
  await Promise.all(Array.from({ length: echoConcurrency }, echoer));
  const rtMs = Date.now() - rtStart;
  const stillOpen = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({
    requested: total, opened: sockets.length, held: held.length, openAfterRoundTrips: stillOpen, failures,
    openSeconds: openedMs / 1000, roundTrips: times.length, roundTripSeconds: rtMs / 1000,
    p50: pct(times, 50), p90: pct(times, 90), p99: pct(times, 99), max: pct(times, 100),
  }));
  if (process.env.BENCH_KEEP_OPEN_FILE) {
    // hold the connections until the script has measured the server, then close them
    fs.writeFileSync(process.env.BENCH_KEEP_OPEN_FILE, 'measured-when-gone');
    while (fs.existsSync(process.env.BENCH_KEEP_OPEN_FILE)) await new Promise((r) => setTimeout(r, 100));
  }
  sockets.forEach((s) => s.terminate());
  process.exit(0);
})();
