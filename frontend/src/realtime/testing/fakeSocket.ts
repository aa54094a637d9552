/**
 * Test double of the browser WebSocket, playing the server side of the
 * Centrifuge client protocol v2 (JSON) closely enough for the real SDK to
 * connect, lose its connection and be refused; subscribe, receive
 * publications and join/leave pushes, ask for presence and call RPCs. Used
 * only by tests.
 */
import type { WebSocketConstructor } from '../connection';

export interface SubscribeRequest {
  readonly channel: string;
  readonly recover?: boolean;
  readonly offset?: number;
  readonly epoch?: string;
  readonly join_leave?: boolean;
}

interface Command {
  readonly id?: number;
  readonly connect?: unknown;
  readonly subscribe?: SubscribeRequest;
  readonly unsubscribe?: { readonly channel: string };
  readonly rpc?: { readonly method: string; readonly data?: unknown };
  readonly presence?: { readonly channel: string };
}

/** A client's info as the protocol writes it. */
export interface WireClientInfo {
  readonly client: string;
  readonly user: string;
  readonly conn_info?: unknown;
  readonly chan_info?: unknown;
}

export class FakeSocket {
  /** Every socket the SDK created, oldest first. */
  static readonly created: FakeSocket[] = [];

  static reset(): void {
    FakeSocket.created.length = 0;
  }

  static last(): FakeSocket {
    const socket = FakeSocket.created.at(-1);
    if (socket === undefined) {
      throw new Error('the SDK created no socket');
    }
    return socket;
  }

  /** The constructor, typed as what the SDK expects. */
  static asConstructor(): WebSocketConstructor {
    // FakeSocket implements only the part of WebSocket that the SDK uses.
    return FakeSocket as unknown as WebSocketConstructor;
  }

  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  readonly sent: Command[] = [];
  closedByClient = false;
  readonly url: string;
  private readonly answered = new Set<number>();

  constructor(url: string) {
    this.url = url;
    FakeSocket.created.push(this);
  }

  // ---- called by the SDK ----

  send(data: string): void {
    for (const line of data.split('\n')) {
      if (line.trim() !== '') {
        this.sent.push(JSON.parse(line) as Command);
      }
    }
  }

  close(): void {
    this.closedByClient = true;
  }

  // ---- what the client sent ----

  /** Subscribe requests sent, for one channel or all, oldest first. */
  subscribes(channel?: string): SubscribeRequest[] {
    return this.sent
      .map((command) => command.subscribe)
      .filter((request): request is SubscribeRequest => request !== undefined)
      .filter((request) => channel === undefined || request.channel === channel);
  }

  /** Channels the client unsubscribed from, in order. */
  unsubscribes(): string[] {
    return this.sent.flatMap((command) => (command.unsubscribe === undefined ? [] : [command.unsubscribe.channel]));
  }

  /** RPC method names called, in order. */
  rpcs(): string[] {
    return this.sent.flatMap((command) => (command.rpc === undefined ? [] : [command.rpc.method]));
  }

  // ---- the server's side ----

  /** Opens the socket; the SDK then sends its connect command. */
  open(): void {
    this.onopen?.();
  }

  /** Accepts the client's connect command, with the reply's `data` (e.g. `{user: 1}`). */
  acceptConnect(data?: unknown): void {
    const connect = this.pending((command) => command.connect !== undefined);
    this.reply(connect, { connect: { client: 'test-client', version: '0.1.0', ...(data === undefined ? {} : { data }) } });
  }

  /** Accepts the newest unanswered subscribe to `channel` with this result (`recoverable`, `epoch`, `offset`, `recovered`, `was_recovering`, `publications`…). */
  acceptSubscribe(channel: string, result: Record<string, unknown> = {}): void {
    const command = this.pending((candidate) => candidate.subscribe?.channel === channel);
    this.reply(command, { subscribe: result });
  }

  /** Refuses the newest unanswered subscribe to `channel`. */
  refuseSubscribe(channel: string, code: number, message: string, temporary = false): void {
    const command = this.pending((candidate) => candidate.subscribe?.channel === channel);
    this.reply(command, { error: { code, message, ...(temporary ? { temporary } : {}) } });
  }

  /** Answers the oldest unanswered call of RPC `method`. */
  answerRpc(method: string, data: unknown = {}): void {
    const command = this.pending((candidate) => candidate.rpc?.method === method, 'oldest');
    this.reply(command, { rpc: { data } });
  }

  /** Refuses the oldest unanswered call of RPC `method`. */
  refuseRpc(method: string, code: number, message: string): void {
    const command = this.pending((candidate) => candidate.rpc?.method === method, 'oldest');
    this.reply(command, { error: { code, message } });
  }

  /** Answers the oldest unanswered presence request for `channel`. */
  answerPresence(channel: string, clients: readonly WireClientInfo[]): void {
    const command = this.pending((candidate) => candidate.presence?.channel === channel, 'oldest');
    const presence = Object.fromEntries(clients.map((info) => [info.client, info]));
    this.reply(command, { presence: { presence } });
  }

  /** Whether a presence request for `channel` waits for an answer. */
  hasPendingPresence(channel: string): boolean {
    return this.sent.some(
      (command) => command.presence?.channel === channel && command.id !== undefined && !this.answered.has(command.id),
    );
  }

  /** Pushes a publication. */
  publish(channel: string, data: unknown, offset?: number): void {
    this.push({ channel, pub: { data, ...(offset === undefined ? {} : { offset }) } });
  }

  join(channel: string, info: WireClientInfo): void {
    this.push({ channel, join: { info } });
  }

  leave(channel: string, info: WireClientInfo): void {
    this.push({ channel, leave: { info } });
  }

  /** Closes the socket from the server or network side. */
  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }

  private push(push: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify({ push }) });
  }

  private reply(command: Command, body: Record<string, unknown>): void {
    if (command.id === undefined) {
      throw new Error('the command has no id');
    }
    this.answered.add(command.id);
    this.onmessage?.({ data: JSON.stringify({ id: command.id, ...body }) });
  }

  private pending(matches: (command: Command) => boolean, which: 'newest' | 'oldest' = 'newest'): Command {
    const candidates = this.sent.filter(
      (command) => matches(command) && command.id !== undefined && !this.answered.has(command.id),
    );
    const command = which === 'newest' ? candidates.at(-1) : candidates[0];
    if (command === undefined) {
      throw new Error('the SDK sent no such command (or it was answered already)');
    }
    return command;
  }
}
