// Trust 信用与评价: my credit, rating exchanges, reporting listings, the committee's queues.
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/trust/credit',
    name: 'trust-credit',
    component: () => import('../views/TrustCreditView.vue'),
    meta: { titleKey: 'trust.credit.title' },
  },
  {
    path: '/trust/rate',
    name: 'trust-rate',
    component: () => import('../views/TrustRateView.vue'),
    meta: { titleKey: 'trust.rate.title' },
  },
  {
    path: '/resources/:id(\\d+)/report',
    name: 'trust-report',
    component: () => import('../views/TrustReportView.vue'),
    meta: { titleKey: 'trust.report.title' },
  },
  {
    path: '/trust/reports',
    name: 'trust-reports',
    component: () => import('../views/TrustReportsView.vue'),
    meta: { roles: ['committee', 'admin'], titleKey: 'trust.reports.title' },
  },
  {
    path: '/trust/disputes',
    name: 'trust-disputes',
    component: () => import('../views/TrustDisputesView.vue'),
    meta: { titleKey: 'trust.disputes.title' },
  },
  {
    path: '/trust/disputes/:id(\\d+)',
    name: 'trust-dispute',
    component: () => import('../views/TrustDisputeView.vue'),
    meta: { titleKey: 'trust.dispute.title' },
  },
];

export default routes;
