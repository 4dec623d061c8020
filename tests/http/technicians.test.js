// Field Technician Management (ch. 12) and the WO Assignment tab (ch. 7)
// over HTTP: search filters, onboarding on the company's domain,
// offboarding with open assignments, assignment with and without skills,
// freelancers, and what a technician's own login may do.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, Client, users } = require('../lib/server');

let srv, admin, megan, volt, voltAdmin, op, tech;
before(async () => {
  srv = await startServer({ workOrders: 250 });
  admin = new Client(srv.base);
  await admin.login(users.meganAdmin);
  megan = new Client(srv.base);
  await megan.login(users.megan);
  volt = new Client(srv.base);
  await volt.login(users.volt);
  voltAdmin = new Client(srv.base);
  await voltAdmin.login(users.voltAdmin);
  op = new Client(srv.base);
  await op.login(users.operator);
  tech = new Client(srv.base);
  await tech.login(users.tech);
});
after(async () => { await srv.stop(); });

const names = (res) => res.search.rows.map((r) => r.name);

test('Field Technician Management searches by email, postal code, city, organization and certifications', async () => {
  const page = await admin.get('/technicians');
  for (const w of ['Field Technician Management', 'Advanced Search', 'Email Address', 'Postal Code', 'City', 'My Organization',
    'Certification Name', 'Available', 'Selected', 'Certification Information', '>Offboard<'])
    assert.ok(page.text_.includes(w), w);
  const mine = (await admin.json('/api/technicians?my_org=yes')).body;
  assert.deepEqual(names(mine).sort(), ['Allan Heard', 'Jacob Harrison', 'Joe Bradley', 'Joshua Boone']);
  const free = (await admin.json('/api/technicians?my_org=no')).body;
  assert.ok(names(free).includes('Nora Boyle'));
  assert.ok(!names(free).includes('Ryan Cole'), 'another company\'s roster never shows');
  const byEmail = (await admin.json('/api/technicians?my_org=no&email=nboyle7300')).body;
  assert.deepEqual(names(byEmail), ['Nora Boyle']);
  assert.match(byEmail.search.rows[0].address, /110 Church St\. Broadway North Carolina, 27505/);
  const byPostal = (await admin.json('/api/technicians?my_org=no&postal_code=27505')).body;
  assert.deepEqual(names(byPostal), ['Nora Boyle']);
  const byCity = (await admin.json('/api/technicians?my_org=no&city=broadway')).body;
  assert.deepEqual(names(byCity), ['Nora Boyle']);
  const certs = [...mine.certs_available];
  const ins = certs.find((c) => c.name === 'CT4000-INS').id;
  const cm = certs.find((c) => c.name === 'CT4000-CM').id;
  const both = (await admin.json(`/api/technicians?my_org=yes&cert=${ins}&cert=${cm}`)).body;
  assert.deepEqual(names(both), ['Joe Bradley']);
  assert.deepEqual(both.certs_selected.map((c) => c.name).sort(), ['CT4000-CM', 'CT4000-INS']);
  const one = (await admin.json(`/api/technicians?my_org=yes&cert=${ins}`)).body;
  assert.deepEqual(names(one).sort(), ['Joe Bradley', 'Joshua Boone']);
  assert.equal((await admin.get('/technicians?cert=abc')).status, 400);
  const voltView = (await volt.json('/api/technicians?my_org=yes')).body;
  assert.ok(!names(voltView).includes('Joe Bradley'));
});

