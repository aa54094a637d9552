// @vitest-environment jsdom
/**
 * The notification center end to end in the browser's part: the header's bell,
 * its dropdown, toasts, browser notifications, the page and the settings, with
 * TanStack Query, the channel manager and the real centrifuge SDK against a
 * fake WebSocket and a fake HTTP server.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Notification } from './features/notifications/model';
import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const platform = { id: 1, slug: 'platform', name: 'Platform', github_org: null, role: 'owner' };
const mobile = { id: 2, slug: 'mobile', name: 'Mobile', github_org: null, role: 'member' };

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00Z`;

function notification(id: number, minute: number, fields: Partial<Notification> = {}): Notification {
  return {
    id,
    kind: 'review_requested',
    level: 'info',
    title: `bob requested your review on acme/api#${id}`,
    body: `Pull request ${id}`,
    link: `/teams/1/repositories/3?pull=${id}`,
    subject: `acme/api#${id}`,
    actor: 'bob',
    team_id: 1,
    repository_id: 3,
    group_key: `review_requested:acme/api#${id}`,
    count: 1,
    created_at: at(minute),
    updated_at: at(minute),
    read_at: null,
    archived_at: null,
    ...fields,
  };
}

const KINDS_DEFAULTS = {
  review_requested: 'browser',
  pull_merged: 'in_app',
  pull_closed: 'in_app',
  pull_approved: 'in_app',
  changes_requested: 'browser',
  mentioned: 'browser',
  workflow_failed: 'in_app',
  dashboard_shared: 'in_app',
  team_invitation: 'browser',
  pool_low: 'in_app',
  pool_dry: 'browser',
  webhook_disabled: 'browser',
  new_device: 'browser',
  digest: 'browser',
};

interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

/** A fake HubDeck server holding `items` (newest first); returns the calls made. */
function serve(items: Notification[]) {
  const calls: Call[] = [];
  const state = {
    items,
    preferences: { channels: { ...KINDS_DEFAULTS }, muted_teams: [] as number[] },
  };
  const unread = () => state.items.filter((item) => item.read_at === null && item.archived_at === null).length;
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), 'http://hubdeck.test');
      const method = init?.method ?? 'GET';
      const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      calls.push({ method, path: url.pathname, query: url.searchParams, body });
      const key = `${method} ${url.pathname}`;
      if (key === 'GET /api/me') {
        return Promise.resolve(json({ user: alice, teams: [platform, mobile] }));
      }
      if (key === 'GET /api/notifications') {
        const q = url.searchParams;
        const matching = state.items.filter(
          (item) =>
            item.archived_at === null &&
            (q.get('unread') !== 'true' || item.read_at === null) &&
            (q.get('level') === null || item.level === q.get('level')) &&
            (q.get('kind') === null || item.kind === q.get('kind')) &&
            (q.get('team_id') === null || String(item.team_id) === q.get('team_id')),
        );
        const start = Number(q.get('cursor') ?? '0');
        const limit = Number(q.get('limit') ?? '20');
        const page = matching.slice(start, start + limit);
        const next = start + limit < matching.length ? String(start + limit) : null;
        return Promise.resolve(json({ items: page, next_cursor: next, unread_count: unread() }));
      }
      if (key === 'POST /api/notifications/read') {
        const request = body as { ids?: number[]; all?: boolean };
        state.items = state.items.map((item) =>
          item.read_at === null && (request.all === true || (request.ids ?? []).includes(item.id))
            ? { ...item, read_at: at(59) }
            : item,
        );
        return Promise.resolve(json({ unread_count: unread() }));
      }
      if (key === 'POST /api/notifications/archive') {
        const request = body as { ids: number[] };
        state.items = state.items.map((item) => (request.ids.includes(item.id) ? { ...item, archived_at: at(59) } : item));
        return Promise.resolve(json({ unread_count: unread() }));
      }
      if (key === 'GET /api/notifications/preferences') {
        return Promise.resolve(json({ ...state.preferences, defaults: KINDS_DEFAULTS }));
      }
      if (key === 'PUT /api/notifications/preferences') {
        state.preferences = body as typeof state.preferences;
        return Promise.resolve(json({ ...state.preferences, defaults: KINDS_DEFAULTS }));
      }
      return Promise.resolve(json({ error: { code: 'not_found', message: 'no' } }, 404));
    }),
  );
  return { calls, state };
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

