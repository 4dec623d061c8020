// The Work Orders list (guide ch. 2-3) over HTTP: the six views, sorting on
// every column both ways, search, keyset paging, the pinned default view,
// and bad input answered with a clear 4xx.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { createWorkOrder, startServer, Client, users } = require('../lib/server');

let srv, megan, op;
before(async () => {
  srv = await startServer({ workOrders: 400 });
  megan = new Client(srv.base);
  await megan.login(users.megan);
  op = new Client(srv.base);
  await op.login(users.operator);
});
after(async () => { await srv.stop(); });

const VIEWS = {
  'all': 'All Work Orders',
  'my-open': 'My Open Work Orders',
  'recent': 'Recently Viewed',
  'recently-viewed': 'Recently Viewed Work Orders',
  'completed-closed': 'WO Completed / Closed',
  'rejected-cancelled': 'WO Rejected / Cancelled / Cannot Complete',
};
const KEY_COLUMNS = ['Work Order Number', 'Case', 'Subject', 'Account', 'Service Territory', 'Status',
  'WO Assigned Date', 'Entitlement', 'Appointment Date', 'Work Type'];
const OPEN = ['Assigned', 'Ship-To Received', 'Parts Ordered', 'Shipping', 'Shipped', 'Parts Delivered', 'In Progress', 'On Hold'];

test('the default view is My Open Work Orders with the guide\'s columns and summary line', async () => {
  const r = await megan.get('/work-orders');
  assert.equal(r.status, 200);
  assert.match(r.text_, /<h1 class="view-title">My Open Work Orders<\/h1>/);
  for (const col of KEY_COLUMNS) assert.ok(r.text_.includes(`>${col}<`), col);
  assert.match(r.text_, /\d+ items? - Sorted by Work Order Number - Filtered by My work orders - Status - Updated a few seconds ago/);
  assert.ok(r.text_.includes('placeholder="Search this list..."'));
  const { body } = await megan.json('/api/work-orders');
  assert.ok(body.rows.length > 0);
  for (const row of body.rows) assert.ok(OPEN.includes(row.status), row.status);
  assert.equal(body.rows.length, Math.min(body.total, 50), 'a page of 50');
});

test('every view answers by the guide\'s name and holds the right statuses', async () => {
  const classes = {
    'completed-closed': ['Completed', 'Closed'],
    'rejected-cancelled': ['Rejected', 'Cancelled', 'Cannot Complete'],
    'my-open': OPEN,
  };
  for (const [key, label] of Object.entries(VIEWS)) {
    const { status, body } = await megan.json(`/api/work-orders?view=${key}&size=200`);
    assert.equal(status, 200, key);
    assert.equal(body.view.label, label);
    assert.equal(body.views.length, 7, 'the guide\'s six and SLA At Risk');
    for (const row of body.rows) if (classes[key]) assert.ok(classes[key].includes(row.status), `${key}: ${row.status}`);
  }
  const done = await megan.get('/work-orders?view=completed-closed');
  assert.ok(done.text_.includes('>Completed Date<'), 'the completed view shows when');
});

function cmp(a, b) {
  if (a === null || a === undefined) a = '';
  if (b === null || b === undefined) b = '';
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).toLowerCase() < String(b).toLowerCase() ? -1 : String(a).toLowerCase() > String(b).toLowerCase() ? 1 : 0;
}

const LIFECYCLE = ['Assigned', 'Ship-To Received', 'Parts Ordered', 'Shipping', 'Shipped', 'Parts Delivered', 'In Progress',
  'On Hold', 'Completed', 'Closed', 'Cannot Complete', 'Rejected', 'Cancelled'];

