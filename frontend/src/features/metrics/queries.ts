import { queryOptions } from '@tanstack/react-query';

import { getJson } from '../../api';
import { createLimiter } from '../../api/limiter';
import { decodeMetricsReport } from './model';

/** At most this many metrics reports are fetched at once (one per repository on the list page). */
export const METRICS_CONCURRENCY = 4;
const limiter = createLimiter(METRICS_CONCURRENCY);

export interface MetricsScope {
  readonly teamId: number;
  /** Null: the whole team. */
  readonly repositoryId: number | null;
  readonly days: number;
  readonly timeZone: string;
  /**
   * Changes when the data behind the report does (the repositories' `synced_at`):
   * part of the key, so a finished sync refetches the report.
   */
  readonly version: string | null;
}

export function metricsPath(scope: Omit<MetricsScope, 'version'>): string {
  const params = new URLSearchParams({ days: String(scope.days), tz: scope.timeZone });
  const base =
    scope.repositoryId === null
      ? `/api/teams/${scope.teamId}/metrics`
      : `/api/teams/${scope.teamId}/repositories/${scope.repositoryId}/metrics`;
  return `${base}?${params.toString()}`;
}

/**
 * The start of the keys of one scope's reports (every window and version):
 * a repository's, or the team's (null) pooled over its repositories.
 */
export function metricsKeyPrefix(teamId: number, repositoryId: number | null) {
  return ['teams', teamId, 'metrics', repositoryId ?? 'team'] as const;
}

export function metricsQuery(scope: MetricsScope) {
  return queryOptions({
    queryKey: [
      ...metricsKeyPrefix(scope.teamId, scope.repositoryId),
      scope.days,
      scope.timeZone,
      scope.version,
    ] as const,
    queryFn: ({ signal }) =>
      limiter.run(() =>
        signal.aborted
          ? Promise.reject(new DOMException('aborted', 'AbortError'))
          : getJson(metricsPath(scope), decodeMetricsReport, { signal }),
      ),
    // The server caches reports for minutes and drops them when data changes.
    staleTime: 60_000,
  });
}

/** The browser's IANA time zone, for weeks and the heatmap's hours; UTC if unknown. */
export function browserTimeZone(): string {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone === '' ? 'UTC' : zone;
  } catch {
    return 'UTC';
  }
}

/** The newest of several `synced_at`, as the version of a report over them all. */
export function latestSync(syncedAt: readonly (string | null)[]): string | null {
  let latest: string | null = null;
  for (const value of syncedAt) {
    if (value !== null && (latest === null || value > latest)) {
      latest = value;
    }
  }
  return latest;
}
