import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import {
  ADMIN_ROLES,
  AUDIT_ROLES,
  HOUSEHOLD_ROLES,
  IMPORT_ROLES,
  REVIEW_ROLES,
  STAFF_ROLES,
  hasAnyRole,
  loadSession,
  session,
} from './session';
import { refreshUnread } from './ui/notifications';
import { i18n } from './i18n';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Only for signed-out visitors (login, register). */
    guestOnly?: boolean;
    /** Roles in the current community that may open the page (any of). */
    roles?: readonly string[];
    /** i18n key of the page title. */
    titleKey?: string;
  }
}

// Each feature module adds its pages in routes/<module>.ts (`export default [...]`).
const moduleRoutes = Object.values(
  import.meta.glob<{ default: RouteRecordRaw[] }>('./routes/*.ts', { eager: true }),
).flatMap((m) => m.default);

const routes: RouteRecordRaw[] = [
  ...moduleRoutes,
  {
    path: '/login',
    name: 'login',
    component: () => import('./views/LoginView.vue'),
    meta: { public: true, guestOnly: true, titleKey: 'auth.loginTitle' },
  },
  {
    path: '/register',
    name: 'register',
    component: () => import('./views/RegisterView.vue'),
    meta: { public: true, guestOnly: true, titleKey: 'register.title' },
  },
  {
    path: '/',
    name: 'home',
    component: () => import('./views/HomeView.vue'),
  },
  {
    path: '/staff/registrations',
    name: 'registrations',
    component: () => import('./views/RegistrationsView.vue'),
    meta: { roles: STAFF_ROLES, titleKey: 'registrations.title' },
  },
  {
    path: '/admin/api-keys',
    name: 'api-keys',
    component: () => import('./views/ApiKeysView.vue'),
    meta: { roles: ADMIN_ROLES, titleKey: 'apiKeys.title' },
  },
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/AuditView.vue'),
    meta: { roles: AUDIT_ROLES, titleKey: 'audit.title' },
  },
  {
    path: '/market',
    name: 'market',
    component: () => import('./views/MarketView.vue'),
    meta: { titleKey: 'market.title' },
  },
  {
    path: '/resources/new',
    name: 'resource-new',
    component: () => import('./views/ResourceEditView.vue'),
    meta: { titleKey: 'editor.titleNew' },
  },
  {
    path: '/resources/mine',
    name: 'my-resources',
    component: () => import('./views/MyResourcesView.vue'),
    meta: { titleKey: 'mine.title' },
  },
  {
    path: '/resources/import',
    name: 'resource-import',
    component: () => import('./views/ImportView.vue'),
    meta: { roles: IMPORT_ROLES, titleKey: 'importCsv.title' },
  },
  {
    path: '/resources/review',
    name: 'review-queue',
    component: () => import('./views/ReviewQueueView.vue'),
    meta: { roles: REVIEW_ROLES, titleKey: 'review.title' },
  },
  {
    path: '/resources/:id(\\d+)',
    name: 'resource',
    component: () => import('./views/ResourceDetailView.vue'),
    meta: { titleKey: 'market.title' },
  },
  {
    path: '/resources/:id(\\d+)/edit',
    name: 'resource-edit',
    component: () => import('./views/ResourceEditView.vue'),
    meta: { titleKey: 'editor.titleEdit' },
  },
  {
    path: '/households',
    name: 'households',
    component: () => import('./views/HouseholdsView.vue'),
    meta: { roles: HOUSEHOLD_ROLES, titleKey: 'households.title' },
  },
  {
    // Not role-gated: residents open their own household; anything the API
    // does not show the caller is the not-found page.
    path: '/households/:id(\\d+)',
    name: 'household',
    component: () => import('./views/HouseholdDetailView.vue'),
    meta: { titleKey: 'households.title' },
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('./views/NotificationsView.vue'),
    meta: { titleKey: 'notifications.title' },
  },
  {
    path: '/forbidden',
    name: 'forbidden',
    component: () => import('./views/ForbiddenView.vue'),
    meta: { titleKey: 'errors.forbiddenTitle' },
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./views/NotFoundView.vue'),
    meta: { public: true, titleKey: 'errors.notFoundTitle' },
  },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession();
  const signedIn = session.me !== null;
  if (!to.meta.public && !signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  }
  if (to.meta.guestOnly && signedIn) return { name: 'home' };
  if (to.meta.roles && !hasAnyRole(to.meta.roles)) return { name: 'forbidden' };
  return true;
});

export function updateTitle(): void {
  const route = router.currentRoute.value;
  const t = i18n.global.t;
  const app = t('app.name');
  document.title = route.meta.titleKey ? `${t(route.meta.titleKey)} · ${app}` : app;
}

router.afterEach(() => {
  updateTitle();
  void refreshUnread();
});

/** Only same-app paths are accepted as a post-login redirect. */
export function safeRedirect(v: unknown): string {
  return typeof v === 'string' && v.startsWith('/') && !v.startsWith('//') ? v : '/';
}
