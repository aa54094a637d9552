/**
 * The channel manager with the real centrifuge SDK against a fake WebSocket:
 * ref-counting, at-most-once delivery across recoveries, resync, refusals,
 * presence.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ChannelHandlers } from './channels';
import { createRealtimeConnection, type RealtimeConnection } from './connection';
import type { LiveEvent } from './events';
import type { ResyncReason } from './stream';
import { FakeSocket } from './testing/fakeSocket';

const LINGER = 1_000;
const START = 1_000_000;

let connection: RealtimeConnection;

async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0);
}

/** Runs a server-side action, then lets the SDK handle it. */
async function server(action: (socket: FakeSocket) => void): Promise<void> {
  action(FakeSocket.last());
  await settle();
}

async function connect(user: number | null = 1): Promise<void> {
  connection.connect();
  await server((socket) => {
    socket.open();
  });
  await server((socket) => {
    socket.acceptConnect(user === null ? undefined : { user });
  });
}

/** Loses the connection and lets the SDK reconnect as `user`. */
async function reconnect(user: number | null = 1): Promise<void> {
  const sockets = FakeSocket.created.length;
  await server((socket) => {
    socket.drop();
  });
  // backoff(0, 500, 20000) with random 0.5: 750 ms.
  await vi.advanceTimersByTimeAsync(750);
  expect(FakeSocket.created).toHaveLength(sockets + 1);
  await server((socket) => {
    socket.open();
  });
  await server((socket) => {
    socket.acceptConnect(user === null ? undefined : { user });
  });
}

function publication(id: string, type = 'pull_request.merged') {
  return {
    type,
    ts: START,
    data: {
      id,
      type,
      occurred_at: '2026-11-26T10:00:00Z',
      team_id: null,
      repository_id: 3,
      subject: `acme/api#${id}`,
      actor: 'alice',
      data: { repository: 'acme/api', number: 42 },
    },
  };
}

/** Handlers recording what they were told. */
function recorder() {
  const events: LiveEvent[] = [];
  const resyncs: ResyncReason[] = [];
  const refused: string[] = [];
  const handlers: ChannelHandlers = {
    onEvent: (event) => {
      events.push(event);
    },
    onResync: (reason) => {
      resyncs.push(reason);
    },
    onRefused: (state) => {
      refused.push(`${state.status} ${state.code}`);
    },
  };
  return { events, resyncs, refused, handlers, ids: () => events.map((event) => event.id) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  FakeSocket.reset();
  connection = createRealtimeConnection({
    endpoint: 'ws://hubdeck.test/connection/websocket',
    websocket: FakeSocket.asConstructor(),
    latencyProbeMs: null,
    channelLingerMs: LINGER,
  });
});

afterEach(() => {
  connection.channels.dispose();
  connection.disconnect();
  vi.useRealTimers();
});

describe('ChannelManager: one subscription per channel', () => {
  it('shares one SDK subscription between components and ends it after the last let go', async () => {
    await connect();
    const { channels } = connection;
    const a = recorder();
    const b = recorder();
    const releaseA = channels.acquire('team:1', a.handlers);
    const releaseB = channels.acquire('team:1', b.handlers);
    await settle();
    expect(FakeSocket.last().subscribes('team:1')).toHaveLength(1);
    expect(channels.getState('team:1').status).toBe('subscribing');

    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 0 });
    });
    expect(channels.getState('team:1')).toEqual({ status: 'subscribed', since: START });
    expect(a.resyncs).toEqual(['initial']);

    await server((socket) => {
      socket.publish('team:1', publication('p1'), 1);
    });
    expect(a.ids()).toEqual(['p1']);
    expect(b.ids()).toEqual(['p1']);

    releaseA();
    releaseA(); // releasing twice counts once
    await server((socket) => {
      socket.publish('team:1', publication('p2'), 2);
    });
    expect(a.ids()).toEqual(['p1']);
    expect(b.ids()).toEqual(['p1', 'p2']);

    // The last one lets go: the subscription lingers, a component coming back keeps it.
    releaseB();
    await vi.advanceTimersByTimeAsync(LINGER - 1);
    expect(FakeSocket.last().unsubscribes()).toEqual([]);
    const releaseC = channels.acquire('team:1', recorder().handlers);
    await vi.advanceTimersByTimeAsync(LINGER * 5);
    expect(FakeSocket.last().unsubscribes()).toEqual([]);
    expect(FakeSocket.last().subscribes('team:1')).toHaveLength(1);

    releaseC();
    await vi.advanceTimersByTimeAsync(LINGER);
    expect(FakeSocket.last().unsubscribes()).toEqual(['team:1']);
    expect(channels.channels()).toEqual([]);
    expect(channels.getState('team:1')).toEqual({ status: 'idle' });
  });

  it('subscribes channels acquired before the connection once it is made', async () => {
    const { channels } = connection;
    channels.acquire('team:1', recorder().handlers);
    channels.acquire('repo:3', recorder().handlers);
    await connect();
    expect(FakeSocket.last().subscribes().map((request) => request.channel)).toEqual(['team:1', 'repo:3']);
  });
});