test('every column sorts both ways, and the header link reverses it', async () => {
  const fields = { number: 'number', case: 'case', subject: 'subject', account: 'account', territory: 'service_territory',
    status: 'status', assigned: 'wo_assigned_date', entitlement: 'entitlement', appointment: 'appointment_date',
    'work-type': 'work_type' };
  for (const [key, field] of Object.entries(fields)) {
    for (const dir of ['asc', 'desc']) {
      const { status, body } = await op.json(`/api/work-orders?view=all&sort=${key}&dir=${dir}&size=120`);
      assert.equal(status, 200);
      const col = body.columns.find((c) => c.key === key);
      assert.equal(col.aria_sort, dir === 'asc' ? 'ascending' : 'descending');
      assert.ok(col.href.includes(`dir=${dir === 'asc' ? 'desc' : 'asc'}`), 'clicking again reverses');
      for (let i = 1; i < body.rows.length; i++) {
        const c = key === 'status' ? LIFECYCLE.indexOf(body.rows[i - 1].status) - LIFECYCLE.indexOf(body.rows[i].status)
          : cmp(body.rows[i - 1][field], body.rows[i][field]);
        assert.ok(dir === 'asc' ? c <= 0 : c >= 0, `${key} ${dir} at row ${i}`);
      }
    }
  }
  // Status in the guide's lifecycle order, not A-Z, and paged by it on either store
  const seen = [];
  let url = '/api/work-orders?view=all&sort=status&dir=asc&size=40';
  for (;;) {
    const { body } = await op.json(url);
    seen.push(...body.rows.map((r) => r.status));
    if (!body.next_href) break;
    url = '/api' + body.next_href + '&size=40';
  }
  const ranks = seen.map((st) => LIFECYCLE.indexOf(st));
  assert.ok(ranks.every((r) => r >= 0));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), 'every page in lifecycle order');
  assert.ok(new Set(seen).size >= 5, 'several statuses seen');
  const page = await op.get('/work-orders?view=all&sort=assigned&dir=desc');
  assert.match(page.text_, /Sorted by WO Assigned Date/);
  assert.match(page.text_, /aria-sort="descending"><a href="\/work-orders\?view=all&amp;sort=assigned&amp;dir=asc"/);
});

test('Target SLA Date and Appointment Date sort blanks last both ways, page after page', async () => {
  for (const [key, field] of [['target', 'target_sla_date'], ['appointment', 'appointment_date']]) {
    for (const dir of ['asc', 'desc']) {
      for (const who of [op, megan]) {
        let page = (await who.json(`/api/work-orders?view=all&sort=${key}&dir=${dir}&size=40`)).body;
        const rows = [...page.rows];
        while (page.next_href) {
          page = (await who.json('/api' + page.next_href + '&size=40')).body;
          rows.push(...page.rows);
        }
        assert.equal(rows.length, page.total, `${key} ${dir}: every row`);
        assert.equal(new Set(rows.map((r) => r.number)).size, rows.length, `${key} ${dir}: no row twice`);
        const firstBlank = rows.findIndex((r) => !r[field]);
        assert.ok(firstBlank > 0, `${key} ${dir}: dated rows first, and some without a date`);
        assert.ok(rows.slice(firstBlank).every((r) => !r[field]), `${key} ${dir}: every blank after every date`);
        for (let i = 1; i < firstBlank; i++) {
          const c = rows[i - 1][field] < rows[i][field] ? -1 : rows[i - 1][field] > rows[i][field] ? 1 : 0;
          assert.ok(dir === 'asc' ? c <= 0 : c >= 0, `${key} ${dir} at row ${i}`);
        }
        // and back from the last page to the first, the same rows
        const back = (await who.json('/api' + page.prev_href + '&size=40')).body;
        assert.ok(back.rows.length > 0 && back.rows.every((r) => rows.some((x) => x.number === r.number)));
      }
    }
  }
});

test('paging forward and back walks every row once', async () => {
  const { body: first } = await op.json('/api/work-orders?view=all&sort=subject&dir=asc&size=50');
  const seen = new Set(first.rows.map((r) => r.number));
  let page = first;
  const pages = [first];
  while (page.next_href) {
    page = (await op.json('/api' + page.next_href + '&size=50')).body;
    for (const r of page.rows) {
      assert.ok(!seen.has(r.number), 'no row twice');
      seen.add(r.number);
    }
    pages.push(page);
  }
  assert.equal(seen.size, first.total);
  const back = (await op.json('/api' + pages[1].prev_href + '&size=50')).body;
  assert.deepEqual(back.rows.map((r) => r.number), first.rows.map((r) => r.number));
  assert.equal(back.prev_href, undefined);
});

// The open rows' own index (SQLite migration 027) serves a company's My
// Open Work Orders by number; the operator's merges it per company.
async function walk(c, url) {
  let page = (await c.json(url)).body;
  const total = page.total, rows = [...page.rows];
  while (page.next_href) {
    page = (await c.json('/api' + page.next_href + '&size=30')).body;
    rows.push(...page.rows);
  }
  return { total, rows, numbers: rows.map((r) => r.number) };
}

