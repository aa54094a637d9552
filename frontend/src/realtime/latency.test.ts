import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createRealtimeConnection, type RealtimeConnection } from './connection';
import { describeConnection } from './indicator';
import { createLatencyProbe, formatLatency, type RpcClient } from './latency';
import { FakeSocket } from './testing/fakeSocket';

describe('formatLatency', () => {
  it('shows whole milliseconds, then seconds', () => {
    expect(formatLatency(0.4)).toBe('<1 ms');
    expect(formatLatency(1)).toBe('1 ms');
    expect(formatLatency(12.4)).toBe('12 ms');
    expect(formatLatency(12.6)).toBe('13 ms');
    expect(formatLatency(999.4)).toBe('999 ms');
    expect(formatLatency(1_000)).toBe('1.0 s');
    expect(formatLatency(1_249)).toBe('1.2 s');
    expect(formatLatency(12_345)).toBe('12.3 s');
  });

  it('has nothing to say about nonsense', () => {
    expect(formatLatency(-1)).toBe('');
    expect(formatLatency(Number.NaN)).toBe('');
  });
});

describe('describeConnection with a latency', () => {
  const connected = { phase: 'connected', established: true, since: 0 } as const;

  it('adds the round trip to Connected', () => {
    const view = describeConnection(connected, null, 23.2);
    expect(view).toMatchObject({ state: 'connected', text: 'Connected · 23 ms' });
    expect(view.title).toContain('23 ms');
  });

  it('keeps Connected alone while unmeasured', () => {
    expect(describeConnection(connected, null, null).text).toBe('Connected');
    expect(describeConnection(connected, null).text).toBe('Connected');
  });

  it('shows no latency while not connected', () => {
    expect(
      describeConnection({ phase: 'connecting', established: true, retryAt: null, lastReason: null }, null, 30).text,
    ).toBe('Reconnecting…');
  });
});

describe('createLatencyProbe', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** An RPC client answering after `delay` ms of the fake clock. */
  function client(delay: number, fail?: { code: number }): RpcClient & { calls: number } {
    const fake = {
      calls: 0,
      rpc: () => {
        fake.calls += 1;
        return new Promise<unknown>((resolve, reject) => {
          setTimeout(() => {
            if (fail === undefined) {
              resolve({ data: {} });
            } else {
              // The SDK rejects with its protocol errors, plain {code, message} objects.
              reject(Object.assign(new Error('rpc failed'), fail));
            }
          }, delay);
        });
      },
    };
    return fake;
  }

  it('measures at once when started, then every interval, one probe at a time', async () => {
    const rpc = client(40);
    const probe = createLatencyProbe({ client: rpc, intervalMs: 10_000, now: () => Date.now() });
    const listener = vi.fn();
    probe.subscribe(listener);
    probe.start();
    expect(rpc.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(40);
    expect(probe.get()).toBe(40);
    expect(listener).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(rpc.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(rpc.calls).toBe(2);
  });

  it('forgets the latency when stopped and ignores a late answer', async () => {
    const rpc = client(100);
    const probe = createLatencyProbe({ client: rpc, intervalMs: 10_000, now: () => Date.now() });
    probe.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(probe.get()).toBe(100);
    await vi.advanceTimersByTimeAsync(10_000);
    probe.stop();
    expect(probe.get()).toBeNull();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe.get()).toBeNull();
    expect(rpc.calls).toBe(2);
  });

  it('gives up on a server without the ping RPC (104) until started again', async () => {
    const rpc = client(5, { code: 104 });
    const probe = createLatencyProbe({ client: rpc, intervalMs: 10_000, now: () => Date.now() });
    probe.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(rpc.calls).toBe(1);
    expect(probe.get()).toBeNull();
  });

  it('keeps probing after another failure (a timeout)', async () => {
    const rpc = client(5, { code: 1 });
    const probe = createLatencyProbe({ client: rpc, intervalMs: 10_000, now: () => Date.now() });
    probe.start();
    await vi.advanceTimersByTimeAsync(20_010);
    expect(rpc.calls).toBe(3);
  });
});

describe('latency of a real connection', () => {
  let connection: RealtimeConnection;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
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

  it('pings the server once connected and every 10 s, and forgets the latency when the connection is lost', async () => {
    connection.connect();
    const socket = FakeSocket.last();
    socket.open();
    await vi.advanceTimersByTimeAsync(0);
    socket.acceptConnect({ user: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.rpcs()).toEqual(['ping']);
    await vi.advanceTimersByTimeAsync(25);
    socket.answerRpc('ping');
    await vi.advanceTimersByTimeAsync(0);
    // performance.now() is faked too: the 25 ms passed between the call and the answer.
    expect(connection.latency.get()).toBe(25);
    expect(describeConnection(connection.getState(), null, connection.latency.get()).text).toBe('Connected · 25 ms');
    expect(connection.getUser()).toBe('1');

    await vi.advanceTimersByTimeAsync(10_000);
    expect(socket.rpcs()).toEqual(['ping', 'ping']);

    socket.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.latency.get()).toBeNull();
  });
});
