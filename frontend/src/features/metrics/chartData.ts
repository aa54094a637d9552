/**
 * Metrics JSON → what the charts draw. Pure: no Chart.js, no DOM. Each
 * function also says whether there is anything to draw (`empty`), so a page
 * shows an explanation instead of a chart of zeros.
 */
import { durationUnit, inUnit, type DurationUnit } from './format';
import type {
  CIReport,
  DeploymentFrequency,
  Languages,
  PullSizes,
  StageSummary,
  Throughput,
  WeekReleases,
  WeekThroughput,
} from './model';

export interface Series {
  readonly key: string;
  readonly label: string;
  readonly data: readonly (number | null)[];
}

export interface ChartSpec {
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly empty: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "Nov 2" from the week's start "2026-11-02T00:00:00+01:00": the date as
 * written in the report's time zone (not converted to the browser's). A
 * partial week (only partly inside the window) gets a "*".
 */
export function weekLabel(week: Pick<WeekThroughput, 'start' | 'partial'>): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(week.start);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  const label = match && month !== undefined ? `${month} ${Number(match[3])}` : week.start;
  return week.partial ? `${label}*` : label;
}

export function throughputChart(throughput: Throughput): ChartSpec {
  return {
    labels: throughput.weeks.map(weekLabel),
    series: [
      { key: 'merged', label: 'Pull requests merged', data: throughput.weeks.map((w) => w.merged_pulls) },
      { key: 'closed', label: 'Issues closed', data: throughput.weeks.map((w) => w.closed_issues) },
    ],
    empty: throughput.merged_pulls + throughput.closed_issues === 0,
  };
}

export const STAGES = [
  { key: 'coding', label: 'Coding' },
  { key: 'pickup', label: 'Pickup' },
  { key: 'review', label: 'Review' },
  { key: 'cycle', label: 'Cycle' },
] as const;

export type StageKey = (typeof STAGES)[number]['key'];

export interface StagesSpec extends ChartSpec {
  /** The values of `series` are in this unit. */
  readonly unit: DurationUnit;
  /** The same values in seconds, [series][stage], for tooltips. */
  readonly seconds: readonly (readonly (number | null)[])[];
  /** How many pull requests each stage was measured on. */
  readonly counts: readonly number[];
}

const PERCENTILES = [
  { key: 'p50', label: 'Median' },
  { key: 'p75', label: '75th percentile' },
  { key: 'p90', label: '90th percentile' },
] as const;

/** Median, p75 and p90 of each stage, in one unit chosen from the largest value. */
export function stagesChart(stages: StageSummary): StagesSpec {
  const seconds = PERCENTILES.map((p) => STAGES.map((stage) => stages[stage.key][p.key]));
  const largest = Math.max(0, ...seconds.flat().map((value) => value ?? 0));
  const unit = durationUnit(largest);
  return {
    labels: STAGES.map((stage) => stage.label),
    series: PERCENTILES.map((p, index) => ({
      key: p.key,
      label: p.label,
      data: (seconds[index] ?? []).map((value) => (value === null ? null : inUnit(value, unit))),
    })),
    unit,
    seconds,
    counts: STAGES.map((stage) => stages[stage.key].count),
    empty: STAGES.every((stage) => stages[stage.key].count === 0),
  };
}

/** "S (10–49)", "XL (1,000+)". */
export function bucketLabel(bucket: { bucket: string; min_lines: number; max_lines: number | null }): string {
  const min = bucket.min_lines.toLocaleString('en-US');
  const range = bucket.max_lines === null ? `${min}+` : `${min}–${bucket.max_lines.toLocaleString('en-US')}`;
  return `${bucket.bucket} (${range})`;
}

export function pullSizesChart(sizes: PullSizes): ChartSpec {
  return {
    labels: sizes.buckets.map(bucketLabel),
    series: [{ key: 'pulls', label: 'Pull requests merged', data: sizes.buckets.map((b) => b.count) }],
    empty: sizes.lines.count === 0,
  };
}

/** A workflow's name, prefixed by its repository when the report covers several. */
function workflowLabels(ci: CIReport): string[] {
  const repositories = new Set(ci.workflows.map((w) => w.repository));
  return ci.workflows.map((w) => (repositories.size > 1 ? `${w.repository} · ${w.name}` : w.name));
}

/** Success rate (0–100) of each workflow; null where no run succeeded or failed. */
export function ciSuccessChart(ci: CIReport): ChartSpec {
  return {
    labels: workflowLabels(ci),
    series: [
      {
        key: 'success',
        label: 'Success rate',
        data: ci.workflows.map((w) =>
          w.stats.success_rate === null ? null : Math.round(w.stats.success_rate * 1000) / 10,
        ),
      },
    ],
    empty: ci.workflows.every((w) => w.stats.success_rate === null),
  };
}

export interface DurationSpec extends ChartSpec {
  readonly unit: DurationUnit;
  readonly seconds: readonly (readonly (number | null)[])[];
}

/** Median and p90 run duration of each workflow. */
export function ciDurationChart(ci: CIReport): DurationSpec {
  const seconds = [ci.workflows.map((w) => w.stats.duration.p50), ci.workflows.map((w) => w.stats.duration.p90)];
  const unit = durationUnit(Math.max(0, ...seconds.flat().map((value) => value ?? 0)));
  const convert = (values: readonly (number | null)[]) => values.map((v) => (v === null ? null : inUnit(v, unit)));
  return {
    labels: workflowLabels(ci),
    series: [
      { key: 'p50', label: 'Median', data: convert(seconds[0] ?? []) },
      { key: 'p90', label: '90th percentile', data: convert(seconds[1] ?? []) },
    ],
    unit,
    seconds,
    empty: ci.workflows.every((w) => w.stats.duration.count === 0),
  };
}

export interface LanguagesSpec extends ChartSpec {
  /** 0–1 share of each language. */
  readonly shares: readonly number[];
  /** For "Other": the languages it groups. */
  readonly grouped: readonly (readonly string[])[];
}

export function languagesChart(languages: Languages): LanguagesSpec {
  return {
    labels: languages.languages.map((l) => l.name),
    series: [{ key: 'bytes', label: 'Bytes', data: languages.languages.map((l) => l.bytes) }],
    shares: languages.languages.map((l) => l.share),
    grouped: languages.languages.map((l) => l.grouped),
    empty: languages.total_bytes === 0 || languages.languages.length === 0,
  };
}

export function deploymentsChart(frequency: DeploymentFrequency): ChartSpec {
  return {
    labels: frequency.weeks.map((w: WeekReleases) => weekLabel(w)),
    series: [{ key: 'releases', label: 'Releases', data: frequency.weeks.map((w) => w.releases) }],
    empty: frequency.releases === 0,
  };
}

/** Whether deployment metrics mean anything: some repository ever published a counted release. */
export function hasReleases(frequency: DeploymentFrequency): boolean {
  return frequency.repositories_with_releases > 0;
}
