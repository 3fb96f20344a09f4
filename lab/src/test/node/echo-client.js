// An independent client of the lab's WebSocket API: npm `ws` for the connection, npm `aws4` for the SigV4
// presigned $connect. It shares no code with vpcanary. Input comes from the environment (never the command line):
//   VPCANARY_WS_URL      wss://{api-id}.execute-api.{region}.amazonaws.com:{port}/{stage}
//   VPCANARY_WS_ADDRESS  the address the name resolves to in the lab (the lab's DNS is not the system's)
//   VPCANARY_WS_CA       the lab CA certificate (PEM)
//   VPCANARY_WS_SIGN     "presigned" (query-string SigV4 with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) or "none"
// It prints one JSON line: {"opened":true,"echo":"..."} or {"opened":false,"status":403,"body":"..."}, and exits 0; anything
// else (a timeout, an error) exits 1 with the reason on stderr.
'use strict';
const fs = require('fs');
const aws4 = require('aws4');
const WebSocket = require('ws');

const url = new URL(process.env.VPCANARY_WS_URL);
const address = process.env.VPCANARY_WS_ADDRESS;
const ca = fs.readFileSync(process.env.VPCANARY_WS_CA);
const region = url.hostname.split('.')[2];

let target = url.href;
if (process.env.VPCANARY_WS_SIGN === 'presigned') {
  const signed = aws4.sign({
    host: url.host, // host:port, as the Host header ws sends
    path: url.pathname,
    service: 'execute-api',
    region,
    signQuery: true,
  }, {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  });
  target = `wss://${url.host}${signed.path}`;
}

const timer = setTimeout(() => { console.error('no answer within 10 s'); process.exit(1); }, 10000);
const ws = new WebSocket(target, {
  ca,
  servername: url.hostname,
  lookup: (hostname, options, callback) => options && options.all
    ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4),
});
ws.on('unexpected-response', (req, res) => {
  let body = '';
  res.on('data', (chunk) => { body += chunk; });
  res.on('end', () => {
    clearTimeout(timer);
    console.log(JSON.stringify({ opened: false, status: res.statusCode, body }));
    process.exit(0);
  });
});
ws.on('open', () => ws.send(JSON.stringify({ action: 'echo', data: 'hello from npm ws' })));
ws.on('message', (data) => {
  clearTimeout(timer);
  console.log(JSON.stringify({ opened: true, echo: data.toString() }));
  ws.close(1000);
});
ws.on('close', () => process.exit(0));
ws.on('error', (e) => { console.error(String(e)); process.exit(1); });
