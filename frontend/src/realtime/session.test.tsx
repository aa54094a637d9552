// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createRealtimeConnection, type RealtimeConnection } from './connection';
import { useRealtimeSession } from './hooks';
import { RealtimeProvider } from './RealtimeProvider';
import { FakeSocket } from './testing/fakeSocket';

let connection: RealtimeConnection;

const onSessionEnded = vi.fn();

function Session({ user }: { readonly user: number | null | undefined }) {
  useRealtimeSession(user, onSessionEnded);
  return null;
}

function renderWith(user: number | null | undefined) {
  const view = render(
    <RealtimeProvider connection={connection}>
      <Session user={user} />
    </RealtimeProvider>,
  );
  return (next: number | null | undefined) => {
    view.rerender(
      <RealtimeProvider connection={connection}>
        <Session user={next} />
      </RealtimeProvider>,
    );
  };
}

async function step(action: () => void = () => undefined): Promise<void> {
  await act(async () => {
    action();
    await vi.advanceTimersByTimeAsync(0);
  });
}

async function accept(user: number | null): Promise<void> {
  await step(() => {
    FakeSocket.last().open();
  });
  await step(() => {
    FakeSocket.last().acceptConnect(user === null ? undefined : { user });
  });
}

beforeEach(() => {
  onSessionEnded.mockReset();
  vi.useFakeTimers({ now: 0 });
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

describe('useRealtimeSession', () => {
  it('reconnects after a sign-out so the connection is anonymous again', async () => {
    const rerender = renderWith(undefined);
    await step(() => {
      connection.connect();
    });
    await accept(1);
    expect(FakeSocket.created).toHaveLength(1);

    rerender(1);
    await step();
    expect(FakeSocket.created).toHaveLength(1);

    rerender(null); // /api/me now answers 401
    await step();
    expect(FakeSocket.created).toHaveLength(2);
    await accept(null);
    expect(connection.getUser()).toBeNull();
    await step();
    expect(FakeSocket.created).toHaveLength(2);
  });

  it('reconnects once per user, however the server answers', async () => {
    const rerender = renderWith(2);
    await step(() => {
      connection.connect();
    });
    await accept(1);
    expect(FakeSocket.created).toHaveLength(2);
    await accept(1); // the server still says user 1
    await step();
    expect(FakeSocket.created).toHaveLength(2);
    rerender(3);
    await step();
    expect(FakeSocket.created).toHaveLength(3);
  });

  it('asks for the session when the server ends it, and reconnects anonymously once signed out', async () => {
    const rerender = renderWith(1);
    await step(() => {
      connection.connect();
    });
    await accept(1);
    expect(onSessionEnded).not.toHaveBeenCalled();
    await step(() => {
      FakeSocket.last().drop(3500, 'session expired or signed out');
    });
    expect(connection.getState().phase).toBe('disconnected');
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(FakeSocket.created).toHaveLength(1);

    rerender(null); // /api/me: 401
    await step();
    expect(FakeSocket.created).toHaveLength(2);
    await accept(null);
    expect(connection.getState().phase).toBe('connected');
    expect(connection.getUser()).toBeNull();
  });
});
