// Browser journeys of property services 物业服务 (issue #7 UI): a resident registers a visitor,
// sees the QR code and keypad code, the gate verifies the pass (an access-control system with
// an organisation API key, and the guard desk), bills, and an announcement the staff publish
// and the resident reads.
//
//   LINLI_BIN=build/<dir>/src/linli node tests/browser/run.mjs --only=property
//
// Each journey asserts what the server did (through the API), not only that pages load; axe
// runs on every page in normal and elder mode. The demo (property::SeedDemo) gives 王秀英
// (resident) bills with one in arrears, announcements, an alert and a visitor pass.

async function loggedIn(ctx, login) {
  const { lib, browser, baseUrl } = ctx;
  const page = await lib.newPage(browser);
  const { status } = await lib.login(page, baseUrl, login);
  await lib.check(`${login} logs in`, () => lib.assert(status === 200, `login answered ${status}`));
  await lib.setElder(page, false);
  return page;
}

// A POST from the signed-in page (cookie session with its CSRF token).
async function apiPost(page, p, body) {
  return page.evaluate(
    async ([url, payload]) => {
      const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
      const r = await fetch(`/api/v1${url}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify(payload),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    [p, body],
  );
}

async function journeyVisitorPass(ctx) {
  const { lib, baseUrl, shared } = ctx;
  const { check, assert, shot, axe } = lib;
  const page = await loggedIn(ctx, 'resident');

  await check('the home tile opens my visitor passes', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('tile-visitors').click();
    await lib.expectPath(page, '/visitors');
    await page.getByTestId('visitor-new').waitFor();
  });
  await shot(page, 'property-visitors');
  await axe(page, 'visitor passes (normal)');

  let pass = null;
  await check('registering a visitor takes a name and one tap, and shows the QR and code', async () => {
    await page.getByTestId('visitor-new').click();
    await lib.expectPath(page, '/visitors/new');
    await page.getByTestId('visitor-label').fill('张阿姨');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/visitors/passes') && r.request().method() === 'POST');
    await page.getByTestId('visitor-submit').click();
    const resp = await created;
    assert(resp.status() === 201, `create answered ${resp.status()}`);
    pass = await resp.json();
    await lib.expectPath(page, `/visitors/${pass.id}`);
    await page.getByTestId('pass-code').waitFor();
    const code = await page.getByTestId('pass-code').getAttribute('data-code');
    assert(code === pass.code && /^\d{8}$/.test(code), `code ${code} vs ${pass.code}`);
    const qr = page.getByTestId('pass-qr');
    await qr.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="pass-qr"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert((await qr.getAttribute('alt')).length > 0, 'the QR image has an accessible name');
    assert((await page.getByTestId('pass-status').getAttribute('data-status')) === 'active', 'pass is active');
  });
  await shot(page, 'property-pass');
  await axe(page, 'visitor pass with QR (normal)');
  shared.propertyPass = pass;

  await check('the gate API (organisation key with gate:verify) allows the single-use pass once', async () => {
    const admin = await loggedIn(ctx, 'admin');
    const key = await apiPost(admin, '/communities/1/api-keys', { name: '东门门禁', scopes: ['gate:verify'] });
    assert(key.status === 201, `api key ${key.status}`);
    await admin.close();
    const verify = async () => {
      const r = await fetch(`${baseUrl}/api/v1/gate/verify`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key.body.secret}` },
        body: JSON.stringify({ token: pass.token, gate: '东门' }),
      });
      return { status: r.status, body: await r.json() };
    };
    const first = await verify();
    assert(first.status === 200 && first.body.decision === 'allow', `first ${JSON.stringify(first.body)}`);
    assert(first.body.visitor_label === '张阿姨', 'the gate shows the label');
    const second = await verify();
    assert(second.body.decision === 'deny' && second.body.reason === 'pass_used_up', `second ${JSON.stringify(second.body)}`);
  });

  await check('the pass page then shows it used up with the gate log', async () => {
    await page.reload();
    await page.getByTestId('pass-uses').waitFor();
    assert((await page.getByTestId('pass-status').getAttribute('data-status')) === 'used_up', 'used up');
    const uses = await page.getByTestId('pass-use').count();
    assert(uses === 2, `${uses} uses listed`);
    assert((await page.locator('[data-testid="pass-use"][data-allowed="true"]').count()) === 1, 'one allowed');
  });

  await check('my bills list the household bills, one overdue', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('tile-bills').click();
    await lib.expectPath(page, '/bills');
    await page.getByTestId('bill-item').first().waitFor();
    const api = await lib.apiGet(page, '/bills/mine');
    const n = await page.getByTestId('bill-item').count();
    assert(n === api.body.items.length && n >= 3, `${n} bills, API ${api.body.items.length}`);
    assert((await page.locator('[data-testid="bill-item"][data-overdue="true"]').count()) >= 1, 'an overdue bill');
    await page.getByTestId('bill-item').first().locator('a').click();
    await page.getByTestId('bill').waitFor();
    assert((await page.getByTestId('payment-form').count()) === 0, 'residents do not record payments');
  });
  await shot(page, 'property-bill');
  await axe(page, 'bill detail (normal)');
  await page.goto(`${baseUrl}/bills`);
  await page.getByTestId('bill-item').first().waitFor();
  await axe(page, 'my bills (normal)');

  await lib.goHomeAndSetElder(page, baseUrl, true);
  for (const [url, ready, name, label] of [
    ['/visitors', '[data-testid="visitor-pass-item"]', 'property-visitors', 'visitor passes'],
    ['/visitors/new', '[data-testid="visitor-form"]', 'property-visitor-new', 'register a visitor'],
    [`/visitors/${pass.id}`, '[data-testid="pass"]', 'property-pass', 'visitor pass'],
    ['/bills', '[data-testid="bill-item"]', 'property-bills', 'my bills'],
    ['/announcements', '[data-testid="announcement-item"]', 'property-announcements', 'announcements'],
  ]) {
    await lib.elderVisit(page, `${baseUrl}${url}`, ready, name, label);
  }
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await page.close();
}

