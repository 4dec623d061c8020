// bench/writes.js -- the lifecycle's writes through the API at full speed:
// the operator makes N work orders for Megan's Dispatch Service (New Work
// Order), Megan's dispatcher accepts each (Accept Work Order, travel) and
// schedules each (Customer Information), each phase with C connections
// kept alive, every answer checked.  Prints one line a phase:
//   PHASE RATE P99_MS REFUSED
// Usage: node bench/writes.js PORT COUNT CONNECTIONS OPTOKENS PARTNERTOKENS
// (tokens comma-separated, one per connection: a token's own rate limit is
// per minute and per token).
'use strict';
const http = require('http');

const [port, count, conns] = process.argv.slice(2, 5).map(Number);
const opTokens = process.argv[5].split(',');
const paTokens = process.argv[6].split(',');
const agent = new http.Agent({ keepAlive: true, maxSockets: conns });

function call(token, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : null;
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: {
      Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
    } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let json = null;
        try { json = JSON.parse(Buffer.concat(chunks).toString()); } catch (e) { /* not JSON: refused below */ }
        resolve({ status: res.statusCode, body: json });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Runs job(i, token) for i in 0..count-1 over `conns` workers; returns
// [rate per second, p99 ms, refused].
async function phase(tokens, job) {
  const times = [];
  let next = 0, refused = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(tokens.slice(0, conns).map(async (token) => {
    while (next < count) {
      const i = next++;
      const a = process.hrtime.bigint();
      if (!(await job(i, token))) refused++;
      times.push(Number(process.hrtime.bigint() - a) / 1e6);
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  times.sort((x, y) => x - y);
  return [count / secs, times[Math.min(times.length - 1, Math.ceil(times.length * 0.99) - 1)], refused];
}

const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);

(async () => {
  const ch = (await call(opTokens[0], 'GET', '/api/work-orders/new')).body.choices;
  const station = ch.stations.find((s) => s.name.startsWith("Kohl's: ")) || ch.stations[0];
  const base = { account_id: ch.accounts.find((a) => a.name === "Kohl's").id, station_id: station.id,
    territory_id: ch.territories[0].id, work_type_id: ch.work_types[0].id,
    owner_id: ch.partners.find((p) => p.name === "Megan's Dispatch Service").id, line_items: 'Replace the head\nTest it' };
  const wos = new Array(count);
  const stamp = Date.now() % 1000000;
  const out = [];
  out.push(['create', ...await phase(opTokens, async (i, t) => {
    const r = await call(t, 'POST', '/api/work-orders/new', { ...base, case: String(7000000 + stamp * 10 + i),
      subject: `Bench ${stamp}-${i}` });
    if (r.status !== 201) return false;
    wos[i] = { n: r.body.wo.number, v: r.body.wo.version };
    return true;
  })]);
  const step = (action, fields, want) => async (i, t) => {
    const w = wos[i];
    if (!w) return false;
    const r = await call(t, 'POST', `/api/work-orders/${w.n}/${action}`, { version: w.v, ...fields });
    if (r.status !== 200 || (want && r.body.wo.status !== want)) return false;
    w.v = r.body.wo.version;
    return true;
  };
  out.push(['accept', ...await phase(paTokens, step('accept-travel', { round_trip: '40', travel_cost: '0.70' }))]);
  out.push(['schedule', ...await phase(paTokens, step('schedule', { appointment_date: day(1), appointment_time: '09:00',
    technician_name: 'Allan Heard', phone_number: '407-276-8065' }))]);
  for (const [name, rate, p99, refused] of out) console.log(`${name} ${rate.toFixed(0)} ${p99.toFixed(2)} ${refused}`);
  agent.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
