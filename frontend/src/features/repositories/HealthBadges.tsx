import type { Badge } from './health';

export function HealthBadges({ badges }: { readonly badges: readonly Badge[] }) {
  return (
    <span className="badges">
      {badges.map((badge) => (
        <span
          key={badge.kind}
          className={`badge badge--small badge--${badge.level}`}
          data-testid="health-badge"
          data-kind={badge.kind}
          data-level={badge.level}
          title={badge.title}
        >
          {badge.text}
        </span>
      ))}
    </span>
  );
}
