/**
 * A dashboard as a document edited by operations, and the one function that
 * applies an operation. Pure, no I/O: the server applies the same rules
 * (docs/dashboards.md), so a client that replays the server's order of
 * operations ends with the server's dashboard.
 *
 * Rules:
 * - an operation on a widget that is not there (deleted meanwhile) is dropped;
 * - `add_widget` of an id that exists, or past 50 widgets, is dropped; `restore_widget` puts the
 *   widget back as it was given, replacing one with its id;
 * - `set` replaces the value at `path` ("title", "config.metric", …) of the
 *   dashboard or of one widget: a later `set` of the same path wins, sets of
 *   different paths both survive;
 * - a widget past the grid's right edge (`x + w > 12`) after a move or a resize
 *   has its width cut to `12 − x`.
 */

/** Columns of the dashboard grid. */
export const GRID_COLUMNS = 12;
/** Widgets a dashboard holds at most; an `add_widget` beyond is dropped. */
export const MAX_WIDGETS = 50;

export interface WidgetLayout {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface WidgetConfig {
  /** Repository ids of the team's followed repositories; empty: all of them. */
  readonly repositories: readonly number[];
  readonly metric: string;
  /** A time range such as "30d". */
  readonly range: string;
  readonly filters: Readonly<Record<string, unknown>>;
}

export interface Widget {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly config: WidgetConfig;
  readonly layout: WidgetLayout;
}

export interface DashboardDoc {
  readonly title: string;
  readonly description: string;
  readonly widgets: readonly Widget[];
}

export type Op =
  | { readonly op: 'add_widget'; readonly widget: Widget }
  | { readonly op: 'remove_widget'; readonly widget_id: string }
  | { readonly op: 'move_widget'; readonly widget_id: string; readonly x: number; readonly y: number }
  | { readonly op: 'resize_widget'; readonly widget_id: string; readonly w: number; readonly h: number }
  | { readonly op: 'set'; readonly target: string; readonly path: string; readonly value: unknown }
  | { readonly op: 'restore_widget'; readonly widget: Widget };

/** `target` of a `set` on the dashboard itself. */
export const DASHBOARD_TARGET = 'dashboard';

/** The widget an operation is about, or null for the dashboard's own properties. */
export function opWidgetId(op: Op): string | null {
  switch (op.op) {
    case 'add_widget':
    case 'restore_widget':
      return op.widget.id;
    case 'set':
      return op.target === DASHBOARD_TARGET ? null : op.target;
    default:
      return op.widget_id;
  }
}

const POSITION_PATHS: ReadonlySet<string> = new Set(['position', 'layout.position', 'layout.x', 'layout.y', 'x', 'y']);
const SIZE_PATHS: ReadonlySet<string> = new Set(['size', 'layout.size', 'layout.w', 'layout.h', 'w', 'h']);

/** The key of one property, `target:path`, with a widget's position and size each one property. */
export function propertyKey(target: string, path: string): string {
  if (POSITION_PATHS.has(path)) {
    return `${target}:position`;
  }
  if (SIZE_PATHS.has(path)) {
    return `${target}:size`;
  }
  return `${target}:${path}`;
}

/**
 * The properties an operation writes, as keys `target:path`: two operations
 * conflict when they share a key (the later one wins).
 */
export function opKeys(op: Op): string[] {
  switch (op.op) {
    case 'set':
      return [propertyKey(op.target, op.path)];
    case 'move_widget':
      return [propertyKey(op.widget_id, 'position')];
    case 'resize_widget':
      return [propertyKey(op.widget_id, 'size')];
    case 'remove_widget':
      return [`${op.widget_id}:*`];
    case 'add_widget':
    case 'restore_widget':
      return [`${op.widget.id}:*`];
  }
}

function setIn(value: unknown, path: readonly string[], next: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return next;
  }
  const base = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  const current = (base as Record<string, unknown>)[head];
  return { ...base, [head]: setIn(current, rest, next) };
}

const DASHBOARD_PATHS: ReadonlySet<string> = new Set(['title', 'description']);
const WIDGET_PATHS: ReadonlySet<string> = new Set([
  'title',
  'type',
  'config.repositories',
  'config.metric',
  'config.range',
  'config.filters',
]);

/** Paths a `set` may write (docs/dashboards.md). */
export function isSettablePath(target: string, path: string): boolean {
  return (target === DASHBOARD_TARGET ? DASHBOARD_PATHS : WIDGET_PATHS).has(path);
}

/** The layout with its width cut at the grid's right edge. */
export function fitLayout(layout: WidgetLayout): WidgetLayout {
  return layout.x + layout.w > GRID_COLUMNS ? { ...layout, w: Math.max(1, GRID_COLUMNS - layout.x) } : layout;
}

function updateWidget(doc: DashboardDoc, id: string, change: (widget: Widget) => Widget): DashboardDoc | null {
  const index = doc.widgets.findIndex((widget) => widget.id === id);
  const widget = doc.widgets[index];
  if (widget === undefined) {
    return null;
  }
  const widgets = [...doc.widgets];
  widgets[index] = change(widget);
  return { ...doc, widgets };
}

/** The document after `op`, or null when the operation is dropped (see the rules above). */
export function applyOp(doc: DashboardDoc, op: Op): DashboardDoc | null {
  switch (op.op) {
    case 'add_widget':
      if (doc.widgets.length >= MAX_WIDGETS || doc.widgets.some((widget) => widget.id === op.widget.id)) {
        return null;
      }
      return { ...doc, widgets: [...doc.widgets, op.widget] };
    case 'restore_widget': {
      const replaced = updateWidget(doc, op.widget.id, () => op.widget);
      return replaced ?? { ...doc, widgets: [...doc.widgets, op.widget] };
    }
    case 'remove_widget':
      if (!doc.widgets.some((widget) => widget.id === op.widget_id)) {
        return null;
      }
      return { ...doc, widgets: doc.widgets.filter((widget) => widget.id !== op.widget_id) };
    case 'move_widget':
      return updateWidget(doc, op.widget_id, (widget) => ({
        ...widget,
        layout: fitLayout({ ...widget.layout, x: op.x, y: op.y }),
      }));
    case 'resize_widget':
      return updateWidget(doc, op.widget_id, (widget) => ({
        ...widget,
        layout: fitLayout({ ...widget.layout, w: op.w, h: op.h }),
      }));
    case 'set': {
      if (!isSettablePath(op.target, op.path)) {
        return null;
      }
      const path = op.path.split('.');
      if (op.target === DASHBOARD_TARGET) {
        return setIn(doc, path, op.value) as DashboardDoc;
      }
      return updateWidget(doc, op.target, (widget) => setIn(widget, path, op.value) as Widget);
    }
  }
}

/** Applies operations in order; dropped ones change nothing. */
export function applyOps(doc: DashboardDoc, ops: readonly Op[]): DashboardDoc {
  let current = doc;
  for (const op of ops) {
    current = applyOp(current, op) ?? current;
  }
  return current;
}

/** The widget with `id`, if the dashboard has it. */
export function findWidget(doc: DashboardDoc, id: string): Widget | undefined {
  return doc.widgets.find((widget) => widget.id === id);
}
