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
//                   the binary (UI development only; not a test of the server; the
//                   resource and household journeys are skipped)
//   --only=a,b      run only the journeys whose names start with a or b
//
// It creates a temp database (migrate + seed-demo), starts `linli serve`, runs
// the journeys in headless Chromium (390x844) — accounts, then the resource pool
// (publish → review → market search → delist, CSV import) and the household
// register (guide's records, person data export/erasure) — runs axe-core on every page in
// normal and elder mode (serious/critical violations fail), saves screenshots
// to test-artifacts/browser/, stops the server whatever happens, and exits
// non-zero on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/browser');
const DEMO_PASSWORD = 'linli-demo-pass';
const COMMUNITY_NAME = '阳光社区';

const argv = process.argv.slice(2);
const MOCK = argv.includes('--mock') || process.env.LINLI_BROWSER_MOCK === '1';
// --only=publish,review runs just the journeys whose names start so (for UI work; later
// journeys use what earlier ones made, so run a prefix of the list).
const ONLY = (argv.find((a) => a.startsWith('--only=')) || '').slice('--only='.length).split(',').filter(Boolean);
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
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
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
  await check('home shows the service tiles; built ones are live, the rest are marked 即将上线', async () => {
    const tiles = page.getByTestId('service-tiles').locator('.tile');
    const texts = await tiles.allInnerTexts();
    for (const name of ['资源集市', '发布需求', '我的预约', '积分钱包', '报事报修', '社区活动', '议事厅', '公示看板']) {
      assert(texts.some((t) => t.includes(name)), `tile ${name} missing`);
    }
    // A live tile is a link; a tile of a capability not built yet is a button marked 即将上线.
    const soon = await page.getByTestId('service-tiles').locator('.tile-soon').allInnerTexts();
    const live = await page.getByTestId('service-tiles').locator('a.tile').allInnerTexts();
    assert(soon.length + live.length === texts.length, 'a tile is neither a link nor marked');
    assert(soon.every((t) => t.includes('即将上线')), `a not-built tile is not marked 即将上线: ${JSON.stringify(soon)}`);
    assert(live.every((t) => !t.includes('即将上线')), `a live tile is marked 即将上线: ${JSON.stringify(live)}`);
    assert(live.some((t) => t.includes('资源集市')), '资源集市 is not live');
    assert(soon.some((t) => t.includes('发布需求')), '发布需求 (not built yet) is not marked 即将上线');
  });
  await check('a coming-soon tile does not navigate and says 即将上线', async () => {
    await page.getByTestId('tile-needs').click();
    await page.getByTestId('toast').filter({ hasText: '即将上线' }).waitFor();
    assert(new URL(page.url()).pathname === '/', `navigated to ${page.url()}`);
  });
  await check('the 资源集市 tile opens the market', async () => {
    await page.getByTestId('tile-market').click();
    await expectPath(page, '/market');
    // (The mock server has no search API: there the page shows the problem instead.)
    await page.locator(`[data-testid="market-results"], [data-testid="market-empty"]${MOCK ? ', [data-testid="problem"]' : ''}`).first().waitFor();
    await page.getByTestId('back').click();
    await expectPath(page, '/');
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
    assert(texts.join(' ').includes('Coming soon') && texts.join(' ').includes('Resource market'), 'tiles not translated');
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

// ---------------------------------------------------------------- resource pool and household register (issue 3)
const CARD_WORD = '秋千'; // a 2-character query; the demo pool has no swing
const CARD_TITLE = `木制儿童${CARD_WORD}（浏览器测试）`;

/** A PNG of w×h (stripes), built here so the test needs no image files. */
function makePng(w, h) {
  const crcTable = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });
  const crc = (buf) => {
    let c = -1;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const row = Buffer.alloc(1 + w * 3);
  const rows = [];
  for (let y = 0; y < h; y++) {
    const r = Buffer.from(row);
    for (let x = 0; x < w; x++) {
      const band = Math.floor(x / 100 + y / 100) % 3;
      r[1 + x * 3] = band === 0 ? 200 : 40;
      r[2 + x * 3] = band === 1 ? 160 : 90;
      r[3 + x * 3] = band === 2 ? 220 : 60;
    }
    rows.push(r);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** GET an API path from inside the page (the session cookie applies). */
async function apiGet(page, p) {
  return page.evaluate(async (url) => {
    const r = await fetch(`/api/v1${url}`, { credentials: 'same-origin' });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, p);
}

/** Elder mode: every visible control in <main> is at least 60 px high (a stretched link counts as its card). */
async function checkElderTargets(page, label) {
  await check(`elder mode: controls on ${label} ≥ 60px`, async () => {
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main a, main [role="switch"], main select, main textarea, main input:not([type="file"])')]
        .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => {
          const box = el.classList.contains('stretched-link') ? el.closest('.card') || el : el;
          return { t: (el.textContent || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 24), h: box.getBoundingClientRect().height };
        })
        .filter((x) => x.h < 59.5),
    );
    assert(small.length === 0, `controls under 60px high: ${JSON.stringify(small.slice(0, 8))}`);
    const fs1 = await bodyFontPx(page);
    assert(fs1 >= 20, `body font ${fs1}px < 20px`);
  });
}

/** Visits `url` in elder mode: screenshot, axe, target sizes. */
async function elderVisit(page, url, ready, name, label) {
  await page.goto(url);
  await page.locator(ready).first().waitFor();
  await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
  await shot(page, `${name}-elder`);
  await axe(page, `${label} (elder)`);
  await checkElderTargets(page, label);
}

async function goHomeAndSetElder(page, baseUrl, on) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('greeting').waitFor();
  await setElder(page, on);
}

async function journeyPublish(browser, baseUrl, shared) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'resident');
  await check('resident logs in', () => assert(status === 200, `login answered ${status}`));
  await setElder(page, false);

  await check('market: 电钻 finds the demo drills', async () => {
    await page.getByTestId('tile-market').click();
    await expectPath(page, '/market');
    await page.getByTestId('market-q').fill('电钻');
    const r = page.waitForResponse((x) => x.url().includes('/api/v1/search'));
    await page.getByTestId('market-submit').click();
    const resp = await r;
    assert(resp.ok(), `search answered ${resp.status()}: ${await bodyText(resp)}`);
    await page.getByTestId('resource-item').filter({ hasText: '电钻' }).first().waitFor();
    assert(new URL(page.url()).searchParams.get('q') === '电钻', 'query not kept in the URL');
  });
  await shot(page, 'market');
  await axe(page, 'market (normal)');
  await check('market: filters panel opens; kind filter narrows the results', async () => {
    await page.getByTestId('filter-toggle').click();
    await page.getByTestId('filter-rule').waitFor();
    const r = page.waitForResponse((x) => x.url().includes('/api/v1/search') && x.url().includes('kind=space'));
    await page.getByTestId('filter-kind').locator('[data-value="space"]').click();
    await r;
    await page.locator('[data-testid="market-results"], [data-testid="market-empty"]').first().waitFor();
    const n = await page.getByTestId('resource-item').filter({ hasText: '冲击电钻' }).count();
    assert(n === 0, 'a goods card is still listed under kind=space');
  });
  await shot(page, 'market-filters', { fullPage: false });
  await axe(page, 'market with filters (normal)');

  await check('publish page opens from the market', async () => {
    await page.goto(`${baseUrl}/market`);
    await page.getByTestId('publish-link').click();
    await expectPath(page, '/resources/new');
    await page.getByTestId('resource-form').waitFor();
  });
  await check('validation: a title is required', async () => {
    await page.getByTestId('ed-submit').click();
    await page.getByTestId('form-message').filter({ hasText: '标题' }).waitFor();
  });
  await check('fill the card: goods, condition, tag, points, building, a large photo', async () => {
    await page.getByTestId('ed-kind').locator('[data-value="goods"]').click();
    await page.getByTestId('ed-title').fill(CARD_TITLE);
    await page.getByTestId('ed-description').fill('实木秋千架，可挂在小区活动室，适合 3-8 岁儿童，周末可借。');
    await page.locator('#ed-tags').fill('儿童玩具');
    await page.locator('#ed-tags').press('Enter');
    await page.getByTestId('ed-tags').locator('.tag-chip', { hasText: '儿童玩具' }).waitFor();
    await page.getByTestId('ed-condition').locator('[data-value="like_new"]').click();
    await page.getByTestId('ed-rule').locator('[data-value="points"]').click();
    await page.locator('#ed-points').fill('3');
    await page.getByTestId('ed-building').selectOption({ label: '2号楼' });
    await page.getByTestId('ed-photo-input').setInputFiles({ name: 'swing.png', mimeType: 'image/png', buffer: makePng(2400, 1800) });
    await page.getByTestId('ed-photo-pending').first().waitFor({ timeout: 20_000 });
  });
  await shot(page, 'publish');
  await axe(page, 'publish form (normal)');

  let cardId = 0;
  await check('submit: draft created, photo uploaded (JPEG ≤ 1600px), sent to review', async () => {
    const created = page.waitForResponse((x) => x.url().endsWith('/api/v1/resources') && x.request().method() === 'POST');
    const photo = page.waitForResponse((x) => /\/api\/v1\/resources\/\d+\/photos$/.test(x.url()) && x.request().method() === 'POST');
    const submitted = page.waitForResponse((x) => /\/api\/v1\/resources\/\d+\/submit$/.test(x.url()));
    await page.getByTestId('ed-submit').click();
    const c = await created;
    const cb = await c.json().catch(() => null);
    assert(c.status() === 201, `create answered ${c.status()}: ${JSON.stringify(cb)}`);
    assert(cb.lifecycle === 'draft' && cb.kind === 'goods' && cb.rule === 'points' && cb.points === 3 && cb.condition === 'like_new', `created ${JSON.stringify(cb)}`);
    assert(cb.tags.includes('儿童玩具') && cb.building_id, `tags/building ${JSON.stringify(cb)}`);
    cardId = cb.id;
    const p = await photo;
    assert(p.status() === 201, `photo upload answered ${p.status()}: ${await bodyText(p)}`);
    assert(p.request().headers()['content-type'] === 'image/jpeg', `photo sent as ${p.request().headers()['content-type']}`);
    const s = await submitted;
    const sb = await s.json().catch(() => null);
    assert(s.status() === 200 && sb.lifecycle === 'pending_review', `submit answered ${s.status()}: ${JSON.stringify(sb)}`);
    await expectPath(page, `/resources/${cardId}`);
    await page.getByTestId('lifecycle').filter({ hasText: '待审核' }).waitFor();
    const dims = await page.evaluate(async (id) => {
      const card = await (await fetch(`/api/v1/resources/${id}`)).json();
      const blob = await (await fetch(`/api/v1/resources/${id}/photos/${card.photo_ids[0]}`)).blob();
      const bmp = await createImageBitmap(blob);
      return { w: bmp.width, h: bmp.height, type: blob.type, n: card.photo_ids.length };
    }, cardId);
    assert(dims.n === 1, `card has ${dims.n} photos`);
    assert(Math.max(dims.w, dims.h) === 1600 && dims.type === 'image/jpeg', `stored photo ${JSON.stringify(dims)} (expected a 1600px JPEG)`);
    shared.cardId = cardId;
  });
  await page.getByTestId('resource-photo').first().waitFor();
  await page.waitForTimeout(3100); // toast gone
  await shot(page, 'resource-detail-owner');
  await axe(page, 'resource detail, owner (normal)');

  await check('edit: the form is filled in; saving sends If-Match and keeps it in review', async () => {
    await page.getByTestId('edit').click();
    await expectPath(page, `/resources/${cardId}/edit`);
    await page.getByTestId('resource-form').waitFor();
    assert((await page.getByTestId('ed-title').inputValue()) === CARD_TITLE, 'title not filled in');
    assert((await page.getByTestId('ed-condition').locator('[aria-pressed="true"]').getAttribute('data-value')) === 'like_new', 'condition not filled in');
    await page.getByTestId('ed-description').fill('实木秋千架，可挂在小区活动室，适合 3-8 岁儿童，周末可借。请爱惜使用。');
    const r = page.waitForResponse((x) => x.url().endsWith(`/api/v1/resources/${cardId}`) && x.request().method() === 'PATCH');
    await page.getByTestId('ed-save').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(/^"\d+"$/.test(resp.request().headers()['if-match'] || ''), `If-Match ${resp.request().headers()['if-match']}`);
    assert(resp.status() === 200 && b.lifecycle === 'pending_review' && b.description.includes('爱惜'), `PATCH answered ${resp.status()}: ${JSON.stringify(b)}`);
    await expectPath(page, `/resources/${cardId}`);
    await page.getByTestId('description').filter({ hasText: '爱惜' }).waitFor();
  });
  await check('my resources lists it as 待审核', async () => {
    await page.goto(`${baseUrl}/resources/mine`);
    const item = page.getByTestId('resource-item').filter({ hasText: CARD_TITLE });
    await item.waitFor();
    assert((await item.getByTestId('lifecycle').innerText()).includes('待审核'), 'not shown as 待审核');
  });
  await shot(page, 'my-resources');
  await axe(page, 'my resources (normal)');

  await check('another household’s record is not reachable (404 page)', async () => {
    const own = await apiGet(page, `/households?community_id=${shared.community?.id ?? 1}`);
    assert(own.status === 200 && own.body.items.length === 1, `resident sees ${JSON.stringify(own.body)}`);
    const other = own.body.items[0].id + 1;
    const api = await apiGet(page, `/households/${other}`);
    assert(api.status === 404, `GET /households/${other} answered ${api.status}`);
    await page.goto(`${baseUrl}/households/${other}`);
    await page.getByTestId('not-found').waitFor();
    assert((await page.getByTestId('members').count()) === 0, 'members shown');
    shared.residentHousehold = own.body.items[0].id;
  });
  await shot(page, 'household-not-found');
  await axe(page, 'household not found (normal)');
  await check('the household list is for staff only (forbidden page)', async () => {
    await page.goto(`${baseUrl}/households`);
    await page.getByTestId('forbidden').waitFor();
  });

  await goHomeAndSetElder(page, baseUrl, true);
  await elderVisit(page, `${baseUrl}/market?q=${encodeURIComponent('电钻')}`, '[data-testid="resource-item"]', 'market', 'market');
  await elderVisit(page, `${baseUrl}/resources/new`, '[data-testid="resource-form"]', 'publish', 'publish form');
  await elderVisit(page, `${baseUrl}/resources/${cardId}`, '[data-testid="resource-detail"]', 'resource-detail-owner', 'resource detail, owner');
  await elderVisit(page, `${baseUrl}/resources/mine`, '[data-testid="resource-item"]', 'my-resources', 'my resources');
  await goHomeAndSetElder(page, baseUrl, false);
  await logout(page);
  await page.context().close();
}

