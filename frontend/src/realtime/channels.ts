/**
 * Channel subscriptions shared by the whole page: ONE SDK Subscription per
 * channel, however many components want it.
 *
 * Components {@link ChannelManager.acquire} a channel with their handlers and
 * release it when they unmount. The first acquire subscribes; after the last
 * release the subscription lingers for {@link CHANNEL_LINGER_MS} (React's strict
 * mode mounts twice, a navigation often comes back) and is then removed.
 *
 * For each channel the manager:
 * - applies each publication at most once (see {@link StreamTracker}): the
 *   SDK recovers missed publications on reconnect, and a recovery can overlap
 *   what was delivered;
 * - tells handlers to refetch over HTTP (`onResync`) when the stream cannot
 *   say what they missed: the first subscribe, a resubscribe that could not
 *   recover (`wasRecovering && !recovered`, or a channel without recovery),
 *   a gap in offsets;
 * - stops on "permission denied" (103): the subscription goes to
 *   `unsubscribed` and is not tried again on this connection; it is tried
 *   again when the connection comes back as another user (after sign-in).
 *   Other refusals (e.g. a server without subscriptions) are tried again on the
 *   next connection.
 *
 * Handlers never throw into the SDK: an exception escaping an SDK event
 * handler makes it stop the client.
 */
import type {
  Centrifuge,
  ConnectedContext,
  JoinContext,
  LeaveContext,
  PublicationContext,
  SubscribedContext,
  Subscription,
  SubscriptionOptions,
  UnsubscribedContext,
} from 'centrifuge';

import { realTimers, type Timers } from './coalesce';
import { decodeLiveEvent, type LiveEvent } from './events';
import type { PresenceClient } from './presence';
import { StreamTracker, type ResyncReason } from './stream';

/** The protocol's "permission denied". */
export const PERMISSION_DENIED = 103;
/** The SDK's code of an `unsubscribed` event caused by `unsubscribe()`. */
const UNSUBSCRIBE_CALLED = 0;
/** How long a channel stays subscribed after its last component let go. */
export const CHANNEL_LINGER_MS = 1_000;

export type ChannelState =
  /** No component needs it. */
  | { readonly status: 'idle' }
  /** Waiting for the connection or the server's reply. */
  | { readonly status: 'subscribing' }
  | { readonly status: 'subscribed'; readonly since: number }
  /** Refused with 103: not tried again until the user changes. */
  | { readonly status: 'denied'; readonly code: number; readonly reason: string }
  /** Refused otherwise, or ended by the server: tried again on the next connection. */
  | { readonly status: 'failed'; readonly code: number; readonly reason: string };

export interface EventMeta {
  readonly channel: string;
  /** Its offset in the channel, when the channel has a history. */
  readonly offset: number | null;
}

/** What a component wants to hear of a channel; every handler is optional. */
export interface ChannelHandlers {
  /** A new event, each one once. */
  readonly onEvent?: (event: LiveEvent, meta: EventMeta) => void;
  /**
   * Every new publication's data as it came, each one once (after the same
   * offset and id checks as `onEvent`), whether or not it is a domain event:
   * for channels that carry other payloads, e.g. `user:` (notifications).
   */
  readonly onPublication?: (data: unknown, meta: EventMeta) => void;
  /** Refetch what comes from this channel; `at` is when the stream took over (epoch ms). */
  readonly onResync?: (reason: ResyncReason, at: number) => void;
  /** Each time the subscription is (re-)established. */
  readonly onSubscribed?: () => void;
  /** Presence changes; only for channels acquired with `joinLeave`. */
  readonly onJoin?: (client: PresenceClient) => void;
  readonly onLeave?: (client: PresenceClient) => void;
  /** The server refused the channel (see {@link ChannelState}). */
  readonly onRefused?: (state: Extract<ChannelState, { status: 'denied' | 'failed' }>) => void;
}

export interface ChannelOptions {
  /** Ask for join/leave pushes (presence). */
  readonly joinLeave?: boolean;
}

export interface ChannelManagerOptions {
  readonly lingerMs?: number;
  /** Clock in epoch ms. */
  readonly now?: () => number;
  readonly timers?: Timers;
}

interface Entry {
  readonly channel: string;
  sub: Subscription | null;
  joinLeave: boolean;
  readonly handlers: Set<ChannelHandlers>;
  readonly tracker: StreamTracker;
  state: ChannelState;
  linger: unknown;
}

const IDLE: ChannelState = { status: 'idle' };
const SUBSCRIBING: ChannelState = { status: 'subscribing' };

