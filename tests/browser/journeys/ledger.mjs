// Browser journeys of the points bank / time bank UI (issue #5), against the real binary:
// the merchant shows a pay code; a resident pays the merchant (the answer is lost once, the
// retry reuses the attempt's idempotency key and pays only once), sees the entry with its
// running balance, downloads the statement CSV, and after another lost answer and a reload the
// page finds the payment by its key; the merchant sees the payments and cashes out; the
// committee records an earning and saves the rules as a new version; the resident finds the
// earning in the earning history. axe runs on every page in normal and elder mode.
import fs from 'node:fs';

const PAY_POINTS = 7;
const REDEEM_POINTS = 10;
const RECOVER_POINTS = 2;

/** The wallet as the API tells it (in the page's session). */
async function wallet(lib, page) {
  const r = await lib.apiGet(page, '/ledger/wallet');
  lib.assert(r.status === 200, `GET /ledger/wallet answered ${r.status}`);
  const find = (kind, currency) => r.body.accounts.find((a) => a.owner_kind === kind && a.currency === currency);
  return { points: find('resident', 'points'), minutes: find('resident', 'minutes'), merchant: find('merchant', 'points'), raw: r.body };
}

async function intAttr(locator) {
  await locator.waitFor();
  return Number(await locator.getAttribute('data-value'));
}

async function openWalletFromHome(lib, page, baseUrl) {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('tile-wallet').click();
  await lib.expectPath(page, '/wallet');
  await page.getByTestId('balance-points').waitFor();
}

