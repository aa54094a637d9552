import { describe, expect, it } from 'vitest';

import { dashboardLinks } from './links';
import type { OpenItem } from './model';
import { latestSync, metricsPath } from './queries';
import { DEFAULT_DAYS, parseDays } from './windowDays';

describe('metricsPath', () => {
  it('builds the repository and team endpoints with the window and time zone', () => {
    expect(metricsPath({ teamId: 1, repositoryId: 5, days: 30, timeZone: 'Europe/Paris' })).toBe(
      '/api/teams/1/repositories/5/metrics?days=30&tz=Europe%2FParis',
    );
    expect(metricsPath({ teamId: 2, repositoryId: null, days: 7, timeZone: 'UTC' })).toBe(
      '/api/teams/2/metrics?days=7&tz=UTC',
    );
  });
});

describe('latestSync', () => {
  it('is the newest timestamp, ignoring repositories not synced yet', () => {
    expect(latestSync(['2026-11-01T10:00:00Z', null, '2026-11-02T09:00:00Z'])).toBe('2026-11-02T09:00:00Z');
    expect(latestSync([null])).toBeNull();
  });
});

describe('parseDays', () => {
  it('accepts the offered windows only', () => {
    expect(parseDays('7')).toBe(7);
    expect(parseDays('90')).toBe(90);
    expect(parseDays('12')).toBe(DEFAULT_DAYS);
    expect(parseDays(null)).toBe(DEFAULT_DAYS);
  });
});

describe('dashboardLinks', () => {
  const links = dashboardLinks(4, [{ id: 9, full_name: 'acme/api', html_url: 'https://github.com/acme/api' }]);
  const item = (kind: 'pull' | 'issue', repository = 'acme/api'): OpenItem => ({
    repository,
    kind,
    number: 12,
    title: 't',
    author: 'a',
    created_at: '',
    updated_at: '',
    age_seconds: 0,
    idle_seconds: 0,
    draft: false,
  });

  it('link items and runs to GitHub, and repositories to their HubDeck page', () => {
    expect(links.item(item('pull'))).toBe('https://github.com/acme/api/pull/12');
    expect(links.item(item('issue'))).toBe('https://github.com/acme/api/issues/12');
    expect(links.run('ACME/api', 77)).toBe('https://github.com/acme/api/actions/runs/77');
    expect(links.repository('acme/api')).toBe('/teams/4/repositories/9');
  });

  it('give no link for repositories the team does not follow', () => {
    expect(links.item(item('pull', 'other/repo'))).toBeNull();
    expect(links.run('other/repo', 1)).toBeNull();
    expect(links.repository('other/repo')).toBeNull();
  });
});
