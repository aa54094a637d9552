import { describe, expect, it } from 'vitest';

import { marksFor } from './annotations';

const week = ['2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', '2026-11-16T00:00:00Z'];
const note = (at: string, text = at) => ({ id: 1, text, at, tags: [] });

describe('annotations on a time series', () => {
  it('falls in the bucket that contains it, the last bucket as wide as the others', () => {
    expect(
      marksFor(week, [
        note('2026-11-02T00:00:00Z', 'first'),
        note('2026-11-10T12:00:00Z', 'second'),
        note('2026-11-22T23:59:00Z', 'last'),
      ]),
    ).toEqual([
      { index: 0, text: 'first' },
      { index: 1, text: 'second' },
      { index: 2, text: 'last' },
    ]);
  });

  it('leaves out what is outside the chart, and copes with no buckets', () => {
    expect(marksFor(week, [note('2026-11-01T23:59:00Z'), note('2026-11-23T00:00:00Z')])).toEqual([]);
    expect(marksFor([], [note('2026-11-10T00:00:00Z')])).toEqual([]);
    expect(marksFor(['2026-11-10T00:00:00Z'], [note('2026-11-10T10:00:00Z', 'day')])).toEqual([
      { index: 0, text: 'day' },
    ]);
  });
});
