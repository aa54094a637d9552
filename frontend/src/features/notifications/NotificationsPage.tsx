import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { useSignedIn } from '../auth/RequireUser';
import { flattenPages } from './cache';
import { DEFAULT_FILTERS, filtersToSearch, isFiltered, parseFilters, type NotificationFilters } from './filters';
import { useOpenNotification } from './hooks';
import { KINDS, LEVELS, LEVEL_LABELS, kindLabel, type Notification } from './model';
import { NOTIFICATION_SETTINGS_PATH } from './NotificationBell';
import { NotificationSummary } from './NotificationSummary';
import { notificationListQuery, unreadCountQuery, useArchive, useMarkRead } from './queries';

/** `/notifications`: every notification, filtered (in the URL), page by page. */
export function NotificationsPage() {
  useDocumentTitle('Notifications');
  const me = useSignedIn();
  const [params, setParams] = useSearchParams();
  const filters = parseFilters(params);
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(notificationListQuery(queryClient, filters));
  const count = useQuery(unreadCountQuery(queryClient)).data;
  const items = flattenPages(list.data);
  const markRead = useMarkRead();
  const archive = useArchive();
  const openNotification = useOpenNotification();

  const update = (change: Partial<NotificationFilters>) => {
    setParams(filtersToSearch({ ...filters, ...change }), { replace: true });
  };

  return (
    <section className="page" aria-labelledby="notifications-title">
      <div className="page__header page__header--row">
        <div>
          <h1 id="notifications-title">Notifications</h1>
          <p className="muted" data-testid="notifications-unread">
            {count === undefined ? '\u00a0' : count === 0 ? 'Nothing unread.' : `${count} unread.`}
          </p>
        </div>
        <div className="page__actions">
          <button
            type="button"
            className="button"
            data-testid="page-mark-all-read"
            disabled={markRead.isPending || count === 0}
            onClick={() => {
              markRead.mutate('all');
            }}
          >
            Mark all read
          </button>
          <Link className="button" to={NOTIFICATION_SETTINGS_PATH} data-testid="notification-settings-link">
            Settings
          </Link>
        </div>
      </div>

      <Filters filters={filters} teams={me.teams} onChange={update} />
      {(markRead.isError || archive.isError) && (
        <ErrorNotice error={markRead.error ?? archive.error} prefix="Could not change the notification" />
      )}

      {list.isPending && <Loading label="Loading the notifications…" />}
      {list.isError && (
        <ErrorNotice error={list.error} prefix="Could not load the notifications" onRetry={() => void list.refetch()} />
      )}
      {list.data !== undefined && items.length === 0 && (
        <EmptyState
          title={isFiltered(filters) ? 'No notification matches.' : 'No notifications.'}
          testId="notifications-empty"
        >
          {isFiltered(filters) ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                update(DEFAULT_FILTERS);
              }}
            >
              Clear the filters
            </button>
          ) : (
            'Reviews requested from you, failing workflows and the like will show here.'
          )}
        </EmptyState>
      )}

      {items.length > 0 && (
        <ul className="notif-list card">
          {items.map((notification) => (
            <NotificationRow
              key={notification.id}
              notification={notification}
              onOpen={openNotification}
              onMarkRead={() => {
                markRead.mutate([notification.id]);
              }}
              onArchive={() => {
                archive.mutate([notification.id]);
              }}
            />
          ))}
        </ul>
      )}

      {list.hasNextPage && (
        <div className="notif-more">
          <button
            type="button"
            className="button"
            data-testid="load-more"
            disabled={list.isFetchingNextPage}
            onClick={() => {
              void list.fetchNextPage();
            }}
          >
            {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
      {list.isFetchNextPageError && (
        <ErrorNotice error={list.error} prefix="Could not load more" onRetry={() => void list.fetchNextPage()} />
      )}
    </section>
  );
}

function NotificationRow({
  notification,
  onOpen,
  onMarkRead,
  onArchive,
}: {
  readonly notification: Notification;
  readonly onOpen: (notification: Notification) => void;
  readonly onMarkRead: () => void;
  readonly onArchive: () => void;
}) {
  const unread = notification.read_at === null;
  return (
    <li
      className={unread ? 'notif-row notif-row--unread' : 'notif-row'}
      data-testid="notification-row"
      data-id={notification.id}
      data-unread={unread}
      data-kind={notification.kind}
      data-level={notification.level}
    >
      <button
        type="button"
        className="notif-row__open"
        data-testid="notification-open"
        onClick={() => {
          onOpen(notification);
        }}
      >
        <NotificationSummary notification={notification} />
      </button>
      <div className="notif-row__actions">
        {unread ? (
          <button type="button" className="button button--small" data-testid="mark-read-button" onClick={onMarkRead}>
            Mark read
          </button>
        ) : (
          <span className="muted small notif-row__state" data-testid="read-state">
            Read
          </span>
        )}
        <button
          type="button"
          className="button button--small button--quiet"
          data-testid="archive-button"
          onClick={onArchive}
        >
          Archive
        </button>
      </div>
    </li>
  );
}

function Filters({
  filters,
  teams,
  onChange,
}: {
  readonly filters: NotificationFilters;
  readonly teams: readonly { readonly id: number; readonly name: string }[];
  readonly onChange: (change: Partial<NotificationFilters>) => void;
}) {
  const id = useId();
  const kinds: readonly string[] = KINDS;
  return (
    <div className="toolbar" role="group" aria-label="Filters">
      <label className="check-label">
        <input
          type="checkbox"
          data-testid="filter-unread"
          checked={filters.unread}
          onChange={(event) => {
            onChange({ unread: event.target.checked });
          }}
        />
        Unread only
      </label>
      <span className="toolbar__field">
        <label className="toolbar__label" htmlFor={`${id}-level`}>
          Level
        </label>
        <select
          id={`${id}-level`}
          className="select select--compact"
          data-testid="filter-level"
          value={filters.level ?? ''}
          onChange={(event) => {
            const value = event.target.value;
            onChange({ level: LEVELS.find((level) => level === value) ?? null });
          }}
        >
          <option value="">Any</option>
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {LEVEL_LABELS[level]}
            </option>
          ))}
        </select>
      </span>
      <span className="toolbar__field">
        <label className="toolbar__label" htmlFor={`${id}-kind`}>
          Kind
        </label>
        <select
          id={`${id}-kind`}
          className="select select--compact"
          data-testid="filter-kind"
          value={filters.kind ?? ''}
          onChange={(event) => {
            onChange({ kind: event.target.value === '' ? null : event.target.value });
          }}
        >
          <option value="">Any</option>
          {(filters.kind === null || kinds.includes(filters.kind) ? kinds : [...kinds, filters.kind]).map((kind) => (
            <option key={kind} value={kind}>
              {kindLabel(kind)}
            </option>
          ))}
        </select>
      </span>
      {teams.length > 0 && (
        <span className="toolbar__field">
          <label className="toolbar__label" htmlFor={`${id}-team`}>
            Team
          </label>
          <select
            id={`${id}-team`}
            className="select select--compact"
            data-testid="filter-team"
            value={filters.teamId ?? ''}
            onChange={(event) => {
              const value = Number(event.target.value);
              onChange({ teamId: Number.isInteger(value) && value > 0 ? value : null });
            }}
          >
            <option value="">Any</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
            {filters.teamId !== null && !teams.some((team) => team.id === filters.teamId) && (
              <option value={filters.teamId}>Team #{filters.teamId}</option>
            )}
          </select>
        </span>
      )}
    </div>
  );
}