async function journeyDeskAndAnnouncement(ctx) {
  const { lib, baseUrl } = ctx;
  const { check, assert, shot, axe } = lib;
  const staff = await loggedIn(ctx, 'staff');
  const resident = await loggedIn(ctx, 'resident');

  let code = null;
  await check('the guard desk checks a keypad code and lists the day\'s visitors', async () => {
    const made = await apiPost(resident, '/visitors/passes', {
      visitor_label: '快递员',
      valid_from: Math.floor(Date.now() / 1000),
      valid_until: Math.floor(Date.now() / 1000) + 3600,
    });
    assert(made.status === 201, `pass ${made.status}`);
    code = made.body.code;
    await staff.goto(`${baseUrl}/`);
    await staff.getByTestId('tile-propertyDesk').click();
    await lib.expectPath(staff, '/property/desk');
    await staff.getByTestId('desk-visitors').waitFor();
    assert((await staff.getByTestId('desk-visitor').count()) >= 1, 'visitors listed');
    await staff.getByTestId('desk-code').fill(code);
    await staff.getByTestId('desk-verify-submit').click();
    const decision = staff.getByTestId('desk-decision');
    await decision.waitFor();
    assert((await decision.getAttribute('data-decision')) === 'allow', 'allowed at the desk');
    await staff.getByTestId('desk-verify-submit').click();
    await staff.locator('[data-testid="desk-decision"][data-decision="deny"]').waitFor();
    await staff.getByTestId('arrears-summary').waitFor();
    const csv = await staff.evaluate(async () => {
      const r = await fetch('/api/v1/bills/arrears.csv', { credentials: 'same-origin' });
      return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
    });
    assert(csv.status === 200 && csv.type.startsWith('text/csv') && csv.text.includes('bill_id'), `csv ${csv.status}`);
  });
  await shot(staff, 'property-desk');
  await axe(staff, 'property desk (normal)');

  const title = `停水通知 ${Date.now() % 100000}`;
  await check('staff publish an announcement the resident then reads', async () => {
    await staff.goto(`${baseUrl}/announcements`);
    await staff.getByTestId('announcement-new').click();
    await staff.getByTestId('announcement-form').waitFor();
    await staff.getByTestId('announcement-title').fill(title);
    await staff.getByTestId('announcement-body').fill('明天上午 9 点至 12 点停水，请提前储水。');
    await axe(staff, 'publish an announcement (normal)');
    const published = staff.waitForResponse((r) => r.url().endsWith('/api/v1/announcements') && r.request().method() === 'POST');
    await staff.getByTestId('announcement-submit').click();
    const resp = await published;
    assert(resp.status() === 201, `publish ${resp.status()}`);
    await resident.goto(`${baseUrl}/`);
    await resident.getByTestId('tile-announcements').click();
    await lib.expectPath(resident, '/announcements');
    const item = resident.getByTestId('announcement-item').filter({ hasText: title });
    await item.waitFor();
    await item.locator('a').click();
    await resident.getByTestId('announcement').waitFor();
    assert((await resident.getByTestId('announcement').textContent()).includes('停水'), 'the body is shown');
    // The demo's weather alert reached the resident's inbox too.
    const inbox = await lib.apiGet(resident, '/notifications?limit=50');
    assert(inbox.body.items.some((n) => n.kind === 'property.alert'), 'alert in the inbox');
  });
  await shot(resident, 'property-announcement');
  await axe(resident, 'announcement (normal)');

  await lib.goHomeAndSetElder(staff, baseUrl, true);
  await lib.elderVisit(staff, `${baseUrl}/property/desk`, '[data-testid="desk-verify"]', 'property-desk', 'property desk');
  await lib.goHomeAndSetElder(staff, baseUrl, false);
  await staff.close();
  await resident.close();
}

export const journeys = [
  ['property visitor pass, gate and bills (resident)', journeyVisitorPass],
  ['property desk and announcements (staff)', journeyDeskAndAnnouncement],
];
