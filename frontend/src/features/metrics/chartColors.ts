/** The charts' colours, read from the CSS variables of the applied theme (styles.css). */
import type { HealthLevel } from '../repositories/health';

export interface ChartColors {
  /** Categorical series colours, --chart-1 … --chart-8. */
  readonly series: readonly string[];
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly surface: string;
  readonly ok: string;
  readonly warn: string;
  readonly bad: string;
  readonly none: string;
}

/** Light-theme values, when no stylesheet is there (tests). */
export const FALLBACK_COLORS: ChartColors = {
  series: ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#9ca3af'],
  text: '#1c2128',
  muted: '#59636e',
  grid: '#d9dde3',
  surface: '#ffffff',
  ok: '#1a7f37',
  warn: '#9a6700',
  bad: '#cf222e',
  none: '#9ca3af',
};

export function readChartColors(root: Element = document.documentElement): ChartColors {
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string) => {
    const value = style.getPropertyValue(name).trim();
    return value === '' ? fallback : value;
  };
  return {
    series: FALLBACK_COLORS.series.map((fallback, index) => read(`--chart-${index + 1}`, fallback)),
    text: read('--text', FALLBACK_COLORS.text),
    muted: read('--text-muted', FALLBACK_COLORS.muted),
    grid: read('--border', FALLBACK_COLORS.grid),
    surface: read('--surface', FALLBACK_COLORS.surface),
    ok: read('--ok', FALLBACK_COLORS.ok),
    warn: read('--warn', FALLBACK_COLORS.warn),
    bad: read('--bad', FALLBACK_COLORS.bad),
    none: read('--chart-8', FALLBACK_COLORS.none),
  };
}

export function levelColor(colors: ChartColors, level: HealthLevel): string {
  return colors[level];
}

export function seriesColor(colors: ChartColors, index: number): string {
  return colors.series[index % colors.series.length] ?? colors.muted;
}
