import { describe, expect, it } from 'vitest';

import { emptyReport, sampleReport } from '../metrics/testing/fixtures';
import { ciLevel, hasFailingCi, healthBadges, staleLevel, summarizeHealth, worstLevel } from './health';

describe('ciLevel', () => {
  it('is green from 90%, amber from 75%, red below, none without decided runs', () => {
    expect(ciLevel(1)).toBe('ok');
    expect(ciLevel(0.9)).toBe('ok');
    expect(ciLevel(0.8999)).toBe('warn');
    expect(ciLevel(0.75)).toBe('warn');
    expect(ciLevel(0.7499)).toBe('bad');
    expect(ciLevel(0)).toBe('bad');
    expect(ciLevel(null)).toBe('none');
  });
});

describe('staleLevel and worstLevel', () => {
  it('grade stale pull requests: none ok, 1–2 amber, 3+ red', () => {
    expect([0, 1, 2, 3, 10].map(staleLevel)).toEqual(['ok', 'warn', 'warn', 'bad', 'bad']);
  });

  it('take the worst level', () => {
    expect(worstLevel(['ok', 'warn', 'none'])).toBe('warn');
    expect(worstLevel(['ok', 'bad'])).toBe('bad');
    expect(worstLevel(['none'])).toBe('none');
    expect(worstLevel([])).toBe('none');
  });
});

describe('summarizeHealth', () => {
  it('uses the default branch’s CI when it has decided runs', () => {
    const health = summarizeHealth(sampleReport);
    expect(health.ciScope).toBe('default_branch');
    expect(health.ciRate).toBeCloseTo(36 / 46, 6);
    expect(health).toMatchObject({ openPulls: 4, stalePulls: 1, draftPulls: 1, openIssues: 14, level: 'warn' });
    expect(hasFailingCi(health)).toBe(true);
  });

  it('falls back to all runs when the default branch has none decided', () => {
    const report = {
      ...sampleReport,
      ci: {
        ...sampleReport.ci,
        default_branch: { ...sampleReport.ci.default_branch, succeeded: 0, failed: 0, success_rate: null },
      },
    };
    const health = summarizeHealth(report);
    expect(health.ciScope).toBe('all_runs');
    expect(health.ciRate).toBeCloseTo(48 / 58, 6);
  });

  it('does not call a repository without CI failing', () => {
    const health = summarizeHealth(emptyReport);
    expect(health.ciRate).toBeNull();
    expect(hasFailingCi(health)).toBe(false);
    expect(health.level).toBe('ok');
  });
});

describe('healthBadges', () => {
  it('gives CI, stale and open pull-request badges with explanations', () => {
    const badges = healthBadges(summarizeHealth(sampleReport), 30);
    expect(badges.map((b) => [b.kind, b.level, b.text])).toEqual([
      ['ci', 'warn', 'CI 78%'],
      ['stale-prs', 'warn', '1 stale PR'],
      ['open-prs', 'none', '4 open PRs'],
    ]);
    expect(badges[0]?.title).toContain('36 succeeded, 10 failed');
    expect(badges[2]?.title).toContain('1 of them a draft');
  });

  it('says "No CI" without decided runs', () => {
    expect(healthBadges(summarizeHealth(emptyReport), 7)[0]).toMatchObject({ level: 'none', text: 'No CI' });
  });
});
