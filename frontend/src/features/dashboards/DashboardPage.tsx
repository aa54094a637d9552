import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';

import { ApiError } from '../../api';
import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import type { Team } from '../auth/model';
import { useMeData } from '../auth/queries';
import { useLiveTeam } from '../live/hooks';
import { parseId } from '../teams/currentTeam';
import { DashboardGrid, nudgeOp, WidgetDataView } from './components/DashboardGrid';
import { AnnotationsContext, annotationsQuery, type Annotation } from './annotations';
import { CommentsPanel } from './components/CommentsPanel';
import { HistoryPanel } from './components/HistoryPanel';
import { PresenceBar } from './components/PresenceBar';
import { SharePanel } from './components/SharePanel';
import { WidgetConfigPanel } from './components/WidgetConfigPanel';
import { WidgetFrame, type ChangedMark } from './components/WidgetFrame';
import { DASHBOARD_TARGET, findWidget, GRID_COLUMNS, type DashboardDoc, type Op, type Widget } from './document';
import { randomId, type EditNotice } from './editing';
import { canEdit, type Catalog, type ChangedSince, type UserRef } from './model';
import { peopleLabel, personLabel, propertyLabel } from './people';
import { catalogQuery, useDeleteDashboard, widgetDataQuery } from './queries';
import { useDashboardSession, type Focus, type ShownNotice } from './useDashboardSession';
import './dashboards.css';

const NO_ANNOTATIONS: readonly Annotation[] = [];

/** How long the "deleted — undo" offer stays. */
const UNDO_MS = 15_000;

type Panel =
  | { readonly kind: 'config'; readonly widgetId: string }
  | { readonly kind: 'history' }
  | { readonly kind: 'share' }
  | { readonly kind: 'comments' }
  | null;

/** `/dashboards/:dashboardId`. */
export function DashboardPage() {
  const id = parseId(useParams()['dashboardId']);
  const me = useMeData();
  if (id === null) {
    return <Missing />;
  }
  return <DashboardView key={id} id={id} me={me?.user ?? null} teams={me?.teams ?? []} />;
}

function Missing() {
  useDocumentTitle('Dashboard not found');
  return (
    <section className="page" data-testid="dashboard-missing">
      <div className="page__header">
        <h1>Dashboard not found</h1>
        <p className="lead">This dashboard does not exist, was deleted, or is not shared with you.</p>
      </div>
      <Link to="/dashboards">All dashboards</Link>
    </section>
  );
}

/** The title of a widget as shown: its own, else its metric's label. */
export function widgetLabel(widget: Widget, catalog: Catalog | undefined): string {
  if (widget.title !== '') {
    return widget.title;
  }
  return catalog?.metrics.find((metric) => metric.id === widget.config.metric)?.label ?? widget.config.metric;
}

/** A new widget below the others. */
export function newWidget(doc: DashboardDoc): Widget {
  const bottom = Math.max(0, ...doc.widgets.map((widget) => widget.layout.y + widget.layout.h));
  return {
    id: `w-${randomId(10)}`,
    type: 'number',
    title: '',
    config: { repositories: [], metric: 'pulls_merged', range: '28d', filters: {} },
    layout: { x: 0, y: bottom, w: 3, h: 2 },
  };
}

function changedMarks(changed: ChangedSince | null): ReadonlyMap<string, ChangedMark> {
  const marks = new Map<string, ChangedMark>();
  for (const widget of changed?.widgets ?? []) {
    marks.set(widget.widget_id, { by: peopleLabel(widget.by), added: widget.added });
  }
  return marks;
}