async function journeyReview(browser, baseUrl, shared) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'committee');
  await check('committee logs in and opens the review queue', async () => {
    assert(status === 200, `login answered ${status}`);
    await setElder(page, false);
    await page.getByTestId('tile-review').click();
    await expectPath(page, '/resources/review');
    await page.getByTestId('review-item').first().waitFor();
  });
  const mine = () => page.locator(`[data-testid="review-item"][data-resource-id="${shared.cardId}"]`);
  await check('the resident’s card is in the queue', async () => {
    assert(shared.cardId, 'no card from the publish journey');
    while ((await mine().count()) === 0 && (await page.getByTestId('review-more').count()) > 0) {
      await page.getByTestId('review-more').click();
      await page.waitForTimeout(300);
    }
    await mine().waitFor();
  });
  await shot(page, 'review-queue');
  await axe(page, 'review queue (normal)');

  await check('reject needs a reason; with one the card leaves the queue', async () => {
    const other = page.getByTestId('review-item').filter({ hasNot: page.locator(`[data-resource-id="${shared.cardId}"]`) }).first();
    const otherId = await other.getAttribute('data-resource-id');
    await page.locator(`[data-testid="review-item"][data-resource-id="${otherId}"]`).getByTestId('reject').click();
    await page.getByTestId('reject-form').waitFor();
    await page.getByTestId('reject-confirm').click();
    await page.getByTestId('reject-message').filter({ hasText: '退回原因' }).waitFor();
    await shot(page, 'review-reject-dialog', { fullPage: false });
    await axe(page, 'reject dialog (normal)');
    await page.getByTestId('reject-reason').fill('请补充开放时间和联系方式');
    const r = page.waitForResponse((x) => x.url().endsWith(`/resources/${otherId}/reject`));
    await page.getByTestId('reject-confirm').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 200 && b.lifecycle === 'draft', `reject answered ${resp.status()}: ${JSON.stringify(b)}`);
    await page.locator(`[data-testid="review-item"][data-resource-id="${otherId}"]`).waitFor({ state: 'detached' });
  });
  await check('approve the resident’s card', async () => {
    const r = page.waitForResponse((x) => x.url().endsWith(`/resources/${shared.cardId}/approve`));
    await mine().getByTestId('approve').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 200 && b.lifecycle === 'listed', `approve answered ${resp.status()}: ${JSON.stringify(b)}`);
    await mine().waitFor({ state: 'detached' });
    await page.getByTestId('toast').filter({ hasText: '已通过' }).waitFor();
  });

  // CSV import: a bad row rejects the whole file; a clean file imports every row.
  const badCsv = '\ufeff类型,标题,描述,楼栋\r\n物品,导入测试折叠凳,铝合金折叠凳,1号楼\r\n飞船,导入测试坏行,这一行的类型不对,1号楼\r\n';
  const goodCsv = 'kind,title,description,skill,building,rule,price_yuan,price_unit\nservice,导入测试理发,上门理发,理发,3号楼,price,15,次\ngoods,导入测试轮椅,可借用的轮椅,,3号楼,free,,\n';
  const importedTitles = async () => {
    const r = await apiGet(page, '/resources/mine?limit=100');
    return (r.body?.items ?? []).map((c) => c.title).filter((x) => x.startsWith('导入测试'));
  };
  await check('CSV import: a bad row is reported and nothing is imported', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('tile-import').click();
    await expectPath(page, '/resources/import');
    await page.getByTestId('import-form').waitFor();
    await page.getByTestId('import-file').setInputFiles({ name: 'survey-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv, 'utf8') });
    await page.getByTestId('import-file-name').filter({ hasText: 'survey-bad.csv' }).waitFor();
    const r = page.waitForResponse((x) => x.url().includes('/resources/import'));
    await page.getByTestId('import-submit').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 422 && b?.reason === 'csv_invalid', `import answered ${resp.status()}: ${JSON.stringify(b)}`);
    const row = page.locator('[data-testid="import-row"][data-row="3"]');
    await row.waitFor();
    const txt = await row.innerText();
    assert(txt.includes('第 3 行') && txt.includes('kind'), `row report "${txt}"`);
    assert((await page.getByTestId('import-rejected').innerText()).includes('没有导入任何内容'), 'no "nothing imported" message');
    assert((await page.getByTestId('import-success').count()) === 0, 'success shown');
    const titles = await importedTitles();
    assert(titles.length === 0, `cards were imported: ${JSON.stringify(titles)}`);
  });
  await shot(page, 'import-errors');
  await axe(page, 'CSV import with errors (normal)');
  await check('CSV import: a clean file imports every row', async () => {
    await page.getByTestId('import-file').setInputFiles({ name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from(goodCsv, 'utf8') });
    const r = page.waitForResponse((x) => x.url().includes('/resources/import'));
    await page.getByTestId('import-submit').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 201 && b.created === 2, `import answered ${resp.status()}: ${JSON.stringify(b)}`);
    await page.getByTestId('import-success').filter({ hasText: '共 2 条' }).waitFor();
    assert((await page.getByTestId('import-errors').count()) === 0, 'old error table still shown');
    const titles = await importedTitles();
    assert(titles.length === 2, `imported ${JSON.stringify(titles)}`);
  });
  await shot(page, 'import-success');
  await axe(page, 'CSV import success (normal)');

  await goHomeAndSetElder(page, baseUrl, true);
  await elderVisit(page, `${baseUrl}/resources/review`, '[data-testid="review-item"], [data-testid="review-empty"]', 'review-queue', 'review queue');
  await check('elder: reject dialog', async () => {
    const first = page.getByTestId('review-item').first();
    if ((await first.count()) === 0) return;
    await first.getByTestId('reject').click();
    await page.getByTestId('reject-form').waitFor();
    await shot(page, 'review-reject-dialog-elder', { fullPage: false });
    await axe(page, 'reject dialog (elder)');
    await page.keyboard.press('Escape');
    await page.getByTestId('reject-form').waitFor({ state: 'hidden' });
  });
  await page.goto(`${baseUrl}/resources/import`);
  await page.getByTestId('import-form').waitFor();
  await page.getByTestId('import-file').setInputFiles({ name: 'survey-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv, 'utf8') });
  await page.getByTestId('import-submit').click();
  await page.getByTestId('import-rows').waitFor();
  await shot(page, 'import-errors-elder');
  await axe(page, 'CSV import with errors (elder)');
  await checkElderTargets(page, 'CSV import');
  await goHomeAndSetElder(page, baseUrl, false);
  await logout(page);
  await page.context().close();
}

async function journeyMarket(browser, baseUrl, shared) {
  const page = await newPage(browser, { geolocation: { latitude: 31.1899, longitude: 121.4231 } });
  const { status } = await login(page, baseUrl, 'resident2');
  await check('resident2 logs in', () => assert(status === 200, `login answered ${status}`));
  await setElder(page, false);
  await check(`resident2 finds the card by the 2-character query ${CARD_WORD}`, async () => {
    await page.getByTestId('tile-market').click();
    await expectPath(page, '/market');
    await page.getByTestId('market-q').fill(CARD_WORD);
    await page.getByTestId('market-q').press('Enter');
    await page.getByTestId('resource-item').filter({ hasText: CARD_TITLE }).waitFor();
    assert((await page.getByTestId('result-count').innerText()).includes('共找到'), 'no result count');
  });
  await shot(page, 'market-results');
  await axe(page, 'market results (normal)');
  await check('open its detail: photo, terms, owner, status', async () => {
    await page.getByTestId('resource-item').filter({ hasText: CARD_TITLE }).getByTestId('resource-link').click();
    await expectPath(page, `/resources/${shared.cardId}`);
    await page.getByTestId('resource-detail').waitFor();
    const ok = await page.getByTestId('resource-photo').first().evaluate(async (img) => {
      if (!img.complete) await new Promise((r) => img.addEventListener('load', r, { once: true }));
      return img.naturalWidth > 0 && img.alt.length > 0;
    });
    assert(ok, 'photo not loaded or without alt text');
    assert((await page.getByTestId('rule').innerText()).includes('3 积分'), 'terms not shown');
    assert((await page.getByTestId('owner').innerText()).includes('个人'), 'owner not shown');
    assert((await page.getByTestId('availability').innerText()).includes('可预约'), 'status not shown');
    assert((await page.getByTestId('manage').count()) === 0, 'a neighbour sees the manage section');
  });
  await shot(page, 'resource-detail');
  await axe(page, 'resource detail (normal)');
  await check('near me: the browser position adds a distance filter', async () => {
    await page.goto(`${baseUrl}/market`);
    await page.getByTestId('filter-toggle').click();
    const r = page.waitForResponse((x) => x.url().includes('/api/v1/search') && x.url().includes('radius_m='));
    await page.getByTestId('filter-near').click();
    const resp = await r;
    assert(resp.ok(), `near search answered ${resp.status()}: ${await bodyText(resp)}`);
    const u = new URL(page.url());
    assert(u.searchParams.get('lat') && u.searchParams.get('r') === '1000' && u.searchParams.get('sort') === 'distance', `URL ${u.search}`);
    const body = await resp.json();
    await page.locator('[data-testid="market-results"], [data-testid="market-empty"]').first().waitFor();
    if (body.items.length) {
      await page.getByTestId('resource-distance').first().waitFor();
      const d = body.items.map((c) => c.distance_m);
      assert(d.every((x, i) => typeof x === 'number' && x <= 1000 && (i === 0 || d[i - 1] <= x)), `distances ${JSON.stringify(d)}`);
    }
  });
  await shot(page, 'market-near', { fullPage: false });
  await axe(page, 'market near me (normal)');
  await goHomeAndSetElder(page, baseUrl, true);
  await elderVisit(page, `${baseUrl}/market?q=${encodeURIComponent(CARD_WORD)}`, '[data-testid="resource-item"]', 'market-results', 'market results');
  await elderVisit(page, `${baseUrl}/resources/${shared.cardId}`, '[data-testid="resource-detail"]', 'resource-detail', 'resource detail');
  await goHomeAndSetElder(page, baseUrl, false);
  await logout(page);
  await page.context().close();
}

async function journeyDelist(browser, baseUrl, shared) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'resident');
  await check('resident logs in; the header shows unread notifications', async () => {
    assert(status === 200, `login answered ${status}`);
    await setElder(page, false);
    const badge = page.getByTestId('notify-badge');
    await badge.waitFor();
    assert(Number(await badge.innerText()) >= 1, 'no unread count');
    const label = await page.getByTestId('notify-bell').getAttribute('aria-label');
    assert(/未读/.test(label || ''), `bell label "${label}"`);
  });
  await check('the inbox tells the owner the card was approved', async () => {
    await page.getByTestId('notify-bell').click();
    await expectPath(page, '/notifications');
    await page.locator('[data-testid="notification"][data-kind="resources.review.approved"]').first().waitFor();
  });
  await shot(page, 'notifications');
  await axe(page, 'notifications (normal)');
  await check('opening it marks it read and goes to the card', async () => {
    const n = page.locator('[data-testid="notification"][data-kind="resources.review.approved"]').first();
    const r = page.waitForResponse((x) => /\/notifications\/\d+\/read$/.test(x.url()));
    await n.getByTestId('notification-open').click();
    assert((await r).status() === 204, 'mark read failed');
    await expectPath(page, `/resources/${shared.cardId}`);
    await page.getByTestId('lifecycle').filter({ hasText: '已上架' }).waitFor();
  });
  await page.waitForTimeout(400);
  await shot(page, 'resource-detail-listed');
  await axe(page, 'resource detail listed, owner (normal)');
  await check('my resources: reconfirm the listed card', async () => {
    await page.goto(`${baseUrl}/resources/mine`);
    const item = page.getByTestId('resource-item').filter({ hasText: CARD_TITLE });
    await item.waitFor();
    assert((await item.getByTestId('lifecycle').innerText()).includes('已上架'), 'not shown as 已上架');
    const r = page.waitForResponse((x) => x.url().endsWith(`/resources/${shared.cardId}/reconfirm`));
    await item.getByTestId('mine-reconfirm').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 200 && b.lifecycle === 'listed' && b.reconfirm_due_at > Date.now() / 1000, `reconfirm answered ${resp.status()}: ${JSON.stringify(b)}`);
    await page.getByTestId('toast').filter({ hasText: '已确认' }).waitFor();
    await item.getByTestId('resource-link').click();
    await expectPath(page, `/resources/${shared.cardId}`);
    await page.getByTestId('manage').waitFor();
  });
  await check('owner delists it', async () => {
    await page.getByTestId('delist').click();
    await page.getByTestId('confirm-ok').waitFor();
    const r = page.waitForResponse((x) => x.url().endsWith(`/resources/${shared.cardId}/delist`));
    await page.getByTestId('confirm-ok').click();
    const resp = await r;
    const b = await resp.json().catch(() => null);
    assert(resp.status() === 200 && b.lifecycle === 'delisted', `delist answered ${resp.status()}: ${JSON.stringify(b)}`);
    await page.getByTestId('lifecycle').filter({ hasText: '已下架' }).waitFor();
  });
  await check(`it is gone from the market (${CARD_WORD})`, async () => {
    await page.goto(`${baseUrl}/market?q=${encodeURIComponent(CARD_WORD)}`);
    await page.locator('[data-testid="market-results"], [data-testid="market-empty"]').first().waitFor();
    assert((await page.getByTestId('resource-item').filter({ hasText: CARD_TITLE }).count()) === 0, 'delisted card still in the market');
    const api = await apiGet(page, `/search?q=${encodeURIComponent(CARD_WORD)}`);
    assert(api.status === 200 && !api.body.items.some((c) => c.id === shared.cardId), 'delisted card still returned by /search');
  });
  await goHomeAndSetElder(page, baseUrl, true);
  await elderVisit(page, `${baseUrl}/notifications`, '[data-testid="notification"]', 'notifications', 'notifications');
  await goHomeAndSetElder(page, baseUrl, false);
  await logout(page);
  await page.context().close();
}

