/**
 * When a notification interrupts: a toast in the page, a browser notification
 * (Notification API) while the tab is hidden, the "Enable browser
 * notifications" button; and where a click on one goes. Pure.
 */
import type { NotificationEvent } from './events';

/** `Notification.permission`, or `unsupported` without the API (or outside a secure context). */
export type BrowserPermission = 'unsupported' | 'default' | 'granted' | 'denied';

export function readPermission(api: { readonly permission: string } | undefined): BrowserPermission {
  if (api === undefined) {
    return 'unsupported';
  }
  const { permission } = api;
  return permission === 'granted' || permission === 'denied' ? permission : 'default';
}

/**
 * A toast for a new notification, or one that got another occurrence, each
 * state once (`news`: not announced before, see `SeenNotifications`).
 */
export function shouldToast(event: NotificationEvent, news: boolean): boolean {
  return (event.type === 'created' || event.type === 'updated') && news;
}

export interface BrowserNotificationInput {
  readonly event: NotificationEvent;
  readonly news: boolean;
  readonly permission: BrowserPermission;
  /** `document.visibilityState`. */
  readonly visibility: DocumentVisibilityState;
}

/**
 * A browser notification only when the user's preference asks for one (the
 * event's `browser`), they allowed it, and they are not looking at the tab
 * (then the toast is enough).
 */
export function shouldNotifyBrowser({ event, news, permission, visibility }: BrowserNotificationInput): boolean {
  return (
    (event.type === 'created' || event.type === 'updated') &&
    event.browser &&
    news &&
    permission === 'granted' &&
    visibility === 'hidden'
  );
}

/**
 * What to offer about browser notifications:
 * - `ask`: a button, which asks for permission (only on a click: browsers ignore or
 *   penalise requests without a user action);
 * - `denied`: say they are blocked (the browser will not ask again; its site settings can);
 * - `granted`, `unsupported`: nothing to do.
 */
export type BrowserOffer = 'ask' | 'denied' | 'granted' | 'unsupported';

export function browserOffer(permission: BrowserPermission): BrowserOffer {
  return permission === 'default' ? 'ask' : permission;
}

/** Where a notification's link leads: a page of this app, a web page elsewhere, or nowhere. */
export type LinkTarget =
  | { readonly kind: 'internal'; readonly path: string }
  | { readonly kind: 'external'; readonly url: string }
  | null;

/**
 * Reads a notification's link. The server sends HubDeck paths; an absolute URL
 * on this origin is treated as a path, http(s) elsewhere as an external page,
 * anything else (`javascript:`, protocol-relative…) as no link.
 */
export function linkTarget(link: string, origin: string): LinkTarget {
  const text = link.trim();
  if (text === '') {
    return null;
  }
  if (text.startsWith('/') && !text.startsWith('//') && !text.startsWith('/\\')) {
    return { kind: 'internal', path: text };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return null;
  }
  if (url.origin === origin) {
    return { kind: 'internal', path: `${url.pathname}${url.search}${url.hash}` };
  }
  return { kind: 'external', url: url.href };
}

/** The browser notification's tag: tabs of one browser raising the same one show it once. */
export function browserTag(id: number, updatedAt: string): string {
  return `hubdeck-notification-${id}-${updatedAt}`;
}
