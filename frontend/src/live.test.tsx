// @vitest-environment jsdom
/**
 * The repository page live, end to end in the browser's part: the router, the
 * page, TanStack Query, the channel manager and the real centrifuge SDK
 * against a fake WebSocket playing the server.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { rawSample } from './features/metrics/testing/fixtures';
import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const platform = { id: 1, slug: 'platform', name: 'Platform', github_org: null, role: 'owner' };
const api = {
  id: 3,
  github_id: 703,
  full_name: 'acme/api',
  owner: 'acme',
  name: 'api',
  private: false,
  description: 'The api of Acme Corp',
  html_url: 'https://github.com/acme/api',
  default_branch: 'main',
  stars: 3,
  forks: 0,
  watchers: 0,
  open_issues: 3,
  topics: [],
  language: 'TypeScript',
  archived: false,
  pushed_at: '2026-11-25T11:48:27Z',
  synced_at: '2026-11-26T00:59:21Z',
  languages: { TypeScript: 100 },
};

/** A fake HTTP server; returns the paths asked for, in order. */
function serve(): string[] {
  const calls: string[] = [];
  const routesByPath: Record<string, () => unknown> = {
    '/api/me': () => ({ user: alice, teams: [platform] }),
    '/api/teams/1/repositories': () => [api],
    '/api/teams/1/repositories/3': () => api,
    '/api/teams/1/repositories/3/metrics': () => rawSample,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL) => {
      const path = (input instanceof Request ? input.url : String(input)).split('?')[0] ?? '';
      calls.push(path);
      const route = routesByPath[path];
      return Promise.resolve(route ? json(route()) : new Response('{}', { status: 404 }));
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
}

/** Runs a server-side action (on the newest socket), then lets the SDK, React and the fake fetches settle. */
async function server(action?: (socket: FakeSocket) => void | Promise<void>, ms = 0): Promise<void> {
  await act(async () => {
    await action?.(FakeSocket.last());
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/** Connects and lets the server accept the session of user 1. */
async function connectAs(user: number): Promise<void> {
  await act(async () => {
    connection.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  await server((socket) => {
    socket.open();
  });
  await server((socket) => {
    socket.acceptConnect({ user });
  });
}

let offset = 0;
function merged(id: string, number: number) {
  offset += 1;
  return [
    {
      type: 'pull_request.merged',
      ts: Date.now(),
      data: {
        id,
        type: 'pull_request.merged',
        occurred_at: new Date().toISOString(),
        team_id: null,
        repository_id: 3,
        subject: `acme/api#${number}`,
        actor: 'alice',
        data: { repository: 'acme/api', number, title: 'Fix', author: 'bob' },
      },
    },
    offset,
  ] as const;
}

const count = (calls: string[], path: string) => calls.filter((call) => call === path).length;

beforeEach(() => {
  offset = 0;
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
    channelLingerMs: 0,
  });
  localStorage.clear();
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  cleanup();
  connection.channels.dispose();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('the repository page, live', () => {
  it('lists new events, refreshes its data (coalesced) and shows who else is looking', async () => {
    const calls = serve();
    renderAt('/teams/1/repositories/3');
    expect((await screen.findByTestId('repository-name')).textContent).toContain('acme/api');
    await screen.findAllByTestId('metric-card');

    // The server accepts the session and both channels: the team's (layout) and the repository's (page);
    // the header's notification bell follows the user's own channel.
    await connectAs(1);
    const socket = FakeSocket.last();
    expect(socket.subscribes().map((request) => request.channel).sort()).toEqual(['repo:3', 'team:1', 'user:1']);
    expect(socket.subscribes('repo:3')[0]).toMatchObject({ join_leave: true });
    await server((s) => {
      s.acceptSubscribe('team:1', { recoverable: true, epoch: 'e', offset: 0 });
      s.acceptSubscribe('repo:3', { recoverable: true, epoch: 'e', offset: 0 });
    });
    expect(screen.getByTestId('live-activity').getAttribute('data-state')).toBe('subscribed');

    // Latency in the indicator.
    await server((s) => {
      s.answerRpc('ping');
    });
    expect(screen.getByTestId('connection-status').textContent).toMatch(/^Connected · (<1|\d+) ms$/);

    // Presence: alice (this user) and bob in two tabs; then carol joins and bob leaves.
    await waitFor(() => {
      expect(socket.hasPendingPresence('repo:3')).toBe(true);
    });
    await server((s) => {
      s.answerPresence('repo:3', [
        { client: 'c1', user: '1', conn_info: { login: 'alice' } },
        { client: 'c2', user: '2', conn_info: { login: 'bob', avatar_url: 'https://avatars.test/bob' } },
        { client: 'c3', user: '2', conn_info: { login: 'bob' } },
      ]);
    });
    const viewers = () => screen.queryAllByTestId('viewer').map((viewer) => viewer.getAttribute('data-user'));
    expect(viewers()).toEqual(['2']);
    expect(screen.getByTestId('viewer').textContent).toBe('bob');
    await server((s) => {
      s.join('repo:3', { client: 'c4', user: '3', conn_info: { login: 'carol' } });
    });
    expect(viewers()).toEqual(['2', '3']);
    await server((s) => {
      s.leave('repo:3', { client: 'c2', user: '2' });
    });
    expect(viewers()).toEqual(['2', '3']); // bob still has a tab open
    await server((s) => {
      s.leave('repo:3', { client: 'c3', user: '2' });
    });
    expect(viewers()).toEqual(['3']);

    // Let the initial resync's refetches (data loaded before the subscribe) pass.
    await server(undefined, 400);
    const metricsPath = '/api/teams/1/repositories/3/metrics';
    const repositoryPath = '/api/teams/1/repositories/3';
    const metricsBefore = count(calls, metricsPath);
    const repositoryBefore = count(calls, repositoryPath);

    // An event: listed at once, the repository and its metrics refetched.
    const [first, firstOffset] = merged('e1', 42);
    await server((s) => {
      s.publish('repo:3', first, firstOffset);
      // The same event on the team channel, and the repository's again (a duplicate).
      s.publish('team:1', first, 1);
      s.publish('repo:3', first, firstOffset);
    });
    const items = () => screen.queryAllByTestId('live-event').map((item) => item.textContent);
    expect(items()).toHaveLength(1);
    expect(items()[0]).toContain('alice merged acme/api#42');
    // Waited for, not timed: a loaded machine may take longer than any fixed pause.
    await waitFor(() => {
      expect(count(calls, metricsPath)).toBe(metricsBefore + 1);
    });
    await waitFor(() => {
      expect(count(calls, repositoryPath)).toBe(repositoryBefore + 1);
    });

    // A burst of 30 events: the five newest listed, newest first; a handful of refetches.
    await server(async (s) => {
      for (let i = 0; i < 30; i += 1) {
        const [data, at] = merged(`b${i}`, 100 + i);
        s.publish('repo:3', data, at);
        await Promise.resolve();
      }
    }, 1_000);
    const listed = items();
    expect(listed).toHaveLength(5);
    expect(listed[0]).toContain('acme/api#129');
    expect(listed[4]).toContain('acme/api#125');
    const refetches = count(calls, metricsPath) - metricsBefore - 1;
    expect(refetches).toBeGreaterThanOrEqual(1);
    expect(refetches).toBeLessThanOrEqual(4);
    expect(within(screen.getByTestId('live-activity')).queryByText(/Waiting/)).toBeNull();
  });

  it('says when the server refuses the repository channel', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    serve();
    renderAt('/teams/1/repositories/3');
    await screen.findByTestId('repository-name');
    expect(screen.getByTestId('live-activity').getAttribute('data-state')).toBe('subscribing');
    await connectAs(1);
    await server((s) => {
      s.refuseSubscribe('repo:3', 103, 'permission denied');
    });
    expect(screen.getByTestId('live-activity').getAttribute('data-state')).toBe('denied');
    expect(screen.getByTestId('live-activity').textContent).toContain('not available');
  });
});