test('onboarding: only a partner admin, only on the company\'s domain; then offboarding', async () => {
  const nora = (await admin.json('/api/technicians?my_org=no&email=nboyle7300')).body.search.rows[0];
  const form = await admin.get(`/technicians/onboard?technician=${nora.id}`);
  assert.match(form.text_, /Corporate Email Address/);
  const token = await admin.token();
  const wrong = await admin.post('/technicians/onboard', { csrf: token, technician: String(nora.id), corporate_email: 'nora@gmail.example' });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text_, /must be on your organization&#39;s domain \(megansdispatch\.example\)/);
  assert.match(wrong.text_, /value="nora@gmail.example"/);
  const notAdmin = await megan.post('/technicians/onboard', { csrf: await megan.token(), technician: String(nora.id), corporate_email: 'nora@megansdispatch.example' });
  assert.equal(notAdmin.status, 422);
  assert.match(notAdmin.text_, /Only a partner admin onboards technicians/);
  const ok = await admin.post('/technicians/onboard', { csrf: token, technician: String(nora.id), corporate_email: 'nora.boyle@megansdispatch.example' });
  assert.equal(ok.status, 303);
  const mine = (await admin.json('/api/technicians?my_org=yes')).body;
  const row = mine.search.rows.find((r) => r.name === 'Nora Boyle');
  assert.ok(row, 'with My Organization = Yes she now shows');
  assert.equal(row.email, 'nora.boyle@megansdispatch.example');
  assert.ok(row.cells.some((c) => c.cert === 'CT4000-INS' && c.held), 'with her certification records');
  const twice = await voltAdmin.post('/technicians/onboard', { csrf: await voltAdmin.token(), technician: String(nora.id), corporate_email: 'nora@voltfield.example' });
  assert.equal(twice.status, 422);
  assert.match(twice.text_, /already belongs to an organization/);
  const otherCo = await voltAdmin.post('/technicians/offboard', { csrf: await voltAdmin.token(), technician: String(nora.id), confirm: 'yes' });
  assert.equal(otherCo.status, 404, 'another company cannot offboard her');
  const ask = await voltAdmin.post('/technicians/offboard', { csrf: await voltAdmin.token(), technician: String(nora.id) });
  assert.equal(ask.status, 404, 'nor see what offboarding her would do');
  const off = await admin.post('/technicians/offboard', { csrf: token, technician: String(nora.id), confirm: 'yes' });
  assert.equal(off.status, 200);
  assert.match(off.text_, /You have successfully off boarded the technician/);
  assert.ok(!names((await admin.json('/api/technicians?my_org=yes')).body).includes('Nora Boyle'));
});

async function openOrder(client) {
  const { body } = await client.json('/api/work-orders?view=my-open&size=200');
  return body.rows.find((r) => r.status === 'In Progress' || r.status === 'Assigned').number;
}

test('WO Assignment: with skills, without (override), and a freelancer', async () => {
  // a work order one of the company's technicians is certified for
  let n = 0;
  for (const r of (await megan.json('/api/work-orders?view=my-open&size=200')).body.rows) {
    const v = (await megan.json(`/api/work-orders/${r.number}/assignment`)).body;
    if (v.search.rows.some((t) => t.has_required)) { n = r.number; break; }
  }
  assert.ok(n, 'the demo data has a work order Joe Bradley is certified for');
  const tab = await megan.get(`/work-orders/${n}/assignment`);
  for (const w of ['WO Assignment', 'Advanced Search', 'Field Technician', 'Assign To WO', '(required)'])
    assert.ok(tab.text_.includes(w), w);
  const view = (await megan.json(`/api/work-orders/${n}/assignment`)).body;
  assert.ok(view.search.columns[0].required, 'the required certifications come first and are marked');
  const skilled = view.search.rows.find((r) => r.has_required);
  const unskilled = view.search.rows.find((r) => !r.has_required);
  const token = await megan.token();
  const r = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(skilled.id) });
  assert.equal(r.status, 303, 'with the skills: no override asked');
  assert.match((await megan.get(r.headers.get('location'))).text_, /successfully assigned to the technician/);
  assert.ok((await megan.json(`/api/work-orders/${n}/collaborate`)).body.feed.some((p) => /Assignment Method: Skills Match/.test(p.body)));
  const none = await megan.post(`/work-orders/${n}/assignment`, { csrf: token });
  assert.equal(none.status, 422);
  const ask = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(unskilled.id) });
  assert.equal(ask.status, 409);
  assert.match(ask.text_, /Missing Skills/);
  assert.match(ask.text_, /You need to provide an override reason for selecting a technician without the required skill set/);
  for (const reason of ['Other', 'No certified technician available', 'Customer request', 'Emergency', 'Freelancer'])
    assert.ok(ask.text_.includes(`<option>${reason}</option>`), reason);
  assert.match(ask.text_, />Confirm Override</);
  const bad = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(unskilled.id), override_reason: 'Because' });
  assert.equal(bad.status, 422);
  const over = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(unskilled.id), override_reason: 'Other' });
  assert.equal(over.status, 303);
  const wo = (await megan.json(`/api/work-orders/${n}/collaborate`)).body;
  assert.equal(wo.wo.customer_information.technician_name_email, unskilled.name);
  const post = wo.feed.find((p) => p.system && p.body.includes('Assignment Method: Manual Override'));
  assert.match(post.body, new RegExp(`^Work Order: ${n}\\nAssigned To: ${unskilled.name.replace(/ /g, '')}\\nAssignment Method: Manual Override\\nOverride Reason: Other\\nAssigned On: \\d+/\\d+/\\d{4} \\d+:\\d\\d [AP]M$`));
  assert.equal(post.author_label, "Megan's Dispatch Service (Partner)");
  const hist = (await megan.json(`/api/work-orders/${n}/related`)).body.wo.history.filter((h) => h.field === 'Technician Name / Email');
  assert.ok(hist.length >= 1, 'history keeps every assignment');

  // a freelancer: found with My Organization = No, assigned with the reason for choosing a freelancer
  const free = (await megan.json(`/api/work-orders/${n}/assignment?my_org=no&email=vhale`)).body.search.rows[0];
  assert.equal(free.name, 'Victor Hale');
  const ask2 = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(free.id) });
  assert.equal(ask2.status, 409);
  const fr = await megan.post(`/work-orders/${n}/assignment`, { csrf: token, technician: String(free.id), override_reason: 'Freelancer' });
  assert.equal(fr.status, 303);
});

