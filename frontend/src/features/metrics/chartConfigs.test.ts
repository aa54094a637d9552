import type { TooltipItem } from 'chart.js';
import { describe, expect, it } from 'vitest';

import { FALLBACK_COLORS } from './chartColors';
import { ciSuccessChart, languagesChart, stagesChart, throughputChart } from './chartData';
import { ciSuccessConfig, languagesConfig, stagesConfig, throughputConfig } from './chartConfigs';
import { sampleReport } from './testing/fixtures';

/** The parts of a tooltip item the callbacks read. */
function item(datasetIndex: number, dataIndex: number, label: string): TooltipItem<'bar'> {
  return { datasetIndex, dataIndex, dataset: { label } } as unknown as TooltipItem<'bar'>;
}

describe('chart configurations', () => {
  it('draw throughput as grouped bars in the series colours, without animation', () => {
    const config = throughputConfig(throughputChart(sampleReport.throughput), FALLBACK_COLORS);
    expect(config.type).toBe('bar');
    expect(config.data.datasets.map((d) => d.backgroundColor)).toEqual(FALLBACK_COLORS.series.slice(0, 2));
    expect(config.options?.animation).toBe(false);
  });

  it('draw stages horizontally, with tooltips in h/d and the pull-request count', () => {
    const config = stagesConfig(stagesChart(sampleReport.stages), FALLBACK_COLORS);
    expect(config.options?.indexAxis).toBe('y');
    const callbacks = config.options?.plugins?.tooltip?.callbacks;
    const label = callbacks?.label as (i: TooltipItem<'bar'>) => string;
    const footer = callbacks?.footer as (i: TooltipItem<'bar'>[]) => string;
    expect(label(item(0, 3, 'Median'))).toBe('Median: 3.1 d');
    expect(label(item(2, 1, '90th percentile'))).toBe('90th percentile: 1.3 d');
    expect(footer([item(0, 0, 'Median')])).toBe('5 pull requests');
    expect(footer([item(0, 3, 'Median')])).toBe('1 pull request');
  });

  it('colour each workflow’s success rate by its health level', () => {
    const config = ciSuccessConfig(ciSuccessChart(sampleReport.ci), FALLBACK_COLORS);
    // CI at 89.6% is amber, Deploy at 50% red.
    expect(config.data.datasets[0]?.backgroundColor).toEqual([FALLBACK_COLORS.warn, FALLBACK_COLORS.bad]);
    const scales = config.options?.scales as { x: { max: number } };
    expect(scales.x.max).toBe(100);
  });

  it('draw languages as a doughnut with shares in the tooltip', () => {
    const config = languagesConfig(languagesChart(sampleReport.languages), FALLBACK_COLORS);
    expect(config.type).toBe('doughnut');
    const label = config.options?.plugins?.tooltip?.callbacks?.label as (i: TooltipItem<'doughnut'>) => string;
    expect(label({ dataIndex: 0 } as TooltipItem<'doughnut'>)).toBe('89% · 491 KB');
  });
});
