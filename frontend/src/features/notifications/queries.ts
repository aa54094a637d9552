/**
 * The notification queries and mutations, and the one place that writes
 * changes (live or local) into their caches.
 *
 * - Lists: one infinite query per set of filters, `['notifications', 'list', filters]`.
 * - The unread count: `['notifications', 'count']`, a number; every list page
 *   and every answer of a write carry it, and every live event.
 * - Writes are optimistic; the server's answer then sets the count, unless a
 *   live event set it meanwhile (the event is as new or newer). Likewise a list
 *   or count answer that was in flight when a live event came does not set it.
 * - A change applied while a list is being fetched would be overwritten by that
 *   fetch: the list is fetched again after it (coalesced, see ../live/refresher.ts).
 */
import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';

import { getJson, sendJson } from '../../api';
import type { RefreshTarget } from '../live/invalidation';
import { queryRefresherFor } from '../live/refresher';
import { applyEvent, countAfterEvent, countAfterRead, markRead, removeNotifications, type ListData } from './cache';
import type { NotificationEvent } from './events';
import { DEFAULT_FILTERS, filtersOfKey, listPath, type NotificationFilters } from './filters';
import {
  decodeNotificationPage,
  decodePreferences,
  decodeUnreadCount,
  type Preferences,
  type PreferencesUpdate,
} from './model';

export const notificationsKey = ['notifications'] as const;
export const listsKey = [...notificationsKey, 'list'] as const;
export const listKey = (filters: NotificationFilters) => [...listsKey, filters] as const;
export const countKey = [...notificationsKey, 'count'] as const;
export const preferencesKey = [...notificationsKey, 'preferences'] as const;

/** What the user channel's resync refetches: the lists and the count (not the preferences). */
export const LIVE_TARGETS: readonly RefreshTarget[] = [
  { queryKey: listsKey, exact: false },
  { queryKey: countKey, exact: true },
];

/** How many the bell's dropdown shows. */
export const RECENT_COUNT = 8;

/**
 * How many times the count was set from something newer than the answers in
 * flight (a live event, an optimistic write), per client: an answer that was
 * in flight meanwhile does not overwrite it.
 */
const liveCounts = new WeakMap<QueryClient, { seq: number }>();

function liveCountClock(queryClient: QueryClient): { seq: number } {
  let clock = liveCounts.get(queryClient);
  if (clock === undefined) {
    clock = { seq: 0 };
    liveCounts.set(queryClient, clock);
  }
  return clock;
}

