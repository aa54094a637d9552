/**
 * Chart.js configurations of the dashboards, from the chart specs of
 * chartData.ts and the theme's colours. Pure: tests check them without a canvas.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js';

import { ciLevel } from '../repositories/health';
import { levelColor, seriesColor, type ChartColors } from './chartColors';
import type { ChartSpec, DurationSpec, LanguagesSpec, StagesSpec } from './chartData';
import { formatBytes, formatDuration, formatPercent, unitName } from './format';

function baseOptions(colors: ChartColors) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: colors.text,
    plugins: {
      legend: { position: 'bottom' as const, labels: { color: colors.text, boxWidth: 12 } },
    },
  };
}

function axes(colors: ChartColors, valueTitle: string, options: { horizontal?: boolean; max?: number } = {}) {
  const category = { ticks: { color: colors.muted }, grid: { display: false } };
  const value = {
    beginAtZero: true,
    ...(options.max === undefined ? {} : { max: options.max }),
    ticks: { color: colors.muted, precision: 0 },
    grid: { color: colors.grid },
    title: { display: valueTitle !== '', text: valueTitle, color: colors.muted },
  };
  return options.horizontal === true ? { x: value, y: category } : { x: category, y: value };
}

function bars(spec: ChartSpec, colors: ChartColors) {
  return spec.series.map((series, index) => ({
    label: series.label,
    data: [...series.data],
    backgroundColor: seriesColor(colors, index),
    borderRadius: 3,
    maxBarThickness: 36,
  }));
}

/** Weekly throughput: merged pull requests and closed issues side by side. */
export function throughputConfig(spec: ChartSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: bars(spec, colors) },
    options: { ...baseOptions(colors), scales: axes(colors, 'per week') },
  };
}

/** Stage durations (median, p75, p90), horizontal; tooltips in h/d. */
export function stagesConfig(spec: StagesSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: bars(spec, colors) },
    options: {
      ...baseOptions(colors),
      indexAxis: 'y',
      scales: axes(colors, unitName(spec.unit), { horizontal: true }),
      plugins: {
        ...baseOptions(colors).plugins,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const seconds = spec.seconds[item.datasetIndex]?.[item.dataIndex] ?? null;
              return `${item.dataset.label ?? ''}: ${formatDuration(seconds)}`;
            },
            footer: (items: TooltipItem<'bar'>[]) => {
              const count = spec.counts[items[0]?.dataIndex ?? 0] ?? 0;
              return `${count} pull ${count === 1 ? 'request' : 'requests'}`;
            },
          },
        },
      },
    },
  };
}

/** Pull-request size buckets. */
export function pullSizesConfig(spec: ChartSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: bars(spec, colors) },
    options: {
      ...baseOptions(colors),
      scales: axes(colors, 'pull requests'),
      plugins: { ...baseOptions(colors).plugins, legend: { display: false } },
    },
  };
}

/** Success rate per workflow, each bar coloured by its health level. */
export function ciSuccessConfig(spec: ChartSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  const data = [...(spec.series[0]?.data ?? [])];
  return {
    type: 'bar',
    data: {
      labels: [...spec.labels],
      datasets: [
        {
          label: 'Success rate',
          data,
          backgroundColor: data.map((value) => levelColor(colors, ciLevel(value === null ? null : value / 100))),
          borderRadius: 3,
          maxBarThickness: 28,
        },
      ],
    },
    options: {
      ...baseOptions(colors),
      indexAxis: 'y',
      scales: axes(colors, 'success rate (%)', { horizontal: true, max: 100 }),
      plugins: {
        ...baseOptions(colors).plugins,
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const value = data[item.dataIndex] ?? null;
              return `Success rate: ${value === null ? 'no decided run' : formatPercent(value / 100)}`;
            },
          },
        },
      },
    },
  };
}

/** Median and p90 run duration per workflow. */
export function ciDurationConfig(spec: DurationSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: bars(spec, colors) },
    options: {
      ...baseOptions(colors),
      indexAxis: 'y',
      scales: axes(colors, unitName(spec.unit), { horizontal: true }),
      plugins: {
        ...baseOptions(colors).plugins,
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) =>
              `${item.dataset.label ?? ''}: ${formatDuration(spec.seconds[item.datasetIndex]?.[item.dataIndex] ?? null)}`,
          },
        },
      },
    },
  };
}

/** Language shares as a doughnut. */
export function languagesConfig(spec: LanguagesSpec, colors: ChartColors): ChartConfiguration<'doughnut'> {
  const data = (spec.series[0]?.data ?? []).map((value) => value ?? 0);
  return {
    type: 'doughnut',
    data: {
      labels: [...spec.labels],
      datasets: [
        {
          label: 'Languages',
          data,
          backgroundColor: data.map((_, index) => seriesColor(colors, index)),
          borderColor: colors.surface,
          borderWidth: 2,
        },
      ],
    },
    options: {
      ...baseOptions(colors),
      cutout: '55%',
      plugins: {
        legend: { position: 'right', labels: { color: colors.text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'doughnut'>) => {
              const grouped = spec.grouped[item.dataIndex] ?? [];
              const share = formatPercent(spec.shares[item.dataIndex] ?? null);
              const detail = grouped.length > 0 ? ` (${grouped.join(', ')})` : '';
              return `${share} · ${formatBytes(data[item.dataIndex] ?? 0)}${detail}`;
            },
          },
        },
      },
    },
  };
}

/** Releases per week. */
export function deploymentsConfig(spec: ChartSpec, colors: ChartColors): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: [...spec.labels], datasets: bars(spec, colors) },
    options: {
      ...baseOptions(colors),
      scales: axes(colors, 'releases'),
      plugins: { ...baseOptions(colors).plugins, legend: { display: false } },
    },
  };
}
