'use strict';
// Drives Debian's chromium through the Kubestead console that ConsoleBrowserTest started against a real control
// plane: sign in (a wrong password first), see the nodes, add a worker and a master, copy each command and read it
// back from the clipboard, take a screenshot. Everything it checks is asserted here; the test reads what it wrote.
//
// Environment: CONSOLE_URL, CONSOLE_PASSWORD, CONSOLE_SPKI (the base64 SHA-256 of the console key: chromium accepts
// that key only, so the served certificate is the console's), EXPECT_NODES (name:role,...), OUT (a directory),
// CHROMIUM (default /usr/bin/chromium).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const url = process.env.CONSOLE_URL;
const out = process.env.OUT;
const expected = (process.env.EXPECT_NODES || '').split(',').filter(Boolean).map(function (e) { return e.split(':'); });

function step(text) { console.log('console.spec: ' + text); }

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--ignore-certificate-errors-spki-list=' + process.env.CONSOLE_SPKI]
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
    const page = await context.newPage();
    const failures = [];
    page.on('pageerror', function (e) { failures.push(String(e)); });
    page.on('console', function (m) { if (m.type() === 'error') { failures.push(m.text()); } });

    step('a page needs a session: / goes to the sign-in page');
    await page.goto(url + '/');
    assert.equal(new URL(page.url()).pathname, '/login');

    step('a wrong password is refused on the page');
    await page.fill('#password', 'not the password');
    await page.click('#sign-in');
    await page.waitForSelector('#message:not([hidden])');
    assert.match(await page.textContent('#message'), /wrong password/);
    failures.length = 0; // the refused sign-in's 401 is logged by the browser as an error: expected

    step('sign in');
    await page.fill('#password', process.env.CONSOLE_PASSWORD);
    await Promise.all([page.waitForURL(url + '/'), page.click('#sign-in')]);
    const cookies = await context.cookies();
    const session = cookies.find(function (c) { return c.name === '__Host-kubestead-session'; });
    assert.ok(session, 'a session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate(function () { return document.cookie; }), '', 'the cookie is not readable by scripts');

    step('the nodes from the API');
    await page.waitForSelector('#nodes tbody tr td:not(.muted)');
    const rows = await page.$$eval('#nodes tbody tr', function (trs) {
      return trs.map(function (tr) { return Array.from(tr.children).map(function (td) { return td.textContent; }); });
    });
    for (const [name, role] of expected) {
      const row = rows.find(function (r) { return r[0] === name; });
      assert.ok(row, name + ' is listed: ' + JSON.stringify(rows));
      assert.equal(row[1], role, name + "'s role");
    }
    await page.waitForSelector('#etcd tbody tr td:not(.muted)');
    assert.ok((await page.textContent('#etcd tbody')).includes('healthy'), 'the etcd member answers');
    assert.ok((await page.textContent('#certificates tbody')).includes('apiserver'), 'the certificate expiries');

    const copied = {};
    for (const role of ['worker', 'master']) {
      step('Add Node: ' + role);
      await page.click('#add-node');
      await page.check('input[name=role][value=' + role + ']');
      await page.click('#make-command');
      await page.waitForSelector('#join:not([hidden])', { timeout: 120000 });
      assert.equal(await page.textContent('#join-role'), role);
      const expires = await page.textContent('#join-expires');
      assert.ok(Date.parse(expires) > Date.now(), 'expires in the future: ' + expires);
      const command = await page.inputValue('#join-command');
      assert.match(command, / token=[a-z0-9]{6}\.[a-z0-9]{16}( |$)/);
      if (role === 'master') {
        assert.match(command, / control-plane /);
        assert.match(command, / cert-key=[0-9a-f]{64}( |$)/);
      }
      await page.click('#copy');
      await page.waitForFunction(function () { return document.getElementById('copied').textContent.startsWith('Copied'); });
      copied[role] = await page.evaluate(function () { return navigator.clipboard.readText(); });
      assert.equal(copied[role], command, 'the clipboard holds the command shown');
      fs.writeFileSync(path.join(out, 'copied-' + role + '.txt'), copied[role], { mode: 0o600 });
      if (role === 'worker') {
        await page.click('#close-dialog');
      }
    }
    assert.notEqual(copied.worker, copied.master);

    step('screenshots');
    await page.screenshot({ path: path.join(out, 'console-add-node.png') });
    await page.click('#close-dialog');
    await page.screenshot({ path: path.join(out, 'console.png'), fullPage: true });

    assert.deepEqual(failures, [], 'no script errors on the pages');

    step('sign out ends the session');
    await Promise.all([page.waitForURL(url + '/login'), page.click('#sign-out')]);
    const after = await page.goto(url + '/api/cluster');
    assert.equal(after.status(), 401);
    step('done');
  } finally {
    await browser.close();
  }
}

main().catch(function (e) {
  console.error('console.spec: FAILED: ' + (e && e.stack || e));
  process.exit(1);
});
