// Booking and loans 预约与借用, tidal parking 潮汐停车.
import type { RouteRecordRaw } from 'vue-router';

const routes: RouteRecordRaw[] = [
  {
    path: '/bookings',
    name: 'bookings',
    component: () => import('../views/BookingMineView.vue'),
    meta: { titleKey: 'booking.mine.title' },
  },
  {
    path: '/bookings/incoming',
    name: 'bookings-incoming',
    component: () => import('../views/BookingIncomingView.vue'),
    meta: { titleKey: 'booking.incoming.title' },
  },
  {
    path: '/bookings/scan',
    name: 'bookings-scan',
    component: () => import('../views/BookingScanView.vue'),
    meta: { titleKey: 'booking.scan.title' },
  },
  {
    path: '/bookings/:id(\\d+)',
    name: 'booking',
    component: () => import('../views/BookingDetailView.vue'),
    meta: { titleKey: 'booking.detail.title' },
  },
  {
    path: '/resources/:id(\\d+)/book',
    name: 'booking-new',
    component: () => import('../views/BookingNewView.vue'),
    meta: { titleKey: 'booking.new.title' },
  },
  {
    path: '/resources/:id(\\d+)/booking-settings',
    name: 'booking-settings',
    component: () => import('../views/BookingSettingsView.vue'),
    meta: { titleKey: 'booking.settings.title' },
  },
  {
    path: '/parking',
    name: 'parking',
    component: () => import('../views/ParkingSearchView.vue'),
    meta: { titleKey: 'booking.parking.title' },
  },
  {
    path: '/parking/mine',
    name: 'parking-mine',
    component: () => import('../views/ParkingMineView.vue'),
    meta: { titleKey: 'booking.parkingMine.title' },
  },
];

export default routes;