async function journeyGuide(browser, baseUrl) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'guide');
  await check('guide opens 一户一档 and sees their households', async () => {
    assert(status === 200, `login answered ${status}`);
    await setElder(page, false);
    await page.getByTestId('tile-households').click();
    await expectPath(page, '/households');
    await page.getByTestId('household-item').first().waitFor();
  });
  await shot(page, 'households');
  await axe(page, 'households (normal)');
  let hid = '';
  await check('open a household record: members shown, ID numbers hidden from a guide', async () => {
    const first = page.getByTestId('household-item').first();
    hid = await first.getAttribute('data-household-id');
    await first.getByTestId('household-link').click();
    await expectPath(page, `/households/${hid}`);
    await page.getByTestId('member').first().waitFor();
    const names = await page.getByTestId('member-name').allInnerTexts();
    assert(names.length >= 1 && names.every((n) => n.trim()), `members ${JSON.stringify(names)}`);
    const api = await apiGet(page, `/households/${hid}`);
    const hiddenId = api.body.members.some((m) => m.hidden_fields.includes('id_number'));
    if (hiddenId) {
      assert((await page.getByTestId('member-id_number').first().innerText()).includes('无权查看'), 'hidden ID number not marked');
    }
    assert(!(await page.content()).match(/\d{17}[\dX]/), 'an ID number is in the page');
    assert((await page.getByTestId('member-export').count()) === 0, 'a guide may not export personal data');
  });
  await shot(page, 'household-detail');
  await axe(page, 'household detail (normal)');
  await check('add a history entry', async () => {
    await page.getByTestId('history-kind').locator('[data-value="visit"]').click();
    await page.getByTestId('history-note').fill('浏览器测试：上门走访，了解助餐需求');
    const r = page.waitForResponse((x) => x.url().endsWith(`/households/${hid}/history`) && x.request().method() === 'POST');
    await page.getByTestId('history-add').click();
    const resp = await r;
    assert(resp.status() === 201, `history answered ${resp.status()}: ${await bodyText(resp)}`);
    await page.getByTestId('history-item').filter({ hasText: '浏览器测试：上门走访' }).waitFor();
  });
  await check('consent dialog (withdraw) explains the consequence; cancel keeps it', async () => {
    const btn = page.getByTestId('consent-revoke').first();
    if ((await btn.count()) === 0) return;
    await btn.click();
    await page.getByTestId('consent-form').waitFor();
    assert((await page.getByTestId('consent-form').innerText()).includes('删除'), 'no warning');
    await shot(page, 'consent-dialog', { fullPage: false });
    await axe(page, 'consent dialog (normal)');
    await page.getByTestId('consent-form').getByRole('button', { name: '取消' }).click();
    await page.getByTestId('consent-form').waitFor({ state: 'hidden' });
  });
  await goHomeAndSetElder(page, baseUrl, true);
  await elderVisit(page, `${baseUrl}/households`, '[data-testid="household-item"]', 'households', 'households');
  await elderVisit(page, `${baseUrl}/households/${hid}`, '[data-testid="member"]', 'household-detail', 'household detail');
  await goHomeAndSetElder(page, baseUrl, false);
  await logout(page);
  await page.context().close();
}

