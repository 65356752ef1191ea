// The signed-in user and the display preferences (locale, elder mode).
//
// Preferences live on the server (PATCH /me/preferences) once signed in, and
// in localStorage so the login page already shows them before sign-in. If a
// visitor changes them while signed out, the change is pushed to the server at
// the next sign-in; otherwise the server's values win.
import { computed, reactive } from 'vue';
import { api, ApiError, setCsrfToken } from './api/client';
import type { LoginResponse, Locale, Me, MeCommunity, PreferencesPatch } from './api/types';
import { applyLocale, DEFAULT_LOCALE, isLocale } from './i18n';

const STORAGE_KEY = 'linli.prefs';

interface StoredPrefs {
  locale: Locale;
  elder_mode: boolean;
  /** Changed while signed out; to be sent to the server at sign-in. */
  dirty: boolean;
}

interface SessionState {
  me: Me | null;
  loaded: boolean;
  locale: Locale;
  elderMode: boolean;
  prefsDirty: boolean;
}

function readStored(): StoredPrefs {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw) {
      const v = JSON.parse(raw) as Partial<StoredPrefs>;
      return {
        locale: isLocale(v.locale) ? v.locale : DEFAULT_LOCALE,
        elder_mode: v.elder_mode === true,
        dirty: v.dirty === true,
      };
    }
  } catch {
    /* storage unavailable or corrupt: fall back to defaults */
  }
  return { locale: DEFAULT_LOCALE, elder_mode: false, dirty: false };
}

const stored = readStored();

export const session = reactive<SessionState>({
  me: null,
  loaded: false,
  locale: stored.locale,
  elderMode: stored.elder_mode,
  prefsDirty: stored.dirty,
});

function persist(): void {
  try {
    const v: StoredPrefs = {
      locale: session.locale,
      elder_mode: session.elderMode,
      dirty: session.prefsDirty,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(v));
  } catch {
    /* private mode: preferences just are not remembered */
  }
}

export function applyPrefs(): void {
  applyLocale(session.locale);
  document.documentElement.classList.toggle('elder', session.elderMode);
}

function setMe(me: Me | null, csrf?: string): void {
  session.me = me;
  setCsrfToken(me ? (csrf ?? me.csrf_token ?? null) : null);
}

/** Adopts the server's preferences, or pushes the ones changed while signed out. */
async function reconcilePrefs(): Promise<void> {
  const me = session.me;
  if (!me) return;
  if (session.prefsDirty) {
    session.prefsDirty = false;
    persist();
    if (me.locale !== session.locale || me.elder_mode !== session.elderMode) {
      try {
        await savePrefs({ locale: session.locale, elder_mode: session.elderMode });
      } catch {
        /* keep the local choice; the server copy is updated next time */
      }
    }
  } else {
    if (isLocale(me.locale)) session.locale = me.locale;
    session.elderMode = me.elder_mode === true;
    persist();
    applyPrefs();
  }
}

async function savePrefs(patch: PreferencesPatch): Promise<void> {
  const me = await api.patch<Me>('/me/preferences', patch);
  if (me && typeof me === 'object' && 'id' in me) {
    // Keep the token we have if the response does not repeat it.
    setMe({ ...me, csrf_token: me.csrf_token || session.me?.csrf_token || '' });
  }
}

/** Loads the session once (GET /me); a 401 just means "not signed in". */
export async function loadSession(): Promise<void> {
  try {
    const me = await api.get<Me>('/me', { quiet401: true });
    setMe(me);
    await reconcilePrefs();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) {
      // Network or server trouble: stay signed out; the login page shows errors on use.
      console.warn('GET /me failed', e);
    }
    setMe(null);
  } finally {
    session.loaded = true;
  }
}

export async function login(loginName: string, password: string): Promise<Me> {
  const res = await api.post<LoginResponse>(
    '/auth/login',
    { login: loginName, password },
    { noCsrf: true, quiet401: true },
  );
  setMe(res.user, res.csrf_token);
  session.loaded = true;
  await reconcilePrefs();
  return res.user;
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout', undefined, { quiet401: true });
  } finally {
    setMe(null);
  }
}

/** The server said 401 on an authenticated call: forget the user locally. */
export function dropSession(): void {
  setMe(null);
}

export async function setLocale(locale: Locale): Promise<void> {
  if (session.locale === locale) return;
  session.locale = locale;
  if (!session.me) session.prefsDirty = true;
  persist();
  applyPrefs();
  if (session.me) await savePrefs({ locale });
}

export async function setElderMode(on: boolean): Promise<void> {
  if (session.elderMode === on) return;
  session.elderMode = on;
  if (!session.me) session.prefsDirty = true;
  persist();
  applyPrefs();
  if (session.me) await savePrefs({ elder_mode: on });
}

export async function switchCommunity(id: number): Promise<void> {
  await savePrefs({ current_community_id: id });
}

export const currentCommunity = computed<MeCommunity | null>(() => {
  const me = session.me;
  if (!me || !Array.isArray(me.communities) || me.communities.length === 0) return null;
  return me.communities.find((c) => c.id === me.current_community_id) ?? me.communities[0];
});

export const currentRoles = computed<string[]>(() => currentCommunity.value?.roles ?? []);

export function hasAnyRole(roles: readonly string[]): boolean {
  return currentRoles.value.some((r) => roles.includes(r));
}

export const STAFF_ROLES = ['property_staff', 'committee', 'admin'] as const;
export const ADMIN_ROLES = ['admin'] as const;
export const AUDIT_ROLES = ['committee', 'admin', 'auditor'] as const;
/** The review committee (审核小组): approves and rejects resource cards. */
export const REVIEW_ROLES = ['committee', 'admin'] as const;
/** May bulk-import door-to-door survey results (CSV). */
export const IMPORT_ROLES = ['committee', 'admin', 'grid_worker', 'property_staff'] as const;
/** Open the household register (一户一档); the API filters what each role sees. */
export const HOUSEHOLD_ROLES = ['grid_worker', 'committee', 'property_staff'] as const;
