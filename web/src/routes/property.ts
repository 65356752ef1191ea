import type { RouteRecordRaw } from 'vue-router';
import { PROPERTY_DESK_ROLES } from '../api/property';

// Property services 物业服务: visitor passes, bills, announcements; the staff desk.
export default [
  {
    path: '/visitors',
    name: 'visitors',
    component: () => import('../views/VisitorsView.vue'),
    meta: { titleKey: 'property.visitors.title' },
  },
  {
    path: '/visitors/new',
    name: 'visitor-new',
    component: () => import('../views/VisitorNewView.vue'),
    meta: { titleKey: 'property.visitors.newTitle' },
  },
  {
    path: '/visitors/:id(\\d+)',
    name: 'visitor-pass',
    component: () => import('../views/VisitorPassView.vue'),
    meta: { titleKey: 'property.pass.title' },
  },
  {
    path: '/bills',
    name: 'bills',
    component: () => import('../views/BillsView.vue'),
    meta: { titleKey: 'property.bills.title' },
  },
  {
    path: '/bills/:id(\\d+)',
    name: 'bill',
    component: () => import('../views/BillDetailView.vue'),
    meta: { titleKey: 'property.bill.title' },
  },
  {
    path: '/announcements',
    name: 'announcements',
    component: () => import('../views/AnnouncementsView.vue'),
    meta: { titleKey: 'property.announcements.title' },
  },
  {
    path: '/announcements/:id(\\d+)',
    name: 'announcement',
    component: () => import('../views/AnnouncementDetailView.vue'),
    meta: { titleKey: 'property.announcements.title' },
  },
  {
    path: '/property/desk',
    name: 'property-desk',
    component: () => import('../views/PropertyDeskView.vue'),
    meta: { roles: PROPERTY_DESK_ROLES, titleKey: 'property.desk.title' },
  },
] satisfies RouteRecordRaw[];