// ---------------------------------------------------------------- merchant: pay code
async function merchantPayCode({ browser, baseUrl, shared, lib }) {
  const { check, assert, login, shot, axe } = lib;
  const page = await lib.newPage(browser);
  const { status } = await login(page, baseUrl, 'merchant');
  await check('merchant logs in', () => assert(status === 200, `login answered ${status}`));
  await lib.setElder(page, false);

  await check('wallet tile opens the wallet with the merchant account', async () => {
    await openWalletFromHome(lib, page, baseUrl);
    await page.getByTestId('merchant-account').waitFor();
    const w = await wallet(lib, page);
    assert(w.merchant, 'no merchant account in GET /ledger/wallet');
    const shown = await intAttr(page.getByTestId('merchant-balance'));
    assert(shown === w.merchant.balance, `merchant balance shown ${shown}, API ${w.merchant.balance}`);
    shared.wallet = { merchantAccount: w.merchant.id, merchantBalance: w.merchant.balance };
  });
  await shot(page, 'wallet-merchant');
  await axe(page, 'wallet merchant (normal)');

  await check('receive page shows the pay QR (SVG from the API) and the account number', async () => {
    await page.getByTestId('merchant-receive').click();
    await lib.expectPath(page, '/wallet/receive');
    const no = (await page.getByTestId('pay-account-no').innerText()).trim();
    assert(Number(no) === shared.wallet.merchantAccount, `account no. shown ${no}, expected ${shared.wallet.merchantAccount}`);
    const img = page.getByTestId('pay-qr');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="pay-qr"]');
      return el && el.complete && el.naturalWidth > 0;
    });
    const alt = await img.getAttribute('alt');
    assert(alt && alt.includes(no), `QR alt "${alt}" does not name the account`);
    const svg = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/ledger/accounts/${id}/pay-qr`);
      return { type: r.headers.get('content-type'), text: await r.text() };
    }, shared.wallet.merchantAccount);
    assert(svg.type.startsWith('image/svg+xml') && svg.text.includes('<svg'), `pay-qr answered ${svg.type}`);
    await page.getByTestId('redeem').waitFor();
  });
  await shot(page, 'wallet-receive-merchant');
  await axe(page, 'wallet receive (normal)');
  await page.context().close();
}

// ---------------------------------------------------------------- resident: pay, statement, CSV
async function residentPays({ browser, baseUrl, shared, lib }) {
  const { check, assert, login, shot, axe } = lib;
  assert(shared.wallet?.merchantAccount, 'the merchant journey did not record the merchant account');
  const page = await lib.newPage(browser);
  const { status, body } = await login(page, baseUrl, 'resident');
  await check('resident logs in', () => assert(status === 200, `login answered ${status}`));
  shared.wallet.residentUserId = body.user.id;
  await lib.setElder(page, false);

  let before;
  await check('wallet shows both currencies as the API has them; time credits as hours and minutes', async () => {
    await openWalletFromHome(lib, page, baseUrl);
    before = await wallet(lib, page);
    assert(before.points && before.minutes, 'resident accounts missing');
    const points = await intAttr(page.getByTestId('points-balance'));
    assert(points === before.points.balance, `points shown ${points}, API ${before.points.balance}`);
    const minutes = await intAttr(page.getByTestId('minutes-balance'));
    assert(minutes === before.minutes.balance, `minutes shown ${minutes}, API ${before.minutes.balance}`);
    const text = await page.getByTestId('minutes-balance').innerText();
    const h = Math.floor(before.minutes.balance / 60);
    const m = before.minutes.balance % 60;
    const expected = h === 0 ? `${m} 分钟` : m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分`;
    assert(text.includes(expected), `minutes shown as "${text}", expected "${expected}"`);
  });
  await check('a pending hold (the demo deposit) is shown and not counted as available', async () => {
    assert(before.points.debits_pending > 0, 'the demo has no hold on the resident (seed changed?)');
    const held = await page.getByTestId('points-held').innerText();
    assert(held.includes(String(before.points.debits_pending)), `held shown "${held}", API ${before.points.debits_pending}`);
    const avail = await intAttr(page.getByTestId('points-available'));
    assert(avail === before.points.balance - before.points.debits_pending, `available ${avail} ≠ balance − held`);
    await page.getByTestId('hold-item').first().waitFor();
  });
  await shot(page, 'wallet-resident');
  await axe(page, 'wallet (normal)');

  // The first answer is lost on the way back (the server did pay); the retry must reuse the
  // same Idempotency-Key, so the server replays the outcome instead of paying twice.
  const keys = [];
  let dropped = false;
  await page.route('**/api/v1/ledger/payments', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (!dropped) {
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });

  await check('pay form: payee account number, amount, memo, then a confirm step', async () => {
    await page.getByTestId('wallet-pay').click();
    await lib.expectPath(page, '/wallet/pay');
    await page.getByTestId('pay-payee').fill(String(shared.wallet.merchantAccount));
    await page.getByTestId('pay-amount').fill(String(PAY_POINTS));
    await page.getByTestId('pay-memo').fill('买菜');
    await page.getByTestId('pay-next').click();
    await page.getByTestId('pay-confirm').waitFor();
    const amount = await page.getByTestId('pay-confirm-amount').innerText();
    assert(amount.includes(`${PAY_POINTS} 积分`), `confirm shows "${amount}"`);
    const to = await page.getByTestId('pay-confirm-to').innerText();
    assert(to.includes(String(shared.wallet.merchantAccount)), `confirm payee "${to}"`);
  });
  await shot(page, 'wallet-pay-confirm', { fullPage: false });
  await axe(page, 'wallet pay confirm (normal)');

  await check('a lost answer offers a retry that reuses the idempotency key; paid exactly once', async () => {
    await page.getByTestId('pay-confirm-ok').click();
    await page.getByTestId('pay-confirm').getByTestId('problem').waitFor();
    const label = await page.getByTestId('pay-confirm-ok').innerText();
    assert(label.includes('不会重复'), `retry button says "${label}"`);
    const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/ledger/payments'));
    await page.getByTestId('pay-confirm-ok').click();
    const resp = await r;
    const b = await resp.json();
    assert(resp.status() === 201, `retry answered ${resp.status()}: ${JSON.stringify(b)}`);
    assert(b.replayed === true, `retry was not a replay: ${JSON.stringify(b)}`);
    assert(keys.length === 2 && keys[0] && keys[0] === keys[1], `keys sent: ${JSON.stringify(keys)}`);
    await page.getByTestId('pay-success').waitFor();
    shared.wallet.paymentTransferId = b.transfers[0].id;
    const after = await wallet(lib, page);
    assert(after.points.balance === before.points.balance - PAY_POINTS, `balance ${before.points.balance} → ${after.points.balance}, expected −${PAY_POINTS}`);
  });
  await page.unroute('**/api/v1/ledger/payments');
  await shot(page, 'wallet-pay-success');
  await axe(page, 'wallet pay success (normal)');

  await check('a new payment gets a new key; too much is refused before sending', async () => {
    await page.getByTestId('pay-again').click();
    await page.getByTestId('pay-payee').fill(String(shared.wallet.merchantAccount));
    await page.getByTestId('pay-amount').fill('999999');
    await page.getByTestId('pay-next').click();
    await page.getByTestId('pay-amount-error').waitFor();
    assert((await page.getByTestId('pay-confirm').isVisible()) === false, 'confirm opened for an amount above what is available');
  });

  await check('wallet balance dropped by the amount; the statement shows the entry and running balance', async () => {
    await openWalletFromHome(lib, page, baseUrl);
    const points = await intAttr(page.getByTestId('points-balance'));
    assert(points === before.points.balance - PAY_POINTS, `wallet shows ${points}, expected ${before.points.balance - PAY_POINTS}`);
    await page.getByTestId('points-statement').click();
    await lib.expectPath(page, `/wallet/accounts/${before.points.id}`);
    const line = page.locator(`[data-testid="statement-line"][data-transfer-id="${shared.wallet.paymentTransferId}"]`);
    await line.waitFor();
    assert((await line.getAttribute('data-code')) === 'payment', 'entry is not a payment');
    const amount = await line.getByTestId('line-amount').innerText();
    assert(amount.includes(`−${PAY_POINTS} 积分`), `entry amount "${amount}"`);
    const bal = await line.getByTestId('line-balance').innerText();
    assert(bal.includes(String(before.points.balance - PAY_POINTS)), `running balance "${bal}"`);
    assert((await line.innerText()).includes('买菜'), 'memo not shown');
  });
  await shot(page, 'wallet-statement');
  await axe(page, 'wallet statement (normal)');

  await check('statement CSV downloads with the payment in it', async () => {
    const dl = page.waitForEvent('download');
    await page.getByTestId('statement-csv').click();
    const download = await dl;
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    assert(download.suggestedFilename().endsWith('.csv'), `file name ${download.suggestedFilename()}`);
    assert(text.includes('transfer_id') && text.includes('balance_after'), 'CSV header missing');
    const row = text.split(/\r?\n/).find((l) => l.startsWith(`${shared.wallet.paymentTransferId},`));
    assert(row && row.includes('payment') && row.includes('买菜') && row.includes(`-${PAY_POINTS}`), `CSV row for the payment: ${row}`);
  });

  await check('an answer lost before a reload: the page asks by key and shows the payment went through, once', async () => {
    const w0 = await wallet(lib, page);
    await page.goto(`${baseUrl}/wallet/pay?account=${shared.wallet.merchantAccount}`);
    await page.getByTestId('pay-form').waitFor();
    await page.route('**/api/v1/ledger/payments', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByTestId('pay-amount').fill(String(RECOVER_POINTS));
    await page.getByTestId('pay-next').click();
    await page.getByTestId('pay-confirm-ok').click();
    await page.getByTestId('pay-confirm').getByTestId('problem').waitFor();
    await page.unroute('**/api/v1/ledger/payments');
    const find = page.waitForResponse((x) => x.url().includes('/api/v1/ledger/transfers?idempotency_key='));
    await page.reload();
    const resp = await find;
    assert(resp.status() === 200, `GET /ledger/transfers by key answered ${resp.status()}`);
    await page.getByTestId('pay-recovered').waitFor();
    const w1 = await wallet(lib, page);
    assert(w1.points.balance === w0.points.balance - RECOVER_POINTS, `balance ${w0.points.balance} → ${w1.points.balance}`);
    shared.wallet.paidTotal = PAY_POINTS + RECOVER_POINTS;
  });
  await shot(page, 'wallet-pay-recovered');

  await check('earning history lists earnings only', async () => {
    await page.goto(`${baseUrl}/wallet/earnings`);
    await page.getByTestId('earnings-list').waitFor();
    const codes = await page.getByTestId('statement-line').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    assert(codes.length > 0 && codes.every((c) => c.startsWith('earning:')), `codes listed: ${codes}`);
  });
  await shot(page, 'wallet-earnings');
  await axe(page, 'wallet earnings (normal)');
  await page.goto(`${baseUrl}/wallet/receive`);
  await page.getByTestId('pay-qr-card').waitFor();
  await axe(page, 'wallet receive resident (normal)');
  await page.goto(`${baseUrl}/ledger/rules`);
  await page.getByTestId('rules-list').waitFor();
  await axe(page, 'ledger rules read-only (normal)');

  // Elder mode: every page again, with large targets.
  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/wallet`, '[data-testid="balance-points"]', 'wallet', 'wallet');
  await lib.elderVisit(page, `${baseUrl}/wallet/pay?account=${shared.wallet.merchantAccount}`, '[data-testid="pay-form"]', 'wallet-pay', 'wallet pay');
  await check('elder mode: paying is one form and one confirm', async () => {
    assert((await page.getByTestId('pay-payee').inputValue()) === String(shared.wallet.merchantAccount), 'payee not taken from the link');
    await page.getByTestId('pay-amount').fill('1');
    await page.getByTestId('pay-next').click();
    await page.getByTestId('pay-confirm').waitFor();
  });
  await lib.shot(page, 'wallet-pay-confirm-elder', { fullPage: false });
  await axe(page, 'wallet pay confirm (elder)');
  await page.getByTestId('pay-cancel').click();
  await lib.elderVisit(page, `${baseUrl}/wallet/accounts/${before.points.id}`, '[data-testid="statement-line"]', 'wallet-statement', 'wallet statement');
  await lib.elderVisit(page, `${baseUrl}/wallet/earnings`, '[data-testid="earnings-list"]', 'wallet-earnings', 'wallet earnings');
  await lib.elderVisit(page, `${baseUrl}/wallet/receive`, '[data-testid="pay-qr-card"]', 'wallet-receive', 'wallet receive');
  await lib.elderVisit(page, `${baseUrl}/ledger/rules`, '[data-testid="rules-list"]', 'ledger-rules', 'ledger rules');
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await page.context().close();
}

// ---------------------------------------------------------------- merchant: received, cash out
async function merchantReceives({ browser, baseUrl, shared, lib }) {
  const { check, assert, login, shot, axe } = lib;
  const page = await lib.newPage(browser);
  const { status } = await login(page, baseUrl, 'merchant');
  await check('merchant logs in', () => assert(status === 200, `login answered ${status}`));
  await check('the payment is listed as received and the merchant balance rose by it', async () => {
    await page.goto(`${baseUrl}/wallet/receive`);
    const line = page.locator(`[data-testid="received-list"] [data-transfer-id="${shared.wallet.paymentTransferId}"]`);
    await line.waitFor();
    assert((await line.getByTestId('line-amount').innerText()).includes(`+${PAY_POINTS} 积分`), 'amount not shown as +N');
    const w = await wallet(lib, page);
    assert(w.merchant.balance === shared.wallet.merchantBalance + shared.wallet.paidTotal, `merchant ${shared.wallet.merchantBalance} → ${w.merchant.balance}`);
    shared.wallet.merchantBalance = w.merchant.balance;
  });
  await check(`cash out ${REDEEM_POINTS} points at 100 points = ¥5.00 (worth ¥0.50)`, async () => {
    await page.getByTestId('redeem-amount').fill(String(REDEEM_POINTS));
    const worth = await page.getByTestId('redeem-worth').innerText();
    assert(worth.includes('¥0.50'), `worth shown "${worth}"`);
    await page.getByTestId('redeem-submit').click();
    await page.getByTestId('confirm-ok').waitFor();
    const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/ledger/redemptions'));
    await page.getByTestId('confirm-ok').click();
    const resp = await r;
    const b = await resp.json();
    assert(resp.status() === 201 && b.transfers[0].value_fen === 50, `redeem answered ${resp.status()} ${JSON.stringify(b)}`);
    assert(resp.request().headers()['idempotency-key'], 'no Idempotency-Key sent');
    const w = await wallet(lib, page);
    assert(w.merchant.balance === shared.wallet.merchantBalance - REDEEM_POINTS, `merchant balance ${w.merchant.balance}`);
  });
  await page.waitForTimeout(2100);
  await shot(page, 'wallet-merchant-received');
  await axe(page, 'wallet receive with payment (normal)');
  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/wallet`, '[data-testid="merchant-account"]', 'wallet-merchant', 'wallet merchant');
  await lib.elderVisit(page, `${baseUrl}/wallet/receive`, '[data-testid="redeem"]', 'wallet-receive-merchant', 'wallet receive merchant');
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await page.context().close();
}

