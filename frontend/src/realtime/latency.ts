/**
 * Round-trip latency of the live connection, measured with the server's `ping`
 * RPC (it answers `{}` at once) when the connection is established and every
 * {@link LATENCY_PROBE_MS} after, one probe at a time.
 */
import { realTimers, type Timers } from './coalesce';

export const LATENCY_PROBE_MS = 10_000;

/** The protocol's "method not found": a server without the `ping` RPC. */
const METHOD_NOT_FOUND = 104;

/** "12 ms", "<1 ms", "1.2 s". */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '';
  }
  if (ms < 1) {
    return '<1 ms';
  }
  if (ms < 1_000) {
    return `${Math.round(ms)} ms`;
  }
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}

/** What the probe needs of the SDK client. */
export interface RpcClient {
  rpc(method: string, data: unknown): Promise<unknown>;
}

export interface LatencyProbe {
  /** The last round trip in ms, or null while not connected or not measured yet. */
  readonly get: () => number | null;
  readonly subscribe: (listener: () => void) => () => void;
  /** Call when the connection is established: measures now, then every interval. */
  readonly start: () => void;
  /** Call when the connection is lost: forgets the latency, stops probing. */
  readonly stop: () => void;
}

export interface LatencyProbeOptions {
  readonly client: RpcClient;
  readonly intervalMs?: number;
  /** A monotonic clock in ms. */
  readonly now?: () => number;
  readonly timers?: Timers;
}

export function createLatencyProbe(options: LatencyProbeOptions): LatencyProbe {
  const intervalMs = options.intervalMs ?? LATENCY_PROBE_MS;
  const now = options.now ?? (() => performance.now());
  const timers = options.timers ?? realTimers;
  const listeners = new Set<() => void>();
  let latency: number | null = null;
  let timer: unknown = null;
  /** Bumped by start and stop: a reply to an older session's probe is ignored. */
  let session = 0;
  let inFlight = false;

  function set(value: number | null): void {
    if (value === latency) {
      return;
    }
    latency = value;
    for (const listener of [...listeners]) {
      listener();
    }
  }

  function schedule(current: number): void {
    timer = timers.setTimeout(() => {
      probe(current);
    }, intervalMs);
  }

  function probe(current: number): void {
    if (current !== session) {
      return;
    }
    if (inFlight) {
      schedule(current);
      return;
    }
    inFlight = true;
    const started = now();
    options.client.rpc('ping', {}).then(
      () => {
        inFlight = false;
        if (current === session) {
          set(Math.max(0, now() - started));
          schedule(current);
        }
      },
      (error: unknown) => {
        inFlight = false;
        if (current !== session) {
          return;
        }
        set(null);
        // A server without the method will not grow one during this connection.
        if (!isMethodNotFound(error)) {
          schedule(current);
        }
      },
    );
  }

  function cancel(): void {
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
  }

  return {
    get: () => latency,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    start() {
      cancel();
      session += 1;
      inFlight = false;
      probe(session);
    },
    stop() {
      cancel();
      session += 1;
      inFlight = false;
      set(null);
    },
  };
}

function isMethodNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === METHOD_NOT_FOUND;
}
