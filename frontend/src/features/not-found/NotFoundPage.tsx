import { Link, useLocation } from 'react-router-dom';

import { useDocumentTitle } from '../../components/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  const { pathname } = useLocation();
  return (
    <section className="page" aria-labelledby="not-found-title" data-testid="not-found">
      <div className="page__header">
        <h1 id="not-found-title">Page not found</h1>
        <p className="lead">
          There is no page at <code>{pathname}</code>.
        </p>
      </div>
      <p>
        <Link to="/">Back to the overview</Link>
      </p>
    </section>
  );
}
