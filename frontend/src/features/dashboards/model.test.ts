import { describe, expect, it } from 'vitest';

import { layoutOps, nudgeOp } from './components/DashboardGrid';
import { decodeBatchResult, decodePublication, decodeSnapshot, readOp } from './model';
import { peopleLabel, propertyLabel, userColor } from './people';
import { dashboard, widget } from './testing/simulation';
import { formatValue, rangeDays, readNumberData, trend, tryRead } from './widgets/data';

describe('decoders', () => {
  it('reads every kind of operation and refuses unknown ones', () => {
    const w = widget('w1');
    expect(readOp({ op: 'add_widget', widget: w }, '$')).toEqual({ op: 'add_widget', widget: w });
    expect(readOp({ op: 'restore_widget', widget: w }, '$')).toEqual({ op: 'restore_widget', widget: w });
    expect(readOp({ op: 'remove_widget', widget_id: 'w1' }, '$')).toEqual({ op: 'remove_widget', widget_id: 'w1' });
    expect(readOp({ op: 'move_widget', widget_id: 'w1', x: 1, y: 2 }, '$')).toEqual({
      op: 'move_widget',
      widget_id: 'w1',
      x: 1,
      y: 2,
    });
    expect(readOp({ op: 'resize_widget', widget_id: 'w1', w: 4, h: 3 }, '$')).toEqual({
      op: 'resize_widget',
      widget_id: 'w1',
      w: 4,
      h: 3,
    });
    expect(readOp({ op: 'set', target: 'w1', path: 'config.filters', value: { include_bots: true } }, '$')).toEqual({
      op: 'set',
      target: 'w1',
      path: 'config.filters',
      value: { include_bots: true },
    });
    expect(() => readOp({ op: 'explode' }, '$')).toThrow(/unknown operation/);
    expect(() => readOp({ op: 'move_widget', widget_id: 'w1', x: 'left', y: 0 }, '$')).toThrow(/x/);
  });

  it('reads a batch result with dropped and overwritten entries', () => {
    const result = decodeBatchResult({
      version: 13,
      ops: [{ op: 'set', target: 'dashboard', path: 'title', value: 'T' }],
      dropped: [
        {
          index: 1,
          op: { op: 'move_widget', widget_id: 'w9', x: 0, y: 0 },
          reason: 'widget_removed',
          by: { id: 2, login: 'bob', name: 'Bob' },
          version: 12,
        },
      ],
      overwritten: [
        { index: 0, target: 'dashboard', path: 'title', user: { id: 2, login: 'bob', name: null }, version: 12 },
      ],
    });
    expect(result.dropped).toEqual([
      { reason: 'widget_removed', widgetId: 'w9', by: { id: 2, login: 'bob', name: 'Bob' } },
    ]);
    expect(result.overwritten).toEqual([
      { target: 'dashboard', path: 'title', user: { id: 2, login: 'bob', name: null }, version: 12 },
    ]);
  });

  it('reads a snapshot, filling what a shared link leaves out', () => {
    const snapshot = decodeSnapshot({
      id: 7,
      team_id: 3,
      title: 'T',
      version: 2,
      widgets: [widget('w1')],
      role: 'viewer',
    });
    expect(snapshot).toMatchObject({
      description: '',
      owner: null,
      stream: null,
      changed_since_last_visit: null,
      role: 'viewer',
    });
    expect(decodeSnapshot({ id: 7, team_id: 3, title: 'T', version: 2, widgets: [], role: 'superuser' }).role).toBe(
      'viewer',
    );
  });

  it('reads the channel publications and ignores what it cannot read', () => {
    const envelope = (type: string, data: unknown) => ({ type, ts: 1, data: { id: 'e', type, data } });
    expect(
      decodePublication(
        envelope('dashboard.ops', {
          dashboard_id: 7,
          version: 3,
          ops: [{ op: 'remove_widget', widget_id: 'w1' }],
          actor: { id: 2, login: 'bob', name: null, avatar_url: null },
          client_op_id: 'x',
          client: 'tab',
          overwritten: [],
        }),
      ),
    ).toMatchObject({ kind: 'ops', batch: { version: 3, clientOpId: 'x', author: { login: 'bob' }, overwritten: [] } });
    expect(decodePublication(envelope('dashboard.widget_data', { dashboard_id: 7, widget_ids: ['a', 'b'] }))).toEqual({
      kind: 'widget_data',
      widgetIds: ['a', 'b'],
    });
    expect(
      decodePublication(
        envelope('dashboard.focus', {
          dashboard_id: 7,
          user: { id: 2, login: 'bob', name: null, avatar_url: null },
          client: 'c',
          widget_id: null,
        }),
      ),
    ).toMatchObject({ kind: 'focus', focus: { client: 'c', widgetId: null } });
    expect(decodePublication(envelope('dashboard.deleted', { dashboard_id: 7 }))).toEqual({ kind: 'deleted' });
    expect(decodePublication(envelope('dashboard.ops', { version: 'three' }))).toBeNull();
    expect(decodePublication(envelope('something.else', {}))).toBeNull();
    expect(decodePublication('garbage')).toBeNull();
  });
});

