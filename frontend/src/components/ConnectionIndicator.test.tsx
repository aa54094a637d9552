// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { RealtimeProvider } from '../realtime';
import { createRealtimeConnection, type RealtimeConnection } from '../realtime/connection';
import { FakeSocket } from '../realtime/testing/fakeSocket';
import { ConnectionIndicator, ConnectionIndicatorView } from './ConnectionIndicator';

function indicator(): { state: string | null; text: string | null; title: string | null } {
  const element = screen.getByTestId('connection-status');
  return {
    state: element.getAttribute('data-state'),
    text: element.textContent,
    title: element.getAttribute('title'),
  };
}

afterEach(() => {
  cleanup();
});

describe('ConnectionIndicatorView', () => {
  it('renders the DOM contract: testid, data-state, exact text, title', () => {
    render(
      <ConnectionIndicatorView
        view={{ state: 'disconnected', text: 'Disconnected', title: 'session rejected (code 3501)' }}
      />,
    );
    expect(indicator()).toEqual({
      state: 'disconnected',
      text: 'Disconnected',
      title: 'session rejected (code 3501)',
    });
  });
});

describe('ConnectionIndicator with the real SDK', () => {
  let connection: RealtimeConnection;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    FakeSocket.reset();
    connection = createRealtimeConnection({
      endpoint: 'ws://hubdeck.test/connection/websocket',
      websocket: FakeSocket.asConstructor(),
    });
  });

  afterEach(() => {
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

  function retryIn(): number {
    const state = connection.getState();
    if (state.phase !== 'connecting' || state.retryAt === null) {
      throw new Error(`no reconnect scheduled: ${JSON.stringify(state)}`);
    }
    return state.retryAt - Date.now();
  }

  it('goes Connecting… → Connected → a live countdown → Reconnecting… → Connected', async () => {
    render(
      <RealtimeProvider connection={connection}>
        <ConnectionIndicator />
      </RealtimeProvider>,
    );
    expect(indicator()).toMatchObject({ state: 'connecting', text: 'Connecting…' });

    await step(() => {
      connection.connect();
    });
    await accept();
    expect(indicator()).toMatchObject({ state: 'connected', text: 'Connected' });

    await step(() => {
      FakeSocket.last().drop();
    });
    expect(indicator()).toMatchObject({ state: 'connecting', text: 'Reconnecting in 1s' });
    expect(indicator().title).toContain('transport closed');

    // Let attempts fail until the SDK's backoff exceeds 4 s (750, 1000, 1500, 2500, 4500 ms).
    while (retryIn() < 4_000) {
      await step(() => undefined, retryIn());
      await step(() => {
        FakeSocket.last().drop();
      });
    }
    expect(retryIn()).toBe(4_500);
    expect(indicator().text).toBe('Reconnecting in 5s');

    const sockets = FakeSocket.created.length;
    await step(() => undefined, 500);
    expect(indicator().text).toBe('Reconnecting in 4s');
    await step(() => undefined, 1_000);
    expect(indicator().text).toBe('Reconnecting in 3s');
    await step(() => undefined, 1_000);
    expect(indicator().text).toBe('Reconnecting in 2s');
    await step(() => undefined, 999);
    expect(indicator().text).toBe('Reconnecting in 2s');
    await step(() => undefined, 1);
    expect(indicator().text).toBe('Reconnecting in 1s');
    expect(FakeSocket.created).toHaveLength(sockets);

    await step(() => undefined, 1_000);
    expect(FakeSocket.created).toHaveLength(sockets + 1);
    expect(indicator()).toMatchObject({ state: 'connecting', text: 'Reconnecting…' });

    await accept();
    expect(indicator()).toMatchObject({ state: 'connected', text: 'Connected' });
  });

  it('shows Disconnected with the reason when the server refuses the session', async () => {
    render(
      <RealtimeProvider connection={connection}>
        <ConnectionIndicator />
      </RealtimeProvider>,
    );
    await step(() => {
      connection.connect();
    });
    await step(() => {
      FakeSocket.last().open();
    });
    await step(() => {
      FakeSocket.last().drop(3501, 'session rejected');
    });
    expect(indicator()).toEqual({
      state: 'disconnected',
      text: 'Disconnected',
      title: 'session rejected (code 3501)',
    });
  });
});
