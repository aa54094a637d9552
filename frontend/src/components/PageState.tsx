import type { ReactNode } from 'react';

import { ApiError, errorMessage } from '../api';

/** A loading line for a page or a panel. */
export function Loading({ label = 'Loading…' }: { readonly label?: string }) {
  return (
    <p className="loading muted" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error from the server or the network, with a retry button when given one. */
export function ErrorNotice({
  error,
  prefix,
  onRetry,
}: {
  readonly error: unknown;
  readonly prefix?: string;
  readonly onRetry?: () => void;
}) {
  const code = error instanceof ApiError && error.status > 0 ? ` (${error.code})` : '';
  return (
    <div className="notice notice--error notice--row" role="alert">
      <span>
        {prefix === undefined ? '' : `${prefix}: `}
        {errorMessage(error)}
        {code}
      </span>
      {onRetry !== undefined && (
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What a panel shows when there is nothing to draw, and why. */
export function EmptyState({
  title,
  children,
  testId = 'empty-state',
}: {
  readonly title: string;
  readonly children?: ReactNode;
  readonly testId?: string;
}) {
  return (
    <div className="empty" data-testid={testId}>
      <p className="empty__title">{title}</p>
      {children !== undefined && <div className="empty__body">{children}</div>}
    </div>
  );
}
