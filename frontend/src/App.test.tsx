// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RouterProvider, createMemoryRouter } from 'react-router-dom';

import { createQueryClient } from './queryClient';
import { RealtimeProvider } from './realtime';
import { createRealtimeConnection, type RealtimeConnection } from './realtime/connection';
import { FakeSocket } from './realtime/testing/fakeSocket';
import { routes } from './router';

let connection: RealtimeConnection;

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  return render(
    <QueryClientProvider client={createQueryClient({ retry: 0 })}>
      <RealtimeProvider connection={connection}>
        <RouterProvider router={router} />
      </RealtimeProvider>
    </QueryClientProvider>,
  );
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
  });
  document.documentElement.removeAttribute('data-theme');
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  connection.disconnect();
  vi.unstubAllGlobals();
});

describe('app shell', () => {
  it('shows the product name, the existing pages and the connection indicator', () => {
    renderAt('/');
    const header = screen.getByRole('banner');
    expect(within(header).getByText('HubDeck')).toBeDefined();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual(['Overview', 'System status']);
    expect(screen.getByTestId('connection-status').getAttribute('data-state')).toBe('connecting');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome to HubDeck');
  });

  it('shows the not-found page for unknown routes', () => {
    renderAt('/no/such/page');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found');
    expect(screen.getByText('/no/such/page')).toBeDefined();
  });

  it('toggles the theme on <html> and remembers it', () => {
    document.documentElement.dataset['theme'] = 'light';
    renderAt('/');
    const toggle = screen.getByTestId('theme-toggle');
    expect(toggle.getAttribute('aria-label')).toBe('Switch to dark theme');

    fireEvent.click(toggle);
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(localStorage.getItem('hubdeck.theme')).toBe('dark');
    expect(toggle.getAttribute('aria-label')).toBe('Switch to light theme');

    fireEvent.click(toggle);
    expect(document.documentElement.dataset['theme']).toBe('light');
    expect(localStorage.getItem('hubdeck.theme')).toBe('light');
  });
});

describe('system status page', () => {
  it('shows each readiness check and the server version, also when /readyz answers 503', async () => {
    const fetchMock = vi.fn((input: RequestInfo | URL) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === '/readyz') {
        return Promise.resolve(
          jsonResponse(503, {
            status: 'unavailable',
            checks: {
              database: { ok: true, backend: 'sqlite' },
              redis: { ok: false, backend: 'redis', error: 'connection refused' },
            },
          }),
        );
      }
      if (url === '/api/version') {
        return Promise.resolve(jsonResponse(200, { version: '0.1.0' }));
      }
      return Promise.resolve(jsonResponse(404, { error: { code: 'not_found', message: 'Not found' } }));
    });
    vi.stubGlobal('fetch', fetchMock);

    renderAt('/status');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('System status');

    const redis = await screen.findByTestId('check-redis');
    expect(redis.getAttribute('data-ok')).toBe('false');
    expect(redis.textContent).toContain('connection refused');
    const database = screen.getByTestId('check-database');
    expect(database.getAttribute('data-ok')).toBe('true');
    expect(database.textContent).toContain('sqlite');
    expect(screen.getByTestId('readiness-overall').textContent).toBe('Unavailable');
    expect((await screen.findByText('Server version 0.1.0')).getAttribute('data-testid')).toBe('server-version');
  });

  it('explains when the server cannot be reached', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    renderAt('/status');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be reached');
  });
});