/** The user id of a connect reply's data (`{"user": id}`), null when anonymous. */
export function connectedUser(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const user = (data as { user?: unknown }).user;
  return typeof user === 'number' || (typeof user === 'string' && user !== '') ? String(user) : null;
}

export class ChannelManager {
  private readonly client: Centrifuge;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private readonly lingerMs: number;
  private readonly now: () => number;
  private readonly timers: Timers;
  /** The user of the current connection; undefined before the first one. */
  private user: string | null | undefined = undefined;

  constructor(client: Centrifuge, options: ChannelManagerOptions = {}) {
    this.client = client;
    this.lingerMs = options.lingerMs ?? CHANNEL_LINGER_MS;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? realTimers;
    client.on('connected', (ctx: ConnectedContext) => {
      this.onConnected(connectedUser(ctx.data));
    });
  }

  /**
   * Subscribes to `channel` (or shares its subscription) until the returned
   * function is called. Handlers are called synchronously from the SDK's events.
   */
  acquire(channel: string, handlers: ChannelHandlers, options: ChannelOptions = {}): () => void {
    let entry = this.entries.get(channel);
    if (entry === undefined) {
      entry = {
        channel,
        sub: null,
        joinLeave: false,
        handlers: new Set(),
        tracker: new StreamTracker(),
        state: IDLE,
        linger: null,
      };
      this.entries.set(channel, entry);
    }
    if (entry.linger !== null) {
      this.timers.clearTimeout(entry.linger);
      entry.linger = null;
    }
    entry.handlers.add(handlers);
    const wantsJoinLeave = options.joinLeave === true && !entry.joinLeave;
    if (wantsJoinLeave) {
      entry.joinLeave = true;
    }
    if (entry.sub === null) {
      this.open(entry, null);
    } else if (wantsJoinLeave) {
      // Options are fixed per SDK subscription: subscribe again with join/leave,
      // recovering from where the stream was.
      this.detach(entry);
      this.open(entry, entry.tracker.position());
    } else if (entry.state.status === 'failed') {
      entry.sub.subscribe();
    }

    const current = entry;
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.release(current, handlers);
    };
  }

  getState(channel: string): ChannelState {
    return this.entries.get(channel)?.state ?? IDLE;
  }

  /** Listens to state changes of every channel (for useSyncExternalStore). */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Who is subscribed to an acquired channel, by client id (waits until it is subscribed). */
  async presence(channel: string): Promise<Readonly<Record<string, PresenceClient>>> {
    const sub = this.entries.get(channel)?.sub ?? null;
    if (sub === null) {
      throw new Error(`${channel} is not acquired`);
    }
    const result = await sub.presence();
    return result.clients;
  }

  /** Channels with a subscription, for diagnostics and tests. */
  channels(): string[] {
    return [...this.entries.values()].filter((entry) => entry.sub !== null).map((entry) => entry.channel);
  }

  /** Removes every subscription. */
  dispose(): void {
    for (const entry of [...this.entries.values()]) {
      this.close(entry);
    }
  }

  private release(entry: Entry, handlers: ChannelHandlers): void {
    entry.handlers.delete(handlers);
    if (entry.handlers.size > 0 || this.entries.get(entry.channel) !== entry) {
      return;
    }
    if (this.lingerMs <= 0) {
      this.close(entry);
      return;
    }
    entry.linger = this.timers.setTimeout(() => {
      entry.linger = null;
      if (entry.handlers.size === 0) {
        this.close(entry);
      }
    }, this.lingerMs);
  }

  private close(entry: Entry): void {
    if (entry.linger !== null) {
      this.timers.clearTimeout(entry.linger);
      entry.linger = null;
    }
    this.entries.delete(entry.channel);
    this.detach(entry);
    this.setState(entry, IDLE);
  }

  private detach(entry: Entry): void {
    const sub = entry.sub;
    if (sub === null) {
      return;
    }
    entry.sub = null;
    // Unsubscribes; its events are ignored from here on (entry.sub is no longer it).
    this.client.removeSubscription(sub);
    sub.removeAllListeners();
  }

  private open(entry: Entry, since: { offset: number; epoch: string } | null): void {
    const leftover = this.client.getSubscription(entry.channel);
    if (leftover !== null) {
      this.client.removeSubscription(leftover);
    }
    const options: SubscriptionOptions = {};
    if (entry.joinLeave) {
      options.joinLeave = true;
    }
    if (since !== null) {
      options.since = since;
    }
    const sub = this.client.newSubscription(entry.channel, options);
    entry.sub = sub;
    const live = () => entry.sub === sub;

    sub.on('subscribing', () => {
      if (live()) {
        this.setState(entry, SUBSCRIBING);
      }
    });
    sub.on('subscribed', (ctx: SubscribedContext) => {
      if (live()) {
        this.onSubscribed(entry, ctx);
      }
    });
    sub.on('publication', (ctx: PublicationContext) => {
      if (live()) {
        this.onPublication(entry, ctx);
      }
    });
    sub.on('join', (ctx: JoinContext) => {
      if (live()) {
        this.each(entry, (handlers) => handlers.onJoin?.(ctx.info));
      }
    });
    sub.on('leave', (ctx: LeaveContext) => {
      if (live()) {
        this.each(entry, (handlers) => handlers.onLeave?.(ctx.info));
      }
    });
    sub.on('unsubscribed', (ctx: UnsubscribedContext) => {
      if (live()) {
        this.onUnsubscribed(entry, ctx);
      }
    });
    // Temporary errors: the SDK subscribes again by itself. Listening keeps them
    // from being reported as unhandled.
    sub.on('error', () => undefined);

    this.setState(entry, SUBSCRIBING);
    sub.subscribe();
  }

  private onSubscribed(entry: Entry, ctx: SubscribedContext): void {
    const at = this.now();
    this.setState(entry, { status: 'subscribed', since: at });
    const position = ctx.streamPosition;
    const reason = entry.tracker.subscribed({
      wasRecovering: ctx.wasRecovering,
      recovered: ctx.recovered,
      position: position === undefined ? null : { offset: position.offset, epoch: position.epoch },
    });
    if (reason !== null) {
      this.each(entry, (handlers) => handlers.onResync?.(reason, at));
    }
    this.each(entry, (handlers) => handlers.onSubscribed?.());
  }

  private onPublication(entry: Entry, ctx: PublicationContext): void {
    const event = decodeLiveEvent(ctx.data);
    const offset = typeof ctx.offset === 'number' ? ctx.offset : null;
    const verdict = entry.tracker.check(offset, event?.id ?? null);
    if (verdict === 'duplicate') {
      return;
    }
    if (verdict === 'apply-after-gap') {
      const at = this.now();
      this.each(entry, (handlers) => handlers.onResync?.('gap', at));
    }
    const meta: EventMeta = { channel: entry.channel, offset };
    const raw = [...entry.handlers].some((handlers) => handlers.onPublication !== undefined);
    if (raw) {
      this.each(entry, (handlers) => handlers.onPublication?.(ctx.data, meta));
    }
    if (event === null) {
      if (!raw) {
        console.warn(`HubDeck: unreadable publication on ${entry.channel}`, ctx.data);
      }
      return;
    }
    this.each(entry, (handlers) => handlers.onEvent?.(event, meta));
  }

  private onUnsubscribed(entry: Entry, ctx: UnsubscribedContext): void {
    if (ctx.code === UNSUBSCRIBE_CALLED) {
      this.setState(entry, IDLE);
      return;
    }
    const state =
      ctx.code === PERMISSION_DENIED
        ? ({ status: 'denied', code: ctx.code, reason: ctx.reason } as const)
        : ({ status: 'failed', code: ctx.code, reason: ctx.reason } as const);
    if (state.status === 'denied') {
      console.warn(`HubDeck: no permission to follow ${entry.channel} live (${ctx.reason})`);
    }
    this.setState(entry, state);
    this.each(entry, (handlers) => handlers.onRefused?.(state));
  }

  private onConnected(user: string | null): void {
    const changed = this.user !== undefined && user !== this.user;
    this.user = user;
    for (const entry of this.entries.values()) {
      const { status } = entry.state;
      if (entry.sub === null || entry.handlers.size === 0) {
        continue;
      }
      if (status === 'failed' || (status === 'denied' && changed)) {
        entry.sub.subscribe();
      }
    }
  }

  private setState(entry: Entry, state: ChannelState): void {
    if (entry.state === state) {
      return;
    }
    entry.state = state;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        console.error('HubDeck: a channel state listener failed', error);
      }
    }
  }

  private each(entry: Entry, call: (handlers: ChannelHandlers) => void): void {
    for (const handlers of [...entry.handlers]) {
      try {
        call(handlers);
      } catch (error) {
        console.error(`HubDeck: a handler of ${entry.channel} failed`, error);
      }
    }
  }
}
