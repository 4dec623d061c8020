// "Search this list..." when a search's matches are too many to sort at once
// (guide ch. 3): on SQLite where they are rare at the start of the sort's
// order, on PostgreSQL whenever they are more than it gathers, the page is
// the newest matches sorted, the summary line says so, and every page after
// stays among them; the count, an export and the number order still take
// every match.  FIELDWORK_SEARCH_GATHER and FIELDWORK_SEARCH_STEPS make the
// bounds small enough for a database of 5,000 work orders (at a million
// their defaults keep a page within a few milliseconds).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, op;
before(async () => {
  srv = await startServer({ workOrders: 5000, env: { FIELDWORK_SEARCH_STEPS: '1000', FIELDWORK_SEARCH_GATHER: '100' } });
  op = new Client(srv.base);
  await op.login(users.operator);
});
after(async () => { await srv.stop(); });

const NEWEST = '(the newest 1000 matches; refine the search to sort them all)';

// Every match of Q, newest first, from the CSV export (every match, in order).
async function everyMatch(q) {
  const r = await op.get(`/work-orders/export.csv?view=all&sort=number&dir=desc&q=${q}`);
  assert.equal(r.status, 200);
  return r.text_.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]));
}

// The work orders' numbers are their age: "2009" matches the newer part of
// the demo, which a sort by Target SLA Date ascending puts last.
test('too many matches too late in the order: the newest sorted, said so, and paged among them', async () => {
  const all = await everyMatch('2009');
  assert.ok(all.length > 2000, `${all.length} matches`);
  const first = await op.json('/api/work-orders?view=all&sort=target&dir=asc&q=2009');
  assert.equal(first.status, 200);
  const b = first.body;
  assert.equal(b.total, all.length, 'the count is every match');
  assert.ok(!b.summary.includes(`${b.total}+`), b.summary);
  assert.equal(b.sorted_newest, 1000);
  assert.ok(b.summary.startsWith(`${all.length} items - Sorted by Target SLA Date ${NEWEST} - Filtered by`), b.summary);
  assert.match(b.next_href, /&newest=1$/);
  // every page: among the newest 1000, in order, none twice; Previous gives the page back
  const rows = [...b.rows];
  let page = b, second = null;
  while (page.next_href) {
    page = (await op.json('/api' + page.next_href)).body;
    assert.equal(page.sorted_newest, 1000);
    second = second || page;
    rows.push(...page.rows);
  }
  const newest = new Set(all.slice(0, 1000));
  assert.equal(rows.length, 1000);
  assert.equal(new Set(rows.map((r) => r.number)).size, 1000);
  for (const r of rows) assert.ok(newest.has(r.number), `${r.number} is among the newest`);
  const key = (r) => (r.target_sla_date ? Date.parse(r.target_sla_date) : Infinity);
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1], c = rows[i];
    assert.ok(key(a) < key(c) || (key(a) === key(c) && a.number < c.number), `${a.number} before ${c.number}`);
  }
  const back = (await op.json('/api' + second.prev_href)).body;
  assert.deepEqual(back.rows.map((r) => r.number), b.rows.map((r) => r.number));
  // the page itself says it beside the list, and its Next link keeps to them
  const html = await op.get('/work-orders?view=all&sort=target&dir=asc&q=2009');
  assert.ok(html.text_.includes(NEWEST));
  assert.match(html.text_, /href="\/work-orders\?view=all&amp;sort=target&amp;dir=asc&amp;q=2009&amp;after=\d+&amp;newest=1"/);
});

test('the same search in number order, and counted under another sort: every match', async () => {
  const all = await everyMatch('2009');
  const { body } = await op.json('/api/work-orders?view=all&sort=number&dir=desc&q=2009&size=200');
  assert.equal(body.sorted_newest, undefined);
  assert.deepEqual(body.rows.map((r) => r.number), all.slice(0, 200));
  const other = await op.json('/api/work-orders?view=all&sort=target&dir=desc&q=2009');
  assert.equal(other.body.total, all.length);
});

