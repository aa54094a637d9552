// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '../../queryClient';
import { RealtimeProvider } from '../../realtime';
import { createRealtimeConnection, type RealtimeConnection } from '../../realtime/connection';
import { FakeSocket } from '../../realtime/testing/fakeSocket';
import { routes } from '../../router';

let connection: RealtimeConnection;

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const bob = { id: 2, login: 'bob', name: 'Bob', avatar_url: null };
const acme = { id: 3, slug: 'acme', name: 'Acme', github_org: 'acme', role: 'member' };

function widget(id: string, title: string, x: number) {
  return {
    id,
    type: 'number',
    title,
    config: { repositories: [], metric: 'pulls_merged', range: '28d', filters: {} },
    layout: { x, y: 0, w: 3, h: 2 },
  };
}

const snapshot = {
  id: 7,
  team_id: 3,
  title: 'Team overview',
  description: '',
  version: 4,
  widgets: [widget('w-merged', 'Merged', 0), widget('w-cycle', 'Cycle time', 3)],
  role: 'editor',
  owner: alice,
  stream: { channel: 'dashboard:7', offset: 10, epoch: 'e' },
  changed_since_last_visit: {
    since_version: 2,
    dashboard: [],
    widgets: [{ widget_id: 'w-cycle', by: [bob], added: false }],
    removed: [],
  },
};

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

type Handler = (init: RequestInit | undefined, url: URL) => Response;

/** What the server computes for each widget (the page asks for them in one request). */
const WIDGET_DATA: Record<string, unknown> = {
  'w-merged': {
    widget_id: 'w-merged',
    type: 'number',
    metric: 'pulls_merged',
    range: '28d',
    status: 'ok',
    unit: 'count',
    computed_at: '2026-11-26T10:00:00Z',
    data: { value: 12, previous: 10 },
  },
  'w-cycle': {
    widget_id: 'w-cycle',
    type: 'number',
    metric: 'cycle_time',
    range: '28d',
    status: 'ok',
    unit: 'seconds',
    computed_at: '2026-11-26T10:00:00Z',
    data: { value: 7200, previous: null },
  },
};

