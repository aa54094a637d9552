/**
 * What a change does to the cached notification lists (TanStack infinite
 * queries, one per set of filters) and to the unread count. Pure: the live
 * hook and the mutations hand the results to the QueryClient.
 *
 * Every function returns its input unchanged (the same object) when nothing
 * changes, so nothing re-renders for a duplicate.
 */
import type { InfiniteData } from '@tanstack/react-query';

import type { NotificationEvent } from './events';
import { matchesFilters, type NotificationFilters } from './filters';
import type { Notification, NotificationPage } from './model';

export type ListData = InfiniteData<NotificationPage, string | null>;

/** Anything holding loaded pages (what useInfiniteQuery returns types its page params loosely). */
interface Pages {
  readonly pages: readonly NotificationPage[];
}

/** Orders ISO times: by instant, then (same millisecond) by text, which keeps microseconds. */
export function compareTimes(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) {
    return ta < tb ? -1 : 1;
  }
  if (a.length === b.length && a !== b) {
    return a < b ? -1 : 1;
  }
  return 0;
}

/** Which of two states of one notification is later: by `updated_at`, then by `count`. */
export function compareVersions(a: Notification, b: Notification): number {
  const byTime = compareTimes(a.updated_at, b.updated_at);
  if (byTime !== 0) {
    return byTime;
  }
  return Math.sign(a.count - b.count);
}

/** The loaded notifications in order, each once (a page may overlap the one before it). */
export function flattenPages(data: Pages | undefined): Notification[] {
  if (data === undefined) {
    return [];
  }
  const seen = new Set<number>();
  const items: Notification[] = [];
  for (const page of data.pages) {
    for (const item of page.items) {
      if (!seen.has(item.id)) {
        seen.add(item.id);
        items.push(item);
      }
    }
  }
  return items;
}

export function findNotification(data: Pages | undefined, id: number): Notification | undefined {
  for (const page of data?.pages ?? []) {
    const found = page.items.find((item) => item.id === id);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function mapItems(data: ListData, change: (items: readonly Notification[]) => readonly Notification[]): ListData {
  const pages = data.pages.map((page) => {
    const items = change(page.items);
    return items === page.items ? page : { ...page, items };
  });
  return pages.some((page, index) => page !== data.pages[index]) ? { ...data, pages } : data;
}

/**
 * A new or newer state of a notification: it replaces an older one and takes
 * its place in the order (newest `updated_at` first), if it passes the list's
 * filters. One older than the cached state is ignored; one that belongs after
 * the loaded pages is left for "Load more".
 */
export function upsertNotification(
  data: ListData | undefined,
  notification: Notification,
  filters: NotificationFilters,
): ListData | undefined {
  if (data === undefined || data.pages.length === 0) {
    return data;
  }
  const cached = findNotification(data, notification.id);
  if (cached !== undefined && compareVersions(cached, notification) >= 0) {
    return data;
  }
  const without = mapItems(data, (items) =>
    items.some((item) => item.id === notification.id) ? items.filter((item) => item.id !== notification.id) : items,
  );
  if (!matchesFilters(notification, filters)) {
    return without;
  }
  const pages = [...without.pages];
  for (const [index, page] of pages.entries()) {
    const at = page.items.findIndex((item) => compareTimes(item.updated_at, notification.updated_at) < 0);
    if (at >= 0) {
      pages[index] = { ...page, items: [...page.items.slice(0, at), notification, ...page.items.slice(at)] };
      return { ...without, pages };
    }
  }
  const last = pages.at(-1);
  if (last?.next_cursor === null) {
    // Older than everything, and everything is loaded: it goes last.
    pages[pages.length - 1] = { ...last, items: [...last.items, notification] };
    return { ...without, pages };
  }
  return without;
}

/**
 * Marks notifications read (`'all'`: every one) at `readAt`. They stay in a
 * list of unread ones until it is loaded again, shown read: nothing jumps away
 * under the pointer.
 */
export function markRead(data: ListData | undefined, ids: readonly number[] | 'all', readAt: string): ListData | undefined {
  if (data === undefined) {
    return data;
  }
  const wanted = ids === 'all' ? null : new Set(ids);
  return mapItems(data, (items) => {
    if (!items.some((item) => item.read_at === null && (wanted === null || wanted.has(item.id)))) {
      return items;
    }
    return items.map((item) =>
      item.read_at === null && (wanted === null || wanted.has(item.id)) ? { ...item, read_at: readAt } : item,
    );
  });
}

/** Takes archived notifications out of a list (lists show unarchived ones). */
export function removeNotifications(data: ListData | undefined, ids: readonly number[]): ListData | undefined {
  if (data === undefined || ids.length === 0) {
    return data;
  }
  const gone = new Set(ids);
  return mapItems(data, (items) => (items.some((item) => gone.has(item.id)) ? items.filter((item) => !gone.has(item.id)) : items));
}

/** What a live event does to one list. `at` (ISO) stands for the read time the event does not carry. */
export function applyEvent(
  data: ListData | undefined,
  filters: NotificationFilters,
  event: NotificationEvent,
  at: string,
): ListData | undefined {
  switch (event.type) {
    case 'created':
    case 'updated':
      return upsertNotification(data, event.notification, filters);
    case 'read':
      return markRead(data, event.ids, at);
    case 'archived':
      return removeNotifications(data, event.ids);
  }
}

/** The unread ones among `ids` in the cached lists, each id once. */
export function unreadAmong(lists: readonly (ListData | undefined)[], ids: readonly number[] | 'all'): Set<number> {
  const wanted = ids === 'all' ? null : new Set(ids);
  const unread = new Set<number>();
  for (const data of lists) {
    for (const page of data?.pages ?? []) {
      for (const item of page.items) {
        if (item.read_at === null && (wanted === null || wanted.has(item.id))) {
          unread.add(item.id);
        }
      }
    }
  }
  return unread;
}

/**
 * The unread count right after reading `ids` here, before the server says:
 * every one for "all", else down by the ones known to be unread (never below 0).
 */
export function countAfterRead(
  count: number | undefined,
  lists: readonly (ListData | undefined)[],
  ids: readonly number[] | 'all',
): number | undefined {
  if (ids === 'all') {
    return 0;
  }
  if (count === undefined) {
    return undefined;
  }
  return Math.max(0, count - unreadAmong(lists, ids).size);
}

/** The count after an event: the server's when it says, else unchanged. */
export function countAfterEvent(count: number | undefined, event: NotificationEvent): number | undefined {
  return event.unreadCount ?? count;
}

/**
 * Which states of which notifications were announced already (by id, the
 * latest `updated_at`/`count`), so a toast or a browser notification is raised
 * once for each, whatever path brought it (live, recovered, replayed). Bounded.
 */
export class SeenNotifications {
  private readonly latest = new Map<number, Notification>();
  private readonly max: number;

  constructor(max = 500) {
    this.max = Math.max(1, max);
  }

  /** Records `notification`; true if it is news (not seen in this state or a later one). */
  accept(notification: Notification): boolean {
    const before = this.latest.get(notification.id);
    if (before !== undefined && compareVersions(before, notification) >= 0) {
      return false;
    }
    this.latest.delete(notification.id);
    this.latest.set(notification.id, notification);
    if (this.latest.size > this.max) {
      const oldest = this.latest.keys().next();
      if (oldest.done !== true) {
        this.latest.delete(oldest.value);
      }
    }
    return true;
  }
}
