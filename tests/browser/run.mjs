#!/usr/bin/env node
// Browser journeys for the Linli web UI, against the real `linli` binary.
//
//   (cd web && npm ci && npm run build)
//   node tests/browser/run.mjs            # from the repo root
//
// Environment:
//   LINLI_BIN       linli binary (default build/debug/src/linli)
//   LINLI_WEB_ROOT  built web UI (default web/dist)
//   LINLI_PORT      serve on this port instead of --port 0 (optional)
//   CHROMIUM_PATH   browser (default /usr/bin/chromium)
//   LINLI_BROWSER_MOCK=1 or --mock: use tests/browser/mock-server.mjs instead of
//                   the binary (UI development only; not a test of the server)
//
// It creates a temp database (migrate + seed-demo), starts `linli serve`, runs
// the journeys in headless Chromium (390x844), runs axe-core on every page in
// normal and elder mode (serious/critical violations fail), saves screenshots
// to test-artifacts/browser/, stops the server whatever happens, and exits
// non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/browser');
const DEMO_PASSWORD = 'linli-demo-pass';
const COMMUNITY_NAME = '阳光社区';

const argv = process.argv.slice(2);
const MOCK = argv.includes('--mock') || process.env.LINLI_BROWSER_MOCK === '1';
const fromEnv = (name, dflt) => (process.env[name] ? path.resolve(process.env[name]) : path.join(ROOT, dflt));
const LINLI_BIN = fromEnv('LINLI_BIN', 'build/debug/src/linli');
const WEB_ROOT = fromEnv('LINLI_WEB_ROOT', 'web/dist');
const FIXED_PORT = process.env.LINLI_PORT ? Number(process.env.LINLI_PORT) : 0;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// playwright-core and axe-core come from web/node_modules (installed by `npm ci` in web/).
const requireWeb = createRequire(path.join(ROOT, 'web/package.json'));
let chromium;
let axeSource;
try {
  ({ chromium } = requireWeb('playwright-core'));
  axeSource = fs.readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error(`browser tests: cannot load playwright-core/axe-core from web/node_modules (${e.message}).\nRun: (cd web && npm ci)`);
  process.exit(2);
}

// ---------------------------------------------------------------- reporting
const results = [];
let currentJourney = '';
function log(msg) {
  process.stdout.write(`${msg}\n`);
}
function pass(name) {
  results.push({ name: `${currentJourney}: ${name}`, ok: true });
  log(`  ✓ ${name}`);
}
function fail(name, err) {
  const message = err instanceof Error ? err.message : String(err);
  results.push({ name: `${currentJourney}: ${name}`, ok: false, message });
  log(`  ✗ ${name}\n      ${message.split('\n').join('\n      ')}`);
}
class CheckError extends Error {}
function assert(cond, message) {
  if (!cond) throw new CheckError(message);
}
/** Runs one named check; a failure is recorded and rethrown to end the journey. */
async function check(name, fn) {
  try {
    const v = await fn();
    pass(name);
    return v;
  } catch (e) {
    fail(name, e);
    throw e;
  }
}

// ---------------------------------------------------------------- server
function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw new Error(`${what}: cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${(r.stderr || '').trim()}\n${(r.stdout || '').trim()}`.trim());
  }
  return r.stdout;
}

function httpGet(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
  });
}

async function startServer(tmp) {
  const logPath = path.join(ARTIFACTS, 'server.log');
  const logStream = fs.createWriteStream(logPath);
  let cmd;
  let args;
  const dbUrl = `sqlite:${path.join(tmp, 'linli.db')}`;
  if (MOCK) {
    cmd = process.execPath;
    args = [path.join(ROOT, 'tests/browser/mock-server.mjs'), '--port', String(FIXED_PORT), '--web-root', WEB_ROOT];
  } else {
    cmd = LINLI_BIN;
    args = ['serve', '--db', dbUrl, '--port', String(FIXED_PORT), '--web-root', WEB_ROOT];
  }
  log(`server: ${path.relative(ROOT, cmd) || cmd} ${args.join(' ')}`);
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });

  const baseUrl = await new Promise((resolve, reject) => {
    let buf = '';
    let done = false;
    const finish = (err, url) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poller);
      if (err) reject(err);
      else resolve(url);
    };
    const timer = setTimeout(() => finish(new Error(`server did not report "listening on" within 30 s (see ${path.relative(ROOT, logPath)})`)), 30_000);
    child.stdout.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/listening on (http:\/\/[^\s]+)/);
      if (m) finish(null, m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code, sig) => finish(new Error(`server exited early (${code ?? sig}); see ${path.relative(ROOT, logPath)}`)));
    child.on('error', (e) => finish(new Error(`cannot start server: ${e.message}`)));
    // With a fixed port, readiness can also be seen by polling /healthz.
    const poller = FIXED_PORT
      ? setInterval(() => {
          httpGet(`http://127.0.0.1:${FIXED_PORT}/healthz`).then(
            (s) => s === 200 && finish(null, `http://127.0.0.1:${FIXED_PORT}`),
            () => {},
          );
        }, 300)
      : null;
  });
  return { child, baseUrl, logStream };
}

