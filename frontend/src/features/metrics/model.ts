/**
 * The metrics report, `GET /api/teams/{id}/metrics` and
 * `GET /api/teams/{id}/repositories/{id}/metrics`.
 *
 * Mirrors `hubdeck.core.metrics.report.MetricsReport` (definitions in
 * docs/metrics.md). Durations are seconds, datetimes ISO 8601 strings, rates
 * 0–1. "Undefined is not zero": an empty distribution has `count: 0` and every
 * other field null; a rate with nothing to divide is null.
 */
import {
  arrayOf,
  bool,
  decoder,
  nullable,
  num,
  object,
  recordOf,
  str,
  withDefault,
  type Reader,
} from '../../api';

export interface Distribution {
  readonly count: number;
  readonly mean: number | null;
  readonly min: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
  readonly max: number | null;
}

export interface MetricsWindow {
  readonly start: string;
  readonly end: string;
}

export interface StageSummary {
  readonly window: MetricsWindow;
  readonly coding: Distribution;
  readonly coding_unknown: number;
  readonly pickup: Distribution;
  readonly review: Distribution;
  readonly cycle: Distribution;
  readonly cycle_from_opened: number;
  readonly merged: number;
  readonly merged_without_review: number;
}

export interface MergeRate {
  readonly merged: number;
  readonly closed_unmerged: number;
  readonly rate: number | null;
}

export interface BucketCount {
  readonly bucket: string;
  readonly min_lines: number;
  readonly max_lines: number | null;
  readonly count: number;
}

export interface PullSizes {
  readonly lines: Distribution;
  readonly buckets: readonly BucketCount[];
}

export interface ReviewDepth {
  readonly merged: number;
  readonly reviews: number;
  readonly reviews_per_pull: number | null;
  readonly reviewers: Distribution;
  readonly with_changes_requested: number;
  readonly changes_requested_share: number | null;
  readonly merged_without_review: number;
}

export interface WeekThroughput {
  readonly week: string;
  readonly start: string;
  readonly partial: boolean;
  readonly merged_pulls: number;
  readonly closed_issues: number;
}

export interface Throughput {
  readonly weeks: readonly WeekThroughput[];
  readonly merged_pulls: number;
  readonly closed_issues: number;
}

export interface OpenItem {
  readonly repository: string;
  readonly kind: 'issue' | 'pull';
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly age_seconds: number;
  readonly idle_seconds: number;
  readonly draft: boolean;
}

export interface OpenSummary {
  readonly open: number;
  readonly stale: number;
  readonly oldest: readonly OpenItem[];
}

export interface Backlog {
  readonly stale_days: number;
  readonly issues: OpenSummary;
  readonly pulls: OpenSummary;
  readonly draft_pulls: number;
}

export interface CommitHeatmap {
  readonly timezone: string;
  /** counts[weekday][hour], weekday 0 = Monday. */
  readonly counts: readonly (readonly number[])[];
  readonly total: number;
}

export interface Contributor {
  readonly login: string;
  readonly commits: number;
  readonly pulls_opened: number;
  readonly pulls_merged: number;
  readonly reviews: number;
  readonly total: number;
}

export interface Contributors {
  readonly contributors: readonly Contributor[];
  readonly unattributed_commits: number;
}

export interface LanguageShare {
  readonly name: string;
  readonly bytes: number;
  readonly share: number;
  readonly grouped: readonly string[];
}

export interface Languages {
  readonly total_bytes: number;
  readonly languages: readonly LanguageShare[];
}

export interface CIStats {
  readonly runs: number;
  readonly completed: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly success_rate: number | null;
  readonly duration: Distribution;
  readonly by_conclusion: Readonly<Record<string, number>>;
}

export interface WorkflowCI {
  readonly repository: string;
  readonly name: string;
  readonly stats: CIStats;
}

export interface FailedRun {
  readonly repository: string;
  readonly id: number;
  readonly name: string;
  readonly head_branch: string;
  readonly event: string;
  readonly conclusion: string;
  readonly created_at: string;
  readonly duration_seconds: number | null;
  readonly pull_numbers: readonly number[];
}

export interface CIReport {
  readonly all_runs: CIStats;
  readonly default_branch: CIStats;
  readonly workflows: readonly WorkflowCI[];
  readonly failures: readonly FailedRun[];
  readonly failures_total: number;
}

export interface WeekReleases {
  readonly week: string;
  readonly start: string;
  readonly partial: boolean;
  readonly releases: number;
}

export interface DeploymentFrequency {
  readonly releases: number;
  readonly per_week: number;
  readonly weeks: readonly WeekReleases[];
  readonly repositories_with_releases: number;
}

export interface LeadTime {
  readonly lead_time: Distribution;
  readonly released: number;
  readonly pending: number;
  readonly without_releases: number;
  readonly other_base: number;
}

