/**
 * The toasts of new notifications: newest first, at most {@link MAX_TOASTS},
 * each gone after {@link TOAST_MS}; another occurrence of a shown one replaces
 * it (and starts its time again). Pure: the component keeps the list and a timer.
 */
import type { Notification } from './model';

export const TOAST_MS = 6_000;
export const MAX_TOASTS = 3;

export interface Toast {
  /** The notification's id: one toast per notification. */
  readonly key: string;
  readonly notification: Notification;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export function pushToast(toasts: readonly Toast[], notification: Notification, now: number): Toast[] {
  const key = String(notification.id);
  const toast: Toast = { key, notification, expiresAt: now + TOAST_MS };
  return [toast, ...toasts.filter((existing) => existing.key !== key)].slice(0, MAX_TOASTS);
}

export function dismissToast(toasts: readonly Toast[], key: string): readonly Toast[] {
  return toasts.some((toast) => toast.key === key) ? toasts.filter((toast) => toast.key !== key) : toasts;
}

/** The toasts still shown at `now` (the same list when none expired). */
export function expireToasts(toasts: readonly Toast[], now: number): readonly Toast[] {
  return toasts.some((toast) => toast.expiresAt <= now) ? toasts.filter((toast) => toast.expiresAt > now) : toasts;
}

/** When the next toast goes (epoch ms), null with none. */
export function nextExpiry(toasts: readonly Toast[]): number | null {
  return toasts.length === 0 ? null : Math.min(...toasts.map((toast) => toast.expiresAt));
}