async function server(action?: (socket: FakeSocket) => void, ms = 0): Promise<void> {
  await act(async () => {
    action?.(FakeSocket.last());
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/** Connects as user 1 and subscribes `user:1` (recoverable, at offset 0). */
async function goLive(): Promise<void> {
  await act(async () => {
    connection.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  await server((socket) => {
    socket.open();
  });
  await server((socket) => {
    socket.acceptConnect({ user: 1 });
  });
  await waitFor(() => {
    expect(FakeSocket.last().subscribes('user:1')).toHaveLength(1);
  });
  await server((socket) => {
    socket.acceptSubscribe('user:1', { recoverable: true, epoch: 'e', offset: 0 });
  });
  // The first subscribe refetches what was loaded before it: let that pass (the fake
  // server does not follow the events published below).
  await server(undefined, 50);
}

/** Publishes on `user:1`, then lets the SDK, TanStack Query (which notifies on a timer) and React settle. */
function publish(offset: number, type: string, data: unknown): Promise<void> {
  return server((socket) => {
    socket.publish('user:1', { type, ts: Date.now(), data }, offset);
  }, 20);
}

/** The value, which the test expects to be there. */
function present<T>(value: T | undefined): T {
  if (value === undefined) {
    throw new Error('expected an element');
  }
  return value;
}

const badge = () => screen.getByTestId('notification-count');
const badgeCount = () => badge().getAttribute('data-count');
const dropdownItems = () =>
  screen.queryAllByTestId('notification-item').map((item) => ({
    id: item.getAttribute('data-id'),
    unread: item.getAttribute('data-unread'),
    kind: item.getAttribute('data-kind'),
  }));

/** A stand-in for the browser's Notification API. */
class FakeBrowserNotification {
  static permission = 'default';
  static readonly shown: FakeBrowserNotification[] = [];
  static requestPermission = vi.fn(() => {
    FakeBrowserNotification.permission = 'granted';
    return Promise.resolve('granted');
  });
  onclick: ((event: Event) => void) | null = null;
  readonly close = vi.fn();
  readonly title: string;
  readonly options: NotificationOptions;
  constructor(title: string, options: NotificationOptions) {
    this.title = title;
    this.options = options;
    FakeBrowserNotification.shown.push(this);
  }
}

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
}

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
    latencyProbeMs: null,
    channelLingerMs: 0,
  });
  localStorage.clear();
  FakeBrowserNotification.permission = 'default';
  FakeBrowserNotification.shown.length = 0;
  FakeBrowserNotification.requestPermission.mockClear();
  vi.stubGlobal('Notification', FakeBrowserNotification);
  setVisibility('visible');
});

afterEach(() => {
  cleanup();
  connection.channels.dispose();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('the bell', () => {
  it('shows the unread count, the latest ones, and opens one (read, then its link)', async () => {
    const items = Array.from({ length: 10 }, (_, index) => notification(10 - index, 50 - index));
    items[1] = { ...items[1], read_at: at(55) } as Notification;
    const { calls } = serve(items);
    const router = renderAt('/status');
    await waitFor(() => {
      expect(badgeCount()).toBe('9');
    });
    expect(badge().textContent).toBe('9');
    expect(screen.queryByTestId('notification-dropdown')).toBeNull();

    fireEvent.click(screen.getByTestId('notification-bell'));
    const dropdown = screen.getByTestId('notification-dropdown');
    expect(dropdownItems()).toHaveLength(8);
    expect(dropdownItems()[0]).toEqual({ id: '10', unread: 'true', kind: 'review_requested' });
    expect(dropdownItems()[1]).toMatchObject({ id: '9', unread: 'false' });
    expect(within(dropdown).getByTestId('notification-page-link').getAttribute('href')).toBe('/notifications');

    fireEvent.click(present(screen.getAllByTestId('notification-item')[0]));
    await waitFor(() => {
      expect(router.state.location.pathname + router.state.location.search).toBe('/teams/1/repositories/3?pull=10');
    });
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      expect.objectContaining({ path: '/api/notifications/read', body: { ids: [10] } }),
    ]);
    await waitFor(() => {
      expect(badgeCount()).toBe('8');
    });
    // Navigating closed the dropdown.
    expect(screen.queryByTestId('notification-dropdown')).toBeNull();
  });

  it('marks all read, and shows no badge at zero (the element stays)', async () => {
    const { calls } = serve([notification(2, 20), notification(1, 10)]);
    renderAt('/status');
    await waitFor(() => {
      expect(badgeCount()).toBe('2');
    });
    fireEvent.click(screen.getByTestId('notification-bell'));
    fireEvent.click(screen.getByTestId('mark-all-read'));
    // At once, before the server answers.
    await waitFor(() => {
      expect(badgeCount()).toBe('0');
    });
    expect(dropdownItems().map((item) => item.unread)).toEqual(['false', 'false']);
    await waitFor(() => {
      expect(calls.some((call) => call.path === '/api/notifications/read')).toBe(true);
    });
    expect(calls.find((call) => call.path === '/api/notifications/read')?.body).toEqual({ all: true });
    expect(badge().className).toContain('bell__count--zero');
  });

  it('is not shown without a user', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in' } }), { status: 401 }),
        ),
      ),
    );
    renderAt('/status');
    await screen.findByText('Sign in');
    expect(screen.queryByTestId('notification-bell')).toBeNull();
  });
});