async function journeyPersonData(browser, baseUrl) {
  const page = await newPage(browser);
  const { status } = await login(page, baseUrl, 'committee');
  await check('committee opens a household with a member to export and erase', async () => {
    assert(status === 200, `login answered ${status}`);
    await setElder(page, false);
    await page.getByTestId('tile-households').click();
    await page.getByTestId('household-item').nth(2).waitFor();
    await page.getByTestId('household-item').nth(2).getByTestId('household-link').click();
    await page.getByTestId('member-export').first().waitFor();
  });
  const member = page.getByTestId('member').filter({ has: page.getByTestId('member-export') }).first();
  const name = (await member.getByTestId('member-name').innerText()).trim();
  const memberId = await member.getAttribute('data-member-id');
  await check('export downloads the person’s data as JSON', async () => {
    const dl = page.waitForEvent('download');
    await member.getByTestId('member-export').click();
    const d = await dl;
    assert(d.suggestedFilename() === `person-${memberId}.json`, `file ${d.suggestedFilename()}`);
    const text = fs.readFileSync(await d.path(), 'utf8');
    const j = JSON.parse(text);
    assert(j.person && j.person.name === name && Array.isArray(j.consents), `export ${text.slice(0, 200)}`);
  });
  await check('erase needs the name typed; then the data is gone', async () => {
    await member.getByTestId('member-erase').click();
    await page.getByTestId('erase-form').waitFor();
    assert(await page.getByTestId('erase-confirm').isDisabled(), 'erase enabled before typing the name');
    await page.getByTestId('erase-name').fill(name.slice(0, 1));
    assert(await page.getByTestId('erase-confirm').isDisabled(), 'erase enabled with a wrong name');
    await shot(page, 'erase-dialog', { fullPage: false });
    await axe(page, 'erase dialog (normal)');
    await page.getByTestId('erase-name').fill(name);
    const r = page.waitForResponse((x) => x.url().endsWith(`/members/${memberId}/erasure`));
    await page.getByTestId('erase-confirm').click();
    const resp = await r;
    assert(resp.status() === 204, `erasure answered ${resp.status()}: ${await bodyText(resp)}`);
    await page.locator(`[data-testid="member"][data-member-id="${memberId}"]`).waitFor({ state: 'detached' });
    assert(!(await page.locator('main').innerText()).includes(name), 'erased name still shown');
    const api = await apiGet(page, `/households/${await page.evaluate(() => location.pathname.split('/').pop())}`);
    assert(!JSON.stringify(api.body).includes(name), 'erased name still returned by the API');
  });
  await page.goto(`${baseUrl}/`);
  await logout(page);
  await page.context().close();
}

