import { createBrowserRouter } from 'react-router-dom';

import { AppShell } from './components/AppShell';
import { NotFoundPage } from './features/not-found/NotFoundPage';
import { OverviewPage } from './features/overview/OverviewPage';
import { StatusPage } from './features/status/StatusPage';

export const routes = [
  {
    path: '/',
    element: <AppShell />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'status', element: <StatusPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