async function stopServer(server) {
  if (!server || !server.child) return;
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  server.logStream.end();
}

// ---------------------------------------------------------------- page helpers
let shotNo = 0;
async function shot(page, name, { fullPage = true } = {}) {
  shotNo += 1;
  const file = path.join(ARTIFACTS, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.waitForTimeout(150);
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  return file;
}

const axeSummary = [];
/** axe-core on the current page; serious/critical violations fail the check. */
async function axe(page, label) {
  await page.waitForTimeout(400); // let Vant transitions settle
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  // Elder mode promises 7:1 contrast, so there the AAA contrast rule is on too.
  const res = await page.evaluate(async () => {
    const elder = document.documentElement.classList.contains('elder');
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      rules: { 'color-contrast-enhanced': { enabled: elder } },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      count: v.nodes.length,
    }));
  });
  const bad = res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = res.filter((v) => !(v.impact === 'serious' || v.impact === 'critical'));
  axeSummary.push({ label, bad: bad.length, minor: minor.map((v) => `${v.id}(${v.impact})`) });
  await check(`axe ${label}: no serious/critical violations`, () => {
    assert(
      bad.length === 0,
      bad
        .map(
          (v) =>
            `[${v.impact}] ${v.id}: ${v.help} (${v.count} nodes)\n` +
            v.nodes.map((n) => `    at ${n.target}\n      ${(n.summary || '').split('\n').join(' ')}`).join('\n'),
        )
        .join('\n'),
    );
  });
}

async function expectPath(page, pathname, timeout = 10_000) {
  await page.waitForURL((u) => new URL(u).pathname === pathname, { timeout });
}

async function login(page, baseUrl, loginName, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-input').locator('input').fill(loginName);
  await page.getByTestId('password-input').locator('input').fill(password);
  const respP = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByTestId('login-submit').click();
  const resp = await respP;
  let body = null;
  try {
    body = await resp.json();
  } catch {
    body = null;
  }
  return { status: resp.status(), body };
}

async function logout(page) {
  await page.getByTestId('logout').click();
  await expectPath(page, '/login');
  await page.getByTestId('login-form').waitFor();
}

/** Turns elder mode on/off through the visible switch (on a page with the prefs panel). */
async function setElder(page, on) {
  const sw = page.getByTestId('elder-switch');
  await sw.waitFor();
  const isOn = (await sw.getAttribute('aria-checked')) === 'true';
  if (isOn !== on) {
    const signedIn = await page.getByTestId('logout').count();
    const patch = signedIn
      ? page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PATCH')
      : null;
    await sw.click();
    if (patch) {
      const r = await patch;
      assert(r.ok(), `PATCH /me/preferences answered ${r.status()}: ${await bodyText(r)}`);
    }
  }
  await page.waitForFunction((v) => document.documentElement.classList.contains('elder') === v, on);
}

/** A response body for messages; 204s and redirects have none. */
async function bodyText(resp) {
  try {
    return (await resp.text()).slice(0, 500);
  } catch {
    return '(no body)';
  }
}

async function bodyFontPx(page) {
  return page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
}

