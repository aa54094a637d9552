// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { RealtimeProvider } from '../realtime';
import { createRealtimeConnection, type RealtimeConnection } from '../realtime/connection';
import { FakeSocket } from '../realtime/testing/fakeSocket';
import { OfflineBanner } from './OfflineBanner';

let connection: RealtimeConnection;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
    latencyProbeMs: null,
  });
});

afterEach(() => {
  cleanup();
  connection.disconnect();
  vi.useRealTimers();
});

async function step(action: () => void = () => undefined, ms = 0): Promise<void> {
  await act(async () => {
    action();
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function accept(): Promise<void> {
  await step(() => {
    FakeSocket.last().open();
  });
  await step(() => {
    FakeSocket.last().acceptConnect();
  });
}

const banner = () => screen.queryByTestId('offline-banner');

describe('OfflineBanner', () => {
  it('appears when the connection has been down for more than 3 s, and goes when it is back', async () => {
    render(
      <RealtimeProvider connection={connection}>
        <OfflineBanner />
      </RealtimeProvider>,
    );
    await step(() => {
      connection.connect();
    });
    await accept();
    expect(banner()).toBeNull();

    // Keep the server away: every attempt fails.
    await step(() => {
      FakeSocket.last().drop();
    });
    await step(undefined, 2_999);
    expect(banner()).toBeNull();
    // The SDK's retry (after 750 ms) is in flight, unanswered: still down.
    await step(undefined, 2);
    expect(banner()?.getAttribute('data-reason')).toBe('server');
    expect(banner()?.textContent).toMatch(/paused.*catch up/);

    await accept();
    expect(connection.getState().phase).toBe('connected');
    expect(banner()).toBeNull();
  });

  it('appears at once when the browser goes offline', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    render(
      <RealtimeProvider connection={connection}>
        <OfflineBanner />
      </RealtimeProvider>,
    );
    await step(() => {
      connection.connect();
    });
    await accept();
    expect(banner()).toBeNull();
    onLine.mockReturnValue(false);
    await step(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(banner()?.getAttribute('data-reason')).toBe('browser');
    onLine.mockReturnValue(true);
    await step(() => {
      window.dispatchEvent(new Event('online'));
    });
    await accept();
    expect(banner()).toBeNull();
  });
});
