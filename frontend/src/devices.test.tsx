// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

interface Call {
  readonly key: string;
  readonly headers: Record<string, string>;
}

function serve(routesByKey: Record<string, () => Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      const key = `${init?.method ?? 'GET'} ${url}`;
      calls.push({ key, headers: { ...(init?.headers as Record<string, string> | undefined) } });
      const handler = routesByKey[key];
      return Promise.resolve(handler ? handler() : json(404, { error: { code: 'not_found', message: 'no' } }));
    }),
  );
  return calls;
}

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const device = {
  ip: '127.0.0.1',
  created_at: '2026-11-26T03:00:00Z',
  last_seen_at: '2026-11-26T03:05:00Z',
};
const laptop = { ...device, id: 'a'.repeat(24), current: true, browser: 'Firefox 128', os: 'Linux', device_type: 'desktop', connections: 1 };
const phone = { ...device, id: 'b'.repeat(24), current: false, browser: 'Mobile Safari 17', os: 'iOS', device_type: 'mobile', connections: 1 };

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

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
  });
  localStorage.clear();
  document.cookie = 'hubdeck_csrf=token-1';
});

afterEach(() => {
  cleanup();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('devices', () => {
  it('lists this device and the others, signs one out with the CSRF token, and shows the other one active', async () => {
    const calls = serve({
      'GET /api/me': () => json(200, { user: alice, teams: [] }),
      'GET /api/sessions': () => json(200, { sessions: [laptop, phone] }),
      [`DELETE /api/sessions/${phone.id}`]: () => json(204, null),
      'POST /api/sessions/revoke-others': () => json(200, { revoked: 1 }),
    });
    renderAt('/settings/devices');
    const rows = await screen.findAllByTestId('device');
    expect(rows.map((row) => row.getAttribute('data-current'))).toEqual(['true', 'false']);
    expect(rows[0]?.textContent).toContain('This device');
    expect(rows[1]?.textContent).toContain('Mobile Safari 17 on iOS');
    expect((await screen.findByTestId('other-devices')).getAttribute('data-count')).toBe('1');

    const [, other] = rows;
    if (other === undefined) {
      throw new Error('the other device is listed');
    }
    fireEvent.click(within(other).getByTestId('revoke-device'));
    await waitFor(() => {
      expect(calls.some((c) => c.key === `DELETE /api/sessions/${phone.id}`)).toBe(true);
    });
    const deleted = calls.find((c) => c.key === `DELETE /api/sessions/${phone.id}`);
    expect(deleted?.headers['X-CSRF-Token']).toBe('token-1');

    fireEvent.click(screen.getByTestId('revoke-others'));
    await waitFor(() => {
      expect(calls.some((c) => c.key === 'POST /api/sessions/revoke-others')).toBe(true);
    });
  });

  it('shows the signed-out screen when the server closes the socket for a revoked session', async () => {
    serve({
      'GET /api/me': () => json(200, { user: alice, teams: [] }),
      'GET /api/sessions': () => json(200, { sessions: [laptop] }),
    });
    renderAt('/settings/devices');
    await screen.findAllByTestId('device');
    await act(async () => {
      connection.connect();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await act(async () => {
      FakeSocket.last().open();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await act(async () => {
      FakeSocket.last().acceptConnect({ user: 1 });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    await act(async () => {
      FakeSocket.last().drop(3503, 'session revoked');
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect((await screen.findByTestId('signed-out-screen')).textContent).toContain('Signed out from another device');
    expect(screen.queryByTestId('devices')).toBeNull();
  });
});
