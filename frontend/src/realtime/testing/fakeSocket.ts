/**
 * Test double of the browser WebSocket, playing the server side of the
 * Centrifuge client protocol v2 (JSON) closely enough for the real SDK to
 * connect, lose its connection and be refused. Used only by tests.
 */
import type { WebSocketConstructor } from '../connection';

interface Command {
  readonly id?: number;
  readonly connect?: unknown;
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

  // ---- the server's side ----

  /** Opens the socket; the SDK then sends its connect command. */
  open(): void {
    this.onopen?.();
  }

  /** Accepts the client's connect command. */
  acceptConnect(): void {
    const connect = this.sent.find((command) => command.connect !== undefined);
    if (connect?.id === undefined) {
      throw new Error('the SDK sent no connect command');
    }
    this.onmessage?.({ data: JSON.stringify({ id: connect.id, connect: { client: 'test-client', version: '0.1.0' } }) });
  }

  /** Closes the socket from the server or network side. */
  drop(code = 1006, reason = ''): void {
    this.onclose?.({ code, reason });
  }
}
