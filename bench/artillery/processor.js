// Artillery hooks of throughput.yml (see there). The window is set from the environment when the worker loads this
// file: warm-up first, then the measured BENCH_SECONDS, after which every virtual user's loop ends.
'use strict';

const start = Date.now();
const measuredFrom = start + 1000 * Number(process.env.BENCH_WARMUP_SECONDS);
const end = measuredFrom + 1000 * Number(process.env.BENCH_SECONDS);

function running(context, next) {
  return next(Date.now() < end);
}

function count(req, res, context, events, next) {
  const now = Date.now();
  if (now >= measuredFrom && now < end) {
    events.emit('counter', res.statusCode === 200 ? 'bench.measured' : 'bench.failed', 1);
  } else if (res.statusCode !== 200) {
    events.emit('counter', 'bench.failed', 1);
  }
  return next();
}

module.exports = { running, count };