// ---------------------------------------------------------------- committee: earning, rules
async function committeeRecords({ browser, baseUrl, shared, lib }) {
  const { check, assert, login, shot, axe } = lib;
  const page = await lib.newPage(browser);
  const { status } = await login(page, baseUrl, 'committee');
  await check('committee logs in', () => assert(status === 200, `login answered ${status}`));
  await lib.setElder(page, false);
  const residentId = shared.wallet.residentUserId;
  let before;
  await check('积分管理 tile opens the tools; pools are listed', async () => {
    await page.getByTestId('tile-ledgerManage').click();
    await lib.expectPath(page, '/ledger/manage');
    await page.getByTestId('pool-item').first().waitFor();
    const r = await lib.apiGet(page, `/ledger/accounts?owner_kind=resident&limit=100`);
    before = r.body.items.find((a) => a.owner_id === residentId && a.currency === 'points');
    assert(before, 'resident points account not listed for the committee');
  });
  await shot(page, 'ledger-manage');
  await axe(page, 'ledger manage (normal)');

  await check('record volunteering 2 hours → 10 points for the resident', async () => {
    await page.getByTestId('earn-pick').selectOption(String(residentId));
    assert((await page.getByTestId('earn-user').inputValue()) === String(residentId), 'picking did not fill the user number');
    await page.getByTestId('earn-rule').selectOption('volunteering');
    await page.getByTestId('earn-hours').fill('2');
    const preview = await page.getByTestId('earn-preview').innerText();
    assert(preview.includes('10 积分'), `preview "${preview}"`);
    await page.getByTestId('earn-memo').fill('楼道清扫志愿');
    await page.getByTestId('earn-submit').click();
    await page.getByTestId('confirm-ok').waitFor();
    const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/ledger/earnings'));
    await page.getByTestId('confirm-ok').click();
    const resp = await r;
    const b = await resp.json();
    assert(resp.status() === 201, `earning answered ${resp.status()}: ${JSON.stringify(b)}`);
    const t0 = b.transfers[0];
    assert(t0.code === 'earning:volunteering' && t0.amount === 10 && t0.credit_account_id === before.id, `transfer ${JSON.stringify(t0)}`);
    shared.wallet.earningTransferId = t0.id;
    const after = await lib.apiGet(page, `/ledger/accounts/${before.id}`);
    assert(after.body.balance === before.balance + 10, `resident balance ${before.balance} → ${after.body.balance}`);
  });

  await check('rules: save as a new version', async () => {
    await page.getByTestId('manage-rules').click();
    await lib.expectPath(page, '/ledger/rules');
    await page.getByTestId('rules-form').waitFor();
    const v0 = (await lib.apiGet(page, '/ledger/rules')).body.version;
    await page.getByTestId('rate-subsidy_points').fill('120');
    const r = page.waitForResponse((x) => x.url().endsWith('/api/v1/ledger/rules') && x.request().method() === 'PUT');
    await page.getByTestId('rules-save').click();
    const resp = await r;
    const b = await resp.json();
    assert(resp.status() === 200 && b.version === v0 + 1 && b.subsidy_points === 120, `PUT rules answered ${resp.status()} ${JSON.stringify(b).slice(0, 200)}`);
    await page.getByTestId('rules-version').filter({ hasText: `第 ${v0 + 1} 版` }).waitFor();
  });
  await page.waitForTimeout(2100);
  await shot(page, 'ledger-rules-edit');
  await axe(page, 'ledger rules edit (normal)');

  await lib.goHomeAndSetElder(page, baseUrl, true);
  await lib.elderVisit(page, `${baseUrl}/ledger/manage`, '[data-testid="pool-item"]', 'ledger-manage', 'ledger manage');
  await lib.elderVisit(page, `${baseUrl}/ledger/rules`, '[data-testid="rules-form"]', 'ledger-rules-edit', 'ledger rules edit');
  await lib.elderVisit(page, `${baseUrl}/wallet/accounts/${before.id}`, '[data-testid="statement-line"]', 'wallet-statement-committee', 'statement seen by the committee');
  await lib.goHomeAndSetElder(page, baseUrl, false);
  await page.context().close();
}

