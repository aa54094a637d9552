// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { MetricsDashboard } from './features/metrics/MetricsDashboard';
import { emptyReport, rawSample, sampleReport } from './features/metrics/testing/fixtures';
import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

type Handler = (init: RequestInit | undefined) => Response | Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const unauthenticated = () => json(401, { error: { code: 'unauthenticated', message: 'sign in first' } });

/** A fake server: "METHOD /path" → handler; anything else is a 404. Returns the calls made. */
function serve(routesByKey: Record<string, Handler>) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      const key = `${init?.method ?? 'GET'} ${url}`;
      calls.push(key);
      const handler = routesByKey[key] ?? routesByKey[key.split('?')[0] ?? key];
      return Promise.resolve(handler ? handler(init) : json(404, { error: { code: 'not_found', message: 'no' } }));
    }),
  );
  return calls;
}

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <QueryClientProvider client={createQueryClient({ retry: 0 })}>
      <RealtimeProvider connection={connection}>
        <RouterProvider router={router} />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
  return router;
}

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const platform = { id: 1, slug: 'platform', name: 'Platform', github_org: null, role: 'owner' };
const mobile = { id: 2, slug: 'mobile', name: 'Mobile', github_org: null, role: 'viewer' };

function repository(id: number, name: string, fields: Record<string, unknown> = {}) {
  return {
    id,
    github_id: 700 + id,
    full_name: `acme/${name}`,
    owner: 'acme',
    name,
    private: false,
    description: `The ${name} of Acme Corp`,
    html_url: `https://github.com/acme/${name}`,
    default_branch: 'main',
    stars: id,
    forks: 0,
    watchers: 0,
    open_issues: 3,
    topics: [],
    language: 'TypeScript',
    archived: false,
    pushed_at: '2026-11-25T11:48:27Z',
    synced_at: '2026-11-26T00:59:21Z',
    languages: { TypeScript: 100 },
    ...fields,
  };
}

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
  });
  localStorage.clear();
  // jsdom has no canvas: charts keep their <canvas> and label, Chart.js is not started.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  cleanup();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('signing in', () => {
  it('shows the sign-in page instead of a page that needs a user, coming back to it afterwards', async () => {
    serve({ 'GET /api/me': unauthenticated });
    renderAt('/teams/1/repositories?sort=ci');
    const button = await screen.findByTestId('signin-button');
    expect(button.getAttribute('href')).toBe('/auth/github/login?next=%2Fteams%2F1%2Frepositories%3Fsort%3Dci');
    expect(screen.queryByTestId('user-menu')).toBeNull();
  });

  it('explains ?error= on /signin', async () => {
    serve({ 'GET /api/me': unauthenticated });
    renderAt('/signin?error=access_denied');
    expect((await screen.findByTestId('signin-error')).textContent).toMatch(/cancelled the sign-in/);
  });

  it('shows the user and signs out', async () => {
    const calls = serve({
      'GET /api/me': () => json(200, { user: alice, teams: [] }),
      'POST /api/auth/logout': () => json(204, null),
    });
    const router = renderAt('/status');
    const menu = await screen.findByTestId('user-menu');
    expect(menu.textContent).toContain('alice');
    fireEvent.click(within(menu).getByTestId('signout-button'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/signin');
    });
    expect(calls).toContain('POST /api/auth/logout');
  });
});

describe('team setup', () => {
  it('sends a user without a team to the setup page and shows a taken name inline', async () => {
    serve({
      'GET /api/me': () => json(200, { user: alice, teams: [] }),
      'POST /api/teams': () => json(409, { error: { code: 'conflict', message: "a team named 'platform' already exists" } }),
    });
    const router = renderAt('/');
    const input = await screen.findByTestId('team-name-input');
    expect(router.state.location.pathname).toBe('/teams/new');
    fireEvent.change(input, { target: { value: 'Platform' } });
    fireEvent.click(screen.getByTestId('team-create-submit'));
    expect((await screen.findByTestId('team-create-error')).textContent).toContain('A team named “Platform” already exists');
  });

  it('creates the team and goes on to pick repositories', async () => {
    let body: unknown;
    serve({
      'GET /api/me': () => json(200, { user: alice, teams: [] }),
      'POST /api/teams': (init) => {
        body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
        return json(201, { ...platform, id: 7 });
      },
      'GET /api/teams/7/candidates': () => json(200, []),
      'GET /api/teams/7/repositories': () => json(200, []),
    });
    const router = renderAt('/teams/new');
    fireEvent.change(await screen.findByTestId('team-name-input'), { target: { value: ' Platform ' } });
    fireEvent.click(screen.getByTestId('team-create-submit'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/teams/7/repositories/add');
    });
    expect(body).toEqual({ name: 'Platform', github_org: null });
    expect(localStorage.getItem('hubdeck.team')).toBe('7');
  });
});