test('My Open Work Orders by number: every open row once in order, both ways, and a work order leaves it when cancelled', async () => {
  for (const [c, who] of [[megan, 'partner'], [op, 'operator']]) {
    const up = await walk(c, '/api/work-orders?view=my-open&sort=number&dir=asc&size=30');
    assert.equal(up.rows.length, up.total, `${who}: every row`);
    assert.equal(new Set(up.numbers).size, up.total, `${who}: no row twice`);
    for (let i = 1; i < up.numbers.length; i++) assert.ok(up.numbers[i - 1] < up.numbers[i], `${who}: ascending at ${i}`);
    for (const r of up.rows) assert.ok(OPEN.includes(r.status), `${who}: ${r.status}`);
    const down = await walk(c, '/api/work-orders?view=my-open&sort=number&dir=desc&size=30');
    assert.deepEqual(down.numbers, [...up.numbers].reverse(), `${who}: the same rows descending`);
  }
  const n = await createWorkOrder(op, 'Open rows index check', '14538201');
  const open = async () => (await walk(megan, '/api/work-orders?view=my-open&size=30')).numbers;
  assert.ok((await open()).includes(n), 'a new work order is in My Open at once');
  const w = (await op.json(`/api/work-orders/${n}/related`)).body.wo;
  const r = await op.post(`/work-orders/${n}/cancel`, { csrf: await op.token(), version: String(w.version),
    reason: 'Self-Resolved Issue', comment: 'Stable for 48 hours' });
  assert.equal(r.status, 303);
  assert.ok(!(await open()).includes(n), 'cancelled: gone from My Open');
  assert.ok(!(await walk(op, '/api/work-orders?view=my-open&size=30')).numbers.includes(n), 'and from the operator\'s');
  const ended = (await megan.json('/api/work-orders?view=rejected-cancelled&sort=number&dir=desc&size=5')).body;
  assert.equal(ended.rows[0].number, n, 'in Rejected / Cancelled');
});

test('the operator\'s lists merge every company in order, page after page', async () => {
  for (const [view, sort, dir] of [['my-open', 'account', 'desc'], ['completed-closed', 'completed', 'desc'],
    ['rejected-cancelled', 'territory', 'asc'], ['all', 'number', 'desc']]) {
    const field = { account: 'account', completed: 'completed_date', territory: 'service_territory', number: 'number' }[sort];
    let page = (await op.json(`/api/work-orders?view=${view}&sort=${sort}&dir=${dir}&size=30`)).body;
    const total = page.total;
    const rows = [...page.rows];
    while (page.next_href) {
      page = (await op.json('/api' + page.next_href + '&size=30')).body;
      rows.push(...page.rows);
    }
    assert.equal(rows.length, total, `${view}: every row`);
    assert.equal(new Set(rows.map((r) => r.number)).size, total, `${view}: no row twice`);
    for (let i = 1; i < rows.length; i++) {
      const x = rows[i - 1][field] ?? '', y = rows[i][field] ?? '';   // SQLite's binary order
      const c = (typeof x === 'number' ? x - y : x < y ? -1 : x > y ? 1 : 0) || rows[i - 1].number - rows[i].number;
      assert.ok(dir === 'asc' ? c < 0 : c > 0, `${view} by ${sort} ${dir} at row ${i}`);
    }
    // the same rows as the three companies' own lists together
    let partners = 0;
    for (const who of [megan]) {
      const mine = (await who.json(`/api/work-orders?view=${view}&size=200`)).body;
      partners += mine.total;
      const ops = new Set(rows.map((r) => r.number));
      for (const r of mine.rows) assert.ok(ops.has(r.number), `${view}: the operator sees ${r.number}`);
    }
    assert.ok(total > partners, `${view}: more than one company's work orders`);
  }
});

test('Search this list... finds by number, case, subject, account, territory and work type', async () => {
  const { body: all } = await megan.json('/api/work-orders?view=all&size=5');
  const wo = all.rows[0];
  for (const q of [String(wo.number), wo.case, wo.account.split(' ')[0], wo.service_territory, wo.work_type]) {
    const { status, body } = await megan.json(`/api/work-orders?view=all&size=200&q=${encodeURIComponent(q)}`);
    assert.equal(status, 200, q);
    assert.ok(body.total >= 1, q);
    assert.ok(body.rows.some((r) => r.number === wo.number) || body.total > 200, q);
  }
  const none = await megan.json('/api/work-orders?view=all&q=zzzzqqq');
  assert.equal(none.body.total, 0);
  const html = await megan.get('/work-orders?view=all&q=zzzzqqq');
  assert.match(html.text_, /No work orders to show in this view/);
  assert.match(html.text_, /0 items - Sorted by Work Order Number - Filtered by All work orders - Search: zzzzqqq/);
  const quoted = await megan.json('/api/work-orders?view=all&q=' + encodeURIComponent('"*) OR ('));
  assert.equal(quoted.status, 200, 'search syntax in user input is not interpreted');
});

