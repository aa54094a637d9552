/**
 * What the dashboards API answers (docs/dashboards.md), decoded: nothing is
 * cast on trust. Unknown fields are ignored; operations of an unknown kind
 * make the whole batch unreadable (the page then refetches the snapshot).
 */
import {
  arrayOf,
  bool,
  decoder,
  nullable,
  num,
  object,
  oneOf,
  recordOf,
  str,
  withDefault,
  type Reader,
} from '../../api';
import { DecodeError } from '../../api/decode';
import type { DashboardDoc, Op, Widget, WidgetConfig, WidgetLayout } from './document';
import type { Author, BatchResult, DroppedOp, Overwrite, ServerBatch } from './editing';

export type DashboardRole = 'viewer' | 'editor' | 'owner';

export interface UserRef {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
  readonly avatar_url: string | null;
}

export const readUserRef: Reader<UserRef> = object({
  id: num,
  login: str,
  name: nullable(str),
  avatar_url: nullable(str),
});

/** Roles the page does not know read as viewer (the least allowed). */
const readRole: Reader<DashboardRole> = (value, path) => {
  const text = str(value, path);
  return text === 'owner' || text === 'editor' ? text : 'viewer';
};

export function canEdit(role: DashboardRole): boolean {
  return role === 'editor' || role === 'owner';
}

const readLayout: Reader<WidgetLayout> = object({ x: num, y: num, w: num, h: num });

const readConfig: Reader<WidgetConfig> = object({
  repositories: withDefault(arrayOf(num), []),
  metric: withDefault(str, ''),
  range: withDefault(str, '28d'),
  filters: withDefault(
    recordOf((value) => value),
    {},
  ),
});

export const readWidget: Reader<Widget> = object({
  id: str,
  type: str,
  title: withDefault(str, ''),
  config: readConfig,
  layout: readLayout,
});

const readWidgets = arrayOf(readWidget);

export interface StreamInfo {
  readonly channel: string;
  readonly offset: number;
  readonly epoch: string;
}

export interface ChangedWidget {
  readonly widget_id: string;
  readonly by: readonly Author[];
  readonly added: boolean;
}

export interface ChangedSince {
  readonly since_version: number | null;
  readonly dashboard: readonly { readonly path: string; readonly by: readonly Author[] }[];
  readonly widgets: readonly ChangedWidget[];
  readonly removed: readonly string[];
}

const readAuthor: Reader<Author> = object({ id: num, login: str, name: withDefault(nullable(str), null) });

const readChangedSince: Reader<ChangedSince> = object({
  since_version: nullable(num),
  dashboard: withDefault(arrayOf(object({ path: str, by: withDefault(arrayOf(readAuthor), []) })), []),
  widgets: withDefault(
    arrayOf(object({ widget_id: str, by: withDefault(arrayOf(readAuthor), []), added: withDefault(bool, false) })),
    [],
  ),
  removed: withDefault(arrayOf(str), []),
});

export interface Snapshot extends DashboardDoc {
  readonly id: number;
  readonly team_id: number;
  readonly version: number;
  readonly role: DashboardRole;
  readonly owner: UserRef | null;
  readonly stream: StreamInfo | null;
  readonly changed_since_last_visit: ChangedSince | null;
}

export const readSnapshot: Reader<Snapshot> = object({
  id: num,
  team_id: num,
  title: str,
  description: withDefault(str, ''),
  version: num,
  widgets: readWidgets,
  role: readRole,
  owner: withDefault(nullable(readUserRef), null),
  stream: withDefault(nullable(object({ channel: str, offset: num, epoch: str })), null),
  changed_since_last_visit: withDefault(nullable(readChangedSince), null),
});
export const decodeSnapshot = decoder(readSnapshot);

export interface DashboardSummary {
  readonly id: number;
  readonly team_id: number;
  readonly team: { readonly id: number; readonly slug: string; readonly name: string } | null;
  readonly title: string;
  readonly description: string;
  readonly version: number;
  readonly widget_count: number;
  readonly role: DashboardRole;
  readonly owner: UserRef | null;
  readonly updated_at: string | null;
  readonly updated_by: UserRef | null;
}

const readSummary: Reader<DashboardSummary> = object({
  id: num,
  team_id: num,
  team: withDefault(nullable(object({ id: num, slug: str, name: str })), null),
  title: str,
  description: withDefault(str, ''),
  version: num,
  widget_count: withDefault(num, 0),
  role: readRole,
  owner: withDefault(nullable(readUserRef), null),
  updated_at: withDefault(nullable(str), null),
  updated_by: withDefault(nullable(readUserRef), null),
});

export interface DashboardList {
  readonly mine: readonly DashboardSummary[];
  readonly shared: readonly DashboardSummary[];
  readonly team: readonly DashboardSummary[];
}

