import { EmptyState } from '../../components/PageState';
import { busiestSlot, heatmapRows } from './heatmap';
import type { CommitHeatmap } from './model';

const HOUR_MARKS = new Set([0, 3, 6, 9, 12, 15, 18, 21]);

/** Commits per weekday and hour, as a grid of coloured cells. */
export function Heatmap({ heatmap, days }: { readonly heatmap: CommitHeatmap; readonly days: number }) {
  if (heatmap.total === 0) {
    return (
      <EmptyState title={`No commits in the last ${days} days.`} testId="heatmap-empty">
        The heatmap counts commits by their author time; bots&rsquo; commits are left out.
      </EmptyState>
    );
  }
  const rows = heatmapRows(heatmap);
  const busiest = busiestSlot(heatmap);
  return (
    <div className="heatmap-wrap">
      <div
        className="heatmap"
        data-testid="heatmap"
        data-total={heatmap.total}
        role="img"
        aria-label={`Commit activity by weekday and hour (${heatmap.timezone}): ${heatmap.total} commits${
          busiest === null ? '' : `, busiest ${busiest.day} ${busiest.hour}:00`
        }`}
      >
        <span className="heatmap__corner" aria-hidden="true" />
        {Array.from({ length: 24 }, (_, hour) => (
          <span key={hour} className="heatmap__hour" aria-hidden="true">
            {HOUR_MARKS.has(hour) ? String(hour).padStart(2, '0') : ''}
          </span>
        ))}
        {rows.map((row) => (
          <div key={row.day} className="heatmap__row" role="presentation">
            <span className="heatmap__day" aria-hidden="true">
              {row.day}
            </span>
            {row.cells.map((cell) => (
              <span
                key={cell.hour}
                className={`heatmap__cell heat-${cell.level}`}
                title={cell.title}
                data-count={cell.count}
                data-level={cell.level}
              />
            ))}
          </div>
        ))}
      </div>
      <div className="heatmap__legend muted small" aria-hidden="true">
        <span>Hours in {heatmap.timezone}. Fewer</span>
        {[0, 1, 2, 3, 4].map((level) => (
          <span key={level} className={`heatmap__cell heat-${level}`} />
        ))}
        <span>more</span>
      </div>
    </div>
  );
}
