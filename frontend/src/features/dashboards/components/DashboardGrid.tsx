import { useQuery } from '@tanstack/react-query';
import { useCallback, type ReactNode } from 'react';
import { GridLayout, noCompactor, useContainerWidth, type Layout, type LayoutItem } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';

import { ErrorNotice, Loading } from '../../../components/PageState';
import { GRID_COLUMNS, type Op, type Widget } from '../document';
import type { WidgetDataSource } from '../queries';
import { WidgetBody } from '../widgets/WidgetBody';

/** Pixels of one grid row, and between widgets. */
export const ROW_HEIGHT = 56;
const MARGIN = 12;
/** Below this width the grid is a single column (read-only layout). */
const NARROW_PX = 640;
/** The widget's header, above its body. */
const HEADER_HEIGHT = 44;

/** Rows a widget may span at most. */
export const MAX_ROWS_SPAN = 24;

/** The operation that moves or resizes `widget` by a keyboard step, kept on the grid; null if none. */
export function nudgeOp(widget: Widget, change: { dx: number; dy: number; dw: number; dh: number }): Op | null {
  const { x, y, w, h } = widget.layout;
  if (change.dx !== 0 || change.dy !== 0) {
    const nx = Math.min(Math.max(0, x + change.dx), GRID_COLUMNS - w);
    const ny = Math.min(Math.max(0, y + change.dy), 1000);
    return nx === x && ny === y ? null : { op: 'move_widget', widget_id: widget.id, x: nx, y: ny };
  }
  const nw = Math.min(Math.max(1, w + change.dw), GRID_COLUMNS - x);
  const nh = Math.min(Math.max(1, h + change.dh), MAX_ROWS_SPAN);
  return nw === w && nh === h ? null : { op: 'resize_widget', widget_id: widget.id, w: nw, h: nh };
}

/** The operations that take the dashboard from `widgets` to the grid's `layout` (after a drag or a resize). */
export function layoutOps(widgets: readonly Widget[], layout: Layout): Op[] {
  const ops: Op[] = [];
  for (const item of layout) {
    const widget = widgets.find((candidate) => candidate.id === item.i);
    if (widget === undefined) {
      continue;
    }
    if (widget.layout.x !== item.x || widget.layout.y !== item.y) {
      ops.push({ op: 'move_widget', widget_id: widget.id, x: item.x, y: item.y });
    }
    if (widget.layout.w !== item.w || widget.layout.h !== item.h) {
      ops.push({ op: 'resize_widget', widget_id: widget.id, w: item.w, h: item.h });
    }
  }
  return ops;
}

export type WidgetDataOptions = (widget: Widget) => WidgetDataSource;

/**
 * The widgets on a 12-column grid, placed by their layout; in edit mode they
 * are dragged by their handle and resized from their corner. `frame` draws a
 * widget's chrome around its body.
 */
export function DashboardGrid({
  widgets,
  editing,
  onLayout,
  onGrab,
  frame,
}: {
  readonly widgets: readonly Widget[];
  readonly editing: boolean;
  /** A drag or resize ended: the operations it makes. */
  readonly onLayout?: (ops: Op[]) => void;
  /** A drag or resize of the widget started (null: ended). */
  readonly onGrab?: (widgetId: string | null) => void;
  readonly frame: (widget: Widget, body: ReactNode) => ReactNode;
}) {
  const { width, containerRef, mounted } = useContainerWidth();
  const layout: LayoutItem[] = widgets.map((widget) => ({
    i: widget.id,
    x: widget.layout.x,
    y: widget.layout.y,
    w: widget.layout.w,
    h: widget.layout.h,
  }));
  const ended = useCallback(
    (next: Layout) => {
      onGrab?.(null);
      const ops = layoutOps(widgets, next);
      if (ops.length > 0) {
        onLayout?.(ops);
      }
    },
    [widgets, onGrab, onLayout],
  );
  const started = useCallback(
    (_layout: Layout, item: LayoutItem | null) => {
      onGrab?.(item?.i ?? null);
    },
    [onGrab],
  );

  if (mounted && width > 0 && width < NARROW_PX) {
    // Twelve columns do not fit a phone: the widgets stack in reading order, as they are.
    const ordered = [...widgets].sort((a, b) => a.layout.y - b.layout.y || a.layout.x - b.layout.x);
    return (
      <div
        ref={containerRef}
        className="dashboard-grid dashboard-grid--stacked"
        data-testid="dashboard-grid"
        data-editing={false}
      >
        {ordered.map((widget) => (
          <div
            key={widget.id}
            className="dashboard-grid__cell"
            style={{ height: widget.layout.h * ROW_HEIGHT + (widget.layout.h - 1) * MARGIN }}
          >
            {frame(widget, null)}
          </div>
        ))}
      </div>
    );
  }

  return (
    <div ref={containerRef} className="dashboard-grid" data-testid="dashboard-grid" data-editing={editing}>
      {mounted && (
        <GridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: GRID_COLUMNS, rowHeight: ROW_HEIGHT, margin: [MARGIN, MARGIN], containerPadding: [0, 0] }}
          dragConfig={{ enabled: editing, handle: '.widget__drag', cancel: '.widget__tool, input, select, a' }}
          resizeConfig={{ enabled: editing, handles: ['se'] }}
          compactor={noCompactor}
          onDragStart={started}
          onResizeStart={started}
          onDragStop={ended}
          onResizeStop={ended}
        >
          {widgets.map((widget) => (
            <div key={widget.id} className="dashboard-grid__cell">
              {frame(widget, null)}
            </div>
          ))}
        </GridLayout>
      )}
    </div>
  );
}

/** The pixels a widget of `h` rows has for its body. */
export function bodyHeight(h: number): number {
  return Math.max(60, h * ROW_HEIGHT + (h - 1) * MARGIN - HEADER_HEIGHT - 16);
}

/** A widget's data, loading, failing or drawn. */
export function WidgetDataView({ widget, options }: { readonly widget: Widget; readonly options: WidgetDataOptions }) {
  const source = options(widget);
  const query = useQuery({
    queryKey: source.queryKey,
    queryFn: ({ signal }) => source.queryFn({ signal }),
    ...(source.staleTime === undefined ? {} : { staleTime: source.staleTime }),
    ...(source.refetchInterval === undefined ? {} : { refetchInterval: source.refetchInterval }),
  });
  if (query.isPending) {
    return <Loading label="Loading…" />;
  }
  if (query.isError && query.data === undefined) {
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <WidgetBody widget={widget} data={query.data} height={bodyHeight(widget.layout.h)} />;
}
