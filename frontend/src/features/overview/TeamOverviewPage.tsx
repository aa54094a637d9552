import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { can } from '../auth/model';
import { dashboardLinks } from '../metrics/links';
import { MetricsDashboard } from '../metrics/MetricsDashboard';
import { browserTimeZone, latestSync, metricsQuery } from '../metrics/queries';
import { WindowSelector } from '../metrics/WindowSelector';
import { parseDays } from '../metrics/windowDays';
import { repositoriesQuery } from '../repositories/queries';
import { InvitePanel } from '../teams/InvitePanel';
import { useTeam } from '../teams/TeamLayout';
import { useTeamLive } from '../live/hooks';

/** `/teams/:teamId`: the team's home, with its metrics over every followed repository. */
export function TeamOverviewPage() {
  const team = useTeam();
  useDocumentTitle(team.name);
  const [params, setParams] = useSearchParams();
  const days = parseDays(params.get('days'));
  const repositories = useQuery(repositoriesQuery(team.id, useTeamLive(team.id)));
  const list = repositories.data ?? [];
  const syncing = list.filter((repository) => repository.synced_at === null).length;
  const metrics = useQuery({
    ...metricsQuery({
      teamId: team.id,
      repositoryId: null,
      days,
      timeZone: browserTimeZone(),
      version: `${list.length}:${latestSync(list.map((repository) => repository.synced_at)) ?? ''}`,
    }),
    enabled: list.length > 0,
    placeholderData: (previous) => previous,
  });

  return (
    <section className="page" aria-labelledby="team-title">
      <div className="page__header page__header--row">
        <div>
          <h1 id="team-title" data-testid="team-title">
            {team.name}
          </h1>
          <p className="muted">
            Team overview{list.length > 0 ? ` · ${list.length} repositories` : ''} · you are {team.role === 'owner' || team.role === 'admin' ? 'an' : 'a'}{' '}
            {team.role}
            {team.github_org !== null && ` · GitHub organisation ${team.github_org}`}
          </p>
        </div>
        <div className="page__actions">
          <Link className="button" to={`/teams/${team.id}/repositories`}>
            All repositories
          </Link>
          {list.length > 0 && (
            <WindowSelector
              days={days}
              onChange={(next) => {
                const updated = new URLSearchParams(params);
                updated.set('days', String(next));
                setParams(updated, { replace: true });
              }}
            />
          )}
        </div>
      </div>

      {repositories.isPending && <Loading label="Loading the team’s repositories…" />}
      {repositories.isError && (
        <ErrorNotice error={repositories.error} prefix="Could not load the repositories" onRetry={() => void repositories.refetch()} />
      )}
      {repositories.data !== undefined && list.length === 0 && (
        <EmptyState title={`${team.name} follows no repository yet.`} testId="team-empty">
          The overview adds up the metrics of every repository the team follows.{' '}
          {can(team.role, 'follow') && <Link to={`/teams/${team.id}/repositories/add`}>Pick repositories to follow</Link>}
        </EmptyState>
      )}
      {syncing > 0 && (
        <p className="notice notice--info" role="status">
          {syncing} {syncing === 1 ? 'repository is' : 'repositories are'} still on their first sync: the numbers grow as
          they finish.
        </p>
      )}
      {list.length > 0 && metrics.isPending && <Loading label="Computing the team’s metrics…" />}
      {metrics.isError && (
        <ErrorNotice error={metrics.error} prefix="Could not load the metrics" onRetry={() => void metrics.refetch()} />
      )}
      {list.length > 0 && metrics.data !== undefined && (
        <div className={metrics.isPlaceholderData ? 'is-stale' : undefined}>
          <MetricsDashboard report={metrics.data} days={days} links={dashboardLinks(team.id, list)} scope="team" />
        </div>
      )}

      {can(team.role, 'invite') && (
        <div className="page__section">
          <InvitePanel team={team} />
        </div>
      )}
    </section>
  );
}
