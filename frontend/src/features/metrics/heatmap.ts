/** The commit-activity heatmap: a weekday × hour grid of coloured cells. */
import type { CommitHeatmap } from './model';

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** Colour steps besides "none" (level 0): CSS variables --heat-1 … --heat-4. */
export const HEAT_LEVELS = 4;

/**
 * The colour step of `count` on a linear scale up to `max`: 0 only for no
 * commits, so a single commit always shows; `max` is always the top step.
 */
export function heatLevel(count: number, max: number, levels: number = HEAT_LEVELS): number {
  if (count <= 0 || max <= 0) {
    return 0;
  }
  return Math.min(levels, Math.max(1, Math.ceil((count / max) * levels)));
}

export interface HeatCell {
  readonly hour: number;
  readonly count: number;
  readonly level: number;
  readonly title: string;
}

export interface HeatRow {
  readonly day: string;
  readonly cells: readonly HeatCell[];
}

function hourRange(hour: number): string {
  const pad = (h: number) => String(h).padStart(2, '0');
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

/** 7 rows (Monday first) of 24 cells, with levels and tooltips; missing counts read as 0. */
export function heatmapRows(heatmap: CommitHeatmap): HeatRow[] {
  const max = Math.max(0, ...heatmap.counts.flat());
  return WEEKDAYS.map((day, weekday) => ({
    day,
    cells: Array.from({ length: 24 }, (_, hour) => {
      const count = heatmap.counts[weekday]?.[hour] ?? 0;
      return {
        hour,
        count,
        level: heatLevel(count, max),
        title: `${day} ${hourRange(hour)}: ${count} ${count === 1 ? 'commit' : 'commits'}`,
      };
    }),
  }));
}

/** The busiest weekday and hour, or null without commits. */
export function busiestSlot(heatmap: CommitHeatmap): { day: string; hour: number; count: number } | null {
  let best: { day: string; hour: number; count: number } | null = null;
  heatmap.counts.forEach((hours, weekday) => {
    hours.forEach((count, hour) => {
      const day = WEEKDAYS[weekday];
      if (day !== undefined && count > 0 && (best === null || count > best.count)) {
        best = { day, hour, count };
      }
    });
  });
  return best;
}
