// The unread-notification count shown in the page header. Refreshed on every
// navigation (cheap: one small GET) and after the inbox marks something read.
import { reactive } from 'vue';
import { api } from '../api/client';
import { session } from '../session';

export const inbox = reactive({ unread: 0 });

let inflight: Promise<void> | null = null;

export function refreshUnread(): Promise<void> {
  if (!session.me) {
    inbox.unread = 0;
    return Promise.resolve();
  }
  if (inflight) return inflight;
  inflight = api
    .get<{ unread: number }>('/notifications/unread-count', { quiet401: true })
    .then((r) => {
      inbox.unread = typeof r?.unread === 'number' ? r.unread : 0;
    })
    .catch(() => {
      /* the badge is a hint; a failure just leaves the last count */
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}