export const decodeDashboardList = decoder<DashboardList>(
  object({
    mine: withDefault(arrayOf(readSummary), []),
    shared: withDefault(arrayOf(readSummary), []),
    team: withDefault(arrayOf(readSummary), []),
  }),
);

export interface Template {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

export const decodeTemplates = decoder<{ readonly templates: readonly Template[] }>(
  object({ templates: arrayOf(object({ id: str, title: str, description: withDefault(str, '') })) }),
);

export interface CatalogType {
  readonly type: string;
  readonly label: string;
  readonly metrics: readonly string[];
}

export interface CatalogMetric {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly types: readonly string[];
}

export interface Catalog {
  readonly widget_types: readonly CatalogType[];
  readonly metrics: readonly CatalogMetric[];
  readonly ranges: readonly string[];
  readonly columns: number;
}

export const decodeCatalog = decoder<Catalog>(
  object({
    widget_types: arrayOf(object({ type: str, label: str, metrics: withDefault(arrayOf(str), []) })),
    metrics: arrayOf(
      object({ id: str, label: str, unit: withDefault(str, 'count'), types: withDefault(arrayOf(str), []) }),
    ),
    ranges: withDefault(arrayOf(str), ['7d', '14d', '28d', '90d', '180d', '365d']),
    columns: withDefault(num, 12),
  }),
);

// Operations -------------------------------------------------------------------------------

export const readOp: Reader<Op> = (value, path) => {
  const kind = object({ op: str })(value, path).op;
  switch (kind) {
    case 'add_widget':
      return { op: 'add_widget', widget: object({ widget: readWidget })(value, path).widget };
    case 'restore_widget':
      return { op: 'restore_widget', widget: object({ widget: readWidget })(value, path).widget };
    case 'remove_widget':
      return { op: 'remove_widget', widget_id: object({ widget_id: str })(value, path).widget_id };
    case 'move_widget': {
      const { widget_id, x, y } = object({ widget_id: str, x: num, y: num })(value, path);
      return { op: 'move_widget', widget_id, x, y };
    }
    case 'resize_widget': {
      const { widget_id, w, h } = object({ widget_id: str, w: num, h: num })(value, path);
      return { op: 'resize_widget', widget_id, w, h };
    }
    case 'set': {
      const fields = object({ target: str, path: str })(value, path);
      return { op: 'set', target: fields.target, path: fields.path, value: (value as { value?: unknown }).value };
    }
    default:
      throw new DecodeError(`${path}.op: unknown operation ${kind}`);
  }
};

const readOverwrite: Reader<Overwrite> = object({
  target: str,
  path: str,
  user: withDefault(nullable(readAuthor), null),
  version: withDefault(nullable(num), null),
});

const opWidget = (op: unknown): string | null => {
  if (typeof op !== 'object' || op === null) {
    return null;
  }
  const record = op as Record<string, unknown>;
  const widget = record['widget'];
  if (typeof record['widget_id'] === 'string') {
    return record['widget_id'];
  }
  if (typeof record['target'] === 'string' && record['target'] !== 'dashboard') {
    return record['target'];
  }
  if (typeof widget === 'object' && widget !== null && typeof (widget as { id?: unknown }).id === 'string') {
    return (widget as { id: string }).id;
  }
  return null;
};

const readDropped: Reader<DroppedOp> = (value, path) => {
  const fields = object({ reason: withDefault(str, ''), by: withDefault(nullable(readAuthor), null) })(value, path);
  return { reason: fields.reason, by: fields.by, widgetId: opWidget((value as { op?: unknown }).op) };
};

export const decodeBatchResult = decoder<BatchResult>(
  object({
    version: num,
    ops: withDefault(arrayOf(readOp), []),
    dropped: withDefault(arrayOf(readDropped), []),
    overwritten: withDefault(arrayOf(readOverwrite), []),
  }),
);

/** A `dashboard.ops` publication's payload. */
export interface OpsPublication extends ServerBatch {
  readonly dashboardId: number;
  readonly client: string | null;
  readonly restoredFrom: number | null;
  readonly summary: string;
}

const readOpsPayload = object({
  dashboard_id: num,
  version: num,
  ops: arrayOf(readOp),
  actor: withDefault(nullable(readAuthor), null),
  client_op_id: withDefault(nullable(str), null),
  client: withDefault(nullable(str), null),
  overwritten: withDefault(arrayOf(readOverwrite), []),
  restored_from: withDefault(nullable(num), null),
  summary: withDefault(str, ''),
});

export interface FocusPublication {
  readonly dashboardId: number;
  readonly user: UserRef;
  readonly client: string;
  readonly widgetId: string | null;
}

/** What the page hears on `dashboard:{id}`. */
export type DashboardPublication =
  | { readonly kind: 'ops'; readonly batch: OpsPublication }
  | { readonly kind: 'widget_data'; readonly widgetIds: readonly string[] }
  | { readonly kind: 'focus'; readonly focus: FocusPublication }
  | { readonly kind: 'deleted' };

/** A publication of the channel (envelope `{"type", "ts", "data": event}`), or null when unreadable. */
export function decodePublication(raw: unknown): DashboardPublication | null {
  try {
    const envelope = object({
      type: withDefault(str, ''),
      data: object({ type: withDefault(str, ''), data: (v) => v }),
    })(raw, '$');
    const type = envelope.data.type === '' ? envelope.type : envelope.data.type;
    const payload = envelope.data.data;
    switch (type) {
      case 'dashboard.ops': {
        const p = readOpsPayload(payload, '$.data.data');
        return {
          kind: 'ops',
          batch: {
            dashboardId: p.dashboard_id,
            version: p.version,
            baseVersion: null,
            clientOpId: p.client_op_id,
            author: p.actor,
            ops: p.ops,
            overwritten: p.overwritten,
            client: p.client,
            restoredFrom: p.restored_from,
            summary: p.summary,
          },
        };
      }
      case 'dashboard.widget_data':
        return { kind: 'widget_data', widgetIds: object({ widget_ids: arrayOf(str) })(payload, '$').widget_ids };
      case 'dashboard.focus': {
        const p = object({
          dashboard_id: num,
          user: readUserRef,
          client: withDefault(str, ''),
          widget_id: withDefault(nullable(str), null),
        })(payload, '$');
        return {
          kind: 'focus',
          focus: { dashboardId: p.dashboard_id, user: p.user, client: p.client, widgetId: p.widget_id },
        };
      }
      case 'dashboard.deleted':
        return { kind: 'deleted' };
      default:
        return null;
    }
  } catch {
    return null;
  }
}

// History ----------------------------------------------------------------------------------

export interface Revision {
  readonly version: number;
  readonly at: string;
  readonly actor: UserRef | null;
  readonly summary: string;
  readonly restored_from: number | null;
}

const readRevision: Reader<Revision> = object({
  version: num,
  at: str,
  actor: withDefault(nullable(readUserRef), null),
  summary: withDefault(str, ''),
  restored_from: withDefault(nullable(num), null),
});

export interface RevisionPage {
  readonly revisions: readonly Revision[];
  readonly next_before: number | null;
}

export const decodeRevisionPage = decoder<RevisionPage>(
  object({ revisions: arrayOf(readRevision), next_before: withDefault(nullable(num), null) }),
);

export interface RevisionDetail extends Revision {
  readonly dashboard: DashboardDoc;
}

export const decodeRevisionDetail = decoder<RevisionDetail>((value, path) => ({
  ...readRevision(value, path),
  dashboard: object({ title: str, description: withDefault(str, ''), widgets: readWidgets })(
    (value as { dashboard?: unknown }).dashboard,
    `${path}.dashboard`,
  ),
}));

// Widget data ------------------------------------------------------------------------------

export interface WidgetData {
  readonly widget_id: string;
  readonly type: string;
  readonly metric: string;
  readonly range: string;
  readonly status: string;
  readonly unit: string;
  readonly computed_at: string | null;
  readonly data: unknown;
}

export const decodeWidgetData = decoder<WidgetData>(
  object({
    widget_id: str,
    type: str,
    metric: withDefault(str, ''),
    range: withDefault(str, ''),
    status: withDefault(str, 'ok'),
    // Null when the metric does not suit the type.
    unit: (value) => (typeof value === 'string' ? value : 'count'),
    computed_at: withDefault(nullable(str), null),
    data: (value) => value,
  }),
);

// Sharing ----------------------------------------------------------------------------------

export interface Grant {
  readonly subject: 'user' | 'team';
  readonly user: UserRef | null;
  readonly team: { readonly id: number; readonly name: string } | null;
  readonly role: DashboardRole;
  readonly granted_at: string | null;
}

export const decodeGrants = decoder<{ readonly grants: readonly Grant[] }>(
  object({
    grants: arrayOf(
      object({
        subject: oneOf('user', 'team'),
        user: withDefault(nullable(readUserRef), null),
        team: withDefault(nullable(object({ id: num, name: withDefault(str, '') })), null),
        role: readRole,
        granted_at: withDefault(nullable(str), null),
      }),
    ),
  }),
);

export interface ShareLink {
  readonly id: number;
  readonly created_at: string;
  readonly expires_at: string | null;
}

const readLink: Reader<ShareLink> = object({ id: num, created_at: str, expires_at: withDefault(nullable(str), null) });

export const decodeLinks = decoder<{ readonly links: readonly ShareLink[] }>(object({ links: arrayOf(readLink) }));

export interface CreatedLink extends ShareLink {
  readonly token: string;
  readonly url: string;
}

export const decodeCreatedLink = decoder<CreatedLink>((value, path) => ({
  ...readLink(value, path),
  ...object({ token: str, url: str })(value, path),
}));