function DashboardView({
  id,
  me,
  teams,
}: {
  readonly id: number;
  readonly me: UserRef | null;
  readonly teams: readonly Team[];
}) {
  const session = useDashboardSession(id, me);
  const catalog = useQuery(catalogQuery).data;
  // The team's annotations on the time-series widgets, kept fresh by the team's channel.
  useLiveTeam(session.teamId);
  const annotations =
    useQuery({ ...annotationsQuery(session.teamId ?? 0), enabled: session.teamId !== null }).data ?? NO_ANNOTATIONS;
  const [editing, setEditing] = useState(false);
  // A notification's link (`?comment=`) opens the comments on that comment's thread.
  const [params] = useSearchParams();
  const focusComment = Number.parseInt(params.get('comment') ?? '', 10);
  const [panel, setPanel] = useState<Panel>(() => (Number.isNaN(focusComment) ? null : { kind: 'comments' }));
  const [removed, setRemoved] = useState<readonly { widget: Widget; at: number }[]>([]);
  const [marksSeen, setMarksSeen] = useState(false);
  const deleteDashboard = useDeleteDashboard();
  const navigate = useNavigate();
  const { doc, edit, setFocus } = session;
  const editable = canEdit(session.role);
  useDocumentTitle(doc?.title ?? 'Dashboard');

  const marks = useMemo(
    () => (marksSeen ? new Map<string, ChangedMark>() : changedMarks(session.changedSince)),
    [marksSeen, session.changedSince],
  );
  const focusByWidget = useMemo(() => {
    const byWidget = new Map<string, Focus[]>();
    for (const focus of session.focus.values()) {
      byWidget.set(focus.widgetId, [...(byWidget.get(focus.widgetId) ?? []), focus]);
    }
    return byWidget;
  }, [session.focus]);

  const configured = panel?.kind === 'config' ? panel.widgetId : null;
  // Others see which widget this page is editing.
  useEffect(() => {
    setFocus(configured);
  }, [configured, setFocus]);
  useEffect(
    () => () => {
      setFocus(null);
    },
    [setFocus],
  );

  const remove = useCallback(
    (widget: Widget) => {
      if (edit([{ op: 'remove_widget', widget_id: widget.id }])) {
        const entry = { widget, at: Date.now() };
        setRemoved((list) => [...list, entry]);
        setTimeout(() => {
          setRemoved((list) => list.filter((item) => item !== entry));
        }, UNDO_MS);
        setPanel((current) => (current?.kind === 'config' && current.widgetId === widget.id ? null : current));
      }
    },
    [edit],
  );
  const undo = (entry: { widget: Widget; at: number }) => {
    edit([{ op: 'restore_widget', widget: entry.widget }]);
    setRemoved((list) => list.filter((item) => item !== entry));
  };
  const onGrab = useCallback(
    (widgetId: string | null) => {
      setFocus(widgetId ?? configured);
    },
    [setFocus, configured],
  );
  const onLayout = useCallback((ops: Op[]) => void edit(ops), [edit]);
  const dataOptions = useCallback((widget: Widget) => widgetDataQuery(id, widget), [id]);

  if (session.status.kind === 'loading') {
    return <Loading label="Loading the dashboard…" />;
  }
  if (session.status.kind === 'deleted') {
    return (
      <section className="page" data-testid="dashboard-deleted">
        <h1>This dashboard was deleted</h1>
        <Link to="/dashboards">All dashboards</Link>
      </section>
    );
  }
  if (session.status.kind === 'error') {
    const error = session.status.error;
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      return <Missing />;
    }
    return (
      <section className="page">
        <ErrorNotice
          error={error}
          onRetry={() => {
            window.location.reload();
          }}
        />
      </section>
    );
  }
  if (doc === null) {
    return null;
  }

  const configuredWidget = configured === null ? undefined : findWidget(doc, configured);
  const titleChanged = session.changedSince?.dashboard.find((item) => item.path === 'title');
  const dashboardHighlight = session.highlights.get(DASHBOARD_TARGET);

  return (
    <section
      className={`page page--dashboard${panel === null ? '' : ' page--with-panel'}`}
      data-testid="dashboard-page"
      data-version={session.version}
      data-role={session.role}
      data-live={session.live}
    >
      <nav className="breadcrumbs small" aria-label="Breadcrumbs">
        <Link to="/dashboards">Dashboards</Link> / <span>{doc.title}</span>
      </nav>
      <div className="page__header page__header--row dashboard-header">
        <div className="dashboard-header__text">
          <TitleEditor
            title={doc.title}
            editable={editable}
            onRename={(title) => edit([{ op: 'set', target: DASHBOARD_TARGET, path: 'title', value: title }])}
          />
          {dashboardHighlight !== undefined && (
            <span className="dashboard-header__changed" data-testid="dashboard-highlight" role="status">
              Changed by {personLabel(dashboardHighlight.by)}
            </span>
          )}
          {titleChanged !== undefined && !marksSeen && (
            <span className="widget__mark" data-testid="changed-since-title">
              renamed by {peopleLabel(titleChanged.by)} since your last visit
            </span>
          )}
          <DescriptionEditor
            description={doc.description}
            editable={editable && editing}
            onChange={(description) =>
              edit([{ op: 'set', target: DASHBOARD_TARGET, path: 'description', value: description }])
            }
          />
        </div>
        <div className="page__actions">
          <PresenceBar present={session.present} self={me?.id ?? null} />
          {editable && (
            <button
              type="button"
              className={`button${editing ? ' button--primary' : ''}`}
              onClick={() => {
                setEditing((value) => !value);
              }}
              aria-pressed={editing}
              data-testid="edit-toggle"
            >
              {editing ? 'Done' : 'Edit'}
            </button>
          )}
          {editable && editing && (
            <button
              type="button"
              className="button"
              data-testid="add-widget"
              disabled={doc.widgets.length >= 50}
              onClick={() => {
                const widget = newWidget(doc);
                if (edit([{ op: 'add_widget', widget }])) {
                  setPanel({ kind: 'config', widgetId: widget.id });
                }
              }}
            >
              Add widget
            </button>
          )}
          {session.role === 'owner' && editing && (
            <button
              type="button"
              className="button button--quiet"
              data-testid="delete-dashboard"
              disabled={deleteDashboard.isPending}
              onClick={() => {
                if (window.confirm(`Delete “${doc.title}” for everyone? This cannot be undone.`)) {
                  deleteDashboard.mutate(id, {
                    onSuccess: () => {
                      void navigate('/dashboards');
                    },
                  });
                }
              }}
            >
              Delete dashboard
            </button>
          )}
          <button
            type="button"
            className="button"
            onClick={() => {
              setPanel(panel?.kind === 'history' ? null : { kind: 'history' });
            }}
            data-testid="history-button"
          >
            History
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setPanel(panel?.kind === 'share' ? null : { kind: 'share' });
            }}
            data-testid="share-button"
          >
            Share
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setPanel(panel?.kind === 'comments' ? null : { kind: 'comments' });
            }}
            data-testid="comments-button"
          >
            Comments
          </button>
        </div>
      </div>

      {deleteDashboard.isError && <ErrorNotice error={deleteDashboard.error} prefix="The dashboard was not deleted" />}
      <Notices notices={session.notices} doc={doc} catalog={catalog} onDismiss={session.dismiss} />
      {/* A removal refused, or undone elsewhere, has nothing to undo. */}
      {removed
        .filter((entry) => findWidget(doc, entry.widget.id) === undefined)
        .map((entry) => (
          <div key={entry.at} className="notice notice--info notice--row" data-testid="undo-delete" role="status">
            <span>Deleted “{widgetLabel(entry.widget, catalog)}”.</span>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                undo(entry);
              }}
              data-testid="undo-button"
            >
              Undo
            </button>
          </div>
        ))}
      {marks.size > 0 && (
        <div className="notice notice--info notice--row" data-testid="changed-since-banner">
          <span>
            {marks.size === 1 ? 'One widget was' : `${marks.size} widgets were`} changed by others since your last
            visit.
            {(session.changedSince?.removed.length ?? 0) > 0 &&
              ` ${session.changedSince?.removed.length ?? 0} removed.`}
          </span>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setMarksSeen(true);
            }}
          >
            Clear marks
          </button>
        </div>
      )}

      <AnnotationsContext.Provider value={annotations}>
      <div className="dashboard-body">
        <div className="dashboard-body__grid">
          {doc.widgets.length === 0 ? (
            <div className="empty" data-testid="dashboard-empty">
              <p className="empty__title">No widgets yet.</p>
              {editable && <p className="empty__body">Choose Edit, then Add widget.</p>}
            </div>
          ) : (
            <DashboardGrid
              widgets={doc.widgets}
              editing={editing && editable}
              onLayout={onLayout}
              onGrab={onGrab}
              frame={(widget) => (
                <WidgetFrame
                  widget={widget}
                  label={widgetLabel(widget, catalog)}
                  editing={editing && editable}
                  canEdit={editable}
                  focus={focusByWidget.get(widget.id) ?? []}
                  highlight={session.highlights.get(widget.id)}
                  changed={marks.get(widget.id)}
                  selected={configured === widget.id}
                  onConfigure={() => {
                    setPanel({ kind: 'config', widgetId: widget.id });
                  }}
                  onDelete={() => {
                    remove(widget);
                  }}
                  onNudge={(change) => {
                    const op = nudgeOp(widget, change);
                    if (op !== null) {
                      edit([op]);
                    }
                  }}
                >
                  <WidgetDataView widget={widget} options={dataOptions} />
                </WidgetFrame>
              )}
            />
          )}
        </div>
        {panel?.kind === 'config' && configuredWidget !== undefined && (
          <WidgetConfigPanel
            key={configuredWidget.id}
            widget={configuredWidget}
            catalog={catalog}
            teamId={session.teamId}
            readOnly={!editable}
            onSet={(path, value) => edit([{ op: 'set', target: configuredWidget.id, path, value }])}
            onClose={() => {
              setPanel(null);
            }}
          />
        )}
        {panel?.kind === 'history' && (
          <HistoryPanel
            dashboardId={id}
            version={session.version}
            canRestore={editable}
            onRestore={session.restore}
            onClose={() => {
              setPanel(null);
            }}
          />
        )}
        {panel?.kind === 'comments' && (
          <CommentsPanel
            dashboardId={id}
            teamId={session.teamId}
            meId={me?.id ?? null}
            canModerate={editable}
            widgets={doc.widgets.map((widget) => ({ id: widget.id, label: widgetLabel(widget, catalog) }))}
            focusComment={Number.isNaN(focusComment) ? null : focusComment}
            onClose={() => {
              setPanel(null);
            }}
          />
        )}
        {panel?.kind === 'share' && (
          <SharePanel
            dashboardId={id}
            isOwner={session.role === 'owner'}
            teams={teams}
            onClose={() => {
              setPanel(null);
            }}
          />
        )}
      </div>
      </AnnotationsContext.Provider>
      <p className="muted small dashboard-footer">
        {GRID_COLUMNS}-column grid · version {session.version}
        {session.owner !== null && ` · created by ${session.owner.login}`}
      </p>
    </section>
  );
}