test('a pinned view becomes the default', async () => {
  const c = new Client(srv.base);
  await c.login(users.meganAdmin);
  const token = await c.token();
  const r = await c.post('/work-orders/pin', { csrf: token, view: 'completed-closed' });
  assert.equal(r.status, 303);
  const { body } = await c.json('/api/work-orders');
  assert.equal(body.view.key, 'completed-closed');
  assert.equal(body.view.pinned, true);
  const html = await c.get('/work-orders');
  assert.match(html.text_, /Pinned: your default view/);
  const bad = await c.post('/work-orders/pin', { csrf: token, view: 'nope' });
  assert.equal(bad.status, 400);
});

test('Recently Viewed lists what the user opened, newest first', async () => {
  const c = new Client(srv.base);
  await c.login(users.megan);
  const { body } = await c.json('/api/work-orders?view=all&size=3');
  for (const r of body.rows) assert.equal((await c.get(`/work-orders/${r.number}`)).status, 200);
  const recent = await c.json('/api/work-orders?view=recent');
  assert.deepEqual(new Set(recent.body.rows.map((r) => r.number)), new Set(body.rows.map((r) => r.number)));
  assert.ok(recent.body.rows.every((r) => r.last_viewed_local));
  const rv = await c.json('/api/work-orders?view=recently-viewed&sort=number&dir=asc');
  assert.deepEqual(rv.body.rows.map((r) => r.number), body.rows.map((r) => r.number).sort((a, b) => a - b));
});

test('bad list input is answered with a clear 400 and nothing changes', async () => {
  const cases = [
    ['view=nope', /There is no list view "nope"/],
    ['view=all&sort=height', /cannot be sorted by "height"/],
    ['view=all&sort=completed', /cannot be sorted by "completed"/],
    ['view=all&dir=sideways', /sort direction must be asc or desc/],
    ['view=all&after=99999999999999999999', /page position is not a work order number/],
    ['view=all&after=12abc', /page position is not a work order number/],
    ['view=all&after=99999999', /not part of this list/],
    ['view=all&size=0', /Page size must be between 1 and 200/],
    ['view=all&size=100000', /Page size must be between 1 and 200/],
    ['view=all&q=' + 'x'.repeat(201), /Search is limited to 200 characters/],
    ['view=all&q=%ff%fe', /not valid UTF-8/],
  ];
  for (const [qs, msg] of cases) {
    const r = await megan.get('/work-orders?' + qs);
    assert.equal(r.status, 400, qs);
    assert.match(r.text_.replace(/&quot;/g, '"'), msg, qs);
    const a = await megan.json('/api/work-orders?' + qs);
    assert.equal(a.status, 400, qs);
    assert.match(a.body.error, msg, qs);
  }
});

test('Subject sorts without regard to case, on either store', async () => {
  for (const [subject, n] of [['banana sortprobe', 1], ['Apple sortprobe', 2], ['cherry sortprobe', 3], ['Date sortprobe', 4]])
    await createWorkOrder(op, subject, String(14538100 + n));
  for (const dir of ['asc', 'desc']) {
    const { body } = await op.json(`/api/work-orders?view=all&sort=subject&dir=${dir}&q=sortprobe`);
    const want = ['Apple sortprobe', 'banana sortprobe', 'cherry sortprobe', 'Date sortprobe'];
    assert.deepEqual(body.rows.map((r) => r.subject), dir === 'asc' ? want : want.reverse());
  }
  // and the keyset pager walks that order page by page
  let page = (await op.json('/api/work-orders?view=all&sort=subject&dir=asc&q=sortprobe&size=1')).body;
  const walked = [page.rows[0].subject];
  while (page.next_href) {
    page = (await op.json('/api' + page.next_href + '&size=1')).body;
    walked.push(page.rows[0].subject);
  }
  assert.deepEqual(walked, ['Apple sortprobe', 'banana sortprobe', 'cherry sortprobe', 'Date sortprobe']);
});

test('statuses are badges (colour and text) on the list and the work order; the pin is an SVG icon', async () => {
  const { body } = await megan.json('/api/work-orders?view=all&size=50');
  for (const r of body.rows) assert.equal(r.status_key, r.status.toLowerCase().replace(/ /g, '-'));
  const page = await megan.get('/work-orders?view=all');
  assert.match(page.text_, /<span class="badge st-[a-z-]+">(Assigned|In Progress|Shipped|On Hold|Completed|Closed|Cancelled|Rejected|Cannot Complete|Ship-To Received|Parts Ordered|Shipping|Parts Delivered)<\/span>/);
  assert.ok(!page.text_.includes('📌'), 'no emoji that needs a font');
  assert.match(page.text_, /<svg class="pin-icon" aria-hidden="true"/);
  const wo = await megan.get(`/work-orders/${body.rows[0].number}`);
  assert.match(wo.text_, new RegExp(`<span class="status badge st-${body.rows[0].status_key}">`));
});
