/**
 * The browser's Notification API: its permission as a React store, the
 * request (only ever from a click), and raising one. The decisions are pure,
 * in ./decisions.ts.
 */
import { useSyncExternalStore } from 'react';

import { browserTag, readPermission, type BrowserPermission } from './decisions';
import type { Notification as HubNotification } from './model';

function api(): typeof Notification | undefined {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification : undefined;
}

export function currentPermission(): BrowserPermission {
  return readPermission(api());
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of [...listeners]) {
    listener();
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // The user may change it in the site settings: read it again when they come back.
  window.addEventListener('focus', listener);
  document.addEventListener('visibilitychange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('focus', listener);
    document.removeEventListener('visibilitychange', listener);
  };
}

/** `Notification.permission`, re-rendering when it changes. */
export function useBrowserPermission(): BrowserPermission {
  return useSyncExternalStore(subscribe, currentPermission, () => 'unsupported' as const);
}

/** Asks for permission; call it only from a user's click. */
export async function requestBrowserPermission(): Promise<BrowserPermission> {
  const Api = api();
  if (Api === undefined) {
    return 'unsupported';
  }
  try {
    await Api.requestPermission();
  } catch (error) {
    console.warn('HubDeck: could not ask for notification permission', error);
  }
  notify();
  return currentPermission();
}

/**
 * Raises a browser notification; `onClick` runs after the tab got the focus.
 * Returns false when the browser refused (e.g. Android Chrome, which only
 * allows them from a service worker).
 */
export function showBrowserNotification(notification: HubNotification, onClick: () => void): boolean {
  const Api = api();
  if (Api === undefined) {
    return false;
  }
  try {
    const shown = new Api(notification.title, {
      body: notification.body || notification.subject,
      tag: browserTag(notification.id, notification.updated_at),
      icon: '/favicon.svg',
    });
    shown.onclick = (event) => {
      event.preventDefault();
      window.focus();
      onClick();
      shown.close();
    };
    return true;
  } catch (error) {
    console.warn('HubDeck: the browser refused a notification', error);
    return false;
  }
}
