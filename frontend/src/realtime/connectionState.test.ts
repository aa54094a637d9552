import { describe, expect, it } from 'vitest';

import {
  initialConnectionState,
  reduceConnection,
  type ConnectionEvent,
  type ConnectionState,
} from './connectionState';

function run(events: readonly ConnectionEvent[], from: ConnectionState = initialConnectionState) {
  return events.reduce(reduceConnection, from);
}

const connectCalled: ConnectionEvent = { type: 'connecting', code: 0, reason: 'connect called' };
const transportClosed: ConnectionEvent = { type: 'connecting', code: 1, reason: 'transport closed' };

describe('reduceConnection', () => {
  it('starts connecting, never established, without a schedule', () => {
    expect(initialConnectionState).toEqual({
      phase: 'connecting',
      established: false,
      retryAt: null,
      lastReason: null,
    });
  });

  it('treats "connect called" as no failure reason', () => {
    expect(run([connectCalled])).toEqual(initialConnectionState);
  });

  it('keeps a first connection that keeps failing as not established', () => {
    const state = run([connectCalled, { type: 'reconnect-scheduled', delayMs: 700, at: 1_000 }]);
    expect(state).toEqual({ phase: 'connecting', established: false, retryAt: 1_700, lastReason: null });
  });

  it('marks the connection established once connected', () => {
    expect(run([connectCalled, { type: 'connected', at: 5 }])).toEqual({
      phase: 'connected',
      established: true,
      since: 5,
    });
  });

  it('turns a lost connection into a reconnect with the SDK delay as deadline', () => {
    const state = run([
      connectCalled,
      { type: 'connected', at: 5 },
      transportClosed,
      { type: 'reconnect-scheduled', delayMs: 1_234, at: 10_000 },
    ]);
    expect(state).toEqual({
      phase: 'connecting',
      established: true,
      retryAt: 11_234,
      lastReason: 'transport closed',
    });
  });

  it('clears the deadline when the attempt starts, and takes the next schedule after a failed attempt', () => {
    const waiting = run([
      { type: 'connected', at: 0 },
      transportClosed,
      { type: 'reconnect-scheduled', delayMs: 500, at: 100 },
    ]);
    const inFlight = reduceConnection(waiting, { type: 'attempt-started' });
    expect(inFlight).toMatchObject({ phase: 'connecting', established: true, retryAt: null });
    // A failed attempt emits no SDK event, only a new schedule.
    const again = reduceConnection(inFlight, { type: 'reconnect-scheduled', delayMs: 1_800, at: 700 });
    expect(again).toMatchObject({ phase: 'connecting', established: true, retryAt: 2_500 });
  });

  it('returns the same object for events that change nothing', () => {
    const connected = run([{ type: 'connected', at: 1 }]);
    expect(reduceConnection(connected, { type: 'attempt-started' })).toBe(connected);
    expect(reduceConnection(connected, { type: 'reconnect-scheduled', delayMs: 500, at: 2 })).toBe(connected);
    expect(reduceConnection(initialConnectionState, { type: 'attempt-started' })).toBe(initialConnectionState);
  });

  it('ignores schedules once disconnected', () => {
    const disconnected = run([{ type: 'disconnected', code: 3501, reason: 'bad request' }]);
    expect(reduceConnection(disconnected, { type: 'reconnect-scheduled', delayMs: 500, at: 0 })).toBe(disconnected);
  });

  it('keeps code, reason and history when the server ends the session', () => {
    const state = run([
      { type: 'connected', at: 1 },
      { type: 'disconnected', code: 3501, reason: 'bad request' },
    ]);
    expect(state).toEqual({ phase: 'disconnected', established: true, code: 3501, reason: 'bad request' });
  });

  it('can connect again after a terminal disconnect', () => {
    const state = run([{ type: 'disconnected', code: 0, reason: 'disconnect called' }, connectCalled]);
    expect(state).toEqual(initialConnectionState);
  });
});
