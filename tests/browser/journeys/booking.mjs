// Browser journeys of booking and loans 预约与借用 and tidal parking 潮汐停车 (issue #4 UI).
//
//   LINLI_BIN=build/<dir>/src/linli node tests/browser/run.mjs --only=booking
//
// Each journey asserts what the server did (statuses, prices, windows), not only that pages
// load; axe runs on every page in normal and elder mode. Times are whatever "now" is: the
// cards used are configured by the journeys themselves (open all day) so any hour works.

const SETTINGS_PUT = (id) => (r) => r.url().endsWith(`/api/v1/resources/${id}/booking-settings`) && r.request().method() === 'PUT';
const POST = (suffix) => (r) => r.url().endsWith(`/api/v1${suffix}`) && r.request().method() === 'POST';

/** ¥ text the UI shows for fen (same rule as ui/resources yuan()). */
function yuanText(fen) {
  const v = fen / 100;
  return `¥${Number.isInteger(v) ? v : v.toFixed(2).replace(/0$/, '')}`;
}

/** Today's civil date (YYYY-MM-DD) in Asia/Shanghai plus `days`, and its ISO weekday. */
function shanghaiDate(days = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000);
  const iso = d.toISOString().slice(0, 10);
  const w = d.getUTCDay();
  return { iso, weekday: w === 0 ? 7 : w };
}

async function loggedIn(ctx, login) {
  const { lib, browser, baseUrl } = ctx;
  const page = await lib.newPage(browser);
  const { status } = await lib.login(page, baseUrl, login);
  await lib.check(`${login} logs in`, () => lib.assert(status === 200, `login answered ${status}`));
  await lib.setElder(page, false);
  return page;
}

async function statusOf(page, lib, id) {
  const r = await lib.apiGet(page, `/bookings/${id}`);
  return r.body?.status;
}

/** Saves the settings form and returns the PUT response body. */
async function saveSettings(page, lib, cardId) {
  const r = page.waitForResponse(SETTINGS_PUT(cardId));
  await page.getByTestId('settings-save').click();
  const resp = await r;
  lib.assert(resp.status() === 200, `PUT booking-settings answered ${resp.status()}: ${await lib.bodyText(resp)}`);
  return resp.json();
}

async function elderPass(ctx, page, visits) {
  const { lib, baseUrl } = ctx;
  await lib.goHomeAndSetElder(page, baseUrl, true);
  for (const [url, ready, name, label] of visits) await lib.elderVisit(page, `${baseUrl}${url}`, ready, name, label);
  await lib.goHomeAndSetElder(page, baseUrl, false);
}

