import { useEffect, useState } from 'react';

import { currentPermission, showBrowserNotification } from './browser';
import { shouldNotifyBrowser, shouldToast } from './decisions';
import { useLiveNotifications, useOpenNotification } from './hooks';
import { NotificationBell } from './NotificationBell';
import { NotificationSummary } from './NotificationSummary';
import { dismissToast, expireToasts, nextExpiry, pushToast, type Toast } from './toasts';

/**
 * The signed-in user's notifications in the header: follows `user:{id}` live,
 * shows the bell, toasts new ones, and raises browser notifications when asked
 * to and the tab is hidden.
 */
export function NotificationCenter({ userId }: { readonly userId: number }) {
  const openNotification = useOpenNotification();
  const [toasts, setToasts] = useState<readonly Toast[]>([]);

  useLiveNotifications(userId, (event, news) => {
    const { notification } = event;
    if (shouldToast(event, news)) {
      setToasts((list) => pushToast(list, notification, Date.now()));
    }
    if (
      shouldNotifyBrowser({ event, news, permission: currentPermission(), visibility: document.visibilityState })
    ) {
      showBrowserNotification(notification, () => {
        openNotification(notification);
      });
    }
  });

  const expiry = nextExpiry(toasts);
  useEffect(() => {
    if (expiry === null) {
      return;
    }
    const timer = setTimeout(
      () => {
        setToasts((list) => expireToasts(list, Date.now()));
      },
      Math.max(0, expiry - Date.now()),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [expiry]);

  return (
    <>
      <NotificationBell />
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.key}
            className={`toast toast--${toast.notification.level}`}
            data-testid="notification-toast"
            data-id={toast.notification.id}
            data-kind={toast.notification.kind}
          >
            <button
              type="button"
              className="toast__open"
              onClick={() => {
                setToasts((list) => dismissToast(list, toast.key));
                openNotification(toast.notification);
              }}
            >
              <NotificationSummary notification={toast.notification} showUnread={false} />
            </button>
            <button
              type="button"
              className="toast__close"
              data-testid="toast-dismiss"
              aria-label="Dismiss"
              onClick={() => {
                setToasts((list) => dismissToast(list, toast.key));
              }}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </>
  );
}