test('a partner cannot assign another company\'s technician, nor reach another company\'s work order', async () => {
  const n = await openOrder(megan);
  const ryan = (await op.json('/api/technicians?my_org=yes')).body.search.rows.find((r) => r.name === 'Ryan Cole');
  const r = await megan.post(`/work-orders/${n}/assignment`, { csrf: await megan.token(), technician: String(ryan.id), override_reason: 'Other' });
  assert.equal(r.status, 404);
  const vn = await openOrder(volt);
  assert.equal((await megan.get(`/work-orders/${vn}/assignment`)).status, 404);
  const joe = (await admin.json('/api/technicians?my_org=yes')).body.search.rows.find((x) => x.name === 'Joe Bradley');
  assert.equal((await volt.post(`/work-orders/${vn}/assignment`, { csrf: await volt.token(), technician: String(joe.id), override_reason: 'Other' })).status, 404);
});

test('a technician sees the work orders assigned to them, records the visit and adds photos, nothing more', async () => {
  const mineList = (await tech.json('/api/work-orders?view=all&size=200')).body;
  assert.ok(mineList.rows.length > 0);
  assert.ok(mineList.tabs.some((t) => t.label === 'My Work Orders'), 'the tab says whose work orders they are');
  for (const row of mineList.rows.slice(0, 5)) {
    const w = (await tech.json(`/api/work-orders/${row.number}`)).body.wo;
    assert.equal(w.customer_information.technician_name_email, 'Joe Bradley');
  }
  const open = mineList.rows.find((r) => !['Completed', 'Closed', 'Cancelled', 'Rejected', 'Cannot Complete'].includes(r.status));
  const n = open.number;
  const page = await tech.get(`/work-orders/${n}`);
  assert.match(page.text_, /Enter Site Visit times/);
  assert.ok(!page.text_.includes('>Accept<') && !page.text_.includes('WO Assignment'));
  const token = await tech.token();
  const day = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  const version = async () => String((await tech.json(`/api/work-orders/${n}`)).body.wo.version);
  const st = await tech.post(`/work-orders/${n}/site-times`, { csrf: token, version: await version(), arrive_date: day, arrive_time: '08:00', depart_date: day, depart_time: '09:15' });
  assert.equal(st.status, 303);
  const photo = await tech.upload(`/work-orders/${n}/files`, { csrf: token }, [['files', 'after.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 1, 2])]]);
  assert.equal(photo.status, 303);
  const acc = await tech.post(`/work-orders/${n}/could-not-complete`, { csrf: token, version: await version(), reason: 'Physical Obstructions' });
  assert.equal(acc.status, 403);
  assert.match(acc.text_, /technician records the site visit times/);
  const all = (await megan.json('/api/work-orders?view=all&size=200')).body.rows.map((r) => r.number);
  const notMine = all.find((x) => !mineList.rows.some((r) => r.number === x));
  assert.equal((await tech.get(`/work-orders/${notMine}`)).status, 404);
  assert.equal((await tech.get('/technicians')).status, 403);
});