// ---------------------------------------------------------------- resident: the earning arrived
async function residentSeesEarning({ browser, baseUrl, shared, lib }) {
  const { check, assert, login } = lib;
  const page = await lib.newPage(browser);
  const { status } = await login(page, baseUrl, 'resident');
  await check('resident logs in', () => assert(status === 200, `login answered ${status}`));
  await check('the committee-recorded earning is first in the earning history', async () => {
    await page.goto(`${baseUrl}/`);
    await page.getByTestId('tile-wallet').click();
    await page.getByTestId('wallet-earnings').click();
    await lib.expectPath(page, '/wallet/earnings');
    const first = page.getByTestId('statement-line').first();
    await first.waitFor();
    assert(Number(await first.getAttribute('data-transfer-id')) === shared.wallet.earningTransferId, 'newest earning is not the recorded one');
    const text = await first.innerText();
    assert(text.includes('志愿服务') && text.includes('+10 积分') && text.includes('楼道清扫志愿'), `entry reads "${text}"`);
  });
  await lib.shot(page, 'wallet-earnings-after');
  await page.context().close();
}

export const journeys = [
  ['wallet pay code (merchant)', (ctx) => merchantPayCode(ctx)],
  ['wallet pay and statement (resident)', (ctx) => residentPays(ctx)],
  ['wallet received and cash out (merchant)', (ctx) => merchantReceives(ctx)],
  ['wallet earning and rules (committee)', (ctx) => committeeRecords(ctx)],
  ['wallet earning history (resident)', (ctx) => residentSeesEarning(ctx)],
];
