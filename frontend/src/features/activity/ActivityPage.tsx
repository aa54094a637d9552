import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useNow } from '../../components/useNow';
import { describeLiveEvent, eventTone } from '../live/describe';
import { formatAgo } from '../metrics/format';
import { useTeam } from '../teams/TeamLayout';
import { can } from '../auth/model';
import { activityQuery, FILTERS, filterById } from './activity';
import { MarkMoment } from './MarkMoment';

/** `/teams/:teamId/activity`: everything that happened in the team, live (the team's channel refreshes it). */
export function ActivityPage() {
  const team = useTeam();
  const now = useNow();
  const [params, setParams] = useSearchParams();
  const filter = filterById(params.get('filter'));
  useDocumentTitle(`${team.name} · Activity`);
  const feed = useInfiniteQuery(activityQuery(team.id, filter.id));
  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="page" data-testid="activity-page">
      <div className="page__header">
        <h1>Activity</h1>
        <p className="lead">What happened in {team.name}&rsquo;s repositories and in HubDeck, newest first, as it happens.</p>
        <label className="small">
          Show{' '}
          <select
            className="select"
            value={filter.id}
            data-testid="activity-filter"
            onChange={(event) => {
              setParams(event.target.value === 'all' ? {} : { filter: event.target.value }, { replace: true });
            }}
          >
            {FILTERS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {can(team.role, 'follow') && <MarkMoment teamId={team.id} />}
      {feed.isPending && <Loading label="Loading the activity…" />}
      {feed.isError && <ErrorNotice error={feed.error} prefix="Could not load the activity" onRetry={() => void feed.refetch()} />}
      {feed.isSuccess && items.length === 0 && (
        <EmptyState title="Nothing yet." testId="activity-empty">
          Events appear here as they happen.
        </EmptyState>
      )}
      {items.length > 0 && (
        <ol className="live__events card" aria-live="polite" data-testid="activity-list">
          {items.map((event) => (
            <li key={event.id} className="live__event" data-testid="activity-item" data-type={event.type}>
              <span className={`live__tone live__tone--${eventTone(event.type)}`} aria-hidden="true" />
              <span className="live__text">{describeLiveEvent(event)}</span>
              <time className="muted small" dateTime={event.occurredAt}>
                {formatAgo(event.occurredAt, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {feed.hasNextPage && (
        <button
          type="button"
          className="button button--ghost"
          disabled={feed.isFetchingNextPage}
          data-testid="activity-more"
          onClick={() => void feed.fetchNextPage()}
        >
          {feed.isFetchingNextPage ? 'Loading…' : 'Older events'}
        </button>
      )}
    </section>
  );
}
