import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import { errorMessage } from '../../api';
import { BrowserNotificationsControl } from './BrowserNotificationsControl';
import { flattenPages } from './cache';
import { DEFAULT_FILTERS } from './filters';
import { useOpenNotification } from './hooks';
import { NotificationSummary } from './NotificationSummary';
import { RECENT_COUNT, notificationListQuery, unreadCountQuery, useMarkRead } from './queries';

export const NOTIFICATIONS_PATH = '/notifications';
export const NOTIFICATION_SETTINGS_PATH = '/settings/notifications';

/** The header's bell: the unread count, and a dropdown of the latest notifications. */
export function NotificationBell() {
  const location = useLocation();
  // Open for one location: any navigation closes it.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === location.key;
  const close = () => {
    setOpenAt(null);
  };
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const dropdownId = useId();

  const queryClient = useQueryClient();
  const count = useQuery(unreadCountQuery(queryClient)).data ?? 0;
  const list = useInfiniteQuery(notificationListQuery(queryClient, DEFAULT_FILTERS));
  const recent = flattenPages(list.data).slice(0, RECENT_COUNT);
  const markRead = useMarkRead();
  const openNotification = useOpenNotification();

  useEffect(() => {
    if (!open) {
      return;
    }
    const onPointerDown = (event: MouseEvent) => {
      if (root.current !== null && event.target instanceof Node && !root.current.contains(event.target)) {
        setOpenAt(null);
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpenAt(null);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('mousedown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const label = count === 0 ? 'Notifications' : `Notifications, ${count} unread`;
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="icon-button bell__button"
        data-testid="notification-bell"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls={dropdownId}
        onClick={() => {
          setOpenAt(open ? null : location.key);
        }}
      >
        <BellIcon />
        <span
          className={count === 0 ? 'bell__count bell__count--zero' : 'bell__count'}
          data-testid="notification-count"
          data-count={count}
          aria-hidden="true"
        >
          {count}
        </span>
      </button>
      {open && (
        <div className="bell__dropdown" id={dropdownId} data-testid="notification-dropdown" role="dialog" aria-label="Notifications">
          <div className="bell__header">
            <strong>Notifications</strong>
            <button
              type="button"
              className="button button--small button--quiet"
              data-testid="mark-all-read"
              disabled={markRead.isPending}
              onClick={() => {
                markRead.mutate('all');
              }}
            >
              Mark all read
            </button>
          </div>
          {list.isPending && <p className="bell__note muted small">Loading…</p>}
          {list.isError && (
            <p className="bell__note small text-bad" role="alert">
              Could not load the notifications: {errorMessage(list.error)}
            </p>
          )}
          {list.data !== undefined && recent.length === 0 && (
            <p className="bell__note muted small" data-testid="notification-dropdown-empty">
              You&rsquo;re all caught up.
            </p>
          )}
          {recent.length > 0 && (
            <ul className="bell__list">
              {recent.map((notification) => (
                <li key={notification.id}>
                  <button
                    type="button"
                    className="bell__item"
                    data-testid="notification-item"
                    data-id={notification.id}
                    data-unread={notification.read_at === null}
                    data-kind={notification.kind}
                    data-level={notification.level}
                    onClick={() => {
                      close();
                      openNotification(notification);
                    }}
                  >
                    <NotificationSummary notification={notification} showBody={false} />
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="bell__footer">
            <Link to={NOTIFICATIONS_PATH} data-testid="notification-page-link" onClick={close}>
              See all notifications
            </Link>
            <Link to={NOTIFICATION_SETTINGS_PATH} className="muted small" onClick={close}>
              Settings
            </Link>
          </div>
          {/* The settings page has its own (one per page: test ids stay unique). */}
          {location.pathname !== NOTIFICATION_SETTINGS_PATH && <BrowserNotificationsControl />}
        </div>
      )}
    </div>
  );
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 2.5a6 6 0 0 0-6 6v3.6l-1.6 3.2a1 1 0 0 0 .9 1.45h13.4a1 1 0 0 0 .9-1.45L18 12.1V8.5a6 6 0 0 0-6-6Zm0 19.5a2.75 2.75 0 0 0 2.65-2h-5.3A2.75 2.75 0 0 0 12 22Z"
      />
    </svg>
  );
}
