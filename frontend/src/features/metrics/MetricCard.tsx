import type { ReactNode } from 'react';

/** A number with its label: `data-metric` names it, `data-value` holds the raw value (empty when undefined). */
export function MetricCard({
  metric,
  label,
  value,
  raw,
  detail,
  tone,
  title,
}: {
  readonly metric: string;
  readonly label: string;
  readonly value: string;
  readonly raw: number | null;
  readonly detail?: ReactNode;
  readonly tone?: 'ok' | 'warn' | 'bad' | 'none' | undefined;
  readonly title?: string | undefined;
}) {
  return (
    <div
      className={`metric${tone === undefined ? '' : ` metric--${tone}`}`}
      data-testid="metric-card"
      data-metric={metric}
      data-value={raw === null ? '' : String(raw)}
      title={title}
    >
      <span className="metric__label">{label}</span>
      <span className="metric__value">{value}</span>
      {detail !== undefined && <span className="metric__detail">{detail}</span>}
    </div>
  );
}

/** A titled card of the dashboard. */
export function Panel({
  id,
  title,
  summary,
  wide = false,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly summary?: ReactNode;
  readonly wide?: boolean;
  readonly children: ReactNode;
}) {
  return (
    <section className={`card panel${wide ? ' panel--wide' : ''}`} aria-labelledby={`${id}-title`} data-panel={id}>
      <div className="panel__header">
        <h2 id={`${id}-title`}>{title}</h2>
        {summary !== undefined && <span className="panel__summary muted small">{summary}</span>}
      </div>
      {children}
    </section>
  );
}
