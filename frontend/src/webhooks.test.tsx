// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

type Handler = (init: RequestInit | undefined) => Response;

function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function serve(routesByKey: Record<string, Handler>) {
  const calls: { key: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      const key = `${init?.method ?? 'GET'} ${url}`;
      calls.push({ key, body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined });
      const handler = routesByKey[key] ?? routesByKey[key.split('?')[0] ?? key];
      return Promise.resolve(handler ? handler(init) : json(404, { error: { code: 'not_found', message: 'no' } }));
    }),
  );
  return calls;
}

function renderAt(path: string) {
  render(
    <QueryClientProvider client={createQueryClient({ retry: 0 })}>
      <RealtimeProvider connection={connection}>
        <RouterProvider router={createMemoryRouter(routes, { initialEntries: [path] })} />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
}

const alice = { id: 1, login: 'alice', name: 'Alice', avatar_url: null };
const acme = { id: 1, slug: 'acme', name: 'Acme', github_org: null, role: 'owner' };
const endpoint = {
  id: 3,
  team_id: 1,
  url: 'https://hooks.example.com/in',
  description: 'chat',
  event_types: [],
  enabled: false,
  disabled_reason: 'the endpoint answered 410 Gone',
  disabled_at: '2026-11-26T09:00:00Z',
  failing_since: null,
  previous_secret_expires_at: null,
  created_at: '2026-11-26T08:00:00Z',
  updated_at: '2026-11-26T09:00:00Z',
};
const catalogue = {
  event_types: [
    { type: 'issue.opened', description: 'An issue was opened.' },
    { type: 'pull_request.merged', description: 'A pull request was merged.' },
  ],
  schedule: { attempts: [0, 5], disable_after_seconds: 86400 },
};
const attempt = {
  id: 9,
  message_id: 4,
  msg_id: 'msg_1',
  event_type: 'issue.opened',
  attempt: 1,
  attempted_at: '2026-11-26T09:00:00Z',
  succeeded: false,
  status_code: 410,
  duration_ms: 12,
  response_excerpt: 'gone',
  error: null,
};

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
  });
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('the webhooks pages', () => {
  it('creates an endpoint for the chosen events and shows its secret once', async () => {
    const calls = serve({
      'GET /api/me': () => json(200, { user: alice, teams: [acme] }),
      'GET /api/webhooks/catalogue': () => json(200, catalogue),
      'GET /api/teams/1/webhooks/endpoints': () => json(200, []),
      'GET /api/teams/1/webhooks/incoming': () => json(200, null),
      'POST /api/teams/1/webhooks/endpoints': () =>
        json(201, { ...endpoint, enabled: true, disabled_reason: null, secret: 'whsec_c2VjcmV0' }),
    });
    renderAt('/teams/1/webhooks');
    fireEvent.click(await screen.findByTestId('endpoint-add'));
    const editor = await screen.findByTestId('endpoint-editor');
    fireEvent.click(within(editor).getByTestId('endpoint-save'));
    expect(within(editor).getByRole('alert').textContent).toMatch(/Enter the URL/);
    fireEvent.change(within(editor).getByTestId('endpoint-url'), { target: { value: 'https://hooks.example.com/in' } });
    fireEvent.click(await within(editor).findByLabelText('pull_request.merged'));
    fireEvent.click(within(editor).getByTestId('endpoint-save'));
    const secret = await screen.findByTestId('secret-value');
    expect((secret as HTMLInputElement).value).toBe('whsec_c2VjcmV0');
    const created = calls.find((call) => call.key === 'POST /api/teams/1/webhooks/endpoints');
    expect(created?.body).toEqual({
      url: 'https://hooks.example.com/in',
      description: '',
      event_types: ['pull_request.merged'],
      enabled: true,
    });
  });

  it('tells members that only owners and admins manage webhooks', async () => {
    serve({ 'GET /api/me': () => json(200, { user: alice, teams: [{ ...acme, role: 'member' }] }) });
    renderAt('/teams/1/webhooks');
    expect((await screen.findByText(/Only the team/)).textContent).toMatch(/owners and admins/);
  });

  it('shows why an endpoint was disabled, its log with filters, and enables it again', async () => {
    const calls = serve({
      'GET /api/me': () => json(200, { user: alice, teams: [acme] }),
      'GET /api/webhooks/catalogue': () => json(200, catalogue),
      'GET /api/teams/1/webhooks/endpoints/3': () => json(200, endpoint),
      'GET /api/teams/1/webhooks/endpoints/3/attempts': () => json(200, { items: [attempt], next_before: null }),
      'GET /api/teams/1/webhooks/endpoints/3/messages': () => json(200, { items: [], next_before: null }),
      'PATCH /api/teams/1/webhooks/endpoints/3': () => json(200, { ...endpoint, enabled: true }),
    });
    renderAt('/teams/1/webhooks/3');
    expect((await screen.findByTestId('endpoint-state')).textContent).toBe(
      'Disabled: the endpoint answered 410 Gone',
    );
    const log = await screen.findByTestId('attempt-list');
    expect(log.textContent).toContain('410 · 12 ms');
    fireEvent.change(screen.getByTestId('log-status'), { target: { value: 'failed' } });
    await waitFor(() => {
      expect(calls.some((call) => call.key.includes('/attempts?status=failed&limit=50'))).toBe(true);
    });
    fireEvent.click(screen.getByTestId('endpoint-toggle'));
    await waitFor(() => {
      expect(calls.find((call) => call.key === 'PATCH /api/teams/1/webhooks/endpoints/3')?.body).toEqual({
        enabled: true,
      });
    });
  });
});
