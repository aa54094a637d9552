import { useCallback, useMemo } from 'react';

import { EmptyState } from '../../../components/PageState';
import { useNow } from '../../../components/useNow';
import { describeLiveEvent } from '../../live/describe';
import type { ChartColors } from '../../metrics/chartColors';
import { ChartCanvas } from '../../metrics/ChartCanvas';
import { formatAgo } from '../../metrics/format';
import { Heatmap } from '../../metrics/Heatmap';
import { marksFor, useAnnotations } from '../annotations';
import type { Widget } from '../document';
import type { WidgetData } from '../model';
import { barConfig, pieConfig, seriesConfig } from './charts';
import {
  displayUnit,
  formatValue,
  rangeDays,
  readActivityData,
  readHeatmapData,
  readItemsData,
  readNumberData,
  readSeriesData,
  readTableData,
  trend,
  tryRead,
  type ActivityData,
  type ItemsData,
  type NumberData,
  type SeriesData,
  type TableData,
} from './data';

/**
 * What a widget shows, from its data. Test ids: `widget-body` with
 * `data-type` and `data-computed-at`; a number card's `widget-value` has the
 * raw figure in `data-value` (empty when undefined).
 */
export function WidgetBody({
  widget,
  data: raw,
  height,
}: {
  readonly widget: Widget;
  readonly data: WidgetData;
  /** Pixels the body may fill (charts need a fixed height). */
  readonly height: number;
}) {
  const data = { ...raw, unit: displayUnit(raw.metric, raw.unit) };
  const content = (() => {
    if (data.status === 'unsupported' || data.data === null) {
      return (
        <EmptyState title="This metric is not available for this kind of widget." testId="widget-unsupported">
          Pick another metric in the widget&rsquo;s settings.
        </EmptyState>
      );
    }
    switch (data.type) {
      case 'number': {
        const value = tryRead(readNumberData, data.data);
        return value === null ? <Unreadable /> : <NumberCard data={value} unit={data.unit} />;
      }
      case 'timeseries': {
        const value = tryRead(readSeriesData, data.data);
        return value === null ? (
          <Unreadable />
        ) : (
          <SeriesChart widget={widget} data={value} unit={data.unit} height={height} />
        );
      }
      case 'bar':
      case 'pie': {
        const value = tryRead(readItemsData, data.data);
        return value === null ? (
          <Unreadable />
        ) : (
          <ItemsChart widget={widget} kind={data.type} data={value} unit={data.unit} height={height} />
        );
      }
      case 'heatmap': {
        const value = tryRead(readHeatmapData, data.data);
        if (value === null) {
          return <Unreadable />;
        }
        const timezone = widget.config.filters['timezone'];
        return (
          <Heatmap
            heatmap={{
              counts: value.counts,
              total: value.counts.flat().reduce((sum, count) => sum + count, 0),
              timezone: typeof timezone === 'string' ? timezone : 'UTC',
            }}
            days={rangeDays(data.range)}
          />
        );
      }
      case 'table': {
        const value = tryRead(readTableData, data.data);
        return value === null ? <Unreadable /> : <Table data={value} unit={data.unit} />;
      }
      case 'activity': {
        const value = tryRead(readActivityData, data.data);
        return value === null ? <Unreadable /> : <Activity data={value} />;
      }
      default:
        return <Unreadable />;
    }
  })();
  return (
    <div
      className="widget__body"
      data-testid="widget-body"
      data-type={data.type}
      data-computed-at={data.computed_at ?? ''}
    >
      {content}
    </div>
  );
}

function Unreadable() {
  return <p className="muted small">This widget&rsquo;s data cannot be shown by this version of the page.</p>;
}

function NumberCard({ data, unit }: { readonly data: NumberData; readonly unit: string }) {
  const change = trend(data);
  const arrow = { up: '▲', down: '▼', flat: '▬', none: '' }[change.direction];
  return (
    <div className="widget-number">
      <span
        className="widget-number__value"
        data-testid="widget-value"
        data-value={data.value === null ? '' : String(data.value)}
      >
        {formatValue(data.value, unit)}
      </span>
      <span
        className={`widget-number__trend widget-number__trend--${change.direction}`}
        data-testid="widget-trend"
        title={`Previous period: ${formatValue(data.previous, unit)}`}
      >
        {arrow} {change.label}
        {change.direction !== 'none' && change.direction !== 'flat' && <span className="muted"> vs previous</span>}
      </span>
    </div>
  );
}

function SeriesChart({
  widget,
  data,
  unit,
  height,
}: {
  readonly widget: Widget;
  readonly data: SeriesData;
  readonly unit: string;
  readonly height: number;
}) {
  const annotations = useAnnotations();
  const marks = useMemo(
    () => marksFor(data.series[0]?.points.map((point) => point.start) ?? [], annotations),
    [data, annotations],
  );
  const build = useCallback((colors: ChartColors) => seriesConfig(data, unit, colors, marks), [data, unit, marks]);
  if (data.series.every((series) => series.points.length === 0)) {
    return <EmptyState title="No data in this period." testId="widget-empty" />;
  }
  return (
    <>
      <ChartCanvas build={build} testId="widget-chart" label={`${widget.title}: time series`} height={height} />
      {/* What the dashed lines mark, for screen readers and tests (a canvas shows no text). */}
      <ul className="visually-hidden" data-testid="chart-annotations" data-count={marks.length}>
        {marks.map((mark) => (
          <li key={`${mark.index}-${mark.text}`}>{mark.text}</li>
        ))}
      </ul>
    </>
  );
}

