import type { ReactNode } from 'react';

import type { Widget } from '../document';
import { personLabel, userColor } from '../people';
import type { Focus, Highlight } from '../useDashboardSession';

export interface Nudge {
  readonly dx: number;
  readonly dy: number;
  readonly dw: number;
  readonly dh: number;
}

const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export interface ChangedMark {
  readonly by: string;
  readonly added: boolean;
}

/**
 * A widget's card: title, tools in edit mode, who is editing it (outlined in
 * their colour), a brief highlight of someone else's change, and the "changed
 * since your last visit" mark. Test ids: `widget` (`data-widget-id`,
 * `data-title`, `data-x`, `data-y`, `data-w`, `data-h`, `data-focused-by`,
 * `data-highlighted-by`), `widget-title`, `widget-focus`, `widget-highlight`,
 * `changed-since`, `widget-configure`, `widget-delete`.
 */
export function WidgetFrame({
  widget,
  label,
  editing,
  canEdit,
  focus,
  highlight,
  changed,
  selected,
  onConfigure,
  onDelete,
  onNudge,
  children,
}: {
  readonly widget: Widget;
  /** The title to show (the metric's label when the widget has none). */
  readonly label: string;
  readonly editing: boolean;
  readonly canEdit: boolean;
  readonly focus: readonly Focus[];
  readonly highlight: Highlight | undefined;
  readonly changed: ChangedMark | undefined;
  readonly selected: boolean;
  readonly onConfigure?: () => void;
  readonly onDelete?: () => void;
  /** Arrow keys on the handle: move by (dx, dy) or, with Shift, resize by (dw, dh). */
  readonly onNudge?: (change: Nudge) => void;
  readonly children: ReactNode;
}) {
  const editor = focus[0];
  const color = editor === undefined ? undefined : userColor(editor.user.id);
  const classes = ['widget'];
  if (editor !== undefined) {
    classes.push('widget--focused');
  }
  if (highlight !== undefined) {
    classes.push('widget--highlighted');
  }
  if (selected) {
    classes.push('widget--selected');
  }
  return (
    <article
      className={classes.join(' ')}
      style={color === undefined ? undefined : { outlineColor: color, ['--focus-color' as string]: color }}
      data-testid="widget"
      data-widget-id={widget.id}
      data-type={widget.type}
      data-title={label}
      data-x={widget.layout.x}
      data-y={widget.layout.y}
      data-w={widget.layout.w}
      data-h={widget.layout.h}
      data-focused-by={focus.map((item) => item.user.login).join(' ')}
      data-highlighted-by={highlight === undefined ? '' : personLabel(highlight.by)}
      aria-label={label}
    >
      <header className="widget__header">
        {editing && (
          <span
            className="widget__drag"
            role="button"
            tabIndex={0}
            title="Drag to move; or arrow keys to move, Shift + arrow keys to resize"
            aria-label={`Move ${label}: arrow keys move it, Shift and arrow keys resize it`}
            data-testid="widget-drag"
            onKeyDown={(event) => {
              const arrow = ARROWS[event.key];
              if (arrow === undefined || onNudge === undefined) {
                return;
              }
              event.preventDefault();
              const [x, y] = arrow;
              onNudge(event.shiftKey ? { dx: 0, dy: 0, dw: x, dh: y } : { dx: x, dy: y, dw: 0, dh: 0 });
            }}
          >
            ⠿
          </span>
        )}
        <h3 className="widget__title" data-testid="widget-title">
          {label}
        </h3>
        {changed !== undefined && (
          <span className="widget__mark" data-testid="changed-since" title="Changed since your last visit">
            {changed.added ? 'new' : 'changed'} · {changed.by}
          </span>
        )}
        {canEdit && (
          <span className="widget__tools">
            <button
              type="button"
              className="button button--small button--quiet widget__tool"
              onClick={onConfigure}
              data-testid="widget-configure"
              aria-label={`Configure ${label}`}
              title="Configure"
            >
              ⚙
            </button>
            {editing && (
              <button
                type="button"
                className="button button--small button--quiet widget__tool"
                title="Delete"
                onClick={onDelete}
                data-testid="widget-delete"
                aria-label={`Delete ${label}`}
              >
                ✕
              </button>
            )}
          </span>
        )}
      </header>
      {editor !== undefined && (
        <span className="widget__focus" style={{ background: color }} data-testid="widget-focus">
          {focus.map((item) => item.user.login).join(', ')} editing
        </span>
      )}
      {highlight !== undefined && (
        <span className="widget__highlight" data-testid="widget-highlight" role="status">
          Changed by {personLabel(highlight.by)}
        </span>
      )}
      {children}
    </article>
  );
}
