import { useId, useState } from 'react';

import { useCatalogue } from './queries';
import { formProblem, toggleType, type EndpointForm } from './model';

/** The fields of an endpoint: URL, description, event types, enabled. */
export function EndpointEditor({
  initial,
  submitLabel,
  pending,
  onSubmit,
  onCancel,
}: {
  readonly initial: EndpointForm;
  readonly submitLabel: string;
  readonly pending: boolean;
  readonly onSubmit: (form: EndpointForm) => void;
  readonly onCancel?: () => void;
}) {
  const [form, setForm] = useState<EndpointForm>(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const catalogue = useCatalogue();
  const urlId = useId();
  const descriptionId = useId();
  return (
    <form
      className="form webhook-form"
      data-testid="endpoint-editor"
      onSubmit={(event) => {
        event.preventDefault();
        const found = formProblem(form);
        setProblem(found);
        if (found === null) {
          onSubmit(form);
        }
      }}
    >
      <label className="form__label" htmlFor={urlId}>
        Endpoint URL
      </label>
      <input
        id={urlId}
        className="input input--mono"
        type="url"
        placeholder="https://hooks.example.com/hubdeck"
        value={form.url}
        data-testid="endpoint-url"
        onChange={(event) => {
          setForm({ ...form, url: event.target.value });
        }}
      />
      <label className="form__label" htmlFor={descriptionId}>
        Description
      </label>
      <input
        id={descriptionId}
        className="input"
        value={form.description}
        maxLength={500}
        onChange={(event) => {
          setForm({ ...form, description: event.target.value });
        }}
      />
      <fieldset className="webhook-types">
        <legend>Events to send {form.eventTypes.length === 0 && <span className="muted small">(all)</span>}</legend>
        {/* The test event always goes out: it is not a choice. */}
        {catalogue.data?.event_types
          .filter((type) => type.type !== 'webhook.test')
          .map((type) => (
            <label key={type.type} className="check-label" title={type.description}>
              <input
                type="checkbox"
                checked={form.eventTypes.includes(type.type)}
                onChange={() => {
                  setForm({ ...form, eventTypes: toggleType(form.eventTypes, type.type) });
                }}
              />{' '}
              <code>{type.type}</code>
            </label>
          ))}
      </fieldset>
      <label className="check-label">
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(event) => {
            setForm({ ...form, enabled: event.target.checked });
          }}
        />{' '}
        Enabled
      </label>
      {problem !== null && (
        <p className="form__error" role="alert">
          {problem}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending} data-testid="endpoint-save">
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
