// Browser journeys of tickets 诉求与报修 (issue #7 UI): a resident reports a leak in elder mode
// in at most three steps and gets a tracking code; signed out, the code is tracked on the
// public page (status, no reporter data); staff find it in the queue (red before yellow before
// blue, then by deadline), accept it as red and resolve it with a public note; the resident
// sees every step and closes with a rating; an admin reads the working-day calendar (2026 国庆
// holidays and the make-up Saturday, 2027 provisional) and saves an edit.
//
//   LINLI_BIN=build/<dir>/src/linli node tests/browser/run.mjs --only=tickets
//
// Every check asserts what the server did (through the API), not only what the page shows;
// axe runs on every page in normal and elder mode.

const POST = (suffix) => (r) => r.url().endsWith(`/api/v1${suffix}`) && r.request().method() === 'POST';
const PUT = (suffix) => (r) => r.url().endsWith(`/api/v1${suffix}`) && r.request().method() === 'PUT';
const LEAK_TEXT = '厨房水管接口漏水，地面积水';
const UNIT_TEXT = '3单元 1502';
const RESOLVE_NOTE = '已更换水管接头，请确认不再漏水';
const COLOUR_RANK = { red: 0, yellow: 1, blue: 2 };

async function loggedIn(ctx, login) {
  const { lib, browser, baseUrl } = ctx;
  const page = await lib.newPage(browser);
  const { status } = await lib.login(page, baseUrl, login);
  await lib.check(`${login} logs in`, () => lib.assert(status === 200, `login answered ${status}`));
  await lib.setElder(page, false);
  return page;
}

async function setLocale(page, baseUrl, lang) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('greeting').waitFor();
  const btn = page.getByTestId(lang === 'en' ? 'lang-en' : 'lang-zh');
  if ((await btn.getAttribute('aria-pressed')) !== 'true') {
    const patch = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/preferences') && r.request().method() === 'PATCH');
    await btn.click();
    await patch;
  }
  await page.waitForFunction((l) => document.documentElement.lang === l, lang === 'en' ? 'en' : 'zh-CN');
}

