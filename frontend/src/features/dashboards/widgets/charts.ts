/**
 * Chart.js configurations of the chart widgets (time series, bar, pie), in
 * the colours of the metrics pages. Pure apart from registering the line
 * chart, which the metrics pages do not draw.
 */
import { Filler, LineController, LineElement, PointElement, type ChartConfiguration } from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';

import { seriesColor, type ChartColors } from '../../metrics/chartColors';
import { durationUnit, inUnit, unitName } from '../../metrics/format';
import { Chart } from '../../metrics/chartSetup';
import type { Mark } from '../annotations';
import { formatValue, type ItemsData, type SeriesData } from './data';

Chart.register(LineController, LineElement, PointElement, Filler, annotationPlugin);

function base(colors: ChartColors, legend: boolean) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: colors.text,
    plugins: {
      legend: { display: legend, position: 'bottom' as const, labels: { color: colors.text, boxWidth: 10 } },
    },
  };
}

function scales(colors: ChartColors, axisTitle: string) {
  return {
    x: { ticks: { color: colors.muted, maxRotation: 0, autoSkip: true }, grid: { display: false } },
    y: {
      beginAtZero: true,
      ticks: { color: colors.muted },
      grid: { color: colors.grid },
      title: { display: axisTitle !== '', text: axisTitle, color: colors.muted },
    },
  };
}

/**
 * Values as drawn on the axis: durations in the unit that reads best for the
 * largest (minutes, hours, days), rates as percentages, others as they are.
 */
export function axisScale(
  values: readonly (number | null)[],
  unit: string,
): {
  readonly scale: (value: number | null) => number | null;
  readonly title: string;
} {
  if (unit === 'seconds') {
    const largest = Math.max(0, ...values.map((value) => value ?? 0));
    const axisUnit = durationUnit(largest);
    return { scale: (value) => (value === null ? null : inUnit(value, axisUnit)), title: unitName(axisUnit) };
  }
  if (unit === 'ratio') {
    return { scale: (value) => (value === null ? null : Math.round(value * 1000) / 10), title: '%' };
  }
  return { scale: (value) => value, title: unit === 'bytes' ? 'bytes' : '' };
}

/** "2026-11-02T00:00:00Z" → "Nov 2". */
export function shortDate(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) {
    return iso;
  }
  return new Date(time).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** A dashed vertical line per annotation, labelled with its (shortened) text. */
function markLines(marks: readonly Mark[], colors: ChartColors): Record<string, AnnotationOptions<'line'>> {
  return Object.fromEntries(
    marks.map((mark, index) => [
      `mark${index}`,
      {
        type: 'line',
        scaleID: 'x',
        value: mark.index,
        borderColor: colors.muted,
        borderWidth: 1,
        borderDash: [4, 4],
        label: {
          display: true,
          content: mark.text.length > 24 ? `${mark.text.slice(0, 23)}…` : mark.text,
          position: 'start',
          font: { size: 10 },
          color: colors.text,
          backgroundColor: 'transparent',
        },
      },
    ]),
  );
}

export function seriesConfig(
  data: SeriesData,
  unit: string,
  colors: ChartColors,
  marks: readonly Mark[] = [],
): ChartConfiguration<'line'> {
  const labels = (data.series[0]?.points ?? []).map((point) => shortDate(point.start));
  const axis = axisScale(
    data.series.flatMap((series) => series.points.map((point) => point.value)),
    unit,
  );
  return {
    type: 'line',
    data: {
      labels,
      datasets: data.series.map((series, index) => ({
        label: series.name,
        data: series.points.map((point) => axis.scale(point.value)),
        borderColor: seriesColor(colors, index),
        backgroundColor: seriesColor(colors, index),
        pointRadius: 2,
        tension: 0.25,
        spanGaps: true,
      })),
    },
    options: {
      ...base(colors, data.series.length > 1),
      scales: scales(colors, axis.title),
      plugins: {
        ...base(colors, data.series.length > 1).plugins,
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${formatValue(data.series[item.datasetIndex]?.points[item.dataIndex]?.value ?? null, unit)}`,
          },
        },
        annotation: { annotations: markLines(marks, colors) },
      },
    },
  };
}

export function barConfig(data: ItemsData, unit: string, colors: ChartColors): ChartConfiguration<'bar'> {
  const axis = axisScale(
    data.items.map((item) => item.value),
    unit,
  );
  return {
    type: 'bar',
    data: {
      labels: data.items.map((item) => item.label),
      datasets: [
        {
          label: '',
          data: data.items.map((item) => axis.scale(item.value)),
          backgroundColor: data.items.map((_, index) => seriesColor(colors, index)),
          borderRadius: 3,
          maxBarThickness: 32,
        },
      ],
    },
    options: {
      ...base(colors, false),
      scales: scales(colors, axis.title),
      plugins: {
        ...base(colors, false).plugins,
        tooltip: { callbacks: { label: (item) => formatValue(data.items[item.dataIndex]?.value ?? null, unit) } },
      },
    },
  };
}

export function pieConfig(data: ItemsData, unit: string, colors: ChartColors): ChartConfiguration<'doughnut'> {
  const values = data.items.map((item) => item.value ?? 0);
  return {
    type: 'doughnut',
    data: {
      labels: data.items.map((item) => item.label),
      datasets: [
        {
          label: '',
          data: values,
          backgroundColor: values.map((_, index) => seriesColor(colors, index)),
          borderColor: colors.surface,
          borderWidth: 2,
        },
      ],
    },
    options: {
      ...base(colors, true),
      cutout: '50%',
      plugins: {
        legend: { position: 'right', labels: { color: colors.text, boxWidth: 10 } },
        tooltip: {
          callbacks: { label: (item) => `${item.label}: ${formatValue(values[item.dataIndex] ?? null, unit)}` },
        },
      },
    },
  };
}
