import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { createCoalescer } from './coalesce';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createCoalescer', () => {
  it('turns a burst of 50 requests into a handful of runs, at most one per interval', () => {
    const runs: number[] = [];
    const coalescer = createCoalescer<number>({
      intervalMs: 300,
      run: () => {
        runs.push(Date.now());
      },
    });
    // 50 events over one second.
    for (let i = 0; i < 50; i += 1) {
      coalescer.request('metrics', i);
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(1_000);
    expect(runs.length).toBeLessThanOrEqual(5);
    expect(runs[0]).toBe(0);
    for (let i = 1; i < runs.length; i += 1) {
      expect((runs[i] ?? 0) - (runs[i - 1] ?? 0)).toBeGreaterThanOrEqual(300);
    }
    // The last request is covered by a run after it.
    expect(runs.at(-1)).toBeGreaterThanOrEqual(49 * 20);
    expect(coalescer.pendingKeys()).toEqual([]);
  });

  it('runs a lone request at once, and once', () => {
    const run = vi.fn();
    const coalescer = createCoalescer<string>({ intervalMs: 300, run });
    coalescer.request('a', 'x');
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart and passes the newest value (or the merged one)', () => {
    const run = vi.fn();
    const coalescer = createCoalescer<number>({ intervalMs: 300, run, merge: (a, b) => a + b });
    coalescer.request('a', 1);
    coalescer.request('b', 10);
    coalescer.request('a', 2);
    coalescer.request('a', 3);
    expect(run.mock.calls).toEqual([
      ['a', 1],
      ['b', 10],
    ]);
    vi.advanceTimersByTime(300);
    expect(run.mock.calls.at(-1)).toEqual(['a', 5]);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('waits while a key is busy instead of running over it, then runs once', () => {
    const run = vi.fn();
    let busy = true;
    const coalescer = createCoalescer<number>({ intervalMs: 300, run, isBusy: () => busy });
    coalescer.request('a', 1);
    coalescer.request('a', 2);
    vi.advanceTimersByTime(900);
    expect(run).not.toHaveBeenCalled();
    busy = false;
    vi.advanceTimersByTime(300);
    expect(run.mock.calls).toEqual([['a', 2]]);
    vi.advanceTimersByTime(3_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('survives a failing run and forgets everything on dispose', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const run = vi.fn(() => {
      throw new Error('boom');
    });
    const coalescer = createCoalescer<number>({ intervalMs: 300, run });
    coalescer.request('a', 1);
    coalescer.request('a', 2);
    coalescer.dispose();
    vi.advanceTimersByTime(1_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(coalescer.pendingKeys()).toEqual([]);
  });
});