// ------------------------------------------------------------------------------------------
async function journeyReport(ctx) {
  const { lib, baseUrl, shared } = ctx;
  const { check, assert, shot, axe } = lib;
  const page = await loggedIn(ctx, 'resident');
  await lib.goHomeAndSetElder(page, baseUrl, true);

  await check('the 诉求报修 home tile opens my requests (seeded ones listed)', async () => {
    await page.getByTestId('tile-repairs').click();
    await lib.expectPath(page, '/tickets');
    await page.getByTestId('ticket-item').first().waitFor();
    const api = await lib.apiGet(page, '/tickets/mine?limit=50');
    assert(api.status === 200, `mine ${api.status}`);
    const n = await page.getByTestId('ticket-item').count();
    assert(n === api.body.items.length && n > 0, `${n} shown, API ${api.body.items.length}`);
    shared.ticketsMineBefore = n;
  });
  await shot(page, 'tickets-mine-elder');
  await axe(page, 'my requests (elder)');
  await lib.checkElderTargets(page, 'my requests');

  const stepsSeen = new Set();
  await check('elder mode: step 1 of 3 is choosing the kind of problem', async () => {
    await page.getByTestId('ticket-report').click();
    await lib.expectPath(page, '/tickets/new');
    await page.getByTestId('cat-water_leak').waitFor();
    stepsSeen.add(await page.getByTestId('ticket-step-of').getAttribute('data-step'));
    const cats = await lib.apiGet(page, '/tickets/categories');
    const shown = await page.locator('[data-testid^="cat-"]').count();
    assert(shown === cats.body.items.length, `${shown} categories shown, API ${cats.body.items.length}`);
  });
  await shot(page, 'tickets-new-step1-elder');
  await axe(page, 'report step 1 (elder)');
  await lib.checkElderTargets(page, 'report step 1');

  await check('step 2: where and a short description, with an optional photo', async () => {
    await page.getByTestId('cat-water_leak').click();
    await page.getByTestId('ticket-form').waitFor();
    stepsSeen.add(await page.getByTestId('ticket-step-of').getAttribute('data-step'));
    const chosen = await page.getByTestId('ticket-chosen').textContent();
    assert(chosen.includes('漏水'), `chosen: ${chosen}`);
    const options = await page.getByTestId('ticket-building').locator('option').count();
    assert(options >= 2, 'the community buildings are offered');
    await page.getByTestId('ticket-building').selectOption({ index: 1 });
    await page.getByTestId('ticket-unit').fill(UNIT_TEXT);
    await page.getByTestId('ticket-description').fill(LEAK_TEXT);
    // A 2400×1800 PNG is shrunk to ≤ 1600 px JPEG in the browser before upload.
    await page.getByTestId('ticket-photo-input').setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: lib.makePng(2400, 1800) });
    await page.getByTestId('ticket-photos-pending').locator('img').first().waitFor();
  });
  await shot(page, 'tickets-new-step2-elder');
  await axe(page, 'report step 2 (elder)');
  await lib.checkElderTargets(page, 'report step 2');

  await check('step 3: submitting creates the ticket (photo uploaded as JPEG) and shows the tracking code', async () => {
    const created = page.waitForResponse(POST('/tickets'));
    const photo = page.waitForResponse((r) => /\/api\/v1\/tickets\/\d+\/photos$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByTestId('ticket-submit').click();
    const resp = await created;
    assert(resp.status() === 201, `POST /tickets ${resp.status()}: ${await lib.bodyText(resp)}`);
    const body = await resp.json();
    const p = await photo;
    assert(p.status() === 201, `photo upload ${p.status()}: ${await lib.bodyText(p)}`);
    assert(p.request().headers()['content-type'] === 'image/jpeg', `photo sent as ${p.request().headers()['content-type']}`);
    await page.getByTestId('ticket-done').waitFor();
    stepsSeen.add(await page.getByTestId('ticket-step-of').getAttribute('data-step'));
    const code = (await page.getByTestId('ticket-code').textContent()).trim();
    assert(code === body.code && /^B-/.test(code), `code shown ${code}, API ${body.code}`);
    assert([...stepsSeen].every((s) => Number(s) <= 3) && stepsSeen.size === 3, `steps seen ${[...stepsSeen]}`);
    const api = await lib.apiGet(page, `/tickets/${body.id}`);
    assert(api.status === 200, `detail ${api.status}`);
    const t = api.body;
    assert(t.category === 'water_leak' && t.status === 'submitted' && t.description === LEAK_TEXT && t.unit_label === UNIT_TEXT,
      `stored ${JSON.stringify({ c: t.category, s: t.status, d: t.description, u: t.unit_label })}`);
    assert(t.photo_ids.length === 1, `photos ${t.photo_ids.length}`);
    assert(t.building_id !== null, 'building stored');
    shared.ticketId = body.id;
    shared.ticketCode = code;
  });
  await shot(page, 'tickets-new-done-elder');
  await axe(page, 'report done (elder)');
  await lib.checkElderTargets(page, 'report done');

  await check('the new ticket detail shows both SLA clocks and the submitted step', async () => {
    await page.getByTestId('ticket-view').click();
    await lib.expectPath(page, `/tickets/${shared.ticketId}`);
    await page.getByTestId('ticket-detail').waitFor();
    assert((await page.getByTestId('ticket-detail').getAttribute('data-status')) === 'submitted', 'status submitted');
    await page.getByTestId('clock-response').waitFor();
    await page.getByTestId('clock-resolution').waitFor();
    const resp = await page.getByTestId('clock-response').textContent();
    assert(/前/.test(resp), `response clock says a due time: ${resp}`);
    const colourText = await page.getByTestId('ticket-detail').getByTestId('ticket-colour').textContent();
    assert(colourText.includes('红色'), `colour shown in words: ${colourText}`);
    assert((await page.getByTestId('ticket-step').count()) === 1, 'one step');
    await page.getByTestId('ticket-photos').locator('img').first().waitFor();
    const ok = await page.getByTestId('ticket-photos').locator('img').first().evaluate((img) => img.complete && img.naturalWidth > 0 && img.naturalWidth <= 1600);
    assert(ok, 'the photo loads and is ≤ 1600 px wide');
  });
  await shot(page, 'tickets-detail-reporter-elder');
  await axe(page, 'ticket detail, reporter (elder)');
  await lib.checkElderTargets(page, 'ticket detail');

  // Normal mode on the same pages.
  await lib.goHomeAndSetElder(page, baseUrl, false);
  for (const [url, ready, name, label] of [
    ['/tickets', '[data-testid="ticket-item"]', 'tickets-mine', 'my requests (normal)'],
    ['/tickets/new', '[data-testid="cat-water_leak"]', 'tickets-new-step1', 'report step 1 (normal)'],
    [`/tickets/${shared.ticketId}`, '[data-testid="ticket-detail"]', 'tickets-detail-reporter', 'ticket detail, reporter (normal)'],
  ]) {
    await page.goto(`${baseUrl}${url}`);
    await page.locator(ready).first().waitFor();
    await shot(page, name);
    await axe(page, label);
  }
  await check('the new request is first in my list', async () => {
    await page.goto(`${baseUrl}/tickets`);
    await page.getByTestId('ticket-item').first().waitFor();
    const first = Number(await page.getByTestId('ticket-item').first().getAttribute('data-ticket-id'));
    assert(first === shared.ticketId, `first ${first}`);
    assert((await page.getByTestId('ticket-item').count()) === shared.ticketsMineBefore + 1, 'one more');
  });
  await setLocale(page, baseUrl, 'en');
  await page.goto(`${baseUrl}/tickets/new`);
  await page.getByTestId('cat-water_leak').waitFor();
  await check('English: the report page is translated', async () => {
    const text = await page.getByTestId('cat-water_leak').textContent();
    assert(text.includes('Water leak'), `category in English: ${text}`);
  });
  await shot(page, 'tickets-new-step1-en');
  await page.goto(`${baseUrl}/tickets/${shared.ticketId}`);
  await page.getByTestId('ticket-detail').waitFor();
  await shot(page, 'tickets-detail-en');
  await axe(page, 'ticket detail (English)');
  await setLocale(page, baseUrl, 'zh-CN');

  // Signed out: the public tracking page.
  await lib.logout(page);
  await check('signed out, the login page links to tracking and the code shows the status', async () => {
    await page.getByTestId('to-track').click();
    await lib.expectPath(page, '/track');
    // Typed the way people do: lower case, spaces instead of dashes.
    await page.getByTestId('track-code').fill(shared.ticketCode.toLowerCase().replace(/-/g, ' '));
    const r = page.waitForResponse((x) => x.url().includes('/api/v1/track/'));
    await page.getByTestId('track-submit').click();
    const resp = await r;
    assert(resp.status() === 200, `track ${resp.status()}: ${await lib.bodyText(resp)}`);
    const body = await resp.json();
    await page.getByTestId('track-result').waitFor();
    assert((await page.getByTestId('track-result').getAttribute('data-status')) === 'submitted', 'status submitted');
    const status = (await page.getByTestId('track-status').textContent()).trim();
    assert(status === '已提交', `status text ${status}`);
    assert((await page.getByTestId('track-result-code').textContent()).trim() === shared.ticketCode, 'code shown');
    for (const k of ['description', 'unit_label', 'reporter_user_id', 'title', 'contact']) {
      assert(!(k in body), `the API must not return ${k}`);
    }
    const text = await page.locator('main').textContent();
    for (const secret of [LEAK_TEXT, UNIT_TEXT, '1502', '王秀英']) assert(!text.includes(secret), `page shows ${secret}`);
  });
  await shot(page, 'tickets-track-public');
  await axe(page, 'public tracking (normal)');
  await check('an unknown code says so', async () => {
    await page.getByTestId('track-code').fill('B-22222-22222-22222');
    await page.getByTestId('track-submit').click();
    await page.getByTestId('track-not-found').waitFor();
  });
  await page.goto(`${baseUrl}/login`);
  await lib.setElder(page, true);
  await page.goto(`${baseUrl}/track/${encodeURIComponent(shared.ticketCode)}`);
  await page.getByTestId('track-result').waitFor();
  await shot(page, 'tickets-track-public-elder');
  await axe(page, 'public tracking (elder)');
  await lib.checkElderTargets(page, 'public tracking');
  await page.goto(`${baseUrl}/login`);
  await lib.setElder(page, false);
  await page.close();
}

