import { createBrowserRouter } from 'react-router-dom';

import { AppShell } from './components/AppShell';
import { ActivityPage } from './features/activity/ActivityPage';
import { Loading } from './components/PageState';
import { RequireUser } from './features/auth/RequireUser';
import { SignInPage } from './features/auth/SignInPage';
import { NotFoundPage } from './features/not-found/NotFoundPage';
import { NotificationSettingsPage } from './features/notifications/NotificationSettingsPage';
import { NotificationsPage } from './features/notifications/NotificationsPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { PoolPage } from './features/pool/PoolPage';
import { RepositoryListPage } from './features/repositories/RepositoryListPage';
import { RepositoryPickerPage } from './features/repositories/RepositoryPickerPage';
import { DevicesPage } from './features/sessions/DevicesPage';
import { StatusPage } from './features/status/StatusPage';
import { JoinPage } from './features/teams/JoinPage';
import { TeamLayout } from './features/teams/TeamLayout';
import { TeamSettingsPage } from './features/teams/TeamSettingsPage';
import { TeamSetupPage } from './features/teams/TeamSetupPage';
import { EndpointPage } from './features/webhooks/EndpointPage';
import { WebhooksPage } from './features/webhooks/WebhooksPage';

export const routes = [
  {
    path: '/',
    element: <AppShell />,
    // Shown while the first page's code loads (the dashboards are a chunk of their own).
    hydrateFallbackElement: <Loading label="Loading HubDeck…" />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'status', element: <StatusPage /> },
      { path: 'signin', element: <SignInPage /> },
      {
        // Pages that need a signed-in user: without one they show the sign-in page.
        element: <RequireUser />,
        children: [
          { path: 'teams/new', element: <TeamSetupPage /> },
          { path: 'join/:token', element: <JoinPage /> },
          { path: 'notifications', element: <NotificationsPage /> },
          { path: 'settings/notifications', element: <NotificationSettingsPage /> },
          { path: 'settings/devices', element: <DevicesPage /> },
          {
            path: 'dashboards',
            lazy: async () => ({ Component: (await import('./features/dashboards/DashboardListPage')).DashboardListPage }),
          },
          {
            path: 'dashboards/:dashboardId',
            lazy: async () => ({ Component: (await import('./features/dashboards/DashboardPage')).DashboardPage }),
          },
          {
            path: 'teams/:teamId',
            element: <TeamLayout />,
            children: [
              // The two dashboards load on first use, with Chart.js (a chunk of its own).
              {
                index: true,
                lazy: async () => ({ Component: (await import('./features/overview/TeamOverviewPage')).TeamOverviewPage }),
              },
              { path: 'repositories', element: <RepositoryListPage /> },
              { path: 'settings', element: <TeamSettingsPage /> },
              { path: 'activity', element: <ActivityPage /> },
              { path: 'repositories/add', element: <RepositoryPickerPage /> },
              { path: 'pool', element: <PoolPage /> },
              {
                path: 'repositories/:repositoryId',
                lazy: async () => ({ Component: (await import('./features/repositories/RepositoryPage')).RepositoryPage }),
              },
              { path: 'webhooks', element: <WebhooksPage /> },
              { path: 'webhooks/:endpointId', element: <EndpointPage /> },
            ],
          },
        ],
      },
      // A dashboard through a read-only link: no account needed.
      {
        path: 'shared/:token',
        lazy: async () => ({ Component: (await import('./features/dashboards/SharedDashboardPage')).SharedDashboardPage }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
