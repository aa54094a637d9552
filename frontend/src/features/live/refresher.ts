/**
 * Refetches what events made stale, at most once per query per
 * {@link REFRESH_INTERVAL_MS}: a burst of 50 events on a repository causes a
 * refetch at once and one more at the end of the burst's windows, not 50. A
 * query whose refetch is in flight is not cancelled: its next refetch waits
 * for the next window (see ../../realtime/coalesce.ts).
 *
 * One refresher per QueryClient, shared by every live hook: the team channel
 * and a repository's channel announce the same events, their refreshes merge.
 */
import type { QueryClient, QueryState } from '@tanstack/react-query';

import { createCoalescer, type Coalescer } from '../../realtime';
import type { ResyncReason } from '../../realtime';
import type { RefreshTarget } from './invalidation';

export const REFRESH_INTERVAL_MS = 300;

export interface QueryRefresher {
  /** Marks the targets stale and refetches the ones on screen, coalesced. */
  refresh(targets: readonly RefreshTarget[]): void;
  /** The same, only for cached data loaded before `at` (epoch ms). */
  refreshOlderThan(targets: readonly RefreshTarget[], at: number): void;
  /** The same, only for queries whose last fetch failed (e.g. while the server was away). */
  retryFailed(targets: readonly RefreshTarget[]): void;
  dispose(): void;
}

export interface QueryRefresherOptions {
  readonly intervalMs?: number;
  readonly timers?: Parameters<typeof createCoalescer>[0]['timers'];
}

export function targetId(target: RefreshTarget): string {
  return JSON.stringify([target.queryKey, target.exact]);
}

export function createQueryRefresher(queryClient: QueryClient, options: QueryRefresherOptions = {}): QueryRefresher {
  const coalescer: Coalescer<RefreshTarget> = createCoalescer<RefreshTarget>({
    intervalMs: options.intervalMs ?? REFRESH_INTERVAL_MS,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    isBusy: (_id, target) => queryClient.isFetching({ queryKey: target.queryKey, exact: target.exact }) > 0,
    run: (_id, target) => {
      void queryClient.invalidateQueries(
        { queryKey: target.queryKey, exact: target.exact },
        { cancelRefetch: false },
      );
    },
  });
  const refresh = (targets: readonly RefreshTarget[]) => {
    for (const target of targets) {
      coalescer.request(targetId(target), target);
    }
  };
  /** Refreshes, one by one, the cached queries of `targets` that `select` picks. */
  const refreshWhere = (targets: readonly RefreshTarget[], select: (state: QueryState) => boolean) => {
    const cache = queryClient.getQueryCache();
    const picked: RefreshTarget[] = [];
    for (const target of targets) {
      for (const query of cache.findAll({ queryKey: target.queryKey, exact: target.exact })) {
        if (select(query.state)) {
          picked.push({ queryKey: query.queryKey, exact: true });
        }
      }
    }
    refresh(picked);
  };
  return {
    refresh,
    refreshOlderThan(targets, at) {
      refreshWhere(targets, (state) => state.dataUpdatedAt > 0 && state.dataUpdatedAt < at);
    },
    retryFailed(targets) {
      refreshWhere(targets, (state) => state.status === 'error');
    },
    dispose() {
      coalescer.dispose();
    },
  };
}

const refreshers = new WeakMap<QueryClient, QueryRefresher>();

/** The refresher of a QueryClient, created on first use. */
export function queryRefresherFor(queryClient: QueryClient): QueryRefresher {
  let refresher = refreshers.get(queryClient);
  if (refresher === undefined) {
    refresher = createQueryRefresher(queryClient);
    refreshers.set(queryClient, refresher);
  }
  return refresher;
}

/** Refetches after a resync: on the first subscribe only what was loaded before it. */
export function resync(refresher: QueryRefresher, targets: readonly RefreshTarget[], reason: ResyncReason, at: number): void {
  if (reason === 'initial') {
    refresher.refreshOlderThan(targets, at);
  } else {
    refresher.refresh(targets);
  }
}
