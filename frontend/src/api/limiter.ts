/**
 * Runs at most `concurrency` tasks at once; the rest wait in order. Used to
 * fetch one metrics report per repository without opening dozens of requests
 * at the same moment.
 */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a free slot. */
  readonly pending: number;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError('concurrency must be a positive integer');
  }
  let active = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    active -= 1;
    const next = queue.shift();
    if (next !== undefined) {
      next();
    }
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = () => {
          active += 1;
          task().then(resolve, reject).finally(release);
        };
        if (active < concurrency) {
          start();
        } else {
          queue.push(start);
        }
      });
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
  };
}
