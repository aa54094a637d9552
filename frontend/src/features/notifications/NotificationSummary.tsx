import { useNow } from '../../components/useNow';
import { formatAgo } from '../metrics/format';
import { DIGEST_KIND, LEVEL_LABELS, kindLabel, type Notification } from './model';

/** A notification's text: level, title, body, what and who, when. Shared by the dropdown, the page and toasts. */
export function NotificationSummary({
  notification,
  showBody = true,
  showUnread = true,
}: {
  readonly notification: Notification;
  readonly showBody?: boolean;
  /** The unread dot (a toast is news by itself). */
  readonly showUnread?: boolean;
}) {
  const now = useNow();
  const meta = [notification.subject, notification.actor === null ? '' : `by ${notification.actor}`]
    .filter((part) => part !== '')
    .join(' ');
  return (
    <span className="notif">
      <span
        className={`notif__level notif__level--${notification.level}`}
        title={`${LEVEL_LABELS[notification.level]} · ${kindLabel(notification.kind)}`}
        aria-hidden="true"
      />
      <span className="notif__main">
        {notification.level !== 'info' && <span className="visually-hidden">{LEVEL_LABELS[notification.level]}: </span>}
        {/* A collapsed one (count > 1) says how many in its title already. */}
        <span className="notif__title">{notification.title}</span>
        {showBody && notification.body !== '' && (
          <span className={notification.kind === DIGEST_KIND ? 'notif__body notif__body--lines' : 'notif__body'}>
            {notification.body}
          </span>
        )}
        <span className="notif__meta muted small">
          {meta !== '' && `${meta} · `}
          <time dateTime={notification.updated_at} title={new Date(notification.updated_at).toLocaleString()}>
            {formatAgo(notification.updated_at, now)}
          </time>
        </span>
      </span>
      {showUnread && notification.read_at === null && <span className="notif__unread" title="Unread" aria-label="unread" />}
    </span>
  );
}
