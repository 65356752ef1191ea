// Tickets 诉求与报修: report a problem, my requests, public tracking by code, the staff work
// queue, routing rules and the working-day calendar.
import type { RouteRecordRaw } from 'vue-router';
import { TICKET_CALENDAR_ROLES, TICKET_MANAGER_ROLES, TICKET_STAFF_ROLES } from '../api/tickets';

const routes: RouteRecordRaw[] = [
  {
    path: '/tickets',
    name: 'tickets-mine',
    component: () => import('../views/TicketMineView.vue'),
    meta: { titleKey: 'tickets.mine.title' },
  },
  {
    path: '/tickets/new',
    name: 'ticket-new',
    component: () => import('../views/TicketNewView.vue'),
    meta: { titleKey: 'tickets.new.title' },
  },
  {
    path: '/tickets/:id(\\d+)',
    name: 'ticket-detail',
    component: () => import('../views/TicketDetailView.vue'),
    meta: { titleKey: 'tickets.detail.title' },
  },
  {
    path: '/tickets/queue',
    name: 'ticket-queue',
    component: () => import('../views/TicketQueueView.vue'),
    meta: { roles: TICKET_STAFF_ROLES, titleKey: 'tickets.queue.title' },
  },
  {
    path: '/tickets/rules',
    name: 'ticket-rules',
    component: () => import('../views/TicketRulesView.vue'),
    meta: { roles: TICKET_MANAGER_ROLES, titleKey: 'tickets.rules.title' },
  },
  {
    path: '/tickets/calendar',
    name: 'ticket-calendar',
    component: () => import('../views/TicketCalendarView.vue'),
    meta: { roles: TICKET_CALENDAR_ROLES, titleKey: 'tickets.calendar.title' },
  },
  {
    // Public: anyone with the code follows the request; the API returns no personal data.
    path: '/track/:code?',
    name: 'track',
    component: () => import('../views/TrackView.vue'),
    meta: { public: true, titleKey: 'tickets.track.title' },
  },
];

export default routes;
