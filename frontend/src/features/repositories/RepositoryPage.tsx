import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';

import { ApiError } from '../../api';
import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useNow } from '../../components/useNow';
import { can } from '../auth/model';
import { useMeData } from '../auth/queries';
import { isLive, useLiveRepository, useTeamLive } from '../live/hooks';
import { LiveActivity } from '../live/LiveActivity';
import { viewersOf } from '../live/viewers';
import { dashboardLinks } from '../metrics/links';
import { MetricsDashboard } from '../metrics/MetricsDashboard';
import { browserTimeZone, metricsQuery } from '../metrics/queries';
import { WindowSelector } from '../metrics/WindowSelector';
import { parseDays } from '../metrics/windowDays';
import { parseId } from '../teams/currentTeam';
import { useTeam } from '../teams/TeamLayout';
import { repositoryQuery, useSyncNow } from './queries';
import { SYNC_WAIT_MS, syncPollMs, syncState, type SyncRequest } from './syncState';
import { SyncStatus } from './SyncStatus';

/** `/teams/:teamId/repositories/:repositoryId`: one repository's metrics. */
export function RepositoryPage() {
  const team = useTeam();
  const parsedId = parseId(useParams()['repositoryId']);
  const repositoryId = parsedId ?? 0;
  const [params, setParams] = useSearchParams();
  const days = parseDays(params.get('days'));
  const [request, setRequest] = useState<SyncRequest | null>(null);
  const now = useNow();
  const sync = useSyncNow(team.id, repositoryId);
  const me = useMeData();
  const live = useLiveRepository(team.id, parsedId);
  // Either channel announces this repository's events (the team's is subscribed by the team layout).
  const teamLive = useTeamLive(team.id);
  const eventsFlow = isLive(live.state) || teamLive;

  // Stop waiting for a requested sync after a while (the server may be busy, or it found nothing new).
  useEffect(() => {
    if (request === null) {
      return;
    }
    const timer = setTimeout(() => {
      setRequest(null);
    }, SYNC_WAIT_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [request]);

  const repository = useQuery({
    ...repositoryQuery(team.id, repositoryId),
    enabled: parsedId !== null,
    // Events say when a sync finished; polling is the fallback (see syncPollMs).
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data === undefined) {
        return false;
      }
      return syncPollMs(syncState(data.synced_at, request, now), eventsFlow);
    },
  });
  const data = repository.data;
  useDocumentTitle(data?.full_name ?? 'Repository');

  const metrics = useQuery({
    ...metricsQuery({
      teamId: team.id,
      repositoryId,
      days,
      timeZone: browserTimeZone(),
      version: data?.synced_at ?? null,
    }),
    enabled: data !== undefined,
    placeholderData: (previous) => previous,
  });

  if (parsedId !== null && repository.isPending) {
    return <Loading label="Loading the repository…" />;
  }
  if (parsedId === null || (repository.isError && data === undefined)) {
    const missing =
      parsedId === null || (repository.error instanceof ApiError && repository.error.status === 404);
    return (
      <section className="page">
        <div className="page__header">
          <h1>{missing ? 'Repository not found' : 'Repository'}</h1>
        </div>
        {missing ? (
          <p className="lead">This team does not follow such a repository (any more).</p>
        ) : (
          <ErrorNotice error={repository.error} onRetry={() => void repository.refetch()} />
        )}
        <p>
          <Link to={`/teams/${team.id}/repositories`}>Back to the repositories</Link>
        </p>
      </section>
    );
  }
  if (data === undefined) {
    return null;
  }

  const state = syncState(data.synced_at, request, now);
  const canSync = can(team.role, 'follow');

  return (
    <section className="page" aria-labelledby="repository-title">
      <nav className="breadcrumbs small" aria-label="Breadcrumbs">
        <Link to={`/teams/${team.id}/repositories`}>Repositories</Link> / <span>{data.name}</span>
      </nav>
      <div className="page__header page__header--row">
        <div className="repo-header">
          <h1 id="repository-title" data-testid="repository-name">
            {data.full_name}
            {data.private && <span className="chip">private</span>}
            {data.archived && <span className="chip chip--warn">archived</span>}
          </h1>
          {data.description !== null && <p className="lead">{data.description}</p>}
          <p className="repo-header__meta muted small">
            <a href={data.html_url} target="_blank" rel="noreferrer" data-testid="github-link">
              View on GitHub ↗
            </a>
            <span>
              default branch <code>{data.default_branch}</code>
            </span>
            <span>★ {data.stars}</span>
            <span>{data.forks} forks</span>
            <SyncStatus syncedAt={data.synced_at} state={state} now={now} />
          </p>
          {data.topics.length > 0 && (
            <p className="topics">
              {data.topics.map((topic) => (
                <span key={topic} className="topic">
                  {topic}
                </span>
              ))}
            </p>
          )}
        </div>
        <div className="page__actions">
          {canSync && (
            <button
              type="button"
              className="button"
              data-testid="sync-button"
              disabled={sync.isPending || state !== 'synced'}
              onClick={() => {
                sync.mutate(undefined, {
                  onSuccess: () => {
                    setRequest({ before: data.synced_at, at: Date.now() });
                  },
                });
              }}
            >
              {sync.isPending ? 'Requesting…' : 'Sync now'}
            </button>
          )}
          <WindowSelector
            days={days}
            onChange={(next) => {
              const updated = new URLSearchParams(params);
              updated.set('days', String(next));
              setParams(updated, { replace: true });
            }}
          />
        </div>
      </div>
      {sync.isError && <ErrorNotice error={sync.error} prefix="Could not request a sync" />}

      <LiveActivity
        state={live.state}
        events={live.events}
        viewers={viewersOf(live.present, me?.user.id ?? null)}
        now={now}
      />

      {data.synced_at === null && (
        <p className="notice notice--info" role="status">
          The first sync of {data.full_name} is running: the numbers below fill in when it finishes.
        </p>
      )}
      {metrics.isPending && <Loading label="Computing the metrics…" />}
      {metrics.isError && (
        <ErrorNotice error={metrics.error} prefix="Could not load the metrics" onRetry={() => void metrics.refetch()} />
      )}
      {metrics.data !== undefined && (
        <div className={metrics.isPlaceholderData ? 'is-stale' : undefined}>
          <MetricsDashboard report={metrics.data} days={days} links={dashboardLinks(team.id, [data])} scope="repository" />
        </div>
      )}
    </section>
  );
}