describe('ChannelManager: each publication at most once, and resync', () => {
  it('drops duplicated and out-of-order publications', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('repo:3', a.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('repo:3', { recoverable: true, epoch: 'e1', offset: 5 });
    });
    await server((socket) => {
      socket.publish('repo:3', publication('p6'), 6);
      socket.publish('repo:3', publication('p7'), 7);
      socket.publish('repo:3', publication('p7'), 7);
      socket.publish('repo:3', publication('p6'), 6);
      socket.publish('repo:3', publication('p5'), 5);
      socket.publish('repo:3', publication('p8'), 8);
    });
    expect(a.ids()).toEqual(['p6', 'p7', 'p8']);
    expect(a.resyncs).toEqual(['initial']);
  });

  it('recovers after a reconnect without refetching, applying an overlapping recovery once', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('repo:3', a.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('repo:3', { recoverable: true, epoch: 'e1', offset: 5 });
    });
    await server((socket) => {
      socket.publish('repo:3', publication('p6'), 6);
      socket.publish('repo:3', publication('p7'), 7);
    });

    await reconnect();
    const [request] = FakeSocket.last().subscribes('repo:3');
    expect(request).toMatchObject({ channel: 'repo:3', recover: true, offset: 7, epoch: 'e1' });
    expect(connection.channels.getState('repo:3').status).toBe('subscribing');
    await server((socket) => {
      socket.acceptSubscribe('repo:3', {
        recoverable: true,
        epoch: 'e1',
        offset: 6,
        recovered: true,
        was_recovering: true,
        publications: [
          { data: publication('p7'), offset: 7 },
          { data: publication('p8'), offset: 8 },
          { data: publication('p9'), offset: 9 },
        ],
      });
    });
    expect(a.ids()).toEqual(['p6', 'p7', 'p8', 'p9']);
    expect(a.resyncs).toEqual(['initial']);
    expect(connection.channels.getState('repo:3').status).toBe('subscribed');
  });

  it('asks to refetch when the server could not recover what was missed', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('team:1', a.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 5 });
    });

    await reconnect();
    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 900, recovered: false, was_recovering: true });
    });
    expect(a.resyncs).toEqual(['initial', 'unrecovered']);
    // Publications up to the new top are in what the page refetches.
    await server((socket) => {
      socket.publish('team:1', publication('old'), 899);
      socket.publish('team:1', publication('new'), 901);
    });
    expect(a.ids()).toEqual(['new']);
  });

  it('asks to refetch after a gap in offsets, and applies the publication', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('team:1', a.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 1 });
    });
    await server((socket) => {
      socket.publish('team:1', publication('p2'), 2);
      socket.publish('team:1', publication('p5'), 5);
    });
    expect(a.ids()).toEqual(['p2', 'p5']);
    expect(a.resyncs).toEqual(['initial', 'gap']);
  });

  it('ignores unreadable publications and keeps going when a handler throws', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await connect();
    const good = recorder();
    connection.channels.acquire('team:1', {
      onEvent: () => {
        throw new Error('a bug in a page');
      },
    });
    connection.channels.acquire('team:1', good.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 0 });
    });
    await server((socket) => {
      socket.publish('team:1', { unexpected: true }, 1);
      socket.publish('team:1', publication('p2'), 2);
    });
    expect(good.ids()).toEqual(['p2']);
    expect(warnings).toHaveBeenCalled();
    expect(errors).toHaveBeenCalled();
    // The SDK would have stopped the client had the exception reached it.
    expect(connection.getState().phase).toBe('connected');
  });
});

  it('hands raw publications, once each, to handlers that ask for them (channels without domain events)', async () => {
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await connect();
    const raw: unknown[] = [];
    const offsets: (number | null)[] = [];
    const events = recorder();
    connection.channels.acquire('user:1', {
      ...events.handlers,
      onPublication: (data, meta) => {
        raw.push(data);
        offsets.push(meta.offset);
      },
    });
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('user:1', { recoverable: true, epoch: 'e1', offset: 0 });
    });
    const read = { type: 'notification.read', ts: START, data: { ids: [1], unread_count: 2 } };
    await server((socket) => {
      socket.publish('user:1', read, 1);
      socket.publish('user:1', read, 1);
      socket.publish('user:1', publication('p2'), 2);
    });
    expect(raw).toEqual([read, publication('p2')]);
    expect(offsets).toEqual([1, 2]);
    // Domain events still reach onEvent; the others are not "unreadable" for such a channel.
    expect(events.ids()).toEqual(['p2']);
    expect(warnings).not.toHaveBeenCalled();
  });

