import { describe, expect, it } from 'vitest';

import {
  bucketLabel,
  ciDurationChart,
  ciSuccessChart,
  deploymentsChart,
  hasReleases,
  languagesChart,
  pullSizesChart,
  stagesChart,
  throughputChart,
  weekLabel,
} from './chartData';
import type { CIReport, CIStats, Distribution } from './model';
import { emptyReport, sampleReport } from './testing/fixtures';

describe('weekLabel', () => {
  it('writes the week start as written in the report’s zone, starring partial weeks', () => {
    expect(weekLabel({ start: '2026-11-02T00:00:00+01:00', partial: false })).toBe('Nov 2');
    expect(weekLabel({ start: '2026-10-26T00:00:00+01:00', partial: true })).toBe('Oct 26*');
    expect(weekLabel({ start: 'garbage', partial: false })).toBe('garbage');
  });
});

describe('throughputChart', () => {
  it('maps weeks to two series that add up to the totals', () => {
    const spec = throughputChart(sampleReport.throughput);
    expect(spec.labels).toHaveLength(sampleReport.throughput.weeks.length);
    expect(spec.series.map((s) => s.key)).toEqual(['merged', 'closed']);
    const sum = (data: readonly (number | null)[]) => data.reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(sum(spec.series[0]?.data ?? [])).toBe(sampleReport.throughput.merged_pulls);
    expect(sum(spec.series[1]?.data ?? [])).toBe(sampleReport.throughput.closed_issues);
    expect(spec.empty).toBe(false);
  });

  it('is empty with nothing merged or closed', () => {
    expect(throughputChart(emptyReport.throughput).empty).toBe(true);
  });
});

describe('stagesChart', () => {
  it('gives median, p75 and p90 per stage in one unit, keeping seconds for tooltips', () => {
    const spec = stagesChart(sampleReport.stages);
    expect(spec.labels).toEqual(['Coding', 'Pickup', 'Review', 'Cycle']);
    expect(spec.series.map((s) => s.label)).toEqual(['Median', '75th percentile', '90th percentile']);
    // The largest value is the cycle's 271,440 s (3.1 d): the axis is in days.
    expect(spec.unit).toBe('d');
    expect(spec.series[0]?.data).toEqual([0.1, 0.14, 1.15, 3.14]);
    expect(spec.seconds[0]).toEqual([8520, 12036, 99000, 271440]);
    expect(spec.counts).toEqual([5, 5, 1, 1]);
    expect(spec.empty).toBe(false);
  });

  it('keeps undefined stages as gaps and is empty without any pull request', () => {
    const spec = stagesChart(emptyReport.stages);
    expect(spec.series[0]?.data).toEqual([null, null, null, null]);
    expect(spec.unit).toBe('min');
    expect(spec.empty).toBe(true);
  });
});

describe('pullSizesChart', () => {
  it('labels buckets with their bounds', () => {
    const spec = pullSizesChart(sampleReport.pull_sizes);
    expect(spec.labels).toEqual(['XS (0–9)', 'S (10–49)', 'M (50–249)', 'L (250–999)', 'XL (1,000+)']);
    expect(spec.series[0]?.data).toEqual([0, 0, 0, 1, 0]);
    expect(pullSizesChart(emptyReport.pull_sizes).empty).toBe(true);
    expect(bucketLabel({ bucket: 'M', min_lines: 1000, max_lines: 2499 })).toBe('M (1,000–2,499)');
  });
});

const dist = (p50: number | null, p90: number | null): Distribution => ({
  count: p50 === null ? 0 : 1,
  mean: p50,
  min: p50,
  p50,
  p75: p50,
  p90,
  max: p90,
});

const stats = (rate: number | null, duration: Distribution): CIStats => ({
  runs: 1,
  completed: 1,
  succeeded: 1,
  failed: 0,
  success_rate: rate,
  duration,
  by_conclusion: {},
});

describe('CI charts', () => {
  it('give the success rate in percent per workflow, null where undecided', () => {
    const spec = ciSuccessChart(sampleReport.ci);
    expect(spec.labels).toEqual(['CI', 'Deploy']);
    expect(spec.series[0]?.data).toEqual([89.6, 50]);
    expect(spec.empty).toBe(false);
  });

  it('prefix workflows with their repository when there are several', () => {
    const ci: CIReport = {
      ...sampleReport.ci,
      workflows: [
        { repository: 'acme/api', name: 'CI', stats: stats(1, dist(60, 120)) },
        { repository: 'acme/web', name: 'CI', stats: stats(null, dist(null, null)) },
      ],
    };
    const success = ciSuccessChart(ci);
    expect(success.labels).toEqual(['acme/api · CI', 'acme/web · CI']);
    expect(success.series[0]?.data).toEqual([100, null]);
    const durations = ciDurationChart(ci);
    expect(durations.unit).toBe('min');
    expect(durations.series.map((s) => s.data)).toEqual([
      [1, null],
      [2, null],
    ]);
    expect(durations.seconds).toEqual([
      [60, null],
      [120, null],
    ]);
  });

  it('are empty without workflows', () => {
    expect(ciSuccessChart(emptyReport.ci).empty).toBe(true);
    expect(ciDurationChart(emptyReport.ci).empty).toBe(true);
  });
});

describe('languagesChart', () => {
  it('gives bytes, shares and what "Other" groups', () => {
    const spec = languagesChart(sampleReport.languages);
    expect(spec.labels).toEqual(['TypeScript', 'JavaScript', 'CSS']);
    expect(spec.series[0]?.data).toEqual([491335, 46640, 13614]);
    expect(spec.shares[0]).toBeCloseTo(0.8908, 4);
    const other = languagesChart({
      total_bytes: 10,
      languages: [
        { name: 'Go', bytes: 8, share: 0.8, grouped: [] },
        { name: 'Other', bytes: 2, share: 0.2, grouped: ['Awk', 'Make'] },
      ],
    });
    expect(other.grouped).toEqual([[], ['Awk', 'Make']]);
    expect(languagesChart(emptyReport.languages).empty).toBe(true);
  });
});

describe('deploymentsChart and hasReleases', () => {
  it('chart releases per week and tell whether releases exist at all', () => {
    const spec = deploymentsChart(sampleReport.deployment_frequency);
    expect(spec.series[0]?.data.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(1);
    expect(hasReleases(sampleReport.deployment_frequency)).toBe(true);
    expect(hasReleases(emptyReport.deployment_frequency)).toBe(false);
    expect(deploymentsChart(emptyReport.deployment_frequency).empty).toBe(true);
  });
});