/** A fake HTTP server: "METHOD /path" → handler; anything else is a 404. Returns the calls. */
function serve(extra: Record<string, Handler> = {}) {
  const calls: { key: string; query: string; body: unknown }[] = [];
  const handlers: Record<string, Handler> = {
    'GET /api/me': () => json(200, { user: alice, teams: [acme] }),
    'GET /api/dashboards/7': () => json(200, snapshot),
    'GET /api/dashboard-catalog': () =>
      json(200, {
        widget_types: [{ type: 'number', label: 'Number with trend', metrics: ['pulls_merged'] }],
        metrics: [{ id: 'pulls_merged', label: 'Pull requests merged', unit: 'count', types: ['number'] }],
        ranges: ['7d', '28d'],
        columns: 12,
      }),
    'POST /api/dashboards/7/seen': () => json(204, null),
    // The page asks for its widgets' data in one request: answered from the single handlers.
    'GET /api/dashboards/7/widgets/data': (_init, url) => {
      const ids = (url.searchParams.get('ids') ?? '').split(',');
      return json(200, { widgets: Object.fromEntries(ids.filter((id) => id in WIDGET_DATA).map((id) => [id, WIDGET_DATA[id]])) });
    },
    ...extra,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://hubdeck.test');
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push({
        key,
        query: url.search,
        body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      });
      const handler = handlers[key];
      return Promise.resolve(handler ? handler(init, url) : json(404, { error: { code: 'not_found', message: 'no' } }));
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

async function server(action?: (socket: FakeSocket) => void): Promise<void> {
  await act(async () => {
    action?.(FakeSocket.last());
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

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

function opsPublication(payload: Record<string, unknown>) {
  return {
    type: 'dashboard.ops',
    ts: Date.now(),
    data: {
      id: `event-${String(payload['version'])}`,
      type: 'dashboard.ops',
      occurred_at: new Date().toISOString(),
      team_id: 3,
      repository_id: null,
      subject: 'dashboard:7',
      actor: 'bob',
      data: {
        dashboard_id: 7,
        client: 'tab-bob',
        overwritten: [],
        dropped: [],
        restored_from: null,
        summary: '',
        ...payload,
      },
    },
  };
}

class NoResizeObserver {
  observe(): void {
    // jsdom lays nothing out: the grid keeps its initial width.
  }
  unobserve(): void {
    // nothing observed
  }
  disconnect(): void {
    // nothing observed
  }
}

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
    channelLingerMs: 0,
    latencyProbeMs: null,
  });
  vi.stubGlobal('ResizeObserver', NoResizeObserver);
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});

afterEach(() => {
  cleanup();
  connection.channels.dispose();
  connection.disconnect();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const widgetNamed = (title: string) =>
  screen.getAllByTestId('widget').find((element) => element.getAttribute('data-title') === title);

describe('the dashboard page', () => {
  it('shows the snapshot with its data, the changed-since marks, and follows the channel', async () => {
    const calls = serve();
    renderAt('/dashboards/7');
    expect((await screen.findByTestId('dashboard-title')).textContent).toBe('Team overview');
    await waitFor(() => {
      expect(screen.getAllByTestId('widget-value').map((value) => value.getAttribute('data-value'))).toEqual([
        '12',
        '7200',
      ]);
    });
    expect(screen.getAllByTestId('widget-value').map((value) => value.textContent)).toEqual(['12', '2 h']);
    expect(within(widgetNamed('Cycle time') ?? document.body).getByTestId('changed-since').textContent).toContain(
      'bob',
    );
    expect(calls.some((call) => call.key === 'POST /api/dashboards/7/seen')).toBe(true);

    await connectAs(1);
    const socket = FakeSocket.last();
    expect(socket.subscribes('dashboard:7')[0]).toMatchObject({ join_leave: true });
    await server((s) => {
      s.acceptSubscribe('dashboard:7', { recoverable: true, epoch: 'e', offset: 10 });
    });
    // Presence: Bob on two devices.
    await server((s) => {
      s.answerPresence('dashboard:7', [
        { client: 'c1', user: '1', conn_info: { login: 'alice' } },
        { client: 'c2', user: '2', conn_info: { login: 'bob' } },
        { client: 'c3', user: '2', conn_info: { login: 'bob' } },
      ]);
    });
    await waitFor(() => {
      expect(
        screen
          .getAllByTestId('presence-user')
          .map((user) => [user.getAttribute('data-login'), user.getAttribute('data-devices')]),
      ).toEqual([
        ['alice', '1'],
        ['bob', '2'],
      ]);
    });

    // Bob renames the dashboard and moves a widget: shown at once, with his name.
    await server((s) => {
      s.publish(
        'dashboard:7',
        opsPublication({
          version: 5,
          actor: bob,
          client_op_id: 'bob-1',
          ops: [
            { op: 'set', target: 'dashboard', path: 'title', value: 'Flow' },
            { op: 'move_widget', widget_id: 'w-cycle', x: 6, y: 2 },
          ],
        }),
        11,
      );
    });
    expect(screen.getByTestId('dashboard-title').textContent).toBe('Flow');
    expect(screen.getByTestId('dashboard-highlight').textContent).toContain('bob');
    expect(widgetNamed('Cycle time')?.getAttribute('data-x')).toBe('6');
    expect(widgetNamed('Cycle time')?.getAttribute('data-highlighted-by')).toBe('bob');
    expect(screen.getByTestId('dashboard-page').getAttribute('data-version')).toBe('5');

    // Bob focuses a widget: outlined with his name.
    await server((s) => {
      s.publish(
        'dashboard:7',
        {
          type: 'dashboard.focus',
          ts: Date.now(),
          data: {
            id: 'focus-1',
            type: 'dashboard.focus',
            occurred_at: '',
            subject: 'dashboard:7',
            data: { dashboard_id: 7, user: bob, client: 'c2', widget_id: 'w-merged' },
          },
        },
        12,
      );
    });
    expect(widgetNamed('Merged')?.getAttribute('data-focused-by')).toBe('bob');
    await server((s) => {
      s.leave('dashboard:7', { client: 'c2', user: '2' });
    });
    expect(widgetNamed('Merged')?.getAttribute('data-focused-by')).toBe('');

    // New data for one widget: only that one is fetched again.
    const before = calls.length;
    await server((s) => {
      s.publish(
        'dashboard:7',
        {
          type: 'dashboard.widget_data',
          ts: Date.now(),
          data: {
            id: 'data-1',
            type: 'dashboard.widget_data',
            occurred_at: '',
            subject: 'dashboard:7',
            data: { dashboard_id: 7, widget_ids: ['w-merged'] },
          },
        },
        13,
      );
    });
    await waitFor(() => {
      expect(calls.slice(before).map((call) => `${call.key}${call.query}`)).toEqual([
        'GET /api/dashboards/7/widgets/data?ids=w-merged',
      ]);
    });
  });

  it('sends a rename over the socket, and tells the user when someone overwrote it', async () => {
    serve();
    renderAt('/dashboards/7');
    await screen.findByTestId('dashboard-title');
    await connectAs(1);
    await server((s) => {
      s.acceptSubscribe('dashboard:7', { recoverable: true, epoch: 'e', offset: 10 });
    });

    fireEvent.click(screen.getByTestId('rename-button'));
    const input = screen.getByTestId('title-input');
    fireEvent.change(input, { target: { value: 'Mine' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('dashboard-title').textContent).toBe('Mine');
    await server();
    const socket = FakeSocket.last();
    expect(socket.rpcs()).toContain('dashboard.ops');
    await server((s) => {
      s.answerRpc('dashboard.ops', {
        version: 5,
        ops: [{ op: 'set', target: 'dashboard', path: 'title', value: 'Mine' }],
        dropped: [],
        overwritten: [],
      });
    });
    expect(screen.getByTestId('dashboard-page').getAttribute('data-version')).toBe('5');

    // Bob's rename, made without having seen Alice's, arrives later and wins.
    await server((s) => {
      s.publish(
        'dashboard:7',
        opsPublication({
          version: 6,
          actor: bob,
          client_op_id: 'bob-1',
          ops: [{ op: 'set', target: 'dashboard', path: 'title', value: 'Theirs' }],
          overwritten: [{ target: 'dashboard', path: 'title', user: alice, version: 5 }],
        }),
        11,
      );
    });
    expect(screen.getByTestId('dashboard-title').textContent).toBe('Theirs');
    const notice = screen.getByTestId('edit-notice');
    expect(notice.getAttribute('data-kind')).toBe('overwritten');
    expect(notice.textContent).toContain("bob changed the dashboard's title you had set.");
  });

  it('deletes a widget with an undo, and undoes a refused edit', async () => {
    serve();
    renderAt('/dashboards/7');
    await screen.findByTestId('dashboard-title');
    await connectAs(1);
    await server((s) => {
      s.acceptSubscribe('dashboard:7', { recoverable: true, epoch: 'e', offset: 10 });
    });
    fireEvent.click(screen.getByTestId('edit-toggle'));
    const merged = widgetNamed('Merged');
    fireEvent.click(within(merged ?? document.body).getByTestId('widget-delete'));
    expect(widgetNamed('Merged')).toBeUndefined();
    await server();
    await server((s) => {
      s.refuseRpc('dashboard.ops', 103, 'permission denied');
    });
    // Refused: the widget is back and the user is told.
    expect(widgetNamed('Merged')).toBeDefined();
    expect(screen.getByTestId('edit-notice').getAttribute('data-kind')).toBe('refused');

    fireEvent.click(within(widgetNamed('Cycle time') ?? document.body).getByTestId('widget-delete'));
    await server();
    await server((s) => {
      s.answerRpc('dashboard.ops', {
        version: 5,
        ops: [{ op: 'remove_widget', widget_id: 'w-cycle' }],
        dropped: [],
        overwritten: [],
      });
    });
    expect(widgetNamed('Cycle time')).toBeUndefined();
    fireEvent.click(screen.getByTestId('undo-button'));
    expect(widgetNamed('Cycle time')?.getAttribute('data-x')).toBe('3');

    // The handle moves a widget with the arrow keys, too.
    const handle = within(widgetNamed('Cycle time') ?? document.body).getByTestId('widget-drag');
    fireEvent.keyDown(handle, { key: 'ArrowRight' });
    fireEvent.keyDown(handle, { key: 'ArrowDown', shiftKey: true });
    expect(widgetNamed('Cycle time')?.getAttribute('data-x')).toBe('4');
    expect(widgetNamed('Cycle time')?.getAttribute('data-h')).toBe('3');
  });
});

describe('the shared page', () => {
  it('says a revoked or unknown link is not valid', async () => {
    serve({ 'GET /api/me': () => json(401, { error: { code: 'unauthenticated', message: 'sign in' } }) });
    renderAt('/shared/nope');
    expect(await screen.findByTestId('shared-missing')).toBeDefined();
  });

  it('shows the dashboard read-only without signing in', async () => {
    serve({
      'GET /api/me': () => json(401, { error: { code: 'unauthenticated', message: 'sign in' } }),
      'GET /api/shared/tok': () =>
        json(200, { ...snapshot, role: 'viewer', stream: null, changed_since_last_visit: null, owner: null }),
    });
    renderAt('/shared/tok');
    expect((await screen.findByTestId('dashboard-title')).textContent).toBe('Team overview');
    expect(screen.getAllByTestId('widget')).toHaveLength(2);
    expect(screen.queryByTestId('widget-configure')).toBeNull();
    expect(screen.queryByTestId('edit-toggle')).toBeNull();
  });
});

describe('the list page', () => {
  it('lists mine, shared with me and my teams’, and creates one from a template', async () => {
    const summary = (id: number, title: string) => ({
      id,
      team_id: 3,
      team: { id: 3, slug: 'acme', name: 'Acme' },
      title,
      description: '',
      version: 1,
      widget_count: 2,
      role: 'owner',
      owner: alice,
      updated_at: null,
      updated_by: null,
    });
    const calls = serve({
      'GET /api/dashboards': () => json(200, { mine: [summary(1, 'Mine')], shared: [], team: [summary(2, 'Theirs')] }),
      'GET /api/dashboard-templates': () =>
        json(200, { templates: [{ id: 'ci-health', title: 'CI health', description: '', widgets: [] }] }),
      'POST /api/dashboards': () => json(201, { ...snapshot, id: 7 }),
    });
    const router = renderAt('/dashboards');
    await screen.findAllByTestId('dashboard-row');
    expect(
      screen.getAllByTestId('dashboard-section').map((section) => [
        section.getAttribute('data-section'),
        within(section)
          .queryAllByTestId('dashboard-row')
          .map((row) => row.getAttribute('data-title')),
      ]),
    ).toEqual([
      ['mine', ['Mine']],
      ['shared', []],
      ['team', ['Theirs']],
    ]);
    await screen.findByRole('option', { name: 'CI health' });
    fireEvent.change(screen.getByTestId('new-dashboard-template'), { target: { value: 'ci-health' } });
    fireEvent.click(screen.getByTestId('new-dashboard-submit'));
    await waitFor(() => {
      expect(router.state.location.pathname).toBe('/dashboards/7');
    });
    expect(calls.find((call) => call.key === 'POST /api/dashboards')?.body).toEqual({
      team_id: 3,
      title: 'CI health',
      template: 'ci-health',
    });
  });
});
