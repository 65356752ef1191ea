// App-wide feedback: a polite live-region toast and a modal confirm dialog.
// (Vant's toast/dialog/action-sheet popups lack accessible names, which axe
// rightly flags; these are small accessible replacements built on a live
// region and the native <dialog> element.)
import { reactive } from 'vue';

export const toastState = reactive({ message: '', seq: 0 });
let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** Shows a short message (read out by screen readers) for a couple of seconds. */
export function toast(message: string, ms = 2000): void {
  toastState.message = message;
  toastState.seq += 1;
  if (toastTimer) clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toastState.message = '';
  }, ms);
}

export interface ConfirmOptions {
  message: string;
  confirmText: string;
  cancelText: string;
  danger?: boolean;
}

export const confirmState = reactive<{
  open: boolean;
  options: ConfirmOptions | null;
  resolve: ((ok: boolean) => void) | null;
}>({ open: false, options: null, resolve: null });

/** Asks a yes/no question; resolves true on confirm, false on cancel/Escape. */
export function confirm(options: ConfirmOptions): Promise<boolean> {
  if (confirmState.resolve) confirmState.resolve(false);
  return new Promise((resolve) => {
    confirmState.options = options;
    confirmState.resolve = resolve;
    confirmState.open = true;
  });
}

export function settleConfirm(ok: boolean): void {
  const r = confirmState.resolve;
  confirmState.open = false;
  confirmState.resolve = null;
  if (r) r(ok);
}
