/**
 * Each widget type's `data` (docs/dashboards.md, "Widget data"), decoded, and
 * how a value reads in the metric's unit. Pure.
 */
import { arrayOf, nullable, num, object, str, withDefault, type Reader } from '../../../api';
import { formatBytes, formatDuration, formatNumber, formatPercent, NONE } from '../../metrics/format';

export interface NumberData {
  readonly value: number | null;
  readonly previous: number | null;
}

export interface SeriesData {
  readonly interval: string;
  readonly series: readonly {
    readonly name: string;
    readonly points: readonly { readonly start: string; readonly value: number | null }[];
  }[];
}

export interface ItemsData {
  readonly items: readonly { readonly label: string; readonly value: number | null }[];
}

export interface HeatmapData {
  readonly counts: readonly (readonly number[])[];
}

export interface TableData {
  readonly kind: string;
  readonly total: number;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

export interface ActivityItem {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly actor: string | null;
  readonly occurred_at: string;
}

export interface ActivityData {
  readonly items: readonly ActivityItem[];
}

const maybeNumber = withDefault(nullable(num), null);

export const readNumberData: Reader<NumberData> = object({ value: maybeNumber, previous: maybeNumber });

export const readSeriesData: Reader<SeriesData> = object({
  interval: withDefault(str, 'week'),
  series: arrayOf(object({ name: str, points: arrayOf(object({ start: str, value: maybeNumber })) })),
});

export const readItemsData: Reader<ItemsData> = object({
  items: arrayOf(object({ label: str, value: maybeNumber })),
});

export const readHeatmapData: Reader<HeatmapData> = object({ counts: arrayOf(arrayOf(num)) });

export const readTableData: Reader<TableData> = object({
  kind: withDefault(str, 'pulls'),
  total: withDefault(num, 0),
  rows: arrayOf((value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TypeError(`${path}: expected an object`);
    }
    return value as Readonly<Record<string, unknown>>;
  }),
});

export const readActivityData: Reader<ActivityData> = object({
  items: arrayOf(
    object({
      id: str,
      type: str,
      subject: withDefault(str, ''),
      actor: withDefault(nullable(str), null),
      occurred_at: withDefault(str, ''),
    }),
  ),
});

/** Decodes with `reader`, or null when the data is not shaped so. */
export function tryRead<T>(reader: Reader<T>, value: unknown): T | null {
  try {
    return reader(value, '$.data');
  } catch {
    return null;
  }
}

/**
 * The unit a figure reads in: the server calls every quotient a "ratio", but
 * only rates (0–1) read as percentages; reviews per pull request is a count.
 */
export function displayUnit(metric: string, unit: string): string {
  return unit === 'ratio' && metric === 'reviews_per_pull' ? 'count' : unit;
}

/** A value in its unit: durations, rates, bytes, counts. */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) {
    return NONE;
  }
  switch (unit) {
    case 'seconds':
      return formatDuration(value);
    case 'ratio':
      return formatPercent(value);
    case 'bytes':
      return formatBytes(value);
    default:
      return formatNumber(value);
  }
}

export type TrendDirection = 'up' | 'down' | 'flat' | 'none';

/** The change against the previous period, as a direction and a relative figure ("+12%"). */
export function trend(data: NumberData): { direction: TrendDirection; label: string } {
  const { value, previous } = data;
  if (value === null || previous === null) {
    return { direction: 'none', label: 'no earlier figure' };
  }
  if (value === previous) {
    return { direction: 'flat', label: 'no change' };
  }
  const direction = value > previous ? 'up' : 'down';
  if (previous === 0) {
    return { direction, label: direction === 'up' ? 'up from 0' : 'down' };
  }
  const change = (value - previous) / Math.abs(previous);
  const percent = Math.round(change * 100);
  return { direction, label: `${percent > 0 ? '+' : ''}${percent}%` };
}

/** Days of a range such as "28d" (28), for texts; 28 when unreadable. */
export function rangeDays(range: string): number {
  const match = /^(\d+)d$/.exec(range);
  return match === null ? 28 : Number(match[1]);
}
