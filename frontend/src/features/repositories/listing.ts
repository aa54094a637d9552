/**
 * The repositories list: search, sort and filters, kept in the URL
 * (`?q=&sort=&language=&ci=failing&stale=1`) so a view can be shared.
 */
import { hasFailingCi, type HealthSummary } from './health';
import { matchesWords, type Repository } from './model';

export const SORTS = [
  { key: 'name', label: 'Name' },
  { key: 'stars', label: 'Stars' },
  { key: 'pushed', label: 'Recently pushed' },
  { key: 'issues', label: 'Open issues' },
  { key: 'ci', label: 'CI success (worst first)' },
] as const;

export type SortKey = (typeof SORTS)[number]['key'];

export interface ListingState {
  readonly query: string;
  readonly sort: SortKey;
  /** Only repositories using this language (primary or in their language bytes). */
  readonly language: string | null;
  readonly failingCi: boolean;
  readonly stalePulls: boolean;
}

export const DEFAULT_LISTING: ListingState = {
  query: '',
  sort: 'name',
  language: null,
  failingCi: false,
  stalePulls: false,
};

export interface RepositoryRow {
  readonly repository: Repository;
  /** Null while its metrics load (or when they failed). */
  readonly health: HealthSummary | null;
}

function isSortKey(value: string | null): value is SortKey {
  return SORTS.some((sort) => sort.key === value);
}

export function parseListing(params: URLSearchParams): ListingState {
  const sort = params.get('sort');
  const language = params.get('language');
  return {
    query: params.get('q') ?? '',
    sort: isSortKey(sort) ? sort : DEFAULT_LISTING.sort,
    language: language === null || language === '' ? null : language,
    failingCi: params.get('ci') === 'failing',
    stalePulls: params.get('stale') === '1',
  };
}

/** The URL parameters of a state; defaults are left out. */
export function listingParams(state: ListingState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.query !== '') {
    params.set('q', state.query);
  }
  if (state.sort !== DEFAULT_LISTING.sort) {
    params.set('sort', state.sort);
  }
  if (state.language !== null) {
    params.set('language', state.language);
  }
  if (state.failingCi) {
    params.set('ci', 'failing');
  }
  if (state.stalePulls) {
    params.set('stale', '1');
  }
  return params;
}

/** Search by name (full or short), description and topics. */
export function matchesQuery(repository: Repository, query: string): boolean {
  return matchesWords(query, [repository.full_name, repository.description, ...repository.topics]);
}

export function usesLanguage(repository: Repository, language: string): boolean {
  return repository.language === language || Object.hasOwn(repository.languages, language);
}

/** Every language of the repositories, most used (by repositories) first, then by name. */
export function languagesOf(repositories: readonly Repository[]): string[] {
  const counts = new Map<string, number>();
  for (const repository of repositories) {
    const names = new Set([...(repository.language === null ? [] : [repository.language]), ...Object.keys(repository.languages)]);
    for (const name of names) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

/**
 * Open issues: the metrics' count (issues only) once known, else GitHub's
 * `open_issues` (which also counts open pull requests).
 */
export function openIssues(row: RepositoryRow): number {
  return row.health?.openIssues ?? row.repository.open_issues;
}

function byName(a: RepositoryRow, b: RepositoryRow): number {
  return a.repository.full_name.localeCompare(b.repository.full_name);
}

function time(iso: string | null): number {
  const parsed = iso === null ? Number.NaN : Date.parse(iso);
  return Number.isNaN(parsed) ? Number.NEGATIVE_INFINITY : parsed;
}

/** Unknown values go last in every order. */
const comparators: Record<SortKey, (a: RepositoryRow, b: RepositoryRow) => number> = {
  name: byName,
  stars: (a, b) => b.repository.stars - a.repository.stars,
  pushed: (a, b) => {
    const ta = time(a.repository.pushed_at);
    const tb = time(b.repository.pushed_at);
    return ta === tb ? 0 : tb > ta ? 1 : -1;
  },
  issues: (a, b) => openIssues(b) - openIssues(a),
  ci: (a, b) => {
    const ra = a.health?.ciRate ?? null;
    const rb = b.health?.ciRate ?? null;
    if (ra === null || rb === null) {
      return (ra === null ? 1 : 0) - (rb === null ? 1 : 0);
    }
    return ra - rb;
  },
};

/**
 * The rows to show, in order. The CI and stale filters keep only rows whose
 * metrics are known and match: a repository still loading is not "failing".
 */
export function applyListing(rows: readonly RepositoryRow[], state: ListingState): RepositoryRow[] {
  const { language } = state;
  const kept = rows.filter(
    (row) =>
      matchesQuery(row.repository, state.query) &&
      (language === null || usesLanguage(row.repository, language)) &&
      (!state.failingCi || (row.health !== null && hasFailingCi(row.health))) &&
      (!state.stalePulls || (row.health !== null && row.health.stalePulls > 0)),
  );
  const compare = comparators[state.sort];
  return kept.sort((a, b) => compare(a, b) || byName(a, b));
}

export function isFiltered(state: ListingState): boolean {
  return state.query.trim() !== '' || state.language !== null || state.failingCi || state.stalePulls;
}
