/**
 * The publications of the `user:{id}` channel that concern notifications, read
 * into one of four changes. Pure.
 *
 * The publication is `{"type": "notification.created", "ts": <ms>, "data": <payload>}`;
 * the payload may also come wrapped as a domain event (`data.data`), as on the
 * other channels. Other types on the channel (sessions…) read as null.
 */
import { isRecord } from '../../api';
import { readNotification, type Notification } from './model';

export type NotificationEvent =
  | {
      /** `created`: a new one; `updated`: a collapsed one got another occurrence (unread again). */
      readonly type: 'created' | 'updated';
      readonly notification: Notification;
      /** The user's unread count after it, null if the server did not say. */
      readonly unreadCount: number | null;
      /** The user's preference asks for a browser notification too. */
      readonly browser: boolean;
      /** When the server published it (epoch ms), if it said. */
      readonly publishedAt: number | null;
    }
  | {
      /** Read on one of the user's devices (this one included). */
      readonly type: 'read';
      readonly ids: readonly number[] | 'all';
      readonly unreadCount: number | null;
      readonly publishedAt: number | null;
    }
  | {
      readonly type: 'archived';
      readonly ids: readonly number[];
      readonly unreadCount: number | null;
      readonly publishedAt: number | null;
    };

const PAYLOAD_FIELDS = ['notification', 'ids', 'all', 'unread_count'];

function payloadOf(value: unknown): Record<string, unknown> | null {
  return isRecord(value) && PAYLOAD_FIELDS.some((field) => field in value) ? value : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function ids(value: unknown): number[] | null {
  if (!Array.isArray(value)) {
    return null;
  }
  const numbers = value.filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
  return numbers.length === value.length ? numbers : null;
}

/** The notification change a publication carries, or null when it carries none. */
export function decodeNotificationEvent(publication: unknown): NotificationEvent | null {
  if (!isRecord(publication)) {
    return null;
  }
  const outer = publication['data'];
  if (!isRecord(outer)) {
    return null;
  }
  // Plain: the payload is the publication's data; wrapped: it is the domain event's data.
  const payload = payloadOf(outer) ?? payloadOf(outer['data']);
  if (payload === null) {
    return null;
  }
  const rawType = typeof publication['type'] === 'string' ? publication['type'] : outer['type'];
  const ts = publication['ts'];
  const publishedAt = typeof ts === 'number' && Number.isFinite(ts) ? ts : null;
  const unreadCount = count(payload['unread_count']);

  switch (rawType) {
    case 'notification.created':
    case 'notification.updated': {
      let notification: Notification;
      try {
        notification = readNotification(payload['notification'], '$.data.notification');
      } catch {
        return null;
      }
      return {
        type: rawType === 'notification.created' ? 'created' : 'updated',
        notification,
        unreadCount,
        browser: payload['browser'] === true,
        publishedAt,
      };
    }
    case 'notification.read': {
      const read = payload['all'] === true ? 'all' : ids(payload['ids']);
      return read === null ? null : { type: 'read', ids: read, unreadCount, publishedAt };
    }
    case 'notification.archived': {
      const archived = ids(payload['ids']);
      return archived === null ? null : { type: 'archived', ids: archived, unreadCount, publishedAt };
    }
    default:
      return null;
  }
}