// ------------------------------------------------------------------------------------------
async function journeyStaff(ctx) {
  const { lib, baseUrl, shared } = ctx;
  const { check, assert, shot, axe } = lib;
  assert(shared.ticketId, 'the report journey ran first');
  const page = await loggedIn(ctx, 'staff');

  await check('the 工单队列 tile opens the queue ordered by colour, then deadline', async () => {
    await page.getByTestId('tile-ticketQueue').click();
    await lib.expectPath(page, '/tickets/queue');
    await page.getByTestId('queue-item').first().waitFor();
    const items = await page.getByTestId('queue-item').evaluateAll((els) =>
      els.map((e) => ({ id: Number(e.dataset.ticketId), colour: e.dataset.colour, due: e.dataset.due ? Number(e.dataset.due) : Infinity })),
    );
    assert(items.some((x) => x.id === shared.ticketId), 'the new leak is in the queue');
    const cid = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body.community_id;
    shared.ticketCommunity = cid;
    const api = await lib.apiGet(page, `/communities/${cid}/tickets/queue?limit=50`);
    assert(JSON.stringify(api.body.items.map((x) => x.id)) === JSON.stringify(items.map((x) => x.id)), 'the API order is shown');
    assert(new Set(items.map((x) => x.colour)).size >= 2, `several colours in the demo queue: ${items.map((x) => x.colour)}`);
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1];
      const b = items[i];
      const ok = COLOUR_RANK[a.colour] < COLOUR_RANK[b.colour] || (a.colour === b.colour && a.due <= b.due);
      assert(ok, `order broken at ${i}: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
    const red = await page.locator(`[data-testid="queue-item"][data-ticket-id="${shared.ticketId}"]`).getByTestId('ticket-colour').textContent();
    assert(red.includes('红色'), `colour in words: ${red}`);
  });
  await shot(page, 'tickets-queue');
  await axe(page, 'work queue (normal)');

  await check('the team filter asks the server (grid worker: the routed noise ticket only)', async () => {
    const r = page.waitForResponse((x) => x.url().includes('/tickets/queue') && x.url().includes('team=grid_worker'));
    await page.getByTestId('queue-team').locator('[data-value="grid_worker"]').click();
    assert((await r).status() === 200, 'queue filtered');
    await page.waitForTimeout(200);
    const kinds = await page.getByTestId('queue-item').count();
    const api = await lib.apiGet(page, `/communities/${shared.ticketCommunity}/tickets/queue?team=grid_worker`);
    assert(kinds === api.body.items.length, `${kinds} vs ${api.body.items.length}`);
    assert(api.body.items.every((x) => x.assignee_kind === 'grid_worker'), 'only grid worker tickets');
    await page.getByTestId('queue-team').locator('[data-value="all"]').click();
    await page.locator(`[data-testid="queue-item"][data-ticket-id="${shared.ticketId}"]`).waitFor();
  });

  await check('staff accept the leak as red: status accepted, response clock met', async () => {
    await page.locator(`[data-testid="queue-item"][data-ticket-id="${shared.ticketId}"] a`).click();
    await lib.expectPath(page, `/tickets/${shared.ticketId}`);
    await page.getByTestId('staff-actions').waitFor();
    await page.getByTestId('accept-colour').locator('[data-value="red"]').click();
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/accept`));
    await page.getByTestId('staff-accept').click();
    const resp = await r;
    assert(resp.status() === 200, `accept ${resp.status()}: ${await lib.bodyText(resp)}`);
    assert(JSON.parse(resp.request().postData()).colour === 'red', 'colour sent');
    await page.locator('[data-testid="ticket-detail"][data-status="accepted"]').waitFor();
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(api.status === 'accepted' && api.colour === 'red', `now ${api.status}/${api.colour}`);
    assert(api.response.met_at !== null, 'response clock met');
    assert((await page.getByTestId('clock-response').getAttribute('data-state')) === 'met', 'clock shown as met');
  });
  await shot(page, 'tickets-detail-staff');
  await axe(page, 'ticket detail, staff (normal)');

  await check('an internal note stays internal (marked, not tracked publicly)', async () => {
    await page.getByTestId('staff-note').fill('内部：需要楼上住户配合');
    await page.getByTestId('note-visibility').locator('[data-value="internal"]').click();
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/notes`));
    await page.getByTestId('staff-add-note').click();
    const resp = await r;
    assert(resp.status() === 201, `note ${resp.status()}: ${await lib.bodyText(resp)}`);
    await page.locator('[data-testid="ticket-step"][data-public="false"]').waitFor();
    const track = await lib.apiGet(page, `/track/${encodeURIComponent(shared.ticketCode)}`);
    assert(!JSON.stringify(track.body).includes('楼上住户配合'), 'not in tracking');
  });

  await check('staff resolve with a public note: status resolved, note in the steps', async () => {
    await page.getByTestId('note-visibility').locator('[data-value="public"]').click();
    await page.getByTestId('staff-note').fill(RESOLVE_NOTE);
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/resolve`));
    await page.getByTestId('staff-resolve').click();
    const resp = await r;
    assert(resp.status() === 200, `resolve ${resp.status()}: ${await lib.bodyText(resp)}`);
    await page.locator('[data-testid="ticket-detail"][data-status="resolved"]').waitFor();
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(api.status === 'resolved' && api.resolved_at !== null, `now ${api.status}`);
    assert(api.steps.some((s) => s.kind === 'resolved' && s.note === RESOLVE_NOTE && s.public), 'public resolve step');
    await page.getByTestId('staff-follow-up').waitFor();
  });
  await shot(page, 'tickets-detail-staff-resolved');

  await check('waiting on the resident pauses the resolution clock; resuming restarts it', async () => {
    const api = await lib.apiGet(page, `/communities/${shared.ticketCommunity}/tickets/queue?limit=50`);
    const busy = api.body.items.find((x) => x.status === 'in_progress');
    assert(busy, 'the demo has a ticket in progress');
    await page.goto(`${baseUrl}/tickets/${busy.id}`);
    await page.locator('[data-testid="ticket-detail"][data-status="in_progress"]').waitFor();
    await page.getByTestId('staff-note').fill('请告知方便上门的时间');
    const r = page.waitForResponse(POST(`/tickets/${busy.id}/wait`));
    await page.getByTestId('staff-wait').click();
    assert((await r).status() === 200, 'wait accepted');
    await page.locator('[data-testid="ticket-detail"][data-status="waiting_on_resident"]').waitFor();
    assert((await page.getByTestId('clock-resolution').getAttribute('data-state')) === 'paused', 'shown paused');
    const paused = (await lib.apiGet(page, `/tickets/${busy.id}`)).body;
    assert(paused.resolution.paused && paused.resolution.due_at === null, `API clock ${JSON.stringify(paused.resolution)}`);
    const r2 = page.waitForResponse(POST(`/tickets/${busy.id}/resume`));
    await page.getByTestId('staff-resume').click();
    assert((await r2).status() === 200, 'resume accepted');
    await page.locator('[data-testid="ticket-detail"][data-status="in_progress"]').waitFor();
    const resumed = (await lib.apiGet(page, `/tickets/${busy.id}`)).body;
    assert(!resumed.resolution.paused && resumed.resolution.due_at !== null, 'clock running again');
    assert((await page.getByTestId('clock-resolution').getAttribute('data-state')) !== 'paused', 'shown running');
  });

  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/tickets/queue`, '[data-testid="queue-item"]', 'tickets-queue', 'work queue');
  await lib.elderVisit(page, `${baseUrl}/tickets/${shared.ticketId}`, '[data-testid="staff-actions"]', 'tickets-detail-staff', 'ticket detail, staff');
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await page.close();
}

// ------------------------------------------------------------------------------------------
async function journeyClose(ctx) {
  const { lib, baseUrl, shared } = ctx;
  const { check, assert, shot, axe } = lib;
  assert(shared.ticketId, 'the report journey ran first');
  const page = await loggedIn(ctx, 'resident');

  await check('the reporter sees every public step, with the resolve note', async () => {
    await page.goto(`${baseUrl}/tickets/${shared.ticketId}`);
    await page.locator('[data-testid="ticket-detail"][data-status="resolved"]').waitFor();
    const kinds = await page.getByTestId('ticket-step').evaluateAll((els) => els.map((e) => e.dataset.kind));
    for (const k of ['submitted', 'accepted', 'resolved']) assert(kinds.includes(k), `step ${k} in ${kinds}`);
    const text = await page.getByTestId('ticket-timeline').textContent();
    assert(text.includes(RESOLVE_NOTE), 'resolve note shown');
    assert(!text.includes('楼上住户配合'), 'internal note hidden from the reporter');
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(kinds.length === api.steps.length, `${kinds.length} steps vs API ${api.steps.length}`);
  });
  await check('the reporter comments: a public comment step', async () => {
    await page.getByTestId('ticket-comment').fill('今天下午家里有人');
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/notes`));
    await page.getByTestId('ticket-comment-send').click();
    const resp = await r;
    assert(resp.status() === 201, `comment ${resp.status()}: ${await lib.bodyText(resp)}`);
    await page.locator('[data-testid="ticket-step"][data-kind="comment"]').waitFor();
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(api.steps.some((s) => s.kind === 'comment' && s.note === '今天下午家里有人'), 'stored');
  });
  await page.getByTestId('ticket-stars').locator('[data-star="4"]').click();
  await shot(page, 'tickets-detail-resolved');
  await axe(page, 'ticket detail, resolved (normal)');

  await check('closing with a 4-star rating closes the ticket', async () => {
    assert((await page.getByTestId('ticket-stars').locator('[data-star="4"]').getAttribute('aria-pressed')) === 'true', 'star pressed');
    await page.getByTestId('ticket-rating-comment').fill('处理及时，谢谢');
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/close`));
    await page.getByTestId('ticket-close').click();
    const resp = await r;
    assert(resp.status() === 200, `close ${resp.status()}: ${await lib.bodyText(resp)}`);
    await page.locator('[data-testid="ticket-detail"][data-status="closed"]').waitFor();
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(api.status === 'closed' && api.rating === 4 && api.rating_comment === '处理及时，谢谢', `now ${api.status}, rating ${api.rating}`);
    assert((await page.getByTestId('ticket-rating').textContent()).includes('4'), 'rating shown');
    await page.getByTestId('ticket-reopen').waitFor();
  });
  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/tickets/${shared.ticketId}`, '[data-testid="ticket-detail"][data-status="closed"]', 'tickets-detail-closed', 'ticket detail, closed');
  await lib.goHomeAndSetElder(page, baseUrl, false);

  await check('the public tracking shows it closed', async () => {
    const t = await lib.apiGet(page, `/track/${encodeURIComponent(shared.ticketCode)}`);
    assert(t.status === 200 && t.body.status === 'closed', `track ${t.status} ${t.body && t.body.status}`);
    assert(!JSON.stringify(t.body).includes('今天下午家里有人'), 'the reporter comment is not public');
  });

  await check('reopening within the window puts it back in progress', async () => {
    await page.goto(`${baseUrl}/tickets/${shared.ticketId}`);
    await page.getByTestId('ticket-reopen-reason').fill('又开始漏水了');
    const r = page.waitForResponse(POST(`/tickets/${shared.ticketId}/reopen`));
    await page.getByTestId('ticket-reopen').click();
    const resp = await r;
    assert(resp.status() === 200, `reopen ${resp.status()}: ${await lib.bodyText(resp)}`);
    await page.locator('[data-testid="ticket-detail"][data-status="in_progress"]').waitFor();
    const api = (await lib.apiGet(page, `/tickets/${shared.ticketId}`)).body;
    assert(api.status === 'in_progress' && api.reopen_count === 1, `now ${api.status}, reopened ${api.reopen_count}`);
  });
  await page.close();
}

