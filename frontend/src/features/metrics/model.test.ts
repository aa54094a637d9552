import { describe, expect, it } from 'vitest';

import { decodeMetricsReport } from './model';
import { emptyReport, rawSample, sampleReport } from './testing/fixtures';

describe('decodeMetricsReport', () => {
  it('decodes a real report of the server', () => {
    expect(sampleReport.repositories).toEqual(['acme/api']);
    expect(sampleReport.options.timezone).toBe('Europe/Paris');
    expect(sampleReport.stages.cycle.p50).toBe(271_440);
    expect(sampleReport.commit_heatmap.counts).toHaveLength(7);
    expect(sampleReport.commit_heatmap.counts.every((hours) => hours.length === 24)).toBe(true);
    expect(sampleReport.ci.all_runs.by_conclusion).toEqual({ cancelled: 2, failure: 10, success: 48 });
    expect(sampleReport.backlog.pulls.oldest[0]?.kind).toBe('pull');
  });

  it('keeps undefined metrics as null, not zero', () => {
    expect(emptyReport.stages.cycle).toEqual({
      count: 0,
      mean: null,
      min: null,
      p50: null,
      p75: null,
      p90: null,
      max: null,
    });
    expect(emptyReport.merge_rate.rate).toBeNull();
    expect(emptyReport.ci.all_runs.success_rate).toBeNull();
  });

  it('names the field that does not match', () => {
    const broken = structuredClone(rawSample) as { ci: { all_runs: { runs: unknown } } };
    broken.ci.all_runs.runs = 'sixty';
    expect(() => decodeMetricsReport(broken)).toThrow('$.ci.all_runs.runs: expected a number');
  });
});