// ------------------------------------------------------------------------------------------
async function journeySettingsAndApprovals(ctx) {
  const { lib, baseUrl, shared } = ctx;
  const { check, assert, shot, axe } = lib;

  // --- the committee (owner of the community classrooms) configures two rooms
  const owner = await loggedIn(ctx, 'committee');
  const mine = await lib.apiGet(owner, '/resources/mine?limit=100');
  const rooms = (mine.body?.items || []).filter((c) => c.kind === 'space' && c.lifecycle === 'listed' && c.community_id === 1 && c.tags.includes('社区课堂'));
  await check('committee owns two listed classrooms', () => assert(rooms.length >= 2, `rooms: ${JSON.stringify(rooms.map((r) => r.id))}`));
  const [roomA, roomB] = rooms;
  shared.bookingRoom = roomA.id;

  await check('the card page shows the owner the booking settings link', async () => {
    await owner.goto(`${baseUrl}/resources/${roomA.id}`);
    await owner.getByTestId('booking-settings-link').click();
    await lib.expectPath(owner, `/resources/${roomA.id}/booking-settings`);
    await owner.getByTestId('settings-form').waitFor();
  });
  await shot(owner, 'booking-settings');
  await axe(owner, 'booking settings (normal)');

  await check('owner sets room A: any time, approval required, ¥2/hour — the server keeps it', async () => {
    await owner.getByTestId('preset-anytime').click();
    await owner.getByTestId('windows-anytime').waitFor();
    const sw = owner.getByTestId('st-approval');
    if ((await sw.getAttribute('aria-checked')) !== 'true') await sw.click();
    await owner.getByTestId('st-price').fill('2');
    const body = await saveSettings(owner, lib, roomA.id);
    assert(body.requires_approval === true && body.price_fen_per_hour === 200 && body.windows.length === 0 && body.version >= 1, `saved ${JSON.stringify(body)}`);
    await owner.reload();
    await owner.getByTestId('settings-form').waitFor();
    assert((await owner.getByTestId('st-approval').getAttribute('aria-checked')) === 'true', 'approval switch off after reload');
    assert((await owner.getByTestId('st-price').inputValue()) === '2', 'price not kept');
  });

  let sat = null;
  let weekday = null;
  for (let i = 2; i < 9; i += 1) {
    const d = shanghaiDate(i);
    if (d.weekday === 6 && !sat) sat = d.iso;
    if (d.weekday <= 5 && !weekday) weekday = d.iso;
  }
  await check('owner sets room B to weekdays 08:00–18:00 with maintenance 08:00–12:00 on one weekday', async () => {
    await owner.goto(`${baseUrl}/resources/${roomB.id}/booking-settings`);
    await owner.getByTestId('settings-form').waitFor();
    await owner.getByTestId('preset-weekdays').click();
    assert((await owner.getByTestId('window-row').count()) === 5, 'preset did not make 5 rows');
    await owner.getByTestId('bo-start-date').fill(weekday);
    await owner.getByTestId('bo-start-time').fill('08:00');
    await owner.getByTestId('bo-end-date').fill(weekday);
    await owner.getByTestId('bo-end-time').fill('12:00');
    await owner.getByTestId('bo-kind').selectOption('maintenance');
    await owner.getByTestId('bo-add').click();
    await owner.getByTestId('blackout-row').waitFor();
    const body = await saveSettings(owner, lib, roomB.id);
    const ok = body.windows.length === 5 && body.windows.every((w) => w.weekday >= 1 && w.weekday <= 5 && w.start === '08:00' && w.end === '18:00');
    assert(ok, `windows ${JSON.stringify(body.windows)}`);
    // 08:00 in Asia/Shanghai is 00:00 UTC of the same date.
    const start = Date.parse(`${weekday}T00:00:00Z`) / 1000;
    const b = body.blackouts;
    assert(b.length === 1 && b[0].kind === 'maintenance' && b[0].start_s === start && b[0].end_s === start + 4 * 3600, `blackouts ${JSON.stringify(b)}`);
  });

  // --- a resident books
  const res = await loggedIn(ctx, 'resident');
  await check('room B: a Saturday shows no bookable time; the maintenance weekday 12:00–17:30 only', async () => {
    await res.goto(`${baseUrl}/resources/${roomB.id}/book`);
    await res.getByTestId('slot-picker').waitFor();
    await res.getByTestId('sp-days').locator(`[data-value="${sat}"]`).click();
    await res.getByTestId('sp-none').waitFor();
    assert((await res.getByTestId('sp-cell').count()) === 0, 'cells shown on a closed Saturday');
    await res.getByTestId('sp-days').locator(`[data-value="${weekday}"]`).click();
    await res.getByTestId('sp-grid').waitFor();
    const labels = await res.getByTestId('sp-cell').allInnerTexts();
    assert(labels[0].trim() === '12:00' && labels[labels.length - 1].trim() === '17:30', `weekday cells ${labels[0]}…${labels[labels.length - 1]}`);
    assert((await res.locator('[data-testid="sp-cell"][data-state="free"]').count()) === 12, 'not 12 free half-hours');
  });

  let bookingId = 0;
  await check('resident opens room A from its card page; the slot picker offers "now"', async () => {
    await res.goto(`${baseUrl}/resources/${roomA.id}`);
    await res.getByTestId('book-card').click();
    await lib.expectPath(res, `/resources/${roomA.id}/book`);
    await res.getByTestId('sp-now').waitFor();
    assert((await res.getByTestId('sp-now').getAttribute('aria-pressed')) === 'true', 'now not preselected');
    await res.getByTestId('bk-approval').waitFor();
    const price = await res.getByTestId('bk-price').innerText();
    assert(price.includes('¥2'), `price shown ${price}`);
    assert((await res.getByTestId('bk-policy').innerText()).includes('免费取消'), 'no cancellation policy');
  });
  await shot(res, 'booking-new');
  await axe(res, 'booking form (normal)');

  await check('resident sends the request: status 待审批', async () => {
    const r = res.waitForResponse(POST('/bookings'));
    await res.getByTestId('bk-submit').click();
    const resp = await r;
    assert(resp.status() === 201, `POST /bookings answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    const body = await resp.json();
    assert(body.status === 'requested' && body.price_fen === 200, `created ${JSON.stringify(body)}`);
    bookingId = body.id;
    await lib.expectPath(res, `/bookings/${bookingId}`);
    await res.getByTestId('bk-created').waitFor();
    assert((await res.getByTestId('bkd-status').innerText()).includes('待审批'), 'status chip not 待审批');
  });
  await shot(res, 'booking-detail-requested');
  await axe(res, 'booking detail (normal)');

  await check('room A now shows busy cells; choosing one offers the waitlist, joining puts me on it', async () => {
    await res.goto(`${baseUrl}/resources/${roomA.id}/book`);
    await res.getByTestId('sp-grid').waitFor();
    assert((await res.getByTestId('sp-now').count()) === 0, '"now" still offered while booked');
    const busy = res.locator('[data-testid="sp-cell"][data-state="busy"]');
    assert((await busy.count()) >= 1, 'no busy cell shown');
    await busy.last().click(); // the latest busy start is always in the future
    await res.getByTestId('bk-busy').waitFor();
    assert(await res.getByTestId('bk-submit').isDisabled(), 'submit enabled on a busy slot');
    const r = res.waitForResponse(POST('/bookings/waitlist'));
    await res.getByTestId('bk-waitlist').click();
    const resp = await r;
    assert(resp.status() === 201, `waitlist answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    await lib.expectPath(res, '/bookings');
    const wait = res.locator('[data-testid="wait-item"][data-status="waiting"]').first();
    await wait.waitFor();
    await wait.filter({ hasText: roomA.title }).waitFor();
  });
  await shot(res, 'booking-waitlist');
  await axe(res, 'my waitlist (normal)');

  await check('the home tile 我的预约 opens my bookings, which lists the request as 待审批', async () => {
    await res.goto(`${baseUrl}/`);
    await res.getByTestId('tile-bookings').click();
    await lib.expectPath(res, '/bookings');
    const item = res.locator(`[data-testid="booking-item"][data-booking-id="${bookingId}"]`);
    await item.waitFor();
    assert((await item.getAttribute('data-status')) === 'requested', 'not requested');
  });
  await shot(res, 'booking-mine');
  await axe(res, 'my bookings (normal)');

  await check('the iCal subscription link is made and shown', async () => {
    const r = res.waitForResponse(POST('/bookings/calendar-feed'));
    await res.getByTestId('bk-feed-make').click();
    assert((await r).status() === 201, 'calendar-feed not 201');
    const url = await res.getByTestId('bk-feed-url').inputValue();
    assert(/^http:\/\/[^/]+\/ical\/[A-Za-z0-9_-]{32,}\.ics$/.test(url), `feed url ${url}`);
    const ics = await res.evaluate(async (u) => (await fetch(u)).text(), url);
    assert(ics.includes('BEGIN:VCALENDAR') && ics.includes(`booking-${bookingId}@linli`), 'feed lacks the booking');
  });

  // --- the owner approves in the approvals queue
  await check('owner approves the request in the approvals queue', async () => {
    await owner.goto(`${baseUrl}/bookings/incoming`);
    const item = owner.locator(`[data-testid="booking-item"][data-booking-id="${bookingId}"]`);
    await item.waitFor();
    await shot(owner, 'booking-incoming');
    await axe(owner, 'approvals queue (normal)');
    const r = owner.waitForResponse(POST(`/bookings/${bookingId}/approve`));
    await item.getByTestId('incoming-approve').click();
    assert((await r).status() === 200, 'approve not 200');
    await owner.locator(`[data-testid="booking-item"][data-booking-id="${bookingId}"][data-status="confirmed"]`).waitFor();
    assert((await statusOf(owner, lib, bookingId)) === 'confirmed', 'server status not confirmed');
  });

  // --- the resident checks in and ends the use
  await check('resident sees it confirmed with a QR code, checks in and ends the use', async () => {
    await res.goto(`${baseUrl}/bookings/${bookingId}`);
    await res.locator('[data-testid="booking-detail"][data-status="confirmed"]').waitFor();
    const qrOk = await res.getByTestId('bkd-qr').locator('img').evaluate((img) => img.complete && img.naturalWidth > 0);
    assert(qrOk, 'QR image did not load');
    await shot(res, 'booking-detail-confirmed');
    await axe(res, 'booking detail confirmed (normal)');
    await res.getByTestId('bkd-check-in').click();
    await res.locator('[data-testid="booking-detail"][data-status="checked_in"]').waitFor();
    await res.getByTestId('bkd-complete').click();
    await res.getByTestId('bk-dialog').waitFor();
    await res.getByTestId('bk-dialog-text').fill('用完已打扫');
    await res.getByTestId('bk-dialog-confirm').click();
    await res.locator('[data-testid="booking-detail"][data-status="completed"]').waitFor();
    assert((await res.getByTestId('bkd-condition').innerText()).includes('用完已打扫'), 'notes not shown');
    assert((await statusOf(res, lib, bookingId)) === 'completed', 'server status not completed');
  });

  await check('the freed slot is offered to the waitlist: a held place with its expiry; accepting re-sends the request', async () => {
    await res.goto(`${baseUrl}/bookings`);
    const held = res.locator('[data-testid="booking-item"][data-status="held"]').first();
    await held.waitFor();
    const text = await held.getByTestId('booking-hold').innerText();
    assert(/过期/.test(text) && /\d{2}:\d{2}/.test(text), `hold text ${text}`);
    const heldId = Number(await held.getAttribute('data-booking-id'));
    await shot(res, 'booking-offer');
    await axe(res, 'my bookings with an offer (normal)');
    const r = res.waitForResponse(POST(`/bookings/${heldId}/accept`));
    await held.getByTestId('item-accept').click();
    assert((await r).status() === 200, 'accept not 200');
    await res.locator(`[data-testid="booking-item"][data-booking-id="${heldId}"][data-status="requested"]`).waitFor();
    const waits = await lib.apiGet(res, '/bookings/waitlist/mine');
    assert(waits.body.items.some((w) => w.booking_id === heldId && w.status === 'accepted'), `waitlist ${JSON.stringify(waits.body)}`);
  });

  let laterId = 0;
  await check('resident books room A tomorrow and cancels it; the policy is shown first', async () => {
    await res.goto(`${baseUrl}/resources/${roomA.id}/book`);
    await res.getByTestId('slot-picker').waitFor();
    await res.getByTestId('sp-days').locator(`[data-value="${shanghaiDate(1).iso}"]`).click();
    await res.locator('[data-testid="sp-cell"][aria-pressed="true"]').waitFor();
    const r = res.waitForResponse(POST('/bookings'));
    await res.getByTestId('bk-submit').click();
    const resp = await r;
    assert(resp.status() === 201, `POST answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    laterId = (await resp.json()).id;
    await lib.expectPath(res, `/bookings/${laterId}`);
    await res.getByTestId('bkd-cancel').click();
    await res.getByTestId('bk-dialog').waitFor();
    await res.getByTestId('bkd-cancel-free').waitFor();
    assert((await res.getByTestId('bk-dialog').innerText()).includes('免费取消'), 'policy not in the cancel dialog');
    await shot(res, 'booking-cancel-dialog', { fullPage: false });
    await axe(res, 'cancel dialog (normal)');
    await res.getByTestId('bk-dialog-text').fill('临时有事');
    await res.getByTestId('bk-dialog-confirm').click();
    await res.locator('[data-testid="booking-detail"][data-status="cancelled"]').waitFor();
    assert((await statusOf(res, lib, laterId)) === 'cancelled', 'server status not cancelled');
  });

  await check('a request the owner declines shows 已拒绝 with the reason', async () => {
    await res.goto(`${baseUrl}/resources/${roomA.id}/book`);
    await res.getByTestId('slot-picker').waitFor();
    await res.getByTestId('sp-days').locator(`[data-value="${shanghaiDate(2).iso}"]`).click();
    await res.locator('[data-testid="sp-cell"][aria-pressed="true"]').waitFor();
    const r = res.waitForResponse(POST('/bookings'));
    await res.getByTestId('bk-submit').click();
    const resp = await r;
    assert(resp.status() === 201, `POST answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    const id = (await resp.json()).id;
    await owner.goto(`${baseUrl}/bookings/incoming`);
    const item = owner.locator(`[data-testid="booking-item"][data-booking-id="${id}"]`);
    await item.getByTestId('incoming-decline').click();
    await owner.getByTestId('bk-dialog').waitFor();
    await owner.getByTestId('bk-dialog-confirm').click();
    await owner.getByRole('alert').filter({ hasText: '请填写原因' }).waitFor();
    await owner.getByTestId('bk-dialog-text').fill('当天有社区活动');
    const d = owner.waitForResponse(POST(`/bookings/${id}/decline`));
    await owner.getByTestId('bk-dialog-confirm').click();
    assert((await d).status() === 200, 'decline not 200');
    await owner.locator(`[data-testid="booking-item"][data-booking-id="${id}"][data-status="declined"]`).waitFor();
    await res.goto(`${baseUrl}/bookings/${id}`);
    await res.locator('[data-testid="booking-detail"][data-status="declined"]').waitFor();
    assert((await res.getByTestId('bkd-reason').innerText()).includes('当天有社区活动'), 'reason not shown');
  });

  await elderPass(ctx, res, [
    [`/resources/${roomA.id}/book`, '[data-testid="sp-grid"], [data-testid="sp-now"]', 'booking-new', 'booking form'],
    ['/bookings', '[data-testid="booking-item"]', 'booking-mine', 'my bookings'],
    [`/bookings/${bookingId}`, '[data-testid="booking-detail"]', 'booking-detail', 'booking detail'],
  ]);
  await check('elder mode: booking needs two taps from the form (a slot is preselected)', async () => {
    await lib.goHomeAndSetElder(res, baseUrl, true);
    await res.goto(`${baseUrl}/resources/${roomA.id}/book`);
    await res.locator('[data-testid="sp-cell"][aria-pressed="true"], [data-testid="sp-now"][aria-pressed="true"]').first().waitFor();
    assert(!(await res.getByTestId('bk-submit').isDisabled()), 'submit disabled without a choice');
    await lib.goHomeAndSetElder(res, baseUrl, false);
  });
  await elderPass(ctx, owner, [
    ['/bookings/incoming?status=all', '[data-testid="booking-item"]', 'booking-incoming', 'approvals queue'],
    [`/resources/${roomA.id}/booking-settings`, '[data-testid="settings-form"]', 'booking-settings', 'booking settings'],
    ['/bookings/scan', '[data-testid="scan-form"]', 'booking-scan', 'QR check-in'],
  ]);
  await owner.goto(`${baseUrl}/bookings/scan`);
  await owner.getByTestId('scan-form').waitFor();
  await axe(owner, 'QR check-in (normal)');
  await owner.context().close();
  await res.context().close();
}

// ------------------------------------------------------------------------------------------
async function journeyParking(ctx) {
  const { lib, baseUrl } = ctx;
  const { check, assert, shot, axe } = lib;

  const owner = await loggedIn(ctx, 'resident');
  const mine = await lib.apiGet(owner, '/resources/mine?limit=100');
  const spot = (mine.body?.items || []).find((c) => c.lifecycle === 'listed' && c.tags.includes('车位'));
  await check('resident owns a listed parking spot', () => assert(spot, 'no spot'));

  await check('my spots page lists it with its hourly price; owner opens its settings', async () => {
    await owner.goto(`${baseUrl}/bookings`);
    await owner.getByTestId('link-earnings').click();
    await lib.expectPath(owner, '/parking/mine');
    const card = owner.locator(`[data-testid="pm-spot"][data-card-id="${spot.id}"]`);
    await card.waitFor();
    assert((await card.getByTestId('pm-price').innerText()).includes('元/小时'), 'no hourly price');
    await shot(owner, 'parking-mine-before');
    await axe(owner, 'my spots (normal)');
    await card.getByTestId('pm-edit').click();
    await lib.expectPath(owner, `/resources/${spot.id}/booking-settings`);
    await owner.getByTestId('settings-form').waitFor();
  });
  await check('owner lists the spot all day every day at 6 yuan/hour', async () => {
    await owner.getByTestId('preset-allday').click();
    await owner.getByTestId('st-price').fill('6');
    const body = await saveSettings(owner, lib, spot.id);
    assert(body.price_fen_per_hour === 600 && body.windows.length === 7 && body.windows.every((w) => w.start === '00:00' && w.end === '24:00'), `saved ${JSON.stringify(body)}`);
    await owner.goto(`${baseUrl}/parking/mine`);
    const card = owner.locator(`[data-testid="pm-spot"][data-card-id="${spot.id}"]`);
    await card.getByTestId('pm-price').filter({ hasText: '6 元/小时' }).waitFor();
  });

  const commuter = await loggedIn(ctx, 'resident2');
  let booking = null;
  await check('commuter searches from now for two hours and finds the spot at its window price', async () => {
    await commuter.goto(`${baseUrl}/bookings`);
    await commuter.getByTestId('link-parking').click();
    await lib.expectPath(commuter, '/parking');
    await commuter.getByTestId('parking-form').waitFor();
    assert((await commuter.getByTestId('pk-start').inputValue()) === 'now', 'start is not "now"');
    const r = commuter.waitForResponse((x) => x.url().includes('/api/v1/bookings/parking?'));
    await commuter.getByTestId('pk-search').click();
    const resp = await r;
    assert(resp.ok(), `parking search answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    const body = await resp.json();
    const found = body.items.find((s) => s.card_id === spot.id);
    assert(found, `spot ${spot.id} not in ${body.items.length} results`);
    const expected = Math.ceil((600 * (body.to_s - body.from_s)) / 3600);
    assert(found.price_fen === expected, `window price ${found.price_fen}, expected ${expected}`);
    const item = commuter.locator(`[data-testid="pk-spot"][data-card-id="${spot.id}"]`);
    while ((await item.count()) === 0 && (await commuter.getByTestId('pk-more').count()) > 0) {
      await commuter.getByTestId('pk-more').click();
    }
    await item.waitFor();
    assert((await item.getByTestId('pk-spot-price').innerText()).trim() === yuanText(expected), 'shown price differs');
    await shot(commuter, 'parking-search');
    await axe(commuter, 'parking search (normal)');
    await item.getByTestId('pk-book').click();
    await commuter.getByTestId('pk-confirm').waitFor();
    await axe(commuter, 'parking confirm dialog (normal)');
    const c = commuter.waitForResponse(POST('/bookings'));
    await commuter.getByTestId('pk-confirm-book').click();
    const created = await c;
    assert(created.status() === 201, `POST /bookings answered ${created.status()}: ${await lib.bodyText(created)}`);
    booking = await created.json();
    assert(booking.status === 'confirmed' && booking.card_id === spot.id && booking.price_fen > 0, `booked ${JSON.stringify(booking)}`);
    await lib.expectPath(commuter, `/bookings/${booking.id}`);
  });
  await check('commuter checks in and leaves (booking completed)', async () => {
    await commuter.getByTestId('bkd-check-in').click();
    await commuter.locator('[data-testid="booking-detail"][data-status="checked_in"]').waitFor();
    await commuter.getByTestId('bkd-complete').click();
    await commuter.getByTestId('bk-dialog-confirm').click();
    await commuter.locator('[data-testid="booking-detail"][data-status="completed"]').waitFor();
    booking = (await lib.apiGet(commuter, `/bookings/${booking.id}`)).body;
    assert(booking.status === 'completed', 'not completed on the server');
  });
  await check('owner sees the earnings of the spot', async () => {
    await owner.goto(`${baseUrl}/parking/mine`);
    const line = owner.locator(`[data-testid="pm-line"][data-card-id="${spot.id}"]`);
    await line.waitFor();
    assert((await line.innerText()).includes(yuanText(booking.price_fen)), `line ${await line.innerText()} lacks ${yuanText(booking.price_fen)}`);
    const total = await owner.getByTestId('pm-total').innerText();
    assert(total.includes(yuanText(booking.price_fen)), `total ${total}`);
  });
  await shot(owner, 'parking-mine-earnings');
  await axe(owner, 'my spots with earnings (normal)');

  await elderPass(ctx, commuter, [['/parking', '[data-testid="parking-form"]', 'parking-search', 'parking search']]);
  await check('in English the parking and booking pages are translated', async () => {
    await commuter.goto(`${baseUrl}/`);
    await commuter.getByTestId('lang-en').click();
    await commuter.getByTestId('greeting').filter({ hasText: 'Hello' }).waitFor();
    await commuter.goto(`${baseUrl}/parking`);
    await commuter.getByRole('heading', { level: 1, name: 'Tidal parking' }).waitFor();
    assert((await commuter.getByTestId('pk-search').innerText()).includes('Find free spots'), 'search button not translated');
    await commuter.goto(`${baseUrl}/bookings/${booking.id}`);
    await commuter.getByTestId('bkd-status').filter({ hasText: 'Completed' }).waitFor();
    await shot(commuter, 'booking-detail-english');
    await axe(commuter, 'booking detail (English)');
    await commuter.goto(`${baseUrl}/`);
    await commuter.getByTestId('lang-zh').click();
    await commuter.getByTestId('greeting').filter({ hasText: '您好' }).waitFor();
  });
  await elderPass(ctx, owner, [['/parking/mine', '[data-testid="pm-spot"]', 'parking-mine', 'my spots']]);
  await commuter.context().close();
  await owner.context().close();
}

// ------------------------------------------------------------------------------------------
async function journeyLoan(ctx) {
  const { lib, baseUrl } = ctx;
  const { check, assert, shot, axe } = lib;
  const lender = await loggedIn(ctx, 'resident');
  const mine = await lib.apiGet(lender, '/resources/mine?limit=100');
  const goods = (mine.body?.items || []).find((c) => c.kind === 'goods' && c.lifecycle === 'listed' && c.rule === 'free');
  await check('resident lends a listed free item', () => assert(goods, 'no goods card'));

  const borrower = await loggedIn(ctx, 'resident2');
  let loan = null;
  await check('neighbour borrows it for 3 days; it waits to be picked up', async () => {
    await borrower.goto(`${baseUrl}/resources/${goods.id}`);
    await borrower.getByTestId('book-card').filter({ hasText: '借用' }).click();
    await lib.expectPath(borrower, `/resources/${goods.id}/book`);
    await borrower.getByTestId('bk-due').locator('[data-value="3"]').click();
    await borrower.getByTestId('bk-free-units').waitFor();
    await shot(borrower, 'loan-new');
    await axe(borrower, 'loan form (normal)');
    const r = borrower.waitForResponse(POST('/loans'));
    await borrower.getByTestId('bk-submit').click();
    const resp = await r;
    assert(resp.status() === 201, `POST /loans answered ${resp.status()}: ${await lib.bodyText(resp)}`);
    loan = await resp.json();
    const days = (loan.end_s - loan.start_s) / 86400;
    assert(loan.kind === 'loan' && loan.status === 'confirmed' && days > 2 && days < 4, `loan ${JSON.stringify(loan)}`);
    await lib.expectPath(borrower, `/bookings/${loan.id}`);
    assert((await borrower.getByTestId('bkd-status').innerText()).includes('待领取'), 'not 待领取');
    await borrower.getByTestId('bkd-check-in').click();
    await borrower.locator('[data-testid="booking-detail"][data-status="checked_in"]').waitFor();
    assert((await borrower.getByTestId('bkd-status').innerText()).includes('借用中'), 'not 借用中');
  });
  await check('my bookings › loans lists it as 借用中', async () => {
    await borrower.goto(`${baseUrl}/bookings?tab=loan`);
    await borrower.locator(`[data-testid="booking-item"][data-booking-id="${loan.id}"][data-status="checked_in"]`).waitFor();
  });
  await check('lender confirms the return with condition notes', async () => {
    await lender.goto(`${baseUrl}/bookings/incoming?status=checked_in`);
    const item = lender.locator(`[data-testid="booking-item"][data-booking-id="${loan.id}"]`);
    await item.waitFor();
    await item.getByTestId('incoming-complete').click();
    await lender.getByTestId('bk-dialog').waitFor();
    await axe(lender, 'return dialog (normal)');
    await lender.getByTestId('bk-dialog-text').fill('完好无损');
    const r = lender.waitForResponse(POST(`/loans/${loan.id}/return`));
    await lender.getByTestId('bk-dialog-confirm').click();
    assert((await r).status() === 200, 'return not 200');
    await lender.locator(`[data-testid="booking-item"][data-booking-id="${loan.id}"][data-status="completed"]`).waitFor();
    const after = (await lib.apiGet(borrower, `/bookings/${loan.id}`)).body;
    assert(after.status === 'completed' && after.condition_notes === '完好无损' && after.late === false, `after ${JSON.stringify(after)}`);
  });
  await shot(lender, 'loan-returned');
  await elderPass(ctx, borrower, [
    [`/resources/${goods.id}/book`, '[data-testid="bk-due"]', 'loan-new', 'loan form'],
    ['/bookings?tab=loan', '[data-testid="booking-item"]', 'loan-mine', 'my loans'],
  ]);
  await borrower.context().close();
  await lender.context().close();
}

export const journeys = [
  ['booking: settings, request, approval, check-in, cancel (committee, resident)', journeySettingsAndApprovals],
  ['booking: tidal parking and earnings (resident, resident2)', journeyParking],
  ['booking: loan and return (resident2, resident)', journeyLoan],
];
