/** Followed repositories and the candidates to follow. */
import { arrayOf, bool, decoder, nullable, num, object, recordOf, str, withDefault, type Reader } from '../../api';

export interface Repository {
  readonly id: number;
  readonly github_id: number;
  readonly full_name: string;
  readonly owner: string;
  readonly name: string;
  readonly private: boolean;
  readonly description: string | null;
  readonly html_url: string;
  readonly default_branch: string;
  readonly stars: number;
  readonly forks: number;
  readonly watchers: number;
  /** GitHub's count: open issues and open pull requests together. */
  readonly open_issues: number;
  readonly topics: readonly string[];
  readonly language: string | null;
  readonly archived: boolean;
  readonly pushed_at: string | null;
  /** Null until the first sync finished. */
  readonly synced_at: string | null;
  readonly languages: Readonly<Record<string, number>>;
}

export interface Candidate {
  readonly github_id: number;
  readonly full_name: string;
  readonly private: boolean;
  readonly description: string | null;
  readonly stars: number;
  readonly language: string | null;
  readonly pushed_at: string | null;
  readonly followed: boolean;
}

export const readRepository: Reader<Repository> = object({
  id: num,
  github_id: num,
  full_name: str,
  owner: str,
  name: str,
  private: bool,
  description: nullable(str),
  html_url: str,
  default_branch: str,
  stars: num,
  forks: num,
  watchers: num,
  open_issues: num,
  topics: withDefault(arrayOf(str), []),
  language: nullable(str),
  archived: bool,
  pushed_at: nullable(str),
  synced_at: nullable(str),
  languages: withDefault(recordOf(num), {}),
});

export const readCandidate: Reader<Candidate> = object({
  github_id: num,
  full_name: str,
  private: bool,
  description: nullable(str),
  stars: num,
  language: nullable(str),
  pushed_at: nullable(str),
  followed: bool,
});

export const decodeRepository = decoder(readRepository);
export const decodeRepositories = decoder(arrayOf(readRepository));
export const decodeCandidates = decoder(arrayOf(readCandidate));

/** Whether a search matches: every word of `query` appears in one of `fields` (case-insensitive). */
export function matchesWords(query: string, fields: readonly (string | null | undefined)[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) {
    return true;
  }
  const haystack = fields
    .filter((field): field is string => typeof field === 'string')
    .map((field) => field.toLowerCase());
  return words.every((word) => haystack.some((field) => field.includes(word)));
}
