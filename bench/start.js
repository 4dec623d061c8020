// bench/start.js -- spawn to the first answer: starts the server given on
// the command line and asks GET /healthz every millisecond until it
// answers 200, in this one process (a curl started per try cost this
// machine 25 ms each, more than the server's own start).  Prints
// "PID MILLISECONDS"; the server keeps running, its stderr in LOG.
// Usage: node bench/start.js PORT LOG SERVER ARGS...
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');

const [port, log, bin, ...args] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'ignore', fs.openSync(log, 'w')] });
child.on('exit', (code) => { console.error(`start: the server exited (${code})`); process.exit(1); });
setTimeout(() => { console.error('start: no answer in 10 s'); child.kill(); process.exit(1); }, 10000).unref();

function ask() {
  const req = http.get({ host: '127.0.0.1', port: Number(port), path: '/healthz', agent: false }, (res) => {
    res.resume();
    if (res.statusCode !== 200) return setTimeout(ask, 1);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    child.removeAllListeners('exit');
    child.unref();
    console.log(`${child.pid} ${ms.toFixed(0)}`);
    process.exit(0);
  });
  req.on('error', () => setTimeout(ask, 1));
}
ask();
