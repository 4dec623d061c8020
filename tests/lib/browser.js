// Launches Debian's Chromium through playwright-core (never a downloaded
// browser), and checks pages with axe-core and html-validate.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { HtmlValidate } = require('html-validate');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Serious and critical accessibility findings on the page, as strings.
async function axe(page) {
  await page.evaluate(axeSource);   // through the debugger: the page's CSP still applies to the page
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.join(', ')}`);
}

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'error',
    'require-sri': 'off',
    'no-trailing-whitespace': 'off',
    'attribute-boolean-style': 'off',
    // the browser writes download="" back when it serializes the page
    'attribute-empty-style': 'off',
    'long-title': 'off',
    'no-redundant-role': 'off',
    // the @mention suggestions are an ARIA combobox's listbox, as the APG shows it
    'prefer-native-element': ['error', { exclude: ['listbox', 'option'] }],
    // several checkboxes of one name are one multi-valued field (cert=1&cert=2)
    'form-dup-name': ['error', { shared: ['radio', 'button', 'reset', 'submit', 'checkbox'] }],
  },
});

// Validation errors of an HTML document, as strings.
async function validate(html) {
  const report = await validator.validateString(html);
  const out = [];
  for (const r of report.results)
    for (const m of r.messages) out.push(`${m.ruleId} at ${m.line}:${m.column}: ${m.message}`);
  return out;
}

// No serious accessibility problem and valid HTML on PAGE as it stands.
async function check(page, what) {
  const assert = require('node:assert/strict');
  assert.deepEqual(await axe(page), [], `accessibility of ${what}`);
  const html = await page.content();
  assert.deepEqual(await validate('<!DOCTYPE html>\n' + html.replace(/^<!DOCTYPE html>/i, '')), [], `HTML of ${what}`);
}

// A new browser context logged in as EMAIL: { ctx, page }.
async function session(browser, base, email, password, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await ctx.newPage();
  await page.goto(base + '/login');
  await page.getByLabel('Username').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(base + '/');
  return { ctx, page };
}

// session() that also collects the page's script errors in .errors.
async function watched(browser, base, email, password) {
  const s = await session(browser, base, email, password);
  s.errors = [];
  s.page.on('pageerror', (e) => s.errors.push(e.message));
  return s;
}

module.exports = { launch, axe, validate, check, session, watched };