describe('widget data', () => {
  it('formats values in their unit', () => {
    expect(formatValue(7200, 'seconds')).toBe('2 h');
    expect(formatValue(0.834, 'ratio')).toBe('83%');
    expect(formatValue(2_500_000, 'bytes')).toBe('2.5 MB');
    expect(formatValue(1234, 'count')).toBe('1,234');
    expect(formatValue(null, 'count')).toBe('—');
  });

  it('says how a figure moved against the previous period', () => {
    expect(trend({ value: 12, previous: 10 })).toEqual({ direction: 'up', label: '+20%' });
    expect(trend({ value: 5, previous: 10 })).toEqual({ direction: 'down', label: '-50%' });
    expect(trend({ value: 3, previous: 3 })).toEqual({ direction: 'flat', label: 'no change' });
    expect(trend({ value: 3, previous: 0 })).toEqual({ direction: 'up', label: 'up from 0' });
    expect(trend({ value: 3, previous: null }).direction).toBe('none');
  });

  it('reads data leniently and ranges in days', () => {
    expect(tryRead(readNumberData, { value: 3 })).toEqual({ value: 3, previous: null });
    expect(tryRead(readNumberData, { value: 'x' })).toBeNull();
    expect(rangeDays('90d')).toBe(90);
    expect(rangeDays('soon')).toBe(28);
  });
});

describe('the grid', () => {
  it('turns a dragged or resized layout into moves and resizes of what changed', () => {
    const widgets = dashboard([widget('a'), widget('b', { layout: { x: 3, y: 0, w: 3, h: 2 } })]).widgets;
    expect(
      layoutOps(widgets, [
        { i: 'a', x: 0, y: 4, w: 3, h: 2 },
        { i: 'b', x: 3, y: 0, w: 6, h: 2 },
        { i: 'gone', x: 0, y: 0, w: 1, h: 1 },
      ]),
    ).toEqual([
      { op: 'move_widget', widget_id: 'a', x: 0, y: 4 },
      { op: 'resize_widget', widget_id: 'b', w: 6, h: 2 },
    ]);
  });
});

describe('moving with the keyboard', () => {
  it('moves and resizes by one cell, never off the grid', () => {
    const w = widget('a', { layout: { x: 9, y: 0, w: 3, h: 2 } });
    expect(nudgeOp(w, { dx: 1, dy: 0, dw: 0, dh: 0 })).toBeNull();
    expect(nudgeOp(w, { dx: 0, dy: -1, dw: 0, dh: 0 })).toBeNull();
    expect(nudgeOp(w, { dx: -1, dy: 0, dw: 0, dh: 0 })).toEqual({ op: 'move_widget', widget_id: 'a', x: 8, y: 0 });
    expect(nudgeOp(w, { dx: 0, dy: 1, dw: 0, dh: 0 })).toEqual({ op: 'move_widget', widget_id: 'a', x: 9, y: 1 });
    expect(nudgeOp(w, { dx: 0, dy: 0, dw: 1, dh: 0 })).toBeNull();
    expect(nudgeOp(w, { dx: 0, dy: 0, dw: -1, dh: 1 })).toEqual({ op: 'resize_widget', widget_id: 'a', w: 2, h: 3 });
  });
});

describe('people', () => {
  it('gives everyone a stable colour and names groups briefly', () => {
    expect(userColor(2)).toBe(userColor(2));
    expect(userColor(2)).not.toBe(userColor(3));
    expect(peopleLabel([{ login: 'bob' }, { login: 'bob' }])).toBe('bob');
    expect(peopleLabel([{ login: 'bob' }, { login: 'carol' }])).toBe('bob and carol');
    expect(peopleLabel([{ login: 'a' }, { login: 'b' }, { login: 'c' }, { login: 'd' }])).toBe('a, b and 2 others');
    expect(propertyLabel('w1', 'config.range', 'Merged')).toBe('the time range of “Merged”');
    expect(propertyLabel('dashboard', 'title', null)).toBe("the dashboard's title");
  });
});

describe('chart axes', () => {
  it('draws durations in a readable unit and rates as percentages', async () => {
    const { axisScale } = await import('./widgets/charts');
    const hours = axisScale([3600, 7200 * 10], 'seconds');
    expect(hours.title).toBe('hours');
    expect(hours.scale(7200)).toBe(2);
    const rate = axisScale([0.5], 'ratio');
    expect([rate.title, rate.scale(0.834)]).toEqual(['%', 83.4]);
    expect(axisScale([3], 'count').scale(3)).toBe(3);
  });
});