// ---------------------------------------------------------------- journeys
async function journeyResident(browser, baseUrl, shared) {
  const page = await newPage(browser);
  await check('unauthenticated visit redirects to /login', async () => {
    await page.goto(`${baseUrl}/`);
    await expectPath(page, '/login');
    await page.getByTestId('login-form').waitFor();
  });
  await shot(page, 'login');
  await axe(page, 'login (normal)');

  await check('register page renders', async () => {
    await page.getByTestId('to-register').click();
    await expectPath(page, '/register');
    await page.getByTestId('register-form').waitFor();
  });
  await shot(page, 'register');
  await axe(page, 'register (normal)');

  const { status, body } = await login(page, baseUrl, 'resident');
  const me = body?.user;
  await check('resident logs in (200 with user and csrf_token)', () => {
    assert(status === 200, `login answered ${status}: ${JSON.stringify(body)}`);
    assert(me && typeof me.display_name === 'string' && typeof body.csrf_token === 'string', `unexpected login body ${JSON.stringify(body)}`);
  });
  shared.community = (me.communities || []).find((c) => c.name === COMMUNITY_NAME) || (me.communities || [])[0];

  await check('home shows the display name and 阳光社区', async () => {
    await expectPath(page, '/');
    const greeting = page.getByTestId('greeting');
    await greeting.waitFor();
    const g = await greeting.innerText();
    assert(g.includes(me.display_name), `greeting "${g}" lacks display name "${me.display_name}"`);
    const c = await page.getByTestId('community-name').innerText();
    assert(c.includes(COMMUNITY_NAME), `community shown is "${c}", expected ${COMMUNITY_NAME}`);
  });
  await check('home shows 8 service tiles, each marked 即将上线', async () => {
    const tiles = page.getByTestId('service-tiles').locator('.tile');
    assert((await tiles.count()) === 8, `expected 8 tiles, got ${await tiles.count()}`);
    const texts = await tiles.allInnerTexts();
    for (const name of ['资源集市', '发布需求', '我的预约', '积分钱包', '报事报修', '社区活动', '议事厅', '公示看板']) {
      assert(texts.some((t) => t.includes(name)), `tile ${name} missing`);
    }
    assert(texts.every((t) => t.includes('即将上线')), `a tile is not marked 即将上线: ${JSON.stringify(texts)}`);
  });
  await check('a coming-soon tile does not navigate and says 即将上线', async () => {
    await page.getByTestId('tile-market').click();
    await page.getByTestId('toast').filter({ hasText: '即将上线' }).waitFor();
    assert(new URL(page.url()).pathname === '/', `navigated to ${page.url()}`);
  });
  await check('icon font loaded from our own origin', async () => {
    const status = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'vant-icon');
      return faces.map((f) => f.status);
    });
    assert(status.includes('loaded'), `vant-icon font status: ${JSON.stringify(status)}`);
  });
  await check('resident sees no management tiles', async () => {
    assert((await page.getByTestId('manage-tiles').count()) === 0, 'manage tiles visible to a resident');
  });
  await page.waitForTimeout(2100); // toast gone
  await shot(page, 'home-resident');
  await axe(page, 'home (normal)');

  await check('switch to English', async () => {
    const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/me/preferences'));
    await page.getByTestId('lang-en').click();
    assert((await r).ok(), 'PATCH preferences (locale) failed');
    await page.getByTestId('greeting').filter({ hasText: 'Hello' }).waitFor();
    assert((await page.getAttribute('html', 'lang')) === 'en', 'html lang is not en');
    const texts = await page.getByTestId('service-tiles').allInnerTexts();
    assert(texts.join(' ').includes('Coming soon'), 'tiles not translated');
  });
  await shot(page, 'home-english');
  await axe(page, 'home (English)');
  await check('switch back to 中文', async () => {
    await page.getByTestId('lang-zh').click();
    await page.getByTestId('greeting').filter({ hasText: '您好' }).waitFor();
    assert((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html lang is not zh-CN');
  });

  await check('elder mode: body ≥ 18px and buttons ≥ 60px high', async () => {
    await setElder(page, true);
    const fs1 = await bodyFontPx(page);
    assert(fs1 >= 18, `body font-size ${fs1}px < 18px`);
    const h = await page.getByTestId('logout').evaluate((el) => el.getBoundingClientRect().height);
    assert(h >= 60, `logout button is ${h}px high (< 60)`);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main a, main [role="switch"]')]
        .filter((el) => el.getClientRects().length)
        .map((el) => ({ t: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20), h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 60),
    );
    assert(small.length === 0, `controls under 60px high in elder mode: ${JSON.stringify(small)}`);
    const tileCols = await page.evaluate(() => getComputedStyle(document.querySelector('.tiles')).gridTemplateColumns.split(' ').length);
    assert(tileCols <= 2, `elder mode shows ${tileCols} tiles per row`);
  });
  await shot(page, 'home-elder');
  await axe(page, 'home (elder)');

  await check('elder mode is remembered after reload (server preference)', async () => {
    await page.reload();
    await page.getByTestId('greeting').waitFor();
    const on = await page.evaluate(() => document.documentElement.classList.contains('elder'));
    assert(on, 'elder class missing after reload');
    assert((await page.getByTestId('elder-switch').getAttribute('aria-checked')) === 'true', 'switch not on after reload');
    // And on the server, not just in localStorage:
    const prefs = await page.evaluate(async () => (await fetch('/api/v1/me', { credentials: 'same-origin' })).json());
    assert(prefs.elder_mode === true, `GET /me elder_mode=${prefs.elder_mode}`);
    assert((await bodyFontPx(page)) >= 18, 'body font < 18px after reload');
  });

  await check('logout returns to the login page (still in elder mode)', async () => {
    await logout(page);
    assert(await page.evaluate(() => document.documentElement.classList.contains('elder')), 'login page not in elder mode');
    const r = await page.evaluate(async () => (await fetch('/api/v1/me', { credentials: 'same-origin' })).status);
    assert(r === 401, `GET /me after logout answered ${r}`);
  });
  await page.waitForTimeout(2100);
  await shot(page, 'login-elder');
  await axe(page, 'login (elder)');

  await check('wrong password shows an error', async () => {
    const { status: s, body: b } = await login(page, baseUrl, 'resident', 'definitely-wrong');
    assert(s === 401, `wrong password answered ${s}`);
    assert(b && b.reason === 'invalid_credentials', `reason is ${b && b.reason}, expected invalid_credentials`);
    const msg = await page.getByTestId('problem-message').innerText();
    assert(msg.trim().length > 0, 'empty error message');
    assert(new URL(page.url()).pathname === '/login', 'left the login page');
  });
  await shot(page, 'login-wrong-password');
  await axe(page, 'login with error (elder)');

  await page.getByTestId('to-register').click();
  await page.getByTestId('register-form').waitFor();
  await shot(page, 'register-elder');
  await axe(page, 'register (elder)');

  if (shared.community) {
    const newLogin = `browser${Date.now().toString(36)}`;
    await check('register without invite code → pending', async () => {
      await page.locator('input[name="community_id"]').fill(String(shared.community.id));
      await page.locator('input[name="display_name"]').fill('浏览器测试居民');
      await page.locator('input[name="login"]').fill(newLogin);
      await page.locator('input[name="password"]').fill('browser-test-pass-1');
      const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/auth/register'));
      await page.getByTestId('register-submit').click();
      const resp = await r;
      const b = await resp.json().catch(() => null);
      assert(resp.status() === 201, `register answered ${resp.status()}: ${JSON.stringify(b)}`);
      assert(b && b.status === 'pending', `register status ${b && b.status}, expected pending`);
      const txt = await page.getByTestId('register-result').innerText();
      assert(txt.includes('审核'), `result text "${txt}" does not mention review`);
      shared.pendingLogin = newLogin;
    });
    await shot(page, 'register-pending');
    await check('pending account cannot sign in yet (403 account_pending shown)', async () => {
      const { status: s, body: b } = await login(page, baseUrl, newLogin, 'browser-test-pass-1');
      assert(s === 403 && b && b.reason === 'account_pending', `answered ${s} ${JSON.stringify(b)}`);
      await page.getByTestId('problem-message').filter({ hasText: '审核' }).waitFor();
    });
  }

  await check('elder mode off again on the login page', async () => {
    await page.goto(`${baseUrl}/login`);
    await setElder(page, false);
    assert((await bodyFontPx(page)) < 18, 'normal mode body font still large');
  });
  await page.context().close();
}

async function journeyStaff(browser, baseUrl, shared) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'staff');
  await check('staff logs in', () => assert(status === 200, `login answered ${status}`));
  await check('staff sees the 注册审核 tile and opens it', async () => {
    await page.getByTestId('tile-registrations').click();
    await expectPath(page, '/staff/registrations');
    await page.locator('h1', { hasText: '注册审核' }).waitFor();
    await page.locator('[data-testid="registrations-list"], [data-testid="registrations-empty"]').first().waitFor();
  });
  if (shared.pendingLogin) {
    await check('the registration made in the browser is listed', async () => {
      await page.getByTestId('registration-item').filter({ hasText: shared.pendingLogin }).waitFor();
    });
  }
  await shot(page, 'registrations');
  await axe(page, 'registrations (normal)');
  if (shared.pendingLogin) {
    await check('approve it', async () => {
      const item = page.getByTestId('registration-item').filter({ hasText: shared.pendingLogin });
      const r = page.waitForResponse((x) => x.url().includes('/approve'));
      await item.getByTestId('approve').click();
      const resp = await r;
      assert(resp.status() === 204, `approve answered ${resp.status()}: ${await bodyText(resp)}`);
      await item.waitFor({ state: 'detached' });
      shared.approved = true;
    });
  }
  await check('staff is refused the API keys page', async () => {
    await page.goto(`${baseUrl}/admin/api-keys`);
    await page.getByTestId('forbidden').waitFor();
  });
  await axe(page, 'forbidden (normal)');
  await page.goto(`${baseUrl}/`);
  await setElder(page, true);
  await page.getByTestId('tile-registrations').click();
  await page.locator('h1', { hasText: '注册审核' }).waitFor();
  await page.locator('[data-testid="registrations-list"], [data-testid="registrations-empty"]').first().waitFor();
  await shot(page, 'registrations-elder');
  await axe(page, 'registrations (elder)');
  await page.getByTestId('back').click();
  await setElder(page, false);
  await logout(page);

  if (shared.approved) {
    await check('the approved account can sign in', async () => {
      const { status: s } = await login(page, baseUrl, shared.pendingLogin, 'browser-test-pass-1');
      assert(s === 200, `login answered ${s}`);
      await page.getByTestId('greeting').filter({ hasText: '浏览器测试居民' }).waitFor();
    });
    await logout(page);
  }
  await page.context().close();
}

