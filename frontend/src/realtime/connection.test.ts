/**
 * The real centrifuge SDK against a fake WebSocket: checks that the state the
 * indicator shows follows what the SDK really does, in particular that the
 * countdown ends exactly when the SDK's reconnect timer fires.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createRealtimeConnection, type RealtimeConnection } from './connection';
import { describeConnection, secondsUntil } from './indicator';
import { reconnectScheduleObservable } from './observableCentrifuge';
import { FakeSocket } from './testing/fakeSocket';

const START = 1_000_000;

/** Lets the SDK's promise-based dispatch of replies run. */
async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** The server side of a successful handshake on the newest socket. */
async function accept(): Promise<void> {
  const socket = FakeSocket.last();
  socket.open();
  await settle();
  socket.acceptConnect();
  await settle();
}

function text(connection: RealtimeConnection): string {
  const state = connection.getState();
  const retryAt = state.phase === 'connecting' ? state.retryAt : null;
  return describeConnection(state, retryAt === null ? null : secondsUntil(retryAt, Date.now())).text;
}

let connection: RealtimeConnection;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  // backoff() of the SDK uses full jitter: pin it so delays are predictable.
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

describe('realtime connection with the installed centrifuge SDK', () => {
  it('finds the SDK internals the countdown relies on', () => {
    expect(reconnectScheduleObservable).toBe(true);
  });

  it('opens the configured endpoint and reports Connected once the server accepts', async () => {
    connection.connect();
    expect(text(connection)).toBe('Connecting…');
    const socket = FakeSocket.last();
    expect(socket.url).toBe('ws://hubdeck.test/connection/websocket');

    await accept();
    expect(connection.getState()).toEqual({ phase: 'connected', established: true, since: START });
    expect(text(connection)).toBe('Connected');
  });

  it('keeps showing Connecting… while the first connection cannot be made, with the real retry time', async () => {
    connection.connect();
    FakeSocket.last().drop();
    await settle();

    const state = connection.getState();
    // backoff(0, 500, 20000) with random 0.5: 500 + floor(0.5 * 501) = 750 ms.
    expect(state).toMatchObject({ phase: 'connecting', established: false, retryAt: START + 750 });
    expect(text(connection)).toBe('Connecting…');

    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.created).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.created).toHaveLength(2);
  });

  it('counts down to the SDK reconnect timer after a lost connection, across failed attempts', async () => {
    const listener = vi.fn();
    connection.subscribe(listener);
    connection.connect();
    await accept();
    const lostAt = Date.now();

    FakeSocket.last().drop();
    await settle();
    expect(connection.getState()).toMatchObject({
      phase: 'connecting',
      established: true,
      retryAt: lostAt + 750,
      lastReason: 'transport closed',
    });
    expect(text(connection)).toBe('Reconnecting in 1s');

    // The countdown ends exactly when the SDK starts its attempt.
    await vi.advanceTimersByTimeAsync(749);
    expect(FakeSocket.created).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.created).toHaveLength(2);
    expect(connection.getState()).toMatchObject({ phase: 'connecting', retryAt: null });
    expect(text(connection)).toBe('Reconnecting…');

    // A failed attempt emits no SDK event; the next, longer delay still arrives.
    // backoff(1, 500, 20000) with random 0.5: min(20000, 500 + floor(0.5 * 1001)) = 1000 ms.
    const failedAt = Date.now();
    FakeSocket.last().drop();
    await settle();
    expect(connection.getState()).toMatchObject({ phase: 'connecting', retryAt: failedAt + 1_000 });
    expect(text(connection)).toBe('Reconnecting in 1s');

    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeSocket.created).toHaveLength(3);
    await accept();
    expect(text(connection)).toBe('Connected');
    expect(listener).toHaveBeenCalled();
  });

  it('stops at Disconnected with the reason when the server refuses the session', async () => {
    connection.connect();
    await accept();

    FakeSocket.last().drop(3501, 'bad request');
    await settle();
    expect(connection.getState()).toEqual({
      phase: 'disconnected',
      established: true,
      code: 3501,
      reason: 'bad request',
    });
    const view = describeConnection(connection.getState(), null);
    expect(view).toMatchObject({ state: 'disconnected', text: 'Disconnected' });
    expect(view.title).toContain('bad request');

    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.created).toHaveLength(1);
  });

  it('reconnects after a server close code that allows it', async () => {
    connection.connect();
    await accept();

    const closedAt = Date.now();
    FakeSocket.last().drop(3001, 'shutdown');
    await settle();
    expect(connection.getState()).toMatchObject({
      phase: 'connecting',
      established: true,
      retryAt: closedAt + 750,
      lastReason: 'shutdown',
    });
    await vi.advanceTimersByTimeAsync(750);
    expect(FakeSocket.created).toHaveLength(2);
  });
});
