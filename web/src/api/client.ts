// Thin fetch wrapper for the Linli HTTP API (/api/v1).
//
// - The session lives in an HttpOnly cookie; requests use credentials: 'same-origin'.
// - Every state-changing request except login/register carries X-CSRF-Token.
// - Errors arrive as RFC 9457 problem+json and are thrown as ApiError.

export interface ProblemFieldError {
  field: string;
  reason: string;
  detail?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  reason?: string;
  errors?: ProblemFieldError[];
  request_id?: string;
  /** Extension members (RFC 9457 §3.2), e.g. the CSV import's per-row `rows` report. */
  extensions?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get reason(): string | undefined {
    return this.problem.reason;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when an authenticated request answers 401 (session expired elsewhere). */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  /** Skip the CSRF header (login and register only). */
  noCsrf?: boolean;
  /** Do not call the global 401 handler (used by the session probe and login). */
  quiet401?: boolean;
  query?: Record<string, string | number | undefined | null>;
  /** Extra request headers (e.g. If-Match). */
  headers?: Record<string, string>;
  /** A non-JSON body (a photo, a CSV file) sent as is with this Content-Type. */
  raw?: { data: Blob | string; contentType: string };
}

const API_PREFIX = '/api/v1';

function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = API_PREFIX + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

async function parseProblem(res: Response): Promise<Problem> {
  let body: unknown = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (body && typeof body === 'object') {
    const b = body as Partial<Problem>;
    const known = new Set(['type', 'title', 'status', 'detail', 'reason', 'errors', 'request_id']);
    const extensions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (!known.has(k)) extensions[k] = v;
    }
    return {
      type: b.type,
      title: b.title,
      status: typeof b.status === 'number' ? b.status : res.status,
      detail: b.detail,
      reason: b.reason,
      errors: Array.isArray(b.errors) ? b.errors : undefined,
      request_id: b.request_id ?? res.headers.get('X-Request-Id') ?? undefined,
      extensions,
    };
  }
  return {
    status: res.status,
    title: res.statusText || undefined,
    request_id: res.headers.get('X-Request-Id') ?? undefined,
  };
}

export async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: string | Blob | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.data;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && !opts.noCsrf && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, reason: 'network_error' });
  }
  if (!res.ok) {
    const problem = await parseProblem(res);
    if (res.status === 401 && !opts.quiet401 && onUnauthenticated) onUnauthenticated();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({ status: res.status, reason: 'bad_response' });
  }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body?: unknown, opts?: RequestOptions) =>
    request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  /** POSTs a file (photo, CSV) as the raw request body. */
  upload: <T>(path: string, data: Blob | string, contentType: string, opts?: RequestOptions) =>
    request<T>('POST', path, { ...opts, raw: { data, contentType } }),
};