function noticeText(notice: EditNotice, doc: DashboardDoc, catalog: Catalog | undefined): string {
  switch (notice.kind) {
    case 'overwritten': {
      const widget = notice.target === DASHBOARD_TARGET ? undefined : findWidget(doc, notice.target);
      const what = propertyLabel(
        notice.target,
        notice.path,
        widget === undefined ? null : widgetLabel(widget, catalog),
      );
      return `${personLabel(notice.by)} changed ${what} you had set.`;
    }
    case 'dropped':
      return `${personLabel(notice.by)} deleted a widget you were editing; your change to it was not kept.`;
    case 'refused':
      return `Your change was not saved: ${notice.message}`;
  }
}

function Notices({
  notices,
  doc,
  catalog,
  onDismiss,
}: {
  readonly notices: readonly ShownNotice[];
  readonly doc: DashboardDoc;
  readonly catalog: Catalog | undefined;
  readonly onDismiss: (id: number) => void;
}) {
  if (notices.length === 0) {
    return null;
  }
  return (
    <div className="dashboard-notices" aria-live="polite">
      {notices.map(({ id, notice }) => (
        <div
          key={id}
          className={`notice notice--row ${notice.kind === 'refused' ? 'notice--error' : 'notice--warn'}`}
          data-testid="edit-notice"
          data-kind={notice.kind}
          role="status"
        >
          <span>{noticeText(notice, doc, catalog)}</span>
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => {
              onDismiss(id);
            }}
            aria-label="Dismiss"
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

/** The dashboard's title; editors rename it in place (sent on Enter or when the field is left). */
function TitleEditor({
  title,
  editable,
  onRename,
}: {
  readonly title: string;
  readonly editable: boolean;
  readonly onRename: (title: string) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    const next = draft?.trim() ?? '';
    setDraft(null);
    if (next !== '' && next !== title) {
      onRename(next.slice(0, 200));
    }
  };
  if (draft !== null) {
    return (
      <input
        className="input dashboard-title-input"
        value={draft}
        maxLength={200}
        // Renaming is what the user just asked for.
        autoFocus
        onChange={(event) => {
          setDraft(event.target.value);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            commit();
          } else if (event.key === 'Escape') {
            setDraft(null);
          }
        }}
        aria-label="Dashboard title"
        data-testid="title-input"
      />
    );
  }
  return (
    <h1 className="dashboard-title">
      <span data-testid="dashboard-title">{title}</span>
      {editable && (
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => {
            setDraft(title);
          }}
          data-testid="rename-button"
        >
          Rename
        </button>
      )}
    </h1>
  );
}

function DescriptionEditor({
  description,
  editable,
  onChange,
}: {
  readonly description: string;
  readonly editable: boolean;
  readonly onChange: (description: string) => void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (!editable) {
    return description === '' ? null : (
      <p className="lead" data-testid="dashboard-description">
        {description}
      </p>
    );
  }
  return (
    <textarea
      className="input dashboard-description-input"
      rows={2}
      maxLength={2000}
      placeholder="Add a description"
      value={draft ?? description}
      onChange={(event) => {
        setDraft(event.target.value);
      }}
      onBlur={() => {
        if (draft !== null && draft !== description) {
          onChange(draft);
        }
        setDraft(null);
      }}
      data-testid="description-input"
    />
  );
}