describe('repositories list', () => {
  it('lists the followed repositories with their health badges, and searches them', async () => {
    const calls = serve({
      'GET /api/me': () => json(200, { user: alice, teams: [platform, mobile] }),
      'GET /api/teams/1/repositories': () =>
        json(200, [repository(1, 'api', { topics: ['devops'] }), repository(3, 'web', { synced_at: null })]),
      'GET /api/teams/1/repositories/1/metrics': () => json(200, rawSample),
    });
    renderAt('/teams/1/repositories');
    const rows = await screen.findAllByTestId('repository-row');
    expect(rows.map((row) => row.getAttribute('data-full-name'))).toEqual(['acme/api', 'acme/web']);

    const [api, web] = rows as [HTMLElement, HTMLElement];
    await waitFor(() => {
      expect(within(api).getAllByTestId('health-badge')).toHaveLength(3);
    });
    const ci = within(api).getAllByTestId('health-badge')[0];
    expect(ci?.getAttribute('data-level')).toBe('warn');
    expect(ci?.textContent).toBe('CI 78%');
    expect(within(api).getByTestId('repository-link').getAttribute('href')).toBe('/teams/1/repositories/1');
    // Not synced yet: no metrics requested, "syncing…" shown.
    expect(within(web).getByTestId('sync-status').getAttribute('data-state')).toBe('syncing');
    expect(calls.some((call) => call.includes('/repositories/3/metrics'))).toBe(false);

    // Header: the team switcher (two teams) and the team's pages.
    expect(screen.getByTestId<HTMLSelectElement>('team-switcher').value).toBe('1');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual([
      'Overview',
      'Repositories',
      'Activity',
      'Team',
      'Webhooks', // the signed-in user owns this team
      'Dashboards',
      'GitHub quota',
      'System status',
    ]);

    fireEvent.change(screen.getByTestId('repository-search'), { target: { value: 'devops' } });
    await waitFor(() => {
      expect(screen.getAllByTestId('repository-row').map((row) => row.getAttribute('data-full-name'))).toEqual([
        'acme/api',
      ]);
    });
  });

  it('says when the user is not in the team', async () => {
    serve({ 'GET /api/me': () => json(200, { user: alice, teams: [platform] }) });
    renderAt('/teams/99/repositories');
    expect(await screen.findByTestId('not-in-team')).toBeDefined();
  });
});

describe('repository picker', () => {
  it('follows optimistically and rolls back when the server refuses', async () => {
    let resolveFollow: (response: Response) => void = () => undefined;
    serve({
      'GET /api/me': () => json(200, { user: alice, teams: [platform] }),
      'GET /api/teams/1/repositories': () => json(200, []),
      'GET /api/teams/1/candidates': () =>
        json(200, [
          {
            github_id: 701,
            full_name: 'acme/api',
            private: false,
            description: null,
            stars: 1,
            language: null,
            pushed_at: null,
            followed: false,
          },
        ]),
      'POST /api/teams/1/repositories': () =>
        new Promise<Response>((resolve) => {
          resolveFollow = resolve;
        }),
    });
    renderAt('/teams/1/repositories/add');
    const [row] = (await screen.findAllByTestId('candidate-row')) as [HTMLElement];
    const button = within(row).getByTestId('follow-button');
    await waitFor(() => {
      expect((button as HTMLButtonElement).disabled).toBe(false);
    });
    fireEvent.click(button);
    await waitFor(() => {
      expect(row.getAttribute('data-followed')).toBe('true');
    });
    resolveFollow(json(403, { error: { code: 'permission_denied', message: 'your role may not follow here' } }));
    await waitFor(() => {
      expect(row.getAttribute('data-followed')).toBe('false');
    });
    expect(within(row).getByTestId('follow-error').textContent).toContain('your role may not follow here');
  });
});

describe('MetricsDashboard', () => {
  const links = { item: () => null, run: () => null, repository: () => null };

  function renderDashboard(report: typeof sampleReport) {
    render(
      <RouterProvider
        router={createMemoryRouter([
          { path: '/', element: <MetricsDashboard report={report} days={30} links={links} scope="repository" /> },
        ])}
      />,
    );
  }

  it('draws every chart on a canvas and fills the number cards', () => {
    renderDashboard(sampleReport);
    for (const id of ['chart-throughput', 'chart-stages', 'chart-languages', 'chart-ci', 'chart-pull-sizes']) {
      expect(screen.getByTestId(id).tagName).toBe('CANVAS');
    }
    expect(screen.getByTestId('heatmap').getAttribute('data-total')).toBe('36');
    const card = (metric: string) =>
      screen.getAllByTestId('metric-card').find((element) => element.getAttribute('data-metric') === metric);
    expect(card('merge-rate')?.textContent).toContain('50%');
    expect(card('cycle-time')?.textContent).toContain('3.1 d');
    expect(screen.getAllByTestId('contributor-row')[0]?.getAttribute('data-login')).toBe('dave');
    expect(screen.queryByTestId('no-releases')).toBeNull();
  });

  it('explains empty data instead of drawing empty charts', () => {
    renderDashboard(emptyReport);
    expect(document.querySelectorAll('canvas')).toHaveLength(0);
    expect(screen.getByTestId('no-releases').textContent).toContain('No releases');
    expect(screen.getByTestId('heatmap-empty')).toBeDefined();
    expect(screen.getAllByTestId('empty-state').length).toBeGreaterThanOrEqual(4);
    const mergeRate = screen.getAllByTestId('metric-card').find((e) => e.getAttribute('data-metric') === 'merge-rate');
    expect(mergeRate?.getAttribute('data-value')).toBe('');
    expect(mergeRate?.textContent).toContain('—');
  });
});
