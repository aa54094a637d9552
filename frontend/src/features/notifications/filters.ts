/**
 * The notification list's filters: in the page's URL (`?unread=1&level=error&kind=…&team=3`),
 * as `GET /api/notifications` query parameters, and as a test a notification
 * that arrives live must pass to join a filtered list. Pure.
 */
import { LEVELS, type Level, type Notification } from './model';

export interface NotificationFilters {
  /** Only unread ones. */
  readonly unread: boolean;
  readonly level: Level | null;
  readonly kind: string | null;
  readonly teamId: number | null;
}

export const DEFAULT_FILTERS: NotificationFilters = { unread: false, level: null, kind: null, teamId: null };

/** How many notifications a page of the list asks for. */
export const PAGE_SIZE = 20;

function positiveInt(text: string | null): number | null {
  if (text === null || !/^[1-9][0-9]{0,15}$/.test(text)) {
    return null;
  }
  return Number(text);
}

/** The filters of the page's URL; anything unreadable is left out. */
export function parseFilters(params: URLSearchParams): NotificationFilters {
  const unread = params.get('unread');
  const level = params.get('level');
  const kind = params.get('kind');
  return {
    unread: unread === '1' || unread === 'true',
    level: (LEVELS as readonly (string | null)[]).includes(level) ? (level as Level) : null,
    kind: kind !== null && /^[a-z0-9_]{1,64}$/.test(kind) ? kind : null,
    teamId: positiveInt(params.get('team')),
  };
}

/** The page's URL parameters for `filters` (none for the defaults). */
export function filtersToSearch(filters: NotificationFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.unread) {
    params.set('unread', '1');
  }
  if (filters.level !== null) {
    params.set('level', filters.level);
  }
  if (filters.kind !== null) {
    params.set('kind', filters.kind);
  }
  if (filters.teamId !== null) {
    params.set('team', String(filters.teamId));
  }
  return params;
}

export function isFiltered(filters: NotificationFilters): boolean {
  return filters.unread || filters.level !== null || filters.kind !== null || filters.teamId !== null;
}

/** `GET /api/notifications` for one page of the (unarchived) list. */
export function listPath(filters: NotificationFilters, cursor: string | null, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor !== null) {
    params.set('cursor', cursor);
  }
  if (filters.unread) {
    params.set('unread', 'true');
  }
  if (filters.level !== null) {
    params.set('level', filters.level);
  }
  if (filters.kind !== null) {
    params.set('kind', filters.kind);
  }
  if (filters.teamId !== null) {
    params.set('team_id', String(filters.teamId));
  }
  params.set('archived', 'false');
  return `/api/notifications?${params.toString()}`;
}

/** Whether a notification belongs in a list with these filters (the server's rules). */
export function matchesFilters(notification: Notification, filters: NotificationFilters): boolean {
  return (
    notification.archived_at === null &&
    (!filters.unread || notification.read_at === null) &&
    (filters.level === null || notification.level === filters.level) &&
    (filters.kind === null || notification.kind === filters.kind) &&
    (filters.teamId === null || notification.team_id === filters.teamId)
  );
}

/** The filters a list query's key holds (see queries.ts), or null for another key. */
export function filtersOfKey(key: readonly unknown[]): NotificationFilters | null {
  const value: unknown = key[2];
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const { unread, level, kind, teamId } = value as Record<string, unknown>;
  if (
    typeof unread !== 'boolean' ||
    !(level === null || (LEVELS as readonly unknown[]).includes(level)) ||
    !(kind === null || typeof kind === 'string') ||
    !(teamId === null || typeof teamId === 'number')
  ) {
    return null;
  }
  return { unread, level: level as Level | null, kind, teamId };
}
