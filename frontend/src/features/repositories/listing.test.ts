import { describe, expect, it } from 'vitest';

import type { HealthSummary } from './health';
import {
  DEFAULT_LISTING,
  applyListing,
  isFiltered,
  languagesOf,
  listingParams,
  matchesQuery,
  openIssues,
  parseListing,
  type ListingState,
  type RepositoryRow,
} from './listing';
import type { Repository } from './model';

function repo(name: string, fields: Partial<Repository> = {}): Repository {
  return {
    id: name.length,
    github_id: 1,
    full_name: `acme/${name}`,
    owner: 'acme',
    name,
    private: false,
    description: null,
    html_url: `https://github.com/acme/${name}`,
    default_branch: 'main',
    stars: 0,
    forks: 0,
    watchers: 0,
    open_issues: 0,
    topics: [],
    language: null,
    archived: false,
    pushed_at: null,
    synced_at: '2026-11-01T00:00:00Z',
    languages: {},
    ...fields,
  };
}

function health(fields: Partial<HealthSummary>): HealthSummary {
  return {
    ciRate: null,
    ciScope: 'default_branch',
    ciSucceeded: 0,
    ciFailed: 0,
    openPulls: 0,
    stalePulls: 0,
    draftPulls: 0,
    openIssues: 0,
    staleDays: 14,
    level: 'ok',
    ...fields,
  };
}

const rows: RepositoryRow[] = [
  {
    repository: repo('web', {
      stars: 9,
      language: 'Kotlin',
      pushed_at: '2026-11-25T14:00:00Z',
      open_issues: 19,
      description: 'The web of Acme Corp',
    }),
    health: health({ ciRate: 0.8, stalePulls: 0, openIssues: 13 }),
  },
  {
    repository: repo('api', {
      stars: 7,
      language: 'TypeScript',
      languages: { TypeScript: 10, CSS: 1 },
      pushed_at: '2026-11-25T11:00:00Z',
      open_issues: 19,
      topics: ['devops'],
    }),
    health: health({ ciRate: 0.95, stalePulls: 2, openIssues: 14 }),
  },
  {
    repository: repo('infra', { stars: 15, language: 'Kotlin', pushed_at: '2026-11-24T09:00:00Z', open_issues: 11 }),
    health: health({ ciRate: 0.5, stalePulls: 1, openIssues: 8 }),
  },
  {
    repository: repo('docs', { stars: 5, pushed_at: null, open_issues: 30, synced_at: null }),
    health: null,
  },
];

const names = (list: RepositoryRow[]) => list.map((row) => row.repository.name);
const view = (change: Partial<ListingState>) => names(applyListing(rows, { ...DEFAULT_LISTING, ...change }));

describe('applyListing sorts', () => {
  it('by name, stars, recent push and open issues', () => {
    expect(view({})).toEqual(['api', 'docs', 'infra', 'web']);
    expect(view({ sort: 'stars' })).toEqual(['infra', 'web', 'api', 'docs']);
    expect(view({ sort: 'pushed' })).toEqual(['web', 'api', 'infra', 'docs']);
    // Metrics' issue counts once known, GitHub's (issues and PRs) otherwise.
    expect(view({ sort: 'issues' })).toEqual(['docs', 'api', 'web', 'infra']);
  });

  it('by CI success, worst first, unknown last', () => {
    expect(view({ sort: 'ci' })).toEqual(['infra', 'web', 'api', 'docs']);
  });

  it('does not change the rows it is given', () => {
    const before = names(rows);
    applyListing(rows, { ...DEFAULT_LISTING, sort: 'stars' });
    expect(names(rows)).toEqual(before);
  });
});

describe('applyListing filters', () => {
  it('searches name, description and topics, every word', () => {
    expect(view({ query: 'devops' })).toEqual(['api']);
    expect(view({ query: 'ACME corp' })).toEqual(['web']);
    expect(view({ query: 'acme/in' })).toEqual(['infra']);
    expect(view({ query: '  ' })).toHaveLength(4);
  });

  it('by language, primary or among the language bytes', () => {
    expect(view({ language: 'Kotlin' })).toEqual(['infra', 'web']);
    expect(view({ language: 'CSS' })).toEqual(['api']);
  });

  it('by failing CI and stale pull requests, leaving out repositories without metrics', () => {
    expect(view({ failingCi: true })).toEqual(['infra', 'web']);
    expect(view({ stalePulls: true })).toEqual(['api', 'infra']);
    expect(view({ failingCi: true, stalePulls: true, sort: 'stars' })).toEqual(['infra']);
  });
});

describe('helpers', () => {
  it('matchesQuery and openIssues', () => {
    expect(matchesQuery(repo('x', { topics: ['Machine-Learning'] }), 'learning')).toBe(true);
    const [web, , , docs] = rows as [RepositoryRow, RepositoryRow, RepositoryRow, RepositoryRow];
    expect(openIssues(docs)).toBe(30);
    expect(openIssues(web)).toBe(13);
  });

  it('languagesOf lists languages by how many repositories use them, then by name', () => {
    expect(languagesOf(rows.map((row) => row.repository))).toEqual(['Kotlin', 'CSS', 'TypeScript']);
  });
});

describe('URL state', () => {
  it('round-trips and leaves defaults out', () => {
    const state: ListingState = { query: 'api', sort: 'ci', language: 'Go', failingCi: true, stalePulls: true };
    const params = listingParams(state);
    expect(params.toString()).toBe('q=api&sort=ci&language=Go&ci=failing&stale=1');
    expect(parseListing(params)).toEqual(state);
    expect(listingParams(DEFAULT_LISTING).toString()).toBe('');
  });

  it('ignores unknown values', () => {
    expect(parseListing(new URLSearchParams('sort=random&ci=yes&stale=true&language='))).toEqual(DEFAULT_LISTING);
  });

  it('isFiltered tells a filtered view', () => {
    expect(isFiltered(DEFAULT_LISTING)).toBe(false);
    expect(isFiltered({ ...DEFAULT_LISTING, sort: 'stars' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_LISTING, language: 'Go' })).toBe(true);
  });
});
