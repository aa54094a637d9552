import { useQueries, useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useNow } from '../../components/useNow';
import { can } from '../auth/model';
import { formatAgo, formatNumber } from '../metrics/format';
import { browserTimeZone, metricsQuery } from '../metrics/queries';
import { useTeamLive } from '../live/hooks';
import { useTeam } from '../teams/TeamLayout';
import { healthBadges, summarizeHealth, type HealthSummary } from './health';
import { HealthBadges } from './HealthBadges';
import {
  DEFAULT_LISTING,
  SORTS,
  applyListing,
  isFiltered,
  languagesOf,
  listingParams,
  openIssues,
  parseListing,
  type ListingState,
  type RepositoryRow,
} from './listing';
import { repositoriesQuery } from './queries';
import { SyncStatus } from './SyncStatus';

/** Badges use the last 30 days, the repository page's default window (so its cache is shared). */
export const BADGE_DAYS = 30;

/** `/teams/:teamId/repositories`: the followed repositories with their health, searchable. */
export function RepositoryListPage() {
  const team = useTeam();
  useDocumentTitle(`Repositories · ${team.name}`);
  const repositories = useQuery(repositoriesQuery(team.id, useTeamLive(team.id)));
  const [params, setParams] = useSearchParams();
  const listing = parseListing(params);
  const timeZone = browserTimeZone();
  const list = useMemo(() => repositories.data ?? [], [repositories.data]);

  const reports = useQueries({
    queries: list.map((repository) => ({
      ...metricsQuery({
        teamId: team.id,
        repositoryId: repository.id,
        days: BADGE_DAYS,
        timeZone,
        version: repository.synced_at,
      }),
      enabled: repository.synced_at !== null,
    })),
  });

  const healthById = new Map<number, HealthSummary>();
  list.forEach((repository, index) => {
    const report = reports[index]?.data;
    if (report !== undefined) {
      healthById.set(repository.id, summarizeHealth(report));
    }
  });
  const rows: RepositoryRow[] = list.map((repository) => ({
    repository,
    health: healthById.get(repository.id) ?? null,
  }));
  const shown = applyListing(rows, listing);
  const languages = languagesOf(list);
  const loadingMetrics = reports.filter((report) => report.isPending && report.fetchStatus !== 'idle').length;
  const canFollow = can(team.role, 'follow');

  const update = (change: Partial<ListingState>) => {
    setParams(listingParams({ ...listing, ...change }), { replace: true });
  };

  return (
    <section className="page" aria-labelledby="repositories-title">
      <div className="page__header page__header--row">
        <div>
          <h1 id="repositories-title">Repositories</h1>
          <p className="muted">
            {repositories.data === undefined
              ? `Followed by ${team.name}.`
              : `${list.length} followed by ${team.name}. Health over the last ${BADGE_DAYS} days.`}
          </p>
        </div>
        {canFollow && (
          <Link className="button button--primary" to={`/teams/${team.id}/repositories/add`} data-testid="add-repositories">
            Add repositories
          </Link>
        )}
      </div>

      {repositories.isPending && <Loading label="Loading the repositories…" />}
      {repositories.isError && (
        <ErrorNotice
          error={repositories.error}
          prefix="Could not load the repositories"
          onRetry={() => void repositories.refetch()}
        />
      )}

      {repositories.data !== undefined && list.length === 0 && (
        <EmptyState title="This team follows no repository yet." testId="repositories-empty">
          {canFollow ? (
            <Link to={`/teams/${team.id}/repositories/add`}>Pick repositories to follow</Link>
          ) : (
            'Ask a member of the team to follow some.'
          )}
        </EmptyState>
      )}

      {list.length > 0 && (
        <>
          <ListingToolbar listing={listing} languages={languages} onChange={update} />
          <p className="muted small list-summary" aria-live="polite">
            {isFiltered(listing) ? `${shown.length} of ${list.length} shown` : `${list.length} repositories`}
            {loadingMetrics > 0 && ` · loading health of ${loadingMetrics}…`}
          </p>
          {shown.length === 0 ? (
            <EmptyState title="No repository matches." testId="repositories-no-match">
              <button type="button" className="button button--small" onClick={() => {
                  update(DEFAULT_LISTING);
                }}>
                Clear search and filters
              </button>
            </EmptyState>
          ) : (
            <ul className="repo-list">
              {shown.map((row) => {
                const index = list.indexOf(row.repository);
                const report = reports[index];
                return (
                  <RepositoryListItem
                    key={row.repository.id}
                    row={row}
                    teamId={team.id}
                    metricsError={report?.isError === true}
                  />
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function ListingToolbar({
  listing,
  languages,
  onChange,
}: {
  readonly listing: ListingState;
  readonly languages: readonly string[];
  readonly onChange: (change: Partial<ListingState>) => void;
}) {
  const searchId = useId();
  const sortId = useId();
  const languageId = useId();
  return (
    <div className="toolbar" role="search">
      <label htmlFor={searchId} className="visually-hidden">
        Search repositories
      </label>
      <input
        id={searchId}
        type="search"
        className="input toolbar__search"
        placeholder="Search name, description, topic…"
        value={listing.query}
        data-testid="repository-search"
        onChange={(event) => {
          onChange({ query: event.target.value });
        }}
      />
      <span className="toolbar__field">
        <label htmlFor={sortId} className="toolbar__label">
          Sort
        </label>
        <select
          id={sortId}
          className="select"
          value={listing.sort}
          data-testid="repository-sort"
          onChange={(event) => {
            const sort = SORTS.find((option) => option.key === event.target.value);
            onChange({ sort: sort?.key ?? 'name' });
          }}
        >
          {SORTS.map((option) => (
            <option key={option.key} value={option.key}>
              {option.label}
            </option>
          ))}
        </select>
      </span>
      <span className="toolbar__field">
        <label htmlFor={languageId} className="toolbar__label">
          Language
        </label>
        <select
          id={languageId}
          className="select"
          value={listing.language ?? ''}
          data-testid="repository-language"
          onChange={(event) => {
            onChange({ language: event.target.value === '' ? null : event.target.value });
          }}
        >
          <option value="">Any</option>
          {languages.map((language) => (
            <option key={language} value={language}>
              {language}
            </option>
          ))}
        </select>
      </span>
      <label className="check-label">
        <input
          type="checkbox"
          checked={listing.failingCi}
          data-testid="filter-failing-ci"
          onChange={(event) => {
            onChange({ failingCi: event.target.checked });
          }}
        />
        Failing CI
      </label>
      <label className="check-label">
        <input
          type="checkbox"
          checked={listing.stalePulls}
          data-testid="filter-stale-prs"
          onChange={(event) => {
            onChange({ stalePulls: event.target.checked });
          }}
        />
        Stale PRs
      </label>
    </div>
  );
}

function RepositoryListItem({
  row,
  teamId,
  metricsError,
}: {
  readonly row: RepositoryRow;
  readonly teamId: number;
  readonly metricsError: boolean;
}) {
  const { repository, health } = row;
  const now = useNow();
  return (
    <li
      className="repo-row card"
      data-testid="repository-row"
      data-full-name={repository.full_name}
      data-health={health?.level ?? 'unknown'}
    >
      <div className="repo-row__main">
        <div className="repo-row__title">
          <Link to={`/teams/${teamId}/repositories/${repository.id}`} data-testid="repository-link" className="repo-row__name">
            {repository.full_name}
          </Link>
          {repository.private && <span className="chip">private</span>}
          {repository.archived && <span className="chip chip--warn">archived</span>}
        </div>
        {repository.description !== null && <p className="repo-row__description muted">{repository.description}</p>}
        {repository.topics.length > 0 && (
          <p className="topics">
            {repository.topics.map((topic) => (
              <span key={topic} className="topic">
                {topic}
              </span>
            ))}
          </p>
        )}
        <p className="repo-row__facts muted small">
          {repository.language !== null && <span>{repository.language}</span>}
          <span title="Stars">★ {formatNumber(repository.stars)}</span>
          <span title={health === null ? 'Open issues and pull requests (GitHub)' : 'Open issues'}>
            {formatNumber(openIssues(row))} open {health === null ? 'issues & PRs' : 'issues'}
          </span>
          <span>pushed {formatAgo(repository.pushed_at, now)}</span>
          <SyncStatus syncedAt={repository.synced_at} state={repository.synced_at === null ? 'syncing' : 'synced'} now={now} />
        </p>
      </div>
      <div className="repo-row__health">
        {health !== null ? (
          <HealthBadges badges={healthBadges(health, BADGE_DAYS)} />
        ) : repository.synced_at === null ? (
          <span className="muted small">Health after the first sync</span>
        ) : metricsError ? (
          <span className="muted small">Health unavailable</span>
        ) : (
          <span className="muted small" data-testid="health-loading">
            Loading health…
          </span>
        )}
      </div>
    </li>
  );
}