function ItemsChart({
  widget,
  kind,
  data,
  unit,
  height,
}: {
  readonly widget: Widget;
  readonly kind: 'bar' | 'pie';
  readonly data: ItemsData;
  readonly unit: string;
  readonly height: number;
}) {
  const buildBar = useCallback((colors: ChartColors) => barConfig(data, unit, colors), [data, unit]);
  const buildPie = useCallback((colors: ChartColors) => pieConfig(data, unit, colors), [data, unit]);
  if (data.items.length === 0) {
    return <EmptyState title="No data in this period." testId="widget-empty" />;
  }
  const label = `${widget.title}: ${data.items.map((item) => `${item.label} ${formatValue(item.value, unit)}`).join(', ')}`;
  return kind === 'bar' ? (
    <ChartCanvas build={buildBar} testId="widget-chart" label={label} height={height} />
  ) : (
    <ChartCanvas build={buildPie} testId="widget-chart" label={label} height={height} />
  );
}

const ITEM_COLUMNS = [
  { key: 'number', label: '#' },
  { key: 'title', label: 'Title' },
  { key: 'repository', label: 'Repository' },
  { key: 'author', label: 'Author' },
  { key: 'state', label: 'State' },
  { key: 'updated_at', label: 'Updated' },
] as const;

const COLUMNS: Record<string, readonly { key: string; label: string }[]> = {
  pulls: ITEM_COLUMNS,
  issues: ITEM_COLUMNS,
  runs: [
    { key: 'repository', label: 'Repository' },
    { key: 'name', label: 'Workflow' },
    { key: 'head_branch', label: 'Branch' },
    { key: 'conclusion', label: 'Result' },
    { key: 'duration_seconds', label: 'Took' },
    { key: 'created_at', label: 'When' },
  ],
  contributors: [
    { key: 'login', label: 'Who' },
    { key: 'commits', label: 'Commits' },
    { key: 'pulls_opened', label: 'PRs opened' },
    { key: 'pulls_merged', label: 'PRs merged' },
    { key: 'reviews', label: 'Reviews' },
    { key: 'total', label: 'Total' },
  ],
};

function cellText(value: unknown, key: string, now: number, unit: string): string {
  if (value === null || value === undefined) {
    return '—';
  }
  if (typeof value === 'string' && key.endsWith('_at')) {
    return formatAgo(value, now);
  }
  if (typeof value === 'number') {
    return key.includes('seconds')
      ? formatValue(value, 'seconds')
      : key === 'value'
        ? formatValue(value, unit)
        : String(value);
  }
  if (typeof value === 'string') {
    return value;
  }
  return JSON.stringify(value);
}

function Table({ data, unit }: { readonly data: TableData; readonly unit: string }) {
  const now = useNow();
  if (data.rows.length === 0) {
    return <EmptyState title="Nothing to list." testId="widget-empty" />;
  }
  const columns =
    COLUMNS[data.kind] ??
    Object.keys(data.rows[0] ?? {})
      .filter((key) => key !== 'url' && key !== 'id')
      .slice(0, 6)
      .map((key) => ({ key, label: key.replaceAll('_', ' ') }));
  return (
    <div className="table-scroll widget-table">
      <table className="table table--compact">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.rows.map((row, index) => {
            const url = typeof row['url'] === 'string' ? row['url'] : null;
            return (
              <tr key={index} data-testid="widget-row">
                {columns.map((column) => {
                  const text = cellText(row[column.key], column.key, now, unit);
                  return (
                    <td key={column.key}>
                      {column.key === 'title' && url !== null ? (
                        <a href={url} target="_blank" rel="noreferrer">
                          {text}
                        </a>
                      ) : (
                        text
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.total > data.rows.length && (
        <p className="muted small">
          {data.rows.length} of {data.total}
        </p>
      )}
    </div>
  );
}

function Activity({ data }: { readonly data: ActivityData }) {
  const now = useNow();
  if (data.items.length === 0) {
    return <EmptyState title="No activity in this period." testId="widget-empty" />;
  }
  return (
    <ol className="widget-activity">
      {data.items.map((item) => (
        <li key={item.id} data-testid="widget-activity-item" data-type={item.type}>
          <span>
            {describeLiveEvent({
              id: item.id,
              type: item.type,
              occurredAt: item.occurred_at,
              teamId: null,
              repositoryId: null,
              subject: item.subject,
              actor: item.actor,
              data: {},
              publishedAt: null,
            })}
          </span>
          <time className="muted small" dateTime={item.occurred_at}>
            {formatAgo(item.occurred_at === '' ? null : item.occurred_at, now)}
          </time>
        </li>
      ))}
    </ol>
  );
}