describe('ChannelManager: refusals', () => {
  it('stops on permission denied (103), without retrying, and reports it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await connect(1);
    const a = recorder();
    connection.channels.acquire('team:9', a.handlers);
    await settle();
    await server((socket) => {
      socket.refuseSubscribe('team:9', 103, 'permission denied');
    });
    expect(connection.channels.getState('team:9')).toEqual({
      status: 'denied',
      code: 103,
      reason: 'permission denied',
    });
    expect(a.refused).toEqual(['denied 103']);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.last().subscribes('team:9')).toHaveLength(1);
    // Another component asking does not retry either.
    connection.channels.acquire('team:9', recorder().handlers);
    await settle();
    expect(FakeSocket.last().subscribes('team:9')).toHaveLength(1);

    // Nor does a reconnect as the same user…
    await reconnect(1);
    expect(FakeSocket.last().subscribes('team:9')).toHaveLength(0);
    // …but another user (signed in since) may see it.
    await reconnect(2);
    expect(FakeSocket.last().subscribes('team:9')).toHaveLength(1);
    await server((socket) => {
      socket.acceptSubscribe('team:9', { recoverable: true, epoch: 'e1', offset: 3 });
    });
    expect(connection.channels.getState('team:9').status).toBe('subscribed');
  });

  it('lets the SDK retry a temporary refusal', async () => {
    await connect();
    connection.channels.acquire('team:1', recorder().handlers);
    await settle();
    await server((socket) => {
      socket.refuseSubscribe('team:1', 100, 'internal server error', true);
    });
    expect(connection.channels.getState('team:1').status).toBe('subscribing');
    // The SDK's resubscribe backoff starts at half a second or so.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeSocket.last().subscribes('team:1')).toHaveLength(2);
    await server((socket) => {
      socket.acceptSubscribe('team:1', { recoverable: true, epoch: 'e1', offset: 0 });
    });
    expect(connection.channels.getState('team:1').status).toBe('subscribed');
  });

  it('tries a channel refused otherwise (e.g. a server without subscriptions) again on the next connection', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('team:1', a.handlers);
    await settle();
    await server((socket) => {
      socket.refuseSubscribe('team:1', 104, 'method not found');
    });
    expect(connection.channels.getState('team:1')).toMatchObject({ status: 'failed', code: 104 });
    await reconnect();
    expect(FakeSocket.last().subscribes('team:1')).toHaveLength(1);
  });
});

describe('ChannelManager: presence', () => {
  const bob = { client: 'c-bob', user: '2', conn_info: { login: 'bob' } };

  it('asks for join/leave pushes and reports them; answers presence()', async () => {
    await connect();
    const joins: string[] = [];
    const leaves: string[] = [];
    connection.channels.acquire(
      'repo:3',
      {
        onJoin: (client) => joins.push(client.user),
        onLeave: (client) => leaves.push(client.user),
      },
      { joinLeave: true },
    );
    await settle();
    expect(FakeSocket.last().subscribes('repo:3')[0]).toMatchObject({ join_leave: true });
    await server((socket) => {
      socket.acceptSubscribe('repo:3', { recoverable: true, epoch: 'e1', offset: 0 });
    });

    const presence = connection.channels.presence('repo:3');
    await settle();
    await server((socket) => {
      socket.answerPresence('repo:3', [bob]);
    });
    await expect(presence).resolves.toMatchObject({ 'c-bob': { client: 'c-bob', user: '2', connInfo: { login: 'bob' } } });

    await server((socket) => {
      socket.join('repo:3', { client: 'c-carol', user: '3' });
      socket.leave('repo:3', bob);
    });
    expect(joins).toEqual(['3']);
    expect(leaves).toEqual(['2']);
  });

  it('subscribes again with join/leave when a component asks for it later, recovering from where it was', async () => {
    await connect();
    const a = recorder();
    connection.channels.acquire('repo:3', a.handlers);
    await settle();
    await server((socket) => {
      socket.acceptSubscribe('repo:3', { recoverable: true, epoch: 'e1', offset: 4 });
    });
    await server((socket) => {
      socket.publish('repo:3', publication('p5'), 5);
    });

    connection.channels.acquire('repo:3', {}, { joinLeave: true });
    await settle();
    const socket = FakeSocket.last();
    expect(socket.unsubscribes()).toEqual(['repo:3']);
    expect(socket.subscribes('repo:3').at(-1)).toMatchObject({
      join_leave: true,
      recover: true,
      offset: 5,
      epoch: 'e1',
    });
    await server((server) => {
      server.acceptSubscribe('repo:3', {
        recoverable: true,
        epoch: 'e1',
        offset: 5,
        recovered: true,
        was_recovering: true,
        publications: [{ data: publication('p6'), offset: 6 }],
      });
    });
    expect(a.ids()).toEqual(['p5', 'p6']);
    expect(a.resyncs).toEqual(['initial']);
  });
});
