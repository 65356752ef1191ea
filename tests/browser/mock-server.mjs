#!/usr/bin/env node
// A small in-memory stand-in for `linli serve`, implementing the slice of the
// /api/v1 contract the web UI uses (auth, me, preferences, registrations,
// API keys, audit). It exists so the UI and the browser journeys can be
// developed without the C++ server: `node tests/browser/run.mjs --mock`.
// It is NOT the server under test; the real journeys run against $LINLI_BIN.
//
//   node tests/browser/mock-server.mjs --port 0 --web-root web/dist
// prints "listening on http://127.0.0.1:PORT" like the real server.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const args = process.argv.slice(2);
function arg(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
}
const port = Number(arg('--port', '0'));
const webRoot = path.resolve(arg('--web-root', 'web/dist'));

const now = () => Math.floor(Date.now() / 1000);
const communities = new Map([
  [1, { id: 1, name: '阳光社区', street: '幸福街道', city: '杭州市', timezone: 'Asia/Shanghai', grids: [{ id: 1, name: '第一网格' }], buildings: [{ id: 1, name: '1号楼', grid_id: 1 }] }],
  [2, { id: 2, name: '明月社区', street: '幸福街道', city: '杭州市', timezone: 'Asia/Shanghai', grids: [], buildings: [] }],
]);

let nextUserId = 1;
const users = new Map(); // login -> user
function addUser(login, display_name, memberships, status = 'active') {
  const u = {
    id: nextUserId++,
    login,
    display_name,
    password: 'linli-demo-pass',
    locale: 'zh-CN',
    elder_mode: false,
    current_community_id: memberships.length ? memberships[0][0] : null,
    memberships: new Map(memberships),
    status,
    created_at: now() - 3600,
  };
  users.set(login, u);
  return u;
}
addUser('admin', '系统管理员', [[1, ['admin']]]);
addUser('resident', '张阿姨', [[1, ['resident']]]);
addUser('resident2', '李师傅', [[1, ['resident']], [2, ['resident']]]);
addUser('staff', '物业小王', [[1, ['property_staff']]]);
addUser('guide', '网格员小陈', [[1, ['grid_worker']]]);
addUser('committee', '居委会刘主任', [[1, ['committee']]]);
addUser('merchant', '便民家政', [[1, ['merchant']]]);
addUser('newcomer', '新来的赵大爷', [[1, ['resident']]], 'pending');

const sessions = new Map(); // token -> { userId, csrf }
const failures = new Map(); // login -> count
const apiKeys = [];
let nextKeyId = 1;
const audit = [];
function record(actor, role, action, objectType, objectId) {
  const prev = audit.length ? audit[audit.length - 1].hash : '0'.repeat(64);
  const e = {
    seq: audit.length + 1,
    at: now(),
    actor_id: actor ? actor.id : null,
    acting_for_id: null,
    role,
    action,
    object_type: objectType,
    object_id: objectId,
  };
  e.hash = crypto.createHash('sha256').update(prev + JSON.stringify(e)).digest('hex');
  audit.push(e);
}
record(null, null, 'accounts.community.ensure', 'community', 1);

function userById(id) {
  for (const u of users.values()) if (u.id === id) return u;
  return null;
}

function meOf(u, csrf) {
  return {
    id: u.id,
    login: u.login,
    display_name: u.display_name,
    locale: u.locale,
    elder_mode: u.elder_mode,
    current_community_id: u.current_community_id,
    communities: [...u.memberships].map(([id, roles]) => ({ id, name: communities.get(id).name, roles })),
    csrf_token: csrf,
  };
}