export function notificationListQuery(queryClient: QueryClient, filters: NotificationFilters) {
  return infiniteQueryOptions({
    queryKey: listKey(filters),
    queryFn: async ({ pageParam, signal }) => {
      const seq = liveCountClock(queryClient).seq;
      const page = await getJson(listPath(filters, pageParam), decodeNotificationPage, { signal });
      // A live event that came meanwhile knows the count as well or better.
      if (liveCountClock(queryClient).seq === seq) {
        queryClient.setQueryData(countKey, page.unread_count);
      }
      return page;
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function unreadCountQuery(queryClient: QueryClient) {
  return queryOptions({
    queryKey: countKey,
    queryFn: async ({ signal }) => {
      const seq = liveCountClock(queryClient).seq;
      const page = await getJson(listPath(DEFAULT_FILTERS, null, 1), decodeNotificationPage, { signal });
      const cached = queryClient.getQueryData<number>(countKey);
      return liveCountClock(queryClient).seq !== seq && cached !== undefined ? cached : page.unread_count;
    },
  });
}

export const preferencesQuery = queryOptions({
  queryKey: preferencesKey,
  queryFn: ({ signal }) => getJson('/api/notifications/preferences', decodePreferences, { signal }),
});

/** Changes every cached list; lists being fetched are fetched again afterwards. */
export function updateLists(
  queryClient: QueryClient,
  change: (data: ListData | undefined, filters: NotificationFilters) => ListData | undefined,
): void {
  const again: RefreshTarget[] = [];
  for (const [key, data] of queryClient.getQueriesData<ListData>({ queryKey: listsKey })) {
    const filters = filtersOfKey(key);
    if (filters === null) {
      continue;
    }
    const next = change(data, filters);
    if (next !== data) {
      queryClient.setQueryData<ListData>(key, next);
      if (queryClient.isFetching({ queryKey: key, exact: true }) > 0) {
        again.push({ queryKey: key, exact: true });
      }
    }
  }
  if (again.length > 0) {
    queryRefresherFor(queryClient).refresh(again);
  }
}

function cachedLists(queryClient: QueryClient): (ListData | undefined)[] {
  return queryClient.getQueriesData<ListData>({ queryKey: listsKey }).map(([, data]) => data);
}

function setCount(queryClient: QueryClient, count: number | undefined): void {
  if (count === undefined || queryClient.getQueryData<number>(countKey) === count) {
    return;
  }
  queryClient.setQueryData<number>(countKey, count);
  if (queryClient.isFetching({ queryKey: countKey, exact: true }) > 0) {
    queryRefresherFor(queryClient).refresh([{ queryKey: countKey, exact: true }]);
  }
}

/** Applies a live event of the user channel to the lists and the count. */
export function applyLiveEvent(queryClient: QueryClient, event: NotificationEvent, now: number = Date.now()): void {
  const at = new Date(event.publishedAt ?? now).toISOString();
  updateLists(queryClient, (data, filters) => applyEvent(data, filters, event, at));
  if (event.unreadCount !== null) {
    setNewerCount(queryClient, countAfterEvent(queryClient.getQueryData<number>(countKey), event));
  }
}

/** Sets a count newer than any answer in flight (a live event's, an optimistic one). */
function setNewerCount(queryClient: QueryClient, count: number | undefined): void {
  if (count !== undefined) {
    liveCountClock(queryClient).seq += 1;
    setCount(queryClient, count);
  }
}

/** A write: optimistic change first, then the server's count unless a live one came since. */
function useNotificationWrite<V>(
  request: (variables: V) => Promise<{ unread_count: number }>,
  optimistic: (queryClient: QueryClient, variables: V) => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onMutate: (variables: V) => {
      optimistic(queryClient, variables);
      return { seq: liveCountClock(queryClient).seq };
    },
    onSuccess: (answer, _variables, context) => {
      if (liveCountClock(queryClient).seq === context.seq) {
        setCount(queryClient, answer.unread_count);
      }
    },
    onError: () => {
      // Back to what the server says.
      void queryClient.invalidateQueries({ queryKey: listsKey });
      void queryClient.invalidateQueries({ queryKey: countKey });
    },
  });
}

/** `POST /api/notifications/read` for some (`ids`) or all (`'all'`). */
export function useMarkRead() {
  return useNotificationWrite(
    (ids: readonly number[] | 'all') =>
      sendJson('POST', '/api/notifications/read', ids === 'all' ? { all: true } : { ids }, decodeUnreadCount),
    (queryClient, ids) => {
      const count = countAfterRead(queryClient.getQueryData<number>(countKey), cachedLists(queryClient), ids);
      const at = new Date().toISOString();
      updateLists(queryClient, (data) => markRead(data, ids, at));
      setNewerCount(queryClient, count);
    },
  );
}

/** `POST /api/notifications/archive`. */
export function useArchive() {
  return useNotificationWrite(
    (ids: readonly number[]) => sendJson('POST', '/api/notifications/archive', { ids }, decodeUnreadCount),
    (queryClient, ids) => {
      updateLists(queryClient, (data) => removeNotifications(data, ids));
    },
  );
}

/** `PUT /api/notifications/preferences`; the answer replaces the cached preferences. */
export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: PreferencesUpdate) =>
      sendJson('PUT', '/api/notifications/preferences', update, decodePreferences),
    onSuccess: (saved: Preferences) => {
      queryClient.setQueryData(preferencesKey, saved);
    },
  });
}
