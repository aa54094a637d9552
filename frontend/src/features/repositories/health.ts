/**
 * Health badges of a repository, derived from its metrics report.
 *
 * | badge | ok | warn | bad |
 * | --- | --- | --- | --- |
 * | CI success rate (default branch; all runs if none there) | ≥ 90% | ≥ 75% | < 75% |
 * | stale pull requests (no update for `stale_days`, 14 by default) | 0 | 1–2 | ≥ 3 |
 * | open pull requests | informative only | | |
 *
 * Without CI runs that succeeded or failed, the CI badge is "none": not a failure.
 */
import { formatPercent } from '../metrics/format';
import type { CIStats, MetricsReport } from '../metrics/model';

export type HealthLevel = 'ok' | 'warn' | 'bad' | 'none';

export const CI_OK_RATE = 0.9;
export const CI_WARN_RATE = 0.75;
export const STALE_WARN = 1;
export const STALE_BAD = 3;

export function ciLevel(rate: number | null): HealthLevel {
  if (rate === null) {
    return 'none';
  }
  if (rate >= CI_OK_RATE) {
    return 'ok';
  }
  return rate >= CI_WARN_RATE ? 'warn' : 'bad';
}

export function staleLevel(stale: number): HealthLevel {
  if (stale >= STALE_BAD) {
    return 'bad';
  }
  return stale >= STALE_WARN ? 'warn' : 'ok';
}

const order: Record<HealthLevel, number> = { none: 0, ok: 1, warn: 2, bad: 3 };

export function worstLevel(levels: readonly HealthLevel[]): HealthLevel {
  return levels.reduce<HealthLevel>((worst, level) => (order[level] > order[worst] ? level : worst), 'none');
}

function decided(stats: CIStats): boolean {
  return stats.succeeded + stats.failed > 0;
}

export interface HealthSummary {
  /** 0–1, or null without a decided run. */
  readonly ciRate: number | null;
  /** Which runs `ciRate` covers. */
  readonly ciScope: 'default_branch' | 'all_runs';
  readonly ciSucceeded: number;
  readonly ciFailed: number;
  readonly openPulls: number;
  readonly stalePulls: number;
  readonly draftPulls: number;
  readonly openIssues: number;
  readonly staleDays: number;
  readonly level: HealthLevel;
}

export function summarizeHealth(report: MetricsReport): HealthSummary {
  const scope = decided(report.ci.default_branch) ? 'default_branch' : 'all_runs';
  const stats = report.ci[scope];
  const ciRate = stats.success_rate;
  const stalePulls = report.backlog.pulls.stale;
  return {
    ciRate,
    ciScope: scope,
    ciSucceeded: stats.succeeded,
    ciFailed: stats.failed,
    openPulls: report.backlog.pulls.open,
    stalePulls,
    draftPulls: report.backlog.draft_pulls,
    openIssues: report.backlog.issues.open,
    staleDays: report.backlog.stale_days,
    level: worstLevel([ciLevel(ciRate), staleLevel(stalePulls)]),
  };
}

/** Below the green threshold: what the "has failing CI" filter keeps. */
export function hasFailingCi(health: HealthSummary): boolean {
  const level = ciLevel(health.ciRate);
  return level === 'warn' || level === 'bad';
}

export interface Badge {
  readonly kind: 'ci' | 'stale-prs' | 'open-prs';
  readonly level: HealthLevel;
  readonly text: string;
  /** The explanation shown on hover. */
  readonly title: string;
}

export function healthBadges(health: HealthSummary, days: number): Badge[] {
  const where = health.ciScope === 'default_branch' ? 'on the default branch' : 'on all branches';
  const ci: Badge =
    health.ciRate === null
      ? { kind: 'ci', level: 'none', text: 'No CI', title: `No CI run succeeded or failed in the last ${days} days.` }
      : {
          kind: 'ci',
          level: ciLevel(health.ciRate),
          text: `CI ${formatPercent(health.ciRate)}`,
          title: `CI success rate ${where} over the last ${days} days: ${health.ciSucceeded} succeeded, ${health.ciFailed} failed. Green from ${formatPercent(CI_OK_RATE)}, amber from ${formatPercent(CI_WARN_RATE)}.`,
        };
  const staleDays = Math.round(health.staleDays);
  return [
    ci,
    {
      kind: 'stale-prs',
      level: staleLevel(health.stalePulls),
      text: `${health.stalePulls} stale ${health.stalePulls === 1 ? 'PR' : 'PRs'}`,
      title: `Open pull requests not updated for ${staleDays} days or more.`,
    },
    {
      kind: 'open-prs',
      level: 'none',
      text: `${health.openPulls} open ${health.openPulls === 1 ? 'PR' : 'PRs'}`,
      title:
        health.draftPulls > 0
          ? `Open pull requests now, ${health.draftPulls} of them ${health.draftPulls === 1 ? 'a draft' : 'drafts'}.`
          : 'Open pull requests now.',
    },
  ];
}
