// Chapters 7 and 12 in a real browser: a partner admin onboards a
// certified freelancer, assigns technicians to a work order the three ways
// the guide shows (with skills, without skills, a freelancer), sees the
// Collaborate post and the Details filled, and offboards the technician.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, session: login } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 150 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('onboard a freelancer, assign three ways, offboard', async () => {
  const { ctx, page: p } = await login(browser, srv.base, users.meganAdmin, PASSWORD);

  // Chapter 12: onboard
  await p.getByRole('navigation', { name: 'Partner Portal' }).getByRole('link', { name: 'Field Technician Management' }).click();
  await check(p, 'Field Technician Management');
  await p.getByLabel('No', { exact: true }).check();
  await p.getByLabel('Email Address').fill('nboyle7300@example.net.invalid');
  await p.getByRole('button', { name: 'Search' }).click();
  await p.getByLabel('Nora Boyle').check();
  await p.getByRole('button', { name: 'Onboard' }).click();
  await p.getByLabel('* Corporate Email Address').fill('nora@gmail.example');
  await p.getByRole('button', { name: 'Onboard' }).click();
  await p.getByText(/must be on your organization's domain/).waitFor();
  await check(p, 'Onboard with an error');
  await p.getByLabel('* Corporate Email Address').fill('nora.boyle@megansdispatch.example');
  await p.getByRole('button', { name: 'Onboard' }).click();
  await p.waitForURL(/my_org=yes/);
  await p.getByLabel('Yes', { exact: true }).check();
  await p.getByRole('button', { name: 'Search' }).click();
  await p.getByRole('rowheader', { name: /Nora Boyle/ }).waitFor();
  assert.ok(await p.getByText(/CT4000-INS: earned/).first().isVisible(), 'her certification records');

  // Chapter 7: a work order a company technician is certified for
  const n = await p.evaluate(async () => {
    const rows = (await (await fetch('/api/work-orders?view=my-open&size=200')).json()).rows;
    for (const r of rows) {
      const v = await (await fetch(`/api/work-orders/${r.number}/assignment`)).json();
      if (v.search.rows.some((t) => t.has_required)) return String(r.number);
    }
    return null;
  });
  assert.ok(n);
  await p.goto(`${srv.base}/work-orders/${n}`);
  await p.getByRole('link', { name: 'WO Assignment' }).click();
  await check(p, 'WO Assignment');
  // with skills
  const skilled = await p.evaluate(async (num) => (await (await fetch(`/api/work-orders/${num}/assignment`)).json()).search.rows.find((t) => t.has_required).name, n);
  await p.getByLabel(skilled).check();
  await p.getByRole('button', { name: 'Assign To WO' }).click();
  await p.getByText('The work order is successfully assigned to the technician.').waitFor();
  // without skills: the Missing Skills window
  await p.getByRole('link', { name: 'WO Assignment' }).click();
  const unskilled = await p.evaluate(async (num) => (await (await fetch(`/api/work-orders/${num}/assignment`)).json()).search.rows.find((t) => !t.has_required).name, n);
  await p.getByLabel(unskilled).check();
  await p.getByRole('button', { name: 'Assign To WO' }).click();
  await p.getByRole('heading', { name: 'Missing Skills' }).waitFor();
  assert.ok(await p.getByText(/You need to provide an override reason for selecting a technician without the required skill set/).isVisible());
  await check(p, 'Missing Skills');
  await p.getByLabel('* Override Reason').selectOption('Other');
  await p.getByRole('button', { name: 'Confirm Override' }).click();
  await p.getByText('The work order is successfully assigned to the technician.').waitFor();
  // a freelancer
  await p.getByRole('link', { name: 'WO Assignment' }).click();
  await p.getByLabel('No', { exact: true }).check();
  await p.getByLabel('Email Address').fill('vhale2211@example.net.invalid');
  await p.getByRole('button', { name: 'Search' }).click();
  await p.getByRole('columnheader', { name: 'Address' }).waitFor();
  await p.getByLabel('Victor Hale').check();
  await p.getByRole('button', { name: 'Assign To WO' }).click();
  await p.getByRole('heading', { name: 'Missing Skills' }).waitFor();
  await p.getByLabel('* Override Reason').selectOption('Freelancer');
  await p.getByRole('button', { name: 'Confirm Override' }).click();
  await p.getByText('The work order is successfully assigned to the technician.').waitFor();
  // and the onboarded freelancer, now of the company
  await p.getByRole('link', { name: 'WO Assignment' }).click();
  const noraSkilled = await p.evaluate(async (num) => (await (await fetch(`/api/work-orders/${num}/assignment`)).json()).search.rows.find((t) => t.name === 'Nora Boyle').has_required, n);
  await p.getByLabel('Nora Boyle').check();
  await p.getByRole('button', { name: 'Assign To WO' }).click();
  if (!noraSkilled) {
    await p.getByRole('heading', { name: 'Missing Skills' }).waitFor();
    await p.getByLabel('* Override Reason').selectOption('No certified technician available');
    await p.getByRole('button', { name: 'Confirm Override' }).click();
  }
  await p.getByText('The work order is successfully assigned to the technician.').waitFor();
  // Details filled, the Collaborate post
  await p.getByRole('region', { name: 'Customer Information' }).getByText('Nora Boyle').waitFor();
  await p.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Collaborate' }).click();
  const post = p.locator('article.post').first();
  await post.getByText(/Assigned To: NoraBoyle/).waitFor();
  assert.match(await post.locator('.post-body').innerText(), noraSkilled ? /Assignment Method: Skills Match\nAssigned On: /
    : /Assignment Method: Manual Override\nOverride Reason: No certified technician available\nAssigned On: /);

  // offboard
  await p.goto(srv.base + '/technicians?my_org=yes');
  await p.getByLabel('Nora Boyle').check();
  await p.getByRole('button', { name: 'Offboard' }).click();
  await p.getByRole('heading', { name: 'Offboard Nora Boyle?' }).waitFor();
  assert.ok(await p.getByRole('link', { name: String(n) }).isVisible(), 'the confirmation names the work order');
  await p.getByRole('button', { name: 'Offboard Nora Boyle' }).click();
  await p.getByText(/You have successfully off boarded the technician/).waitFor();
  await p.goto(`${srv.base}/work-orders/${n}`);
  await p.getByText('Needs reassignment: the technician was offboarded').waitFor();
  await ctx.close();
});
