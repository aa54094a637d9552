import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { repositoriesQuery } from '../../repositories/queries';
import type { Widget } from '../document';
import type { Catalog } from '../model';

/**
 * A widget's settings: type, metric (those that suit the type), repositories
 * (the team's followed ones; none ticked: all of them), time range, filters.
 * Every change is an edit of its own, sent at once; the title is sent when
 * the field is left. Test ids: `widget-config` (`data-widget-id`),
 * `config-title`, `config-type`, `config-metric`, `config-range`,
 * `config-repository` (`data-repository-id`), `config-bots`,
 * `config-timezone`, `config-stale-days`.
 */
export function WidgetConfigPanel({
  widget,
  catalog,
  teamId,
  readOnly,
  onSet,
  onClose,
}: {
  readonly widget: Widget;
  readonly catalog: Catalog | undefined;
  readonly teamId: number | null;
  readonly readOnly: boolean;
  readonly onSet: (path: string, value: unknown) => void;
  readonly onClose: () => void;
}) {
  const repositories = useQuery({ ...repositoriesQuery(teamId ?? 0), enabled: teamId !== null });
  const types = catalog?.widget_types ?? [];
  const metricsForType = catalog?.metrics.filter((metric) => metric.types.includes(widget.type)) ?? [];
  const metricKnown = metricsForType.some((metric) => metric.id === widget.config.metric);
  const ranges = catalog?.ranges ?? ['7d', '14d', '28d', '90d', '180d', '365d'];
  const filters = widget.config.filters;
  const includeBots = filters['include_bots'] === true;
  const timezone = typeof filters['timezone'] === 'string' ? filters['timezone'] : 'UTC';
  const staleDays = typeof filters['stale_days'] === 'number' ? filters['stale_days'] : 14;

  const setType = (type: string) => {
    onSet('type', type);
    // Keep the metric when it suits the new type; otherwise the first that does.
    const suits = catalog?.metrics.find((metric) => metric.id === widget.config.metric)?.types.includes(type) ?? true;
    const first = catalog?.metrics.find((metric) => metric.types.includes(type));
    if (!suits && first !== undefined) {
      onSet('config.metric', first.id);
    }
  };
  const toggleRepository = (id: number) => {
    const current = widget.config.repositories;
    onSet('config.repositories', current.includes(id) ? current.filter((other) => other !== id) : [...current, id]);
  };

  return (
    <aside className="side-panel" data-testid="widget-config" data-widget-id={widget.id} aria-label="Widget settings">
      <div className="side-panel__header">
        <h2>Widget settings</h2>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={onClose}
          data-testid="panel-close"
        >
          Close
        </button>
      </div>
      <fieldset className="side-panel__body" disabled={readOnly}>
        <label className="field">
          <span className="field__label">Title</span>
          <TitleField
            key={widget.title}
            value={widget.title}
            onCommit={(title) => {
              onSet('title', title);
            }}
          />
        </label>
        <label className="field">
          <span className="field__label">Type</span>
          <select
            className="select"
            value={widget.type}
            onChange={(event) => {
              setType(event.target.value);
            }}
            data-testid="config-type"
          >
            {types.length === 0 && <option value={widget.type}>{widget.type}</option>}
            {types.map((type) => (
              <option key={type.type} value={type.type}>
                {type.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Metric</span>
          <select
            className="select"
            value={widget.config.metric}
            onChange={(event) => {
              onSet('config.metric', event.target.value);
            }}
            data-testid="config-metric"
          >
            {!metricKnown && <option value={widget.config.metric}>{widget.config.metric || 'Pick a metric'}</option>}
            {metricsForType.map((metric) => (
              <option key={metric.id} value={metric.id}>
                {metric.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Time range</span>
          <select
            className="select"
            value={widget.config.range}
            onChange={(event) => {
              onSet('config.range', event.target.value);
            }}
            data-testid="config-range"
          >
            {ranges.map((range) => (
              <option key={range} value={range}>
                last {range.replace('d', ' days')}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field__label">Repositories</legend>
          <p className="muted small">None ticked: every repository the team follows.</p>
          {repositories.data?.map((repository) => (
            <label key={repository.id} className="check">
              <input
                type="checkbox"
                checked={widget.config.repositories.includes(repository.id)}
                onChange={() => {
                  toggleRepository(repository.id);
                }}
                data-testid="config-repository"
                data-repository-id={repository.id}
              />
              {repository.full_name}
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend className="field__label">Filters</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={includeBots}
              onChange={(event) => {
                onSet('config.filters', { ...filters, include_bots: event.target.checked });
              }}
              data-testid="config-bots"
            />
            Count bots
          </label>
          <label className="field">
            <span className="field__label small">Time zone</span>
            <TimezoneField
              key={timezone}
              value={timezone}
              onCommit={(value) => {
                onSet('config.filters', { ...filters, timezone: value });
              }}
            />
          </label>
          <label className="field">
            <span className="field__label small">Stale after (days)</span>
            <input
              className="input"
              type="number"
              min={1}
              max={365}
              value={staleDays}
              onChange={(event) => {
                const days = Number(event.target.value);
                if (Number.isInteger(days) && days >= 1 && days <= 365) {
                  onSet('config.filters', { ...filters, stale_days: days });
                }
              }}
              data-testid="config-stale-days"
            />
          </label>
        </fieldset>
      </fieldset>
    </aside>
  );
}

/** A text field that sends its value when left or on Enter (not on every key). */
function TitleField({ value, onCommit }: { readonly value: string; readonly onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  const commit = () => {
    if (draft !== value) {
      onCommit(draft.trim());
    }
  };
  return (
    <input
      className="input"
      value={draft}
      maxLength={200}
      onChange={(event) => {
        setDraft(event.target.value);
      }}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          commit();
        }
      }}
      data-testid="config-title"
      placeholder="The metric's name"
    />
  );
}

function TimezoneField({ value, onCommit }: { readonly value: string; readonly onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  const commit = () => {
    const zone = draft.trim();
    if (zone !== value && zone !== '') {
      onCommit(zone);
    }
  };
  return (
    <input
      className="input"
      value={draft}
      onChange={(event) => {
        setDraft(event.target.value);
      }}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          commit();
        }
      }}
      data-testid="config-timezone"
    />
  );
}