async function journeyAdmin(browser, baseUrl) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'admin');
  await check('admin logs in', () => assert(status === 200, `login answered ${status}`));
  const me = (await page.evaluate(async () => (await fetch('/api/v1/me')).json())) || {};
  const others = (me.communities || []).filter((c) => c.id !== me.current_community_id);
  if (others.length > 0) {
    const target = others[0];
    await check(`community switcher: switch to ${target.name} and back`, async () => {
      await page.getByTestId('switch-community').click();
      const sheet = page.getByTestId('community-sheet');
      await sheet.waitFor();
      await shot(page, 'community-switcher', { fullPage: false });
      await axe(page, 'community switcher (normal)');
      let r = page.waitForResponse((x) => x.url().endsWith('/api/v1/me/preferences'));
      await sheet.getByTestId('community-choice').filter({ hasText: target.name }).click();
      let resp = await r;
      assert(resp.ok(), `PATCH current_community_id answered ${resp.status()}: ${await bodyText(resp)}`);
      await page.getByTestId('community-name').filter({ hasText: target.name }).waitFor();
      const after = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
      assert(after.current_community_id === target.id, `server current_community_id=${after.current_community_id}`);
      await page.getByTestId('switch-community').click();
      await sheet.waitFor();
      r = page.waitForResponse((x) => x.url().endsWith('/api/v1/me/preferences'));
      await sheet.getByTestId('community-choice').filter({ hasText: COMMUNITY_NAME }).click();
      resp = await r;
      assert(resp.ok(), `switching back answered ${resp.status()}`);
      await page.getByTestId('community-name').filter({ hasText: COMMUNITY_NAME }).waitFor();
      await page.waitForTimeout(2100);
    });
  }
  await check('admin opens API keys', async () => {
    await page.getByTestId('tile-apiKeys').click();
    await expectPath(page, '/admin/api-keys');
    await page.getByTestId('create-key-form').waitFor();
  });
  await axe(page, 'api keys (normal)');

  const keyName = `浏览器测试密钥 ${Date.now().toString(36)}`;
  let secret = '';
  await check('create a key; the secret is shown once', async () => {
    await page.getByTestId('key-name').locator('input').fill(keyName);
    await page.getByTestId('scope-resources:read').check();
    await page.getByTestId('scope-tickets:read').check();
    const r = page.waitForResponse((x) => x.url().endsWith('/api-keys') && x.request().method() === 'POST');
    await page.getByTestId('create-key').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 201, `create answered ${resp.status()}: ${JSON.stringify(b)}`);
    assert(b && typeof b.secret === 'string' && b.secret.length >= 16, `no secret in ${JSON.stringify(b)}`);
    assert(JSON.stringify(b.scopes) === JSON.stringify(['resources:read', 'tickets:read']), `scopes ${JSON.stringify(b.scopes)}`);
    secret = b.secret;
    const shown = await page.getByTestId('secret-value').innerText();
    assert(shown.trim() === secret, 'secret on the page differs from the API answer');
    const item = page.getByTestId('key-item').filter({ hasText: keyName });
    await item.waitFor();
    assert((await item.getByTestId('key-status').innerText()).includes('有效'), 'new key not shown as active');
  });
  await shot(page, 'api-key-created');
  await axe(page, 'api keys with secret (normal)');
  await check('the secret is gone after closing and is not listed', async () => {
    await page.getByTestId('secret-done').click();
    await page.getByTestId('secret-panel').waitFor({ state: 'detached' });
    assert(!(await page.content()).includes(secret), 'secret still in the page');
    const list = await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/me')).json();
      const id = me.current_community_id ?? me.communities[0].id;
      return (await fetch(`/api/v1/communities/${id}/api-keys`)).text();
    });
    assert(!list.includes(secret), 'GET api-keys returns the secret');
    await page.reload();
    await page.getByTestId('create-key-form').waitFor();
    assert(!(await page.content()).includes(secret), 'secret shown again after reload');
  });
  await check('revoke the key', async () => {
    const item = page.getByTestId('key-item').filter({ hasText: keyName });
    await item.getByTestId('revoke').click();
    await page.getByTestId('confirm-ok').waitFor();
    await shot(page, 'api-key-revoke-confirm', { fullPage: false });
    await axe(page, 'revoke confirm dialog (normal)');
    const r = page.waitForResponse((x) => x.request().method() === 'DELETE');
    await page.getByTestId('confirm-ok').click();
    const resp = await r;
    assert(resp.status() === 204, `revoke answered ${resp.status()}: ${await bodyText(resp)}`);
    await item.getByTestId('key-status').filter({ hasText: '已吊销' }).waitFor();
    assert((await item.getByTestId('revoke').count()) === 0, 'revoke button still shown');
  });
  await page.waitForTimeout(2100);
  await shot(page, 'api-key-revoked');
  await axe(page, 'api keys revoked (normal)');

  await check('audit page renders entries', async () => {
    await page.getByTestId('back').click();
    await expectPath(page, '/');
    await page.getByTestId('tile-audit').click();
    await expectPath(page, '/audit');
    await page.getByTestId('audit-item').first().waitFor();
    const txt = await page.getByTestId('audit-list').innerText();
    assert(/\d{4}/.test(txt), 'no time shown');
  });
  await check('verify chain shows OK', async () => {
    const r = page.waitForResponse((x) => x.url().endsWith('/audit/verify'));
    await page.getByTestId('verify').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.ok(), `verify answered ${resp.status()}: ${JSON.stringify(b)}`);
    assert(b && b.ok === true && b.checked > 0, `verify body ${JSON.stringify(b)}`);
    const el = page.getByTestId('verify-result');
    await el.waitFor();
    assert((await el.getAttribute('data-ok')) === 'true', 'verify result not OK on the page');
  });
  await shot(page, 'audit', { fullPage: false });
  await axe(page, 'audit (normal)');

  await page.getByTestId('back').click();
  await setElder(page, true);
  await shot(page, 'home-admin-elder');
  await axe(page, 'home admin (elder)');
  await page.getByTestId('tile-apiKeys').click();
  await page.getByTestId('key-item').first().waitFor();
  await shot(page, 'api-keys-elder');
  await axe(page, 'api keys (elder)');
  await page.getByTestId('back').click();
  await page.getByTestId('tile-audit').click();
  await page.getByTestId('audit-item').first().waitFor();
  await page.getByTestId('verify').click();
  await page.getByTestId('verify-result').waitFor();
  await shot(page, 'audit-elder', { fullPage: false });
  await axe(page, 'audit (elder)');
  await check('elder mode: controls on the audit page ≥ 60px', async () => {
    const h = await page.getByTestId('verify').evaluate((el) => el.getBoundingClientRect().height);
    assert(h >= 60, `verify button ${h}px`);
  });
  await page.getByTestId('back').click();
  await setElder(page, false);
  await logout(page);
  await page.context().close();
}