let rid = 0;
function send(res, status, body, headers = {}) {
  const h = { 'X-Request-Id': `mock-${++rid}`, ...headers };
  if (body === undefined) {
    res.writeHead(status, h);
    res.end();
    return;
  }
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': h['Content-Type'] ?? 'application/json', ...h });
  res.end(json);
}
function problem(res, status, reason, detail, errors) {
  send(
    res,
    status,
    { type: `https://linli.example/problems/${reason}`, title: http.STATUS_CODES[status], status, detail, reason, errors: errors ?? [], request_id: `mock-${rid + 1}` },
    { 'Content-Type': 'application/problem+json' },
  );
}

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k) out[k] = v.join('=');
  }
  return out;
}

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2' };
function serveStatic(req, res, urlPath) {
  let file = path.join(webRoot, decodeURIComponent(urlPath));
  if (!file.startsWith(webRoot)) return send(res, 404, undefined);
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    if (path.extname(urlPath)) return problem(res, 404, 'not_found', 'no such file');
    file = path.join(webRoot, 'index.html'); // SPA fallback
  }
  res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (!p.startsWith('/api/')) return serveStatic(req, res, p);

  const token = cookies(req).linli_session;
  const sess = token ? sessions.get(token) : undefined;
  const me = sess ? userById(sess.userId) : null;
  const method = req.method;
  const body = method === 'GET' ? {} : await readJson(req);
  if (body === null) return problem(res, 400, 'invalid_json', '请求体不是合法的 JSON');

  if (method === 'POST' && p === '/api/v1/auth/login') {
    const n = failures.get(body.login) ?? 0;
    if (n >= 5) return problem(res, 429, 'too_many_attempts', '尝试次数过多，请稍后再试');
    const u = users.get(body.login);
    if (!u || u.password !== body.password) {
      failures.set(body.login, n + 1);
      return problem(res, 401, 'invalid_credentials', '账号或密码不正确');
    }
    if (u.status === 'pending') return problem(res, 403, 'account_pending', '账号等待审核');
    failures.delete(body.login);
    const t = crypto.randomBytes(16).toString('hex');
    const csrf = crypto.randomBytes(16).toString('hex');
    sessions.set(t, { userId: u.id, csrf });
    return send(res, 200, { user: meOf(u, csrf), csrf_token: csrf }, { 'Set-Cookie': `linli_session=${t}; Path=/; HttpOnly; SameSite=Lax` });
  }
  if (method === 'POST' && p === '/api/v1/auth/register') {
    const errors = [];
    for (const f of ['login', 'password', 'display_name']) if (!body[f]) errors.push({ field: f, reason: 'required' });
    if (body.password && body.password.length < 8) errors.push({ field: 'password', reason: 'too_short' });
    if (!body.invite_code && !body.community_id) errors.push({ field: 'community_id', reason: 'required' });
    if (errors.length) return problem(res, 400, 'invalid_field', '字段不合法', errors);
    if (users.has(body.login)) return problem(res, 409, 'login_taken', '账号已存在');
    const status = body.invite_code ? 'active' : 'pending';
    const u = addUser(body.login, body.display_name, [[Number(body.community_id) || 1, ['resident']]], status);
    u.password = body.password;
    return send(res, 201, { id: u.id, status });
  }

  if (!me) return problem(res, 401, 'unauthenticated', '请先登录');
  if (method !== 'GET' && p !== '/api/v1/auth/logout' && req.headers['x-csrf-token'] !== sess.csrf) {
    return problem(res, 403, 'csrf_token_invalid', 'CSRF token missing or wrong');
  }
  if (method === 'POST' && p === '/api/v1/auth/logout') {
    if (req.headers['x-csrf-token'] !== sess.csrf) return problem(res, 403, 'csrf_token_invalid', 'CSRF');
    sessions.delete(token);
    return send(res, 204, undefined, { 'Set-Cookie': 'linli_session=; Path=/; Max-Age=0' });
  }
  if (method === 'GET' && p === '/api/v1/me') return send(res, 200, meOf(me, sess.csrf));
  if (method === 'PATCH' && p === '/api/v1/me/preferences') {
    if (body.locale !== undefined) {
      if (!['zh-CN', 'en'].includes(body.locale)) return problem(res, 400, 'invalid_field', 'locale', [{ field: 'locale', reason: 'invalid' }]);
      me.locale = body.locale;
    }
    if (body.elder_mode !== undefined) me.elder_mode = !!body.elder_mode;
    if (body.current_community_id !== undefined) {
      if (!me.memberships.has(body.current_community_id)) return problem(res, 404, 'not_found', 'no such community');
      me.current_community_id = body.current_community_id;
    }
    return send(res, 200, meOf(me, sess.csrf));
  }

  const m = p.match(/^\/api\/v1\/communities\/(\d+)(\/.*)?$/);
  if (m) {
    const cid = Number(m[1]);
    const rest = m[2] ?? '';
    const roles = me.memberships.get(cid);
    if (!roles || !communities.has(cid)) return problem(res, 404, 'not_found', '社区不存在');
    const can = (list) => roles.some((r) => list.includes(r));
    const role = roles[0];
    if (method === 'GET' && rest === '') return send(res, 200, communities.get(cid));
    if (rest === '/registrations' && method === 'GET') {
      if (!can(['property_staff', 'committee', 'admin'])) return problem(res, 404, 'not_found', 'not found');
      const items = [...users.values()].filter((u) => u.status === 'pending' && u.memberships.has(cid)).map((u) => ({ user_id: u.id, login: u.login, display_name: u.display_name, created_at: u.created_at }));
      return send(res, 200, { items, next_cursor: null });
    }
    const rm = rest.match(/^\/registrations\/(\d+)\/(approve|reject)$/);
    if (rm && method === 'POST') {
      if (!can(['property_staff', 'committee', 'admin'])) return problem(res, 404, 'not_found', 'not found');
      const u = userById(Number(rm[1]));
      if (!u || u.status !== 'pending') return problem(res, 404, 'not_found', 'not found');
      u.status = rm[2] === 'approve' ? 'active' : 'rejected';
      record(me, role, `accounts.registration.${rm[2]}`, 'user', u.id);
      return send(res, 204, undefined);
    }
    if (rest === '/api-keys') {
      if (!can(['admin'])) return problem(res, 404, 'not_found', 'not found');
      if (method === 'GET') return send(res, 200, { items: apiKeys.filter((k) => k.community_id === cid).map(({ community_id, ...k }) => k) });
      if (method === 'POST') {
        if (!body.name || !Array.isArray(body.scopes) || body.scopes.length === 0) return problem(res, 400, 'invalid_field', 'name and scopes', [{ field: 'name', reason: 'required' }]);
        const prefix = `lk_${crypto.randomBytes(3).toString('hex')}`;
        const k = { id: nextKeyId++, community_id: cid, name: body.name, scopes: body.scopes, prefix, created_at: now(), revoked_at: null };
        apiKeys.push(k);
        record(me, role, 'accounts.api_key.create', 'api_key', k.id);
        return send(res, 201, { id: k.id, name: k.name, scopes: k.scopes, prefix, secret: `${prefix}.${crypto.randomBytes(24).toString('base64url')}` });
      }
    }
    const km = rest.match(/^\/api-keys\/(\d+)$/);
    if (km && method === 'DELETE') {
      if (!can(['admin'])) return problem(res, 404, 'not_found', 'not found');
      const k = apiKeys.find((x) => x.id === Number(km[1]) && x.community_id === cid);
      if (!k) return problem(res, 404, 'not_found', 'not found');
      k.revoked_at = k.revoked_at ?? now();
      record(me, role, 'accounts.api_key.revoke', 'api_key', k.id);
      return send(res, 204, undefined);
    }
    if (rest === '/audit' && method === 'GET') {
      if (!can(['committee', 'admin', 'auditor'])) return problem(res, 404, 'not_found', 'not found');
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 200);
      const cursor = Number(url.searchParams.get('cursor') ?? audit.length + 1);
      const items = audit.filter((e) => e.seq < cursor).reverse().slice(0, limit).map(({ hash, ...e }) => e);
      const last = items[items.length - 1];
      return send(res, 200, { items, next_cursor: last && last.seq > 1 ? String(last.seq) : null });
    }
    if (rest === '/audit/verify' && method === 'POST') {
      if (!can(['committee', 'admin', 'auditor'])) return problem(res, 404, 'not_found', 'not found');
      return send(res, 200, { ok: true, checked: audit.length, first_bad_seq: null });
    }
  }
  return problem(res, 404, 'not_found', `no route for ${method} ${p}`);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
