import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { errorMessage } from '../../../api';
import { ErrorNotice, Loading } from '../../../components/PageState';
import { useNow } from '../../../components/useNow';
import { formatAgo } from '../../metrics/format';
import { GRID_COLUMNS } from '../document';
import { personLabel } from '../people';
import { dashboardKey, revisionQuery, revisionsQuery } from '../queries';

/**
 * The dashboard's revisions, newest first: who, when, what. One opens as a
 * preview of the dashboard then; editors restore all of it, or one widget of
 * it, as a new revision (itself undoable by restoring the one before). Test
 * ids: `history-panel`, `revision` (`data-version`), `revision-preview`
 * (`data-version`, `data-title`), `restore-dashboard`, `restore-widget`
 * (`data-widget-id`).
 */
export function HistoryPanel({
  dashboardId,
  version,
  canRestore,
  onRestore,
  onClose,
}: {
  readonly dashboardId: number;
  /** The current version: the list refreshes when it changes. */
  readonly version: number;
  readonly canRestore: boolean;
  readonly onRestore: (version: number, widgetId: string | null) => Promise<void>;
  readonly onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const revisions = useInfiniteQuery(revisionsQuery(dashboardId));
  const [selected, setSelected] = useState<number | null>(null);
  const now = useNow();

  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: [...dashboardKey(dashboardId), 'revisions'], exact: true });
  }, [queryClient, dashboardId, version]);

  const list = revisions.data?.pages.flatMap((page) => page.revisions) ?? [];
  return (
    <aside className="side-panel" data-testid="history-panel" aria-label="History">
      <div className="side-panel__header">
        <h2>History</h2>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={onClose}
          data-testid="panel-close"
        >
          Close
        </button>
      </div>
      <div className="side-panel__body">
        {revisions.isPending && <Loading />}
        {revisions.isError && <ErrorNotice error={revisions.error} onRetry={() => void revisions.refetch()} />}
        <ol className="history">
          {list.map((revision) => (
            <li
              key={revision.version}
              className={revision.version === selected ? 'history__item history__item--selected' : 'history__item'}
            >
              <button
                type="button"
                className="history__button"
                onClick={() => {
                  setSelected(revision.version === selected ? null : revision.version);
                }}
                data-testid="revision"
                data-version={revision.version}
                aria-expanded={revision.version === selected}
              >
                <span className="history__summary">{revision.summary || `Version ${revision.version}`}</span>
                <span className="muted small">
                  v{revision.version} · {personLabel(revision.actor)} · {formatAgo(revision.at, now)}
                  {revision.restored_from !== null && ` · restored from v${revision.restored_from}`}
                </span>
              </button>
              {revision.version === selected && (
                <RevisionPreview
                  dashboardId={dashboardId}
                  version={revision.version}
                  current={revision.version === version}
                  canRestore={canRestore}
                  onRestore={onRestore}
                />
              )}
            </li>
          ))}
        </ol>
        {revisions.hasNextPage && (
          <button
            type="button"
            className="button button--small"
            onClick={() => void revisions.fetchNextPage()}
            disabled={revisions.isFetchingNextPage}
          >
            Older revisions
          </button>
        )}
      </div>
    </aside>
  );
}

function RevisionPreview({
  dashboardId,
  version,
  current,
  canRestore,
  onRestore,
}: {
  readonly dashboardId: number;
  readonly version: number;
  readonly current: boolean;
  readonly canRestore: boolean;
  readonly onRestore: (version: number, widgetId: string | null) => Promise<void>;
}) {
  const detail = useQuery(revisionQuery(dashboardId, version));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (detail.isPending) {
    return <Loading />;
  }
  if (detail.isError) {
    return <ErrorNotice error={detail.error} />;
  }
  const doc = detail.data.dashboard;
  const rows = Math.max(4, ...doc.widgets.map((widget) => widget.layout.y + widget.layout.h));
  const restore = (widgetId: string | null) => {
    setBusy(true);
    setError(null);
    onRestore(version, widgetId).then(
      () => {
        setBusy(false);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure);
      },
    );
  };
  return (
    <div className="revision" data-testid="revision-preview" data-version={version} data-title={doc.title}>
      <p>
        <strong>{doc.title}</strong>
        {doc.description !== '' && <span className="muted small"> — {doc.description}</span>}
      </p>
      <div
        className="revision__grid"
        style={{ gridTemplateColumns: `repeat(${GRID_COLUMNS}, 1fr)`, gridTemplateRows: `repeat(${rows}, 10px)` }}
        aria-hidden="true"
      >
        {doc.widgets.map((widget) => (
          <span
            key={widget.id}
            className="revision__cell"
            style={{
              gridColumn: `${widget.layout.x + 1} / span ${widget.layout.w}`,
              gridRow: `${widget.layout.y + 1} / span ${widget.layout.h}`,
            }}
            title={widget.title}
          />
        ))}
      </div>
      <ul className="revision__widgets">
        {doc.widgets.map((widget) => (
          <li key={widget.id}>
            <span>
              {widget.title || widget.config.metric} <span className="muted small">({widget.type})</span>
            </span>
            {canRestore && !current && (
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => {
                  restore(widget.id);
                }}
                disabled={busy}
                data-testid="restore-widget"
                data-widget-id={widget.id}
              >
                Restore this widget
              </button>
            )}
          </li>
        ))}
      </ul>
      {canRestore && !current && (
        <button
          type="button"
          className="button button--small button--primary"
          onClick={() => {
            restore(null);
          }}
          disabled={busy}
          data-testid="restore-dashboard"
        >
          Restore this version
        </button>
      )}
      {error !== null && <p className="notice notice--error small">{errorMessage(error)}</p>}
    </div>
  );
}