// ------------------------------------------------------------------------------------------
async function journeyCalendar(ctx) {
  const { lib, baseUrl } = ctx;
  const { check, assert, shot, axe } = lib;
  const page = await loggedIn(ctx, 'admin');

  await check('admin opens the 2026 calendar: 国庆 holidays and the make-up Saturday', async () => {
    await page.goto(`${baseUrl}/tickets/queue`);
    await page.getByTestId('queue-calendar').click();
    await lib.expectPath(page, '/tickets/calendar');
    await page.getByTestId('cal-year').locator('[data-value="2026"]').click();
    await page.locator('[data-testid="cal"][data-year="2026"]').waitFor();
    for (let d = 1; d <= 7; d++) {
      const day = page.locator(`[data-testid="cal-day"][data-date="2026-10-0${d}"]`);
      assert((await day.getAttribute('data-working')) === 'false', `10-0${d} off`);
      assert((await day.textContent()).includes('国庆'), `10-0${d} note`);
    }
    const sat = page.locator('[data-testid="cal-day"][data-date="2026-10-10"]');
    assert((await sat.getAttribute('data-working')) === 'true', '10-10 is a working day');
    const text = await sat.textContent();
    assert(text.includes('调休上班') && text.includes('周六'), `10-10 shown as a make-up Saturday: ${text}`);
    const source = await page.getByTestId('cal').getAttribute('data-source');
    assert(source === 'official', `source ${source}`);
  });
  await shot(page, 'tickets-calendar-2026');
  await axe(page, 'calendar 2026 (normal)');

  await check('2027 is marked provisional', async () => {
    await page.getByTestId('cal-year').locator('[data-value="2027"]').click();
    await page.locator('[data-testid="cal"][data-year="2027"]').waitFor();
    assert((await page.getByTestId('cal').getAttribute('data-source')) === 'provisional', 'source provisional');
    const note = await page.getByTestId('cal-provisional').textContent();
    assert(note.includes('暂定'), note);
  });
  await shot(page, 'tickets-calendar-2027');

  await check('admin adds a holiday to 2025 and saves: the server keeps it as the community calendar', async () => {
    await page.getByTestId('cal-year').locator('[data-value="2025"]').click();
    await page.locator('[data-testid="cal"][data-year="2025"]').waitFor();
    const before = await page.getByTestId('cal-day').count();
    await page.getByTestId('cal-new-date').fill('2025-12-31');
    await page.getByTestId('cal-new-kind').locator('[data-value="holiday"]').click();
    await page.getByTestId('cal-new-note').fill('社区测试休息日');
    await page.getByTestId('cal-add').click();
    assert((await page.getByTestId('cal-day').count()) === before + 1, 'added locally');
    const cid = (await lib.apiGet(page, '/me')).body.current_community_id;
    const r = page.waitForResponse(PUT(`/communities/${cid}/tickets/calendar/2025`));
    await page.getByTestId('cal-save').click();
    const resp = await r;
    assert(resp.status() === 200, `PUT ${resp.status()}: ${await lib.bodyText(resp)}`);
    const api = await lib.apiGet(page, `/communities/${cid}/tickets/calendar/2025`);
    assert(api.body.source === 'custom' && api.body.confirmed, `source ${api.body.source}`);
    assert(api.body.days.some((d) => d.date === '2025-12-31' && !d.working && d.note === '社区测试休息日'), 'day stored');
    assert(api.body.days.length === before + 1, `${api.body.days.length} days stored`);
  });

  await check('the routing rules page lists the seeded rules', async () => {
    await page.goto(`${baseUrl}/tickets/rules`);
    await page.getByTestId('rule').first().waitFor();
    const cid = (await lib.apiGet(page, '/me')).body.current_community_id;
    const api = await lib.apiGet(page, `/communities/${cid}/tickets/rules`);
    assert((await page.getByTestId('rule').count()) === api.body.items.length, 'all rules shown');
    assert((await page.locator('[data-testid="rule"][data-category="noise"]').count()) === 1, 'noise → grid worker rule');
  });
  await shot(page, 'tickets-rules');
  await axe(page, 'routing rules (normal)');

  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/tickets/calendar`, '[data-testid="cal"]', 'tickets-calendar', 'calendar');
  await lib.elderVisit(page, `${baseUrl}/tickets/rules`, '[data-testid="rule"]', 'tickets-rules', 'routing rules');
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await setLocale(page, baseUrl, 'en');
  await page.goto(`${baseUrl}/tickets/calendar`);
  await page.getByTestId('cal-year').locator('[data-value="2027"]').click();
  await page.locator('[data-testid="cal"][data-year="2027"]').waitFor();
  await shot(page, 'tickets-calendar-2027-en');
  await axe(page, 'calendar 2027 (English)');
  await setLocale(page, baseUrl, 'zh-CN');
  await page.close();
}

export const journeys = [
  ['tickets report in elder mode and track by code (resident)', journeyReport],
  ['tickets work queue: accept red, resolve (staff)', journeyStaff],
  ['tickets reporter sees the steps and closes with a rating (resident)', journeyClose],
  ['tickets calendar and routing rules (admin)', journeyCalendar],
];
