/**
 * A Centrifuge client that tells when, and after which delay, it schedules its
 * next connection attempt.
 *
 * Why: the indicator shows "Reconnecting in Ns" with a countdown to the SDK's
 * real next attempt. The SDK (centrifuge 5.x, see
 * node_modules/centrifuge/build/index.mjs) computes that delay internally:
 * every scheduled retry goes through `_getReconnectDelay()`, which returns
 * `backoff(attempts, minReconnectDelay, maxReconnectDelay)` (exponential with
 * full jitter) and is immediately followed by
 * `setTimeout(() => this._startReconnecting(), delay)`. No public event carries
 * the delay, and a failed attempt on a connection that is already
 * "connecting" emits no event at all (the SDK stays in the same state), so
 * computing our own delay or listening to events would drift from what the SDK
 * really does. Wrapping the SDK's own method and calling through to it returns
 * exactly the value the SDK uses, jitter included, and keeps its backoff
 * bookkeeping (it increments the attempt counter) intact.
 *
 * `_startReconnecting()` is wrapped the same way, to know when the scheduled
 * attempt actually starts: when the timer fires, or earlier when the browser
 * reports it is back online or a page is restored from the back/forward cache.
 *
 * Both methods are private in the SDK's type declarations, so a TypeScript
 * subclass cannot override them by name. They are installed on this class's
 * prototype instead, typed by {@link ReconnectInternals}, which states exactly
 * what we rely on. If a future SDK version renames them, nothing breaks: the
 * wrappers are simply not installed, {@link reconnectScheduleObservable} is
 * false, and the indicator shows "Reconnecting…" without a countdown.
 * `observableCentrifuge.test.ts` runs the real SDK against a fake WebSocket to
 * catch such a change.
 */
import { Centrifuge, State } from 'centrifuge';

/** The SDK internals this module relies on (centrifuge 5.x). */
interface ReconnectInternals {
  /** Returns the delay in ms before the next attempt and advances the backoff. */
  _getReconnectDelay(this: Centrifuge): number;
  /** Starts a connection attempt if the client is connecting and none is running. */
  _startReconnecting(this: Centrifuge): void;
}

export interface ReconnectObserver {
  /** The SDK scheduled its next connection attempt in `delayMs` milliseconds. */
  onReconnectScheduled(delayMs: number): void;
  /** The SDK is starting a connection attempt now. */
  onAttemptStarted(): void;
}

const internals = Centrifuge.prototype as unknown as Partial<ReconnectInternals>;
const sdkGetReconnectDelay = internals._getReconnectDelay;
const sdkStartReconnecting = internals._startReconnecting;

/** Whether the installed SDK exposes the internals needed for the countdown. */
export const reconnectScheduleObservable =
  typeof sdkGetReconnectDelay === 'function' && typeof sdkStartReconnecting === 'function';

export class ObservableCentrifuge extends Centrifuge {
  /** Set by the owner; called synchronously from inside the SDK. */
  reconnectObserver: ReconnectObserver | null = null;
}

if (typeof sdkGetReconnectDelay === 'function' && typeof sdkStartReconnecting === 'function') {
  const wrappers: ReconnectInternals = {
    _getReconnectDelay(this: Centrifuge): number {
      const delay = sdkGetReconnectDelay.call(this);
      notify(this, (observer) => {
        observer.onReconnectScheduled(delay);
      });
      return delay;
    },
    _startReconnecting(this: Centrifuge): void {
      // Reported before the SDK runs: it may connect synchronously inside.
      if (this.state === State.Connecting) {
        notify(this, (observer) => {
          observer.onAttemptStarted();
        });
      }
      sdkStartReconnecting.call(this);
    },
  };
  for (const [name, value] of Object.entries(wrappers)) {
    Object.defineProperty(ObservableCentrifuge.prototype, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}

function notify(client: Centrifuge, call: (observer: ReconnectObserver) => void): void {
  const observer = client instanceof ObservableCentrifuge ? client.reconnectObserver : null;
  if (observer === null) {
    return;
  }
  try {
    call(observer);
  } catch (error) {
    // An observer bug must never break the SDK's reconnect loop.
    console.error('HubDeck: reconnect observer failed', error);
  }
}