let pageErrors = [];
async function newPage(browser, { geolocation } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'UTC', // the UI must show Asia/Shanghai times whatever the device zone
    acceptDownloads: true,
    ...(geolocation ? { geolocation, permissions: ['geolocation'] } : {}),
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

// What module journey files (tests/browser/journeys/*.mjs) get in ctx.lib.
const journeyLib = {
  DEMO_PASSWORD, COMMUNITY_NAME, ARTIFACTS,
  pass, fail, assert, check, shot, axe, expectPath, login, logout, setElder, bodyText, bodyFontPx,
  apiGet, checkElderTargets, elderVisit, goHomeAndSetElder, newPage, makePng,
};

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
      ['publish (resident)', () => journeyPublish(browser, server.baseUrl, shared)],
      ['review and import (committee)', () => journeyReview(browser, server.baseUrl, shared)],
      ['market (resident2)', () => journeyMarket(browser, server.baseUrl, shared)],
      ['notify and delist (resident)', () => journeyDelist(browser, server.baseUrl, shared)],
      ['households (guide)', () => journeyGuide(browser, server.baseUrl)],
      ['person data (committee)', () => journeyPersonData(browser, server.baseUrl)],
    ];
    // Module journeys live in tests/browser/journeys/<module>.mjs, each exporting
    // `journeys`: [[name, async (ctx) => {...}], ...], run in file-name order after these.
    const ctx = { browser, baseUrl: server.baseUrl, shared, lib: journeyLib };
    const dir = path.join(ROOT, 'tests/browser/journeys');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort() : [];
    for (const file of files) {
      const mod = await import(path.join(dir, file));
      for (const [name, fn] of mod.journeys) journeys.push([name, () => fn(ctx)]);
    }
    // The mock server knows only the accounts API; the resource pool and household journeys need the binary.
    const accountsOnly = new Set(['resident', 'staff', 'admin', 'committee']);
    for (const [name, fn] of journeys) {
      if (ONLY.length && !ONLY.some((o) => name.startsWith(o))) continue;
      if (MOCK && !accountsOnly.has(name)) {
        log(`journey: ${name} (skipped: needs the real server)`);
        continue;
      }
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
