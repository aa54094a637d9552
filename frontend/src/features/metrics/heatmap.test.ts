import { describe, expect, it } from 'vitest';

import { HEAT_LEVELS, busiestSlot, heatLevel, heatmapRows } from './heatmap';
import type { CommitHeatmap } from './model';

function heatmapWith(cells: [number, number, number][]): CommitHeatmap {
  const counts = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let total = 0;
  for (const [day, hour, count] of cells) {
    const row = counts[day];
    if (row !== undefined) {
      row[hour] = count;
      total += count;
    }
  }
  return { timezone: 'UTC', counts, total };
}

describe('heatLevel', () => {
  it('is 0 only without commits, and the top step at the maximum', () => {
    expect(heatLevel(0, 10)).toBe(0);
    expect(heatLevel(1, 100)).toBe(1);
    expect(heatLevel(10, 10)).toBe(HEAT_LEVELS);
  });

  it('splits the range linearly into steps', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((count) => heatLevel(count, 8))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('handles a zero maximum and counts beyond it', () => {
    expect(heatLevel(3, 0)).toBe(0);
    expect(heatLevel(12, 10)).toBe(HEAT_LEVELS);
  });
});

describe('heatmapRows', () => {
  it('gives 7 rows from Monday of 24 cells, with levels and tooltips', () => {
    const rows = heatmapRows(heatmapWith([[0, 9, 4], [6, 23, 1]]));
    expect(rows.map((row) => row.day)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(rows.every((row) => row.cells.length === 24)).toBe(true);
    expect(rows[0]?.cells[9]).toEqual({ hour: 9, count: 4, level: 4, title: 'Mon 09:00–10:00: 4 commits' });
    expect(rows[6]?.cells[23]).toMatchObject({ level: 1, title: 'Sun 23:00–00:00: 1 commit' });
    expect(rows[3]?.cells[0]?.level).toBe(0);
  });

  it('reads missing rows or hours as zero', () => {
    const rows = heatmapRows({ timezone: 'UTC', counts: [[1]], total: 1 });
    expect(rows[0]?.cells[0]?.level).toBe(HEAT_LEVELS);
    expect(rows[5]?.cells[5]?.count).toBe(0);
  });
});

describe('busiestSlot', () => {
  it('finds the busiest weekday and hour, or null without commits', () => {
    expect(busiestSlot(heatmapWith([[2, 14, 3], [4, 10, 5]]))).toEqual({ day: 'Fri', hour: 10, count: 5 });
    expect(busiestSlot(heatmapWith([]))).toBeNull();
  });
});