async function journeyCommittee(browser, baseUrl) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'committee');
  await check('committee logs in and opens the audit log', async () => {
    assert(status === 200, `login answered ${status}`);
    await page.getByTestId('tile-audit').click();
    await page.getByTestId('audit-item').first().waitFor();
  });
  await check('unknown path shows the not-found page', async () => {
    await page.goto(`${baseUrl}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
  });
  await axe(page, 'not found (normal)');
  await page.context().close();
}

let pageErrors = [];
async function newPage(browser) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'UTC', // the UI must show Asia/Shanghai times whatever the device zone
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => pageErrors.push(`${currentJourney}: ${e.message}`));
  // Anything the server's Content-Security-Policy blocks (fonts, scripts, styles) is a bug.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to (load|apply|execute|connect)/i.test(msg.text())) {
      pageErrors.push(`${currentJourney}: ${msg.text().slice(0, 300)}`);
    }
  });
  return page;
}

// ---------------------------------------------------------------- main
async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) {
    throw new Error(`no built UI at ${WEB_ROOT}/index.html; run (cd web && npm ci && npm run build)`);
  }
  if (!MOCK && !fs.existsSync(LINLI_BIN)) {
    throw new Error(`linli binary not found at ${LINLI_BIN}; build it or set LINLI_BIN`);
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; set CHROMIUM_PATH`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-browser-'));
  let server = null;
  let browser = null;
  const onSignal = async () => {
    await stopServer(server);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (!MOCK) {
      const db = `sqlite:${path.join(tmp, 'linli.db')}`;
      run(LINLI_BIN, ['migrate', '--db', db], 'linli migrate');
      run(LINLI_BIN, ['seed-demo', '--db', db], 'linli seed-demo');
    }
    server = await startServer(tmp);
    log(`server: ${server.baseUrl}${MOCK ? ' (MOCK server, not the real backend)' : ''}`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Playwright gives the browser a fresh temporary user-data-dir.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });

    const shared = {};
    const journeys = [
      ['resident', () => journeyResident(browser, server.baseUrl, shared)],
      ['staff', () => journeyStaff(browser, server.baseUrl, shared)],
      ['admin', () => journeyAdmin(browser, server.baseUrl)],
      ['committee', () => journeyCommittee(browser, server.baseUrl)],
    ];
    for (const [name, fn] of journeys) {
      currentJourney = name;
      log(`journey: ${name}`);
      try {
        await fn();
      } catch (e) {
        if (!(e instanceof CheckError) && !results.some((r) => !r.ok && r.name.startsWith(`${name}:`) && r.message === e.message)) {
          fail('unexpected error', e);
        }
        for (const ctx of browser.contexts()) {
          for (const p of ctx.pages()) {
            await p.screenshot({ path: path.join(ARTIFACTS, `FAIL-${name}.png`), fullPage: true }).catch(() => {});
          }
          await ctx.close().catch(() => {});
        }
      }
    }
    currentJourney = 'page';
    if (pageErrors.length) fail('no uncaught errors or CSP violations in the page', new Error(pageErrors.join('\n')));
    else pass('no uncaught errors or CSP violations in the page');
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stopServer(server);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main()
  .catch((e) => {
    currentJourney = 'setup';
    fail('setup', e);
  })
  .finally(() => {
    const failed = results.filter((r) => !r.ok);
    const passed = results.length - failed.length;
    log('');
    log(`axe scans: ${axeSummary.length} (${axeSummary.filter((a) => a.bad === 0).length} clean of serious/critical)`);
    const minor = [...new Set(axeSummary.flatMap((a) => a.minor))];
    if (minor.length) log(`axe minor/moderate (not failing): ${minor.join(', ')}`);
    log(`screenshots: ${path.relative(ROOT, ARTIFACTS)}/`);
    if (failed.length) {
      log('\nFAILED:');
      for (const f of failed) log(`  ✗ ${f.name}: ${f.message.split('\n')[0]}`);
    }
    log(`browser: ${passed} passed, ${failed.length} failed`);
    process.exitCode = failed.length || results.length === 0 ? 1 : 0;
  });
