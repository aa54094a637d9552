import { useState } from 'react';

import { EmptyState, ErrorNotice, Loading } from '../../components/PageState';
import { attemptSummary, DEFAULT_LOG_FILTERS, prettyPayload, type LogFilters } from './model';
import { useAttempts, useCatalogue, useMessages, useRedeliver } from './queries';

/** Every attempt (filters, pages) and the messages, with redelivery. */
export function DeliveryLog({
  teamId,
  endpointId,
  enabled,
}: {
  readonly teamId: number;
  readonly endpointId: number;
  readonly enabled: boolean;
}) {
  const [filters, setFilters] = useState<LogFilters>(DEFAULT_LOG_FILTERS);
  const [pages, setPages] = useState<(number | null)[]>([null]);
  const before = pages[pages.length - 1] ?? null;
  const attempts = useAttempts(teamId, endpointId, filters, before);
  const messages = useMessages(teamId, endpointId, 'all', filters.eventType);
  const catalogue = useCatalogue();
  const redeliver = useRedeliver(teamId, endpointId);
  const [open, setOpen] = useState<number | null>(null);
  const nextBefore = attempts.data?.next_before ?? null;
  const change = (next: LogFilters) => {
    setFilters(next);
    setPages([null]);
  };
  return (
    <div className="card page__section" data-testid="delivery-log">
      <h2>Delivery log</h2>
      <div className="toolbar">
        <label className="toolbar__field">
          <span className="toolbar__label">Status</span>
          <select
            className="select select--compact"
            value={filters.status}
            data-testid="log-status"
            onChange={(event) => {
              change({ ...filters, status: event.target.value as LogFilters['status'] });
            }}
          >
            <option value="all">all</option>
            <option value="succeeded">succeeded</option>
            <option value="failed">failed</option>
          </select>
        </label>
        <label className="toolbar__field">
          <span className="toolbar__label">Event type</span>
          <select
            className="select select--compact"
            value={filters.eventType}
            onChange={(event) => {
              change({ ...filters, eventType: event.target.value });
            }}
          >
            <option value="">all</option>
            {catalogue.data?.event_types.map((type) => (
              <option key={type.type} value={type.type}>
                {type.type}
              </option>
            ))}
          </select>
        </label>
      </div>
      {attempts.isPending && <Loading />}
      {attempts.isError && <ErrorNotice error={attempts.error} />}
      {attempts.data?.items.length === 0 && <EmptyState title="No attempts match" />}
      {attempts.data !== undefined && attempts.data.items.length > 0 && (
        <div className="table-scroll">
          <table className="table table--compact" data-testid="attempt-list">
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Try</th>
                <th>Result</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {attempts.data.items.map((attempt) => (
                <tr key={attempt.id}>
                  <td className="small">{new Date(attempt.attempted_at).toLocaleString()}</td>
                  <td>
                    <code>{attempt.event_type}</code>
                    <div className="muted small">{attempt.msg_id}</div>
                  </td>
                  <td>{attempt.attempt}</td>
                  <td className={attempt.succeeded ? 'text-ok small' : 'text-bad small'}>
                    {attemptSummary(attempt)}
                    {attempt.response_excerpt !== '' && (
                      <pre className="muted small">{attempt.response_excerpt.slice(0, 300)}</pre>
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      disabled={!enabled || redeliver.isPending}
                      onClick={() => {
                        redeliver.mutate(attempt.message_id);
                      }}
                    >
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form__actions">
        {pages.length > 1 && (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setPages(pages.slice(0, -1));
            }}
          >
            Newer
          </button>
        )}
        {nextBefore !== null && (
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setPages([...pages, nextBefore]);
            }}
          >
            Older
          </button>
        )}
      </div>
      {redeliver.isError && <ErrorNotice error={redeliver.error} />}
      <h3>Messages</h3>
      {messages.data !== undefined && (
        <ul className="item-list" data-testid="message-list">
          {messages.data.items.map((message) => (
            <li key={message.id} className="item">
              <button
                type="button"
                className="button button--quiet button--small"
                onClick={() => {
                  setOpen(open === message.id ? null : message.id);
                }}
              >
                <code>{message.event_type}</code> · {message.status} · {message.attempts} tries
              </button>
              {open === message.id && <pre className="small">{prettyPayload(message.payload)}</pre>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
