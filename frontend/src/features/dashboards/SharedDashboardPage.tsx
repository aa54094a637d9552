import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useParams } from 'react-router-dom';

import { ApiError } from '../../api';
import { ErrorNotice, Loading } from '../../components/PageState';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { DashboardGrid, WidgetDataView } from './components/DashboardGrid';
import { WidgetFrame } from './components/WidgetFrame';
import type { Widget } from './document';
import { widgetLabel } from './DashboardPage';
import { catalogQuery, sharedQuery, sharedWidgetDataQuery } from './queries';
import './dashboards.css';

/**
 * `/shared/:token`: a dashboard through a read-only link, without signing in.
 * It polls (link viewers have no live channel). Test ids: `shared-dashboard`,
 * `shared-missing`, and the widgets' (see WidgetFrame).
 */
export function SharedDashboardPage() {
  const token = useParams()['token'] ?? '';
  const dashboard = useQuery(sharedQuery(token));
  const catalog = useQuery(catalogQuery).data;
  useDocumentTitle(dashboard.data?.title ?? 'Shared dashboard');
  const options = useCallback((widget: Widget) => sharedWidgetDataQuery(token, widget), [token]);

  if (dashboard.isPending) {
    return <Loading label="Loading the dashboard…" />;
  }
  if (dashboard.isError && dashboard.data === undefined) {
    if (dashboard.error instanceof ApiError && dashboard.error.status === 404) {
      return (
        <section className="page" data-testid="shared-missing">
          <div className="page__header">
            <h1>Link not valid</h1>
            <p className="lead">This link was revoked, has expired, or never existed. Ask its owner for a new one.</p>
          </div>
        </section>
      );
    }
    return (
      <section className="page">
        <ErrorNotice error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      </section>
    );
  }
  const data = dashboard.data;
  return (
    <section className="page page--dashboard" data-testid="shared-dashboard" data-version={data.version}>
      <div className="page__header">
        <h1 className="dashboard-title">
          <span data-testid="dashboard-title">{data.title}</span>
          <span className="chip">read-only</span>
        </h1>
        {data.description !== '' && <p className="lead">{data.description}</p>}
      </div>
      <DashboardGrid
        widgets={data.widgets}
        editing={false}
        frame={(widget) => (
          <WidgetFrame
            widget={widget}
            label={widgetLabel(widget, catalog)}
            editing={false}
            canEdit={false}
            focus={[]}
            highlight={undefined}
            changed={undefined}
            selected={false}
          >
            <WidgetDataView widget={widget} options={options} />
          </WidgetFrame>
        )}
      />
    </section>
  );
}