test('a newest other than 1 is ignored: the list is planned as if it were not there', async () => {
  const r = await op.json('/api/work-orders?view=all&sort=subject&dir=asc&q=assure&newest=yes');
  assert.equal(r.status, 200);
  const plain = await op.json('/api/work-orders?view=all&sort=subject&dir=asc&q=assure');
  assert.deepEqual(r.body.rows.map((x) => x.number), plain.body.rows.map((x) => x.number));
});

// A partner's view of one class: a search past what is gathered keeps to
// the partner's own work orders of that class, the newest of them where
// they are sorted (on PostgreSQL the newest are taken of the view's class,
// not of every class and then filtered: the pages hold every one of them).
test("a partner's My Open Work Orders: the newest of its own open matches", async () => {
  const megan = new Client(srv.base);
  await megan.login(users.megan);
  const csv = await megan.get('/work-orders/export.csv?view=my-open&sort=number&dir=desc&q=2009');
  assert.equal(csv.status, 200);
  const all = csv.text_.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]));
  assert.ok(all.length > 100, `${all.length} matches`);
  let page = (await megan.json('/api/work-orders?view=my-open&sort=target&dir=asc&q=2009')).body;
  assert.equal(page.total, all.length);
  const sorted = page.sorted_newest === 1000, pool = new Set(sorted ? all.slice(0, 1000) : all);
  const rows = [...page.rows];
  while (page.next_href) {
    page = (await megan.json('/api' + page.next_href)).body;
    rows.push(...page.rows);
  }
  assert.equal(rows.length, sorted ? Math.min(1000, all.length) : all.length);
  for (const r of rows) assert.ok(pool.has(r.number), `${r.number} is one of the view's matches`);
});

// Once the server has been quiet for a second it keeps every work order's
// place in the sort orders (SQLite): a search whose matches the scan of
// its hit set finds too late in the order -- "latch" by Subject Z to A,
// the matches gathered from the common words' sets -- is then every match
// in order, page after page, where without the places (a server started
// with FIELDWORK_SORT_MEMORY_MB=0) it is the newest 1,000 sorted.
test('a search rare early in its order, sorted from the places kept: every match, in order',
  { skip: process.env.FW_TEST_STORE === 'pg' ? 'SQLite only (PostgreSQL keeps no places)' : false }, async () => {
  const q = 'view=all&sort=subject&dir=desc&q=latch';
  const exact = await op.get(`/work-orders/export.csv?${q}`);
  assert.equal(exact.status, 200);
  const all = exact.text_.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => Number(l.split(',')[0]));
  assert.ok(all.length > 1000, `${all.length} matches`);
  const off = await startServer({ workOrders: 5000,
    env: { FIELDWORK_SEARCH_STEPS: '1000', FIELDWORK_SEARCH_GATHER: '100', FIELDWORK_SORT_MEMORY_MB: '0' } });
  try {
    const c = new Client(off.base);
    await c.login(users.operator);
    await new Promise((r) => setTimeout(r, 2500));   // quiet: the common words' sets, no places
    assert.equal((await c.json(`/api/work-orders?${q}`)).body.sorted_newest, 1000);
  } finally {
    await off.stop();
  }
  let page = null;
  for (let i = 0; i < 20 && (!page || page.sorted_newest); i++) {
    await new Promise((r) => setTimeout(r, 1500));   // a quiet second: the places are made
    page = (await op.json(`/api/work-orders?${q}`)).body;
  }
  assert.equal(page.sorted_newest, undefined, page.summary);
  assert.equal(page.total, all.length);
  const rows = [...page.rows];
  while (page.next_href) {
    assert.doesNotMatch(page.next_href, /newest/);
    page = (await op.json('/api' + page.next_href)).body;
    assert.equal(page.sorted_newest, undefined);
    rows.push(...page.rows);
  }
  assert.deepEqual(rows.map((r) => r.number), all);
});
