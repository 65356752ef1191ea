// Pages of the points bank 积分银行 / time bank 时间银行 (issue #5).
import type { RouteRecordRaw } from 'vue-router';

/** May record earnings for residents (the ledger service allows these roles). */
export const LEDGER_EARNING_ROLES = ['committee', 'admin', 'property_staff', 'grid_worker'] as const;
/** May change rules, record donations, certify households and pay subsidies. */
export const LEDGER_COMMITTEE_ROLES = ['committee', 'admin'] as const;

export default [
  {
    path: '/wallet',
    name: 'wallet',
    component: () => import('../views/WalletView.vue'),
    meta: { titleKey: 'ledger.title' },
  },
  {
    // Not role-gated: the API shows an account to its owner, the committee and auditors;
    // anything else is the page's not-found state.
    path: '/wallet/accounts/:id(\\d+)',
    name: 'wallet-statement',
    component: () => import('../views/WalletStatementView.vue'),
    meta: { titleKey: 'ledger.statementTitle' },
  },
  {
    path: '/wallet/earnings',
    name: 'wallet-earnings',
    component: () => import('../views/WalletEarningsView.vue'),
    meta: { titleKey: 'ledger.earningsTitle' },
  },
  {
    path: '/wallet/pay',
    name: 'wallet-pay',
    component: () => import('../views/WalletPayView.vue'),
    meta: { titleKey: 'ledger.payTitle' },
  },
  {
    path: '/wallet/receive',
    name: 'wallet-receive',
    component: () => import('../views/WalletReceiveView.vue'),
    meta: { titleKey: 'ledger.receiveTitle' },
  },
  {
    path: '/ledger/manage',
    name: 'ledger-manage',
    component: () => import('../views/LedgerManageView.vue'),
    meta: { roles: LEDGER_EARNING_ROLES, titleKey: 'ledger.manageTitle' },
  },
  {
    path: '/ledger/rules',
    name: 'ledger-rules',
    component: () => import('../views/LedgerRulesView.vue'),
    meta: { titleKey: 'ledger.rulesTitle' },
  },
] satisfies RouteRecordRaw[];
