// Chapter 6 in a real browser: the operator shares an update on the
// Collaborate tab with an @mention picked from the suggestions and a
// photo attached; the mentioned partner sees the notification arrive,
// opens the post and answers it.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { startServer, users, PASSWORD } = require('../lib/server');
const { launch, check, session: login } = require('../lib/browser');

let srv, browser;
before(async () => {
  srv = await startServer({ workOrders: 80 });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

function session(email) {
  return login(browser, srv.base, email, PASSWORD);
}

test('a conversation with a mention and a photo, and the notification arriving', async () => {
  const dana = await session(users.megan);
  const number = await dana.page.evaluate(async () => String((await (await fetch('/api/work-orders?view=my-open&size=1')).json()).rows[0].number));
  assert.equal(await dana.page.locator('.bell .count').count(), 0, 'nothing unread yet');

  const op = await session(users.operator);
  const p = op.page;
  await p.goto(`${srv.base}/work-orders/${number}`);
  await p.getByRole('navigation', { name: 'Work order' }).getByRole('link', { name: 'Collaborate' }).click();
  await p.waitForURL(/collaborate/);
  await check(p, 'Collaborate');
  const box = p.getByPlaceholder('Share an update...');
  await box.click();
  await box.pressSequentially('Please confirm the appointment, @Dan');
  await p.getByRole('option', { name: 'Dana Whitfield' }).click();
  assert.equal(await box.inputValue(), 'Please confirm the appointment, @"Dana Whitfield" ');
  const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fw-e2e-')), 'station.png');
  fs.writeFileSync(photo, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'));
  await p.getByLabel('Attach files').setInputFiles(photo);
  await p.getByRole('button', { name: 'Share' }).click();
  await p.waitForURL(/done=posted/);
  const post = p.locator('article.post').first();
  await post.getByText('Please confirm the appointment, @"Dana Whitfield"').waitFor();
  await post.getByRole('link', { name: 'station.png', exact: true }).waitFor();

  // the mentioned partner sees it arrive
  await dana.page.reload();
  assert.equal((await dana.page.locator('.bell .count').textContent()).trim(), '1 unread');
  await dana.page.getByRole('link', { name: /Notifications/ }).click();
  await check(dana.page, 'Notifications');
  await dana.page.getByRole('link', { name: `Olivia Operations mentioned you on Work Order ${number}` }).click();
  await dana.page.waitForURL(/collaborate/);
  const seen = dana.page.locator('article.post').first();
  await seen.getByText('Please confirm the appointment').waitFor();
  const preview = await dana.page.request.get(await seen.getByRole('link', { name: /Preview/ }).getAttribute('href').then((h) => srv.base + h));
  assert.equal(preview.headers()['content-type'], 'image/png');
  await seen.getByPlaceholder('Write a comment...').fill('Confirmed for Thursday 9:30 AM.');
  await seen.getByRole('button', { name: 'Comment' }).click();
  await dana.page.waitForURL(/done=posted/);
  await dana.page.getByText('Confirmed for Thursday 9:30 AM.').waitFor();

  // and the operator is told of the reply
  await p.reload();
  assert.equal((await p.locator('.bell .count').textContent()).trim(), '1 unread');
  await op.ctx.close();
  await dana.ctx.close();
});
