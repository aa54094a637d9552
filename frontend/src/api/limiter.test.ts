import { describe, expect, it } from 'vitest';

import { createLimiter } from './limiter';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createLimiter', () => {
  it('runs at most `concurrency` tasks at once, the others in order as slots free up', async () => {
    const limiter = createLimiter(2);
    const gates = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const results = gates.map((gate, index) =>
      limiter.run(() => {
        started.push(index);
        return gate.promise;
      }),
    );
    const firstOutcome = results[0]?.catch((error: unknown) => error);
    expect(started).toEqual([0, 1]);
    expect(limiter.active).toBe(2);
    expect(limiter.pending).toBe(2);

    gates[1]?.resolve(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);

    gates[0]?.reject(new Error('boom'));
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);

    gates[2]?.resolve(2);
    gates[3]?.resolve(3);
    expect(await firstOutcome).toEqual(new Error('boom'));
    await expect(Promise.all(results.slice(1))).resolves.toEqual([1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot of a task that throws synchronously', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(limiter.run(() => Promise.resolve('yes'))).resolves.toBe('yes');
  });

  it('rejects a non-positive concurrency', () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
    expect(() => createLimiter(1.5)).toThrow(RangeError);
  });
});