describe('live', () => {
  it('applies created, updated, read and archived events at once, once each, with a toast for news', async () => {
    serve([notification(2, 20), notification(1, 10, { read_at: at(11) })]);
    renderAt('/status');
    await waitFor(() => {
      expect(badgeCount()).toBe('1');
    });
    await goLive();
    fireEvent.click(screen.getByTestId('notification-bell'));
    expect(dropdownItems().map((item) => item.id)).toEqual(['2', '1']);

    // Created: counted, listed first, toasted.
    const third = notification(3, 30, { kind: 'workflow_failed', level: 'error', title: 'CI failed on acme/api' });
    await publish(1, 'notification.created', { notification: third, unread_count: 2, browser: false });
    expect(badgeCount()).toBe('2');
    expect(dropdownItems()[0]).toEqual({ id: '3', unread: 'true', kind: 'workflow_failed' });
    const toasts = () => screen.queryAllByTestId('notification-toast');
    expect(toasts().map((toast) => toast.getAttribute('data-id'))).toEqual(['3']);
    expect(toasts()[0]?.textContent).toContain('CI failed on acme/api');

    // The same publication again (offset) and the same state at another offset: nothing new.
    await publish(1, 'notification.created', { notification: third, unread_count: 2, browser: false });
    await publish(2, 'notification.created', { notification: third, unread_count: 2, browser: false });
    expect(dropdownItems().map((item) => item.id)).toEqual(['3', '2', '1']);
    fireEvent.click(within(present(toasts()[0])).getByTestId('toast-dismiss'));
    expect(toasts()).toHaveLength(0);
    await publish(3, 'notification.created', { notification: third, unread_count: 2, browser: false });
    expect(toasts()).toHaveLength(0);

    // Updated: a collapsed one got another occurrence; it moves up, unread again, toasted.
    const bumped = notification(1, 40, { count: 3, title: '3 reviews requested in acme/api', read_at: null });
    await publish(4, 'notification.updated', { notification: bumped, unread_count: 3, browser: false });
    expect(badgeCount()).toBe('3');
    expect(dropdownItems()).toEqual([
      { id: '1', unread: 'true', kind: 'review_requested' },
      { id: '3', unread: 'true', kind: 'workflow_failed' },
      { id: '2', unread: 'true', kind: 'review_requested' },
    ]);
    expect(toasts()[0]?.textContent).toContain('3 reviews requested in acme/api');

    // Read on another device.
    await publish(5, 'notification.read', { ids: [1, 2], unread_count: 1 });
    expect(badgeCount()).toBe('1');
    expect(dropdownItems().map((item) => item.unread)).toEqual(['false', 'true', 'false']);
    await publish(6, 'notification.read', { all: true, unread_count: 0 });
    expect(badgeCount()).toBe('0');
    expect(dropdownItems().map((item) => item.unread)).toEqual(['false', 'false', 'false']);

    // Archived on another device.
    await publish(7, 'notification.archived', { ids: [3], unread_count: 0 });
    expect(dropdownItems().map((item) => item.id)).toEqual(['1', '2']);
  });

  it('refetches the list and the count when the stream cannot tell what was missed', async () => {
    const { calls, state } = serve([notification(1, 10)]);
    renderAt('/status');
    await waitFor(() => {
      expect(badgeCount()).toBe('1');
    });
    await goLive();
    // Meanwhile (offline), another one arrived and this one was read elsewhere.
    state.items = [notification(2, 20), { ...notification(1, 10), read_at: at(12) }];
    const before = calls.length;
    const sockets = FakeSocket.created.length;
    await server((socket) => {
      socket.drop();
    });
    await waitFor(
      () => {
        expect(FakeSocket.created.length).toBe(sockets + 1);
      },
      { timeout: 3_000 },
    );
    await server((socket) => {
      socket.open();
    });
    await server((socket) => {
      socket.acceptConnect({ user: 1 });
    });
    await waitFor(() => {
      expect(FakeSocket.last().subscribes('user:1')).toHaveLength(1);
    });
    await server((socket) => {
      socket.acceptSubscribe('user:1', { recoverable: true, epoch: 'other', offset: 9, recovered: false, was_recovering: true });
    });
    await waitFor(() => {
      expect(badgeCount()).toBe('1');
      fireEvent.click(screen.getByTestId('notification-bell'));
      expect(dropdownItems().map((item) => `${item.id}:${item.unread}`)).toEqual(['2:true', '1:false']);
    });
    expect(calls.slice(before).some((call) => call.path === '/api/notifications')).toBe(true);
  });

  it('raises a browser notification when asked and the tab is hidden; a click opens the link', async () => {
    FakeBrowserNotification.permission = 'granted';
    serve([]);
    const router = renderAt('/status');
    await waitFor(() => {
      expect(badgeCount()).toBe('0');
    });
    await goLive();

    // Visible: a toast only.
    await publish(1, 'notification.created', { notification: notification(1, 10), unread_count: 1, browser: true });
    expect(FakeBrowserNotification.shown).toHaveLength(0);

    setVisibility('hidden');
    // Not asked for by the preferences.
    await publish(2, 'notification.created', { notification: notification(2, 20), unread_count: 2, browser: false });
    expect(FakeBrowserNotification.shown).toHaveLength(0);
    await publish(3, 'notification.created', { notification: notification(3, 30), unread_count: 3, browser: true });
    expect(FakeBrowserNotification.shown).toHaveLength(1);
    const shown = FakeBrowserNotification.shown[0];
    expect(shown?.title).toBe('bob requested your review on acme/api#3');
    expect(shown?.options.tag).toBe(`hubdeck-notification-3-${at(30)}`);

    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    setVisibility('visible');
    await act(async () => {
      shown?.onclick?.(new Event('click', { cancelable: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(focus).toHaveBeenCalled();
    expect(shown?.close).toHaveBeenCalled();
    expect(router.state.location.search).toBe('?pull=3');
  });
});

describe('browser notification permission', () => {
  it('asks only on a click, and hides the button once granted', async () => {
    serve([]);
    renderAt('/status');
    fireEvent.click(await screen.findByTestId('notification-bell'));
    expect(FakeBrowserNotification.requestPermission).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('enable-browser-notifications'));
    await waitFor(() => {
      expect(screen.queryByTestId('enable-browser-notifications')).toBeNull();
    });
    expect(FakeBrowserNotification.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('says when they are blocked, without a button', async () => {
    FakeBrowserNotification.permission = 'denied';
    serve([]);
    renderAt('/status');
    fireEvent.click(await screen.findByTestId('notification-bell'));
    expect(screen.getByTestId('browser-notifications-denied').textContent).toContain('blocked');
    expect(screen.queryByTestId('enable-browser-notifications')).toBeNull();
  });
});

describe('the notifications page', () => {
  it('filters, loads more, marks read and archives', async () => {
    const items = Array.from({ length: 25 }, (_, index) =>
      notification(25 - index, 50 - index, index % 5 === 0 ? { level: 'error', kind: 'workflow_failed' } : {}),
    );
    const { calls } = serve(items);
    const router = renderAt('/notifications');
    const rows = () => screen.queryAllByTestId('notification-row');
    await waitFor(() => {
      expect(rows()).toHaveLength(20);
    });
    fireEvent.click(screen.getByTestId('load-more'));
    await waitFor(() => {
      expect(rows()).toHaveLength(25);
    });
    expect(calls.some((call) => call.path === '/api/notifications' && call.query.get('cursor') === '20')).toBe(true);
    expect(screen.queryByTestId('load-more')).toBeNull();

    fireEvent.change(screen.getByTestId('filter-level'), { target: { value: 'error' } });
    await waitFor(() => {
      expect(rows().map((row) => row.getAttribute('data-kind'))).toEqual(Array(5).fill('workflow_failed'));
    });
    expect(router.state.location.search).toBe('?level=error');
    fireEvent.click(screen.getByTestId('filter-unread'));
    fireEvent.change(screen.getByTestId('filter-team'), { target: { value: '1' } });
    await waitFor(() => {
      expect(router.state.location.search).toBe('?unread=1&level=error&team=1');
      expect(rows()).toHaveLength(5);
    });
    const last = calls.filter((call) => call.path === '/api/notifications').at(-1);
    expect(Object.fromEntries(last?.query ?? [])).toEqual({
      limit: '20',
      unread: 'true',
      level: 'error',
      team_id: '1',
      archived: 'false',
    });

    const first = present(rows()[0]);
    const id = Number(first.getAttribute('data-id'));
    fireEvent.click(within(first).getByTestId('mark-read-button'));
    await waitFor(() => {
      expect(first.getAttribute('data-unread')).toBe('false');
    });
    expect(within(first).getByTestId('read-state').textContent).toBe('Read');
    fireEvent.click(within(first).getByTestId('archive-button'));
    await waitFor(() => {
      expect(rows().map((row) => row.getAttribute('data-id'))).not.toContain(String(id));
    });
    expect(calls.filter((call) => call.method === 'POST').map((call) => [call.path, call.body])).toEqual([
      ['/api/notifications/read', { ids: [id] }],
      ['/api/notifications/archive', { ids: [id] }],
    ]);
  });

  it('sets where each kind goes and mutes teams, showing the defaults', async () => {
    const { calls } = serve([]);
    renderAt('/settings/notifications');
    const select = await screen.findByRole('combobox', { name: /Where Pull request merged/ });
    expect((select as HTMLSelectElement).value).toBe('in_app');
    const newDevice = screen
      .getAllByTestId('preference-channel')
      .find((element) => element.getAttribute('data-kind') === 'new_device') as HTMLSelectElement;
    expect([...newDevice.options].map((option) => option.value)).toEqual(['in_app', 'browser']);
    expect(screen.getByTestId('preferences-save')).toHaveProperty('disabled', true);

    fireEvent.change(select, { target: { value: 'off' } });
    const mute = screen.getAllByTestId('mute-team').find((element) => element.getAttribute('data-team-id') === '2');
    fireEvent.click(present(mute));
    fireEvent.click(screen.getByTestId('preferences-save'));
    await screen.findByTestId('preferences-saved');
    const put = calls.find((call) => call.method === 'PUT');
    expect(put?.body).toEqual({
      channels: { ...KINDS_DEFAULTS, pull_merged: 'off' },
      muted_teams: [2],
      digest: { frequency: 'off', hour: 8, weekday: 0, time_zone: null },
    });
    const row = screen.getAllByTestId('preference-row').find((element) => element.getAttribute('data-kind') === 'pull_merged');
    expect(within(present(row)).getByTestId('preference-default').getAttribute('data-default')).toBe('in_app');
    expect((select as HTMLSelectElement).value).toBe('off');
  });

  it('schedules a weekly digest in the browser time zone, in-app only', async () => {
    const { calls } = serve([]);
    renderAt('/settings/notifications');
    const frequency = await screen.findByTestId<HTMLSelectElement>('digest-frequency');
    expect(frequency.value).toBe('off');
    expect(screen.getByTestId('digest-hour')).toHaveProperty('disabled', true);
    expect(screen.queryByTestId('digest-weekday')).toBeNull();
    expect(
      screen.getAllByTestId('preference-row').map((row) => row.getAttribute('data-kind')),
    ).not.toContain('digest');

    fireEvent.change(frequency, { target: { value: 'weekly' } });
    fireEvent.change(screen.getByTestId('digest-weekday'), { target: { value: '4' } });
    fireEvent.change(screen.getByTestId('digest-hour'), { target: { value: '17' } });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(screen.getByTestId('digest-zone').textContent).toContain(zone);
    const browser = screen.getByTestId<HTMLInputElement>('digest-browser');
    expect(browser.checked).toBe(true);
    fireEvent.click(browser);
    fireEvent.click(screen.getByTestId('preferences-save'));
    await screen.findByTestId('preferences-saved');
    const put = calls.find((call) => call.method === 'PUT');
    expect(put?.body).toEqual({
      channels: { ...KINDS_DEFAULTS, digest: 'in_app' },
      muted_teams: [],
      digest: { frequency: 'weekly', hour: 17, weekday: 4, time_zone: zone },
    });
  });
});

describe('a digest in the notification center', () => {
  it('shows its summary line by line', async () => {
    const body = '2 errors, 1 info\nBy kind: workflow failed 2, mentioned 1\n• CI failed on main';
    serve([
      notification(7, 30, {
        kind: 'digest',
        title: 'Daily digest: 3 unread notifications',
        body,
        link: '/notifications?unread=1',
        subject: '',
        actor: null,
        team_id: null,
        repository_id: null,
        group_key: 'digest:2026-11-26T09:00:00+00:00',
      }),
    ]);
    renderAt('/notifications');
    const title = await screen.findByText('Daily digest: 3 unread notifications');
    const summary = title.closest('.notif');
    const shown = present(summary?.querySelector('.notif__body--lines') ?? undefined);
    expect(shown.textContent).toBe(body);
  });
});