export interface MetricsOptions {
  readonly timezone: string;
  readonly stale_days: number;
}

export interface MetricsReport {
  readonly repositories: readonly string[];
  readonly window: MetricsWindow;
  readonly now: string;
  readonly options: MetricsOptions;
  readonly stages: StageSummary;
  readonly merge_rate: MergeRate;
  readonly pull_sizes: PullSizes;
  readonly review_depth: ReviewDepth;
  readonly throughput: Throughput;
  readonly backlog: Backlog;
  readonly issue_resolution: Distribution;
  readonly commit_heatmap: CommitHeatmap;
  readonly contributors: Contributors;
  readonly languages: Languages;
  readonly ci: CIReport;
  readonly deployment_frequency: DeploymentFrequency;
  readonly lead_time: LeadTime;
}

const maybeNum = nullable(num);

export const readDistribution: Reader<Distribution> = object({
  count: num,
  mean: maybeNum,
  min: maybeNum,
  p50: maybeNum,
  p75: maybeNum,
  p90: maybeNum,
  max: maybeNum,
});

const readWindow: Reader<MetricsWindow> = object({ start: str, end: str });

const readKind: Reader<'issue' | 'pull'> = (value, path) => (str(value, path) === 'pull' ? 'pull' : 'issue');

const readOpenSummary: Reader<OpenSummary> = object({
  open: num,
  stale: num,
  oldest: arrayOf<OpenItem>(
    object({
      repository: str,
      kind: readKind,
      number: num,
      title: str,
      author: str,
      created_at: str,
      updated_at: str,
      age_seconds: num,
      idle_seconds: num,
      draft: bool,
    }),
  ),
});

const readCIStats: Reader<CIStats> = object({
  runs: num,
  completed: num,
  succeeded: num,
  failed: num,
  success_rate: maybeNum,
  duration: readDistribution,
  by_conclusion: withDefault(recordOf(num), {}),
});

export const readMetricsReport: Reader<MetricsReport> = object({
  repositories: arrayOf(str),
  window: readWindow,
  now: str,
  options: object({ timezone: str, stale_days: num }),
  stages: object({
    window: readWindow,
    coding: readDistribution,
    coding_unknown: num,
    pickup: readDistribution,
    review: readDistribution,
    cycle: readDistribution,
    cycle_from_opened: num,
    merged: num,
    merged_without_review: num,
  }),
  merge_rate: object({ merged: num, closed_unmerged: num, rate: maybeNum }),
  pull_sizes: object({
    lines: readDistribution,
    buckets: arrayOf<BucketCount>(object({ bucket: str, min_lines: num, max_lines: maybeNum, count: num })),
  }),
  review_depth: object({
    merged: num,
    reviews: num,
    reviews_per_pull: maybeNum,
    reviewers: readDistribution,
    with_changes_requested: num,
    changes_requested_share: maybeNum,
    merged_without_review: num,
  }),
  throughput: object({
    weeks: arrayOf<WeekThroughput>(
      object({ week: str, start: str, partial: bool, merged_pulls: num, closed_issues: num }),
    ),
    merged_pulls: num,
    closed_issues: num,
  }),
  backlog: object({ stale_days: num, issues: readOpenSummary, pulls: readOpenSummary, draft_pulls: num }),
  issue_resolution: readDistribution,
  commit_heatmap: object({ timezone: str, counts: arrayOf(arrayOf(num)), total: num }),
  contributors: object({
    contributors: arrayOf<Contributor>(
      object({ login: str, commits: num, pulls_opened: num, pulls_merged: num, reviews: num, total: num }),
    ),
    unattributed_commits: num,
  }),
  languages: object({
    total_bytes: num,
    languages: arrayOf<LanguageShare>(
      object({ name: str, bytes: num, share: num, grouped: withDefault(arrayOf(str), []) }),
    ),
  }),
  ci: object({
    all_runs: readCIStats,
    default_branch: readCIStats,
    workflows: arrayOf<WorkflowCI>(object({ repository: str, name: str, stats: readCIStats })),
    failures: arrayOf<FailedRun>(
      object({
        repository: str,
        id: num,
        name: str,
        head_branch: str,
        event: str,
        conclusion: str,
        created_at: str,
        duration_seconds: maybeNum,
        pull_numbers: withDefault(arrayOf(num), []),
      }),
    ),
    failures_total: num,
  }),
  deployment_frequency: object({
    releases: num,
    per_week: num,
    weeks: arrayOf<WeekReleases>(object({ week: str, start: str, partial: bool, releases: num })),
    repositories_with_releases: num,
  }),
  lead_time: object({
    lead_time: readDistribution,
    released: num,
    pending: num,
    without_releases: num,
    other_base: num,
  }),
});

export const decodeMetricsReport = decoder(readMetricsReport);
