import { Link } from 'react-router-dom';

import { useDocumentTitle } from '../../components/useDocumentTitle';

export function OverviewPage() {
  useDocumentTitle(null);
  return (
    <section className="page" aria-labelledby="overview-title">
      <div className="page__header">
        <h1 id="overview-title">Welcome to HubDeck</h1>
        <p className="lead">
          HubDeck is running. It is a self-hosted, real-time dashboard for teams that work on GitHub.
        </p>
      </div>

      <div className="card prose">
        <h2>What it will show</h2>
        <p>
          Once connected to your GitHub organisation, HubDeck is meant to gather the team&rsquo;s
          work in one live view, such as pull requests waiting for review, the state of checks and
          CI runs, and recently opened issues, updated as events arrive rather than on page reload.
        </p>
        <p>
          None of that is connected yet in this version: there is no GitHub data on this page, and
          nothing here is a placeholder pretending otherwise.
        </p>

        <h2>What works today</h2>
        <ul>
          <li>
            The indicator in the header shows the live connection between this page and the
            HubDeck server. It reconnects by itself if the connection drops.
          </li>
          <li>
            <Link to="/status">System status</Link> shows the server&rsquo;s version and whether its
            database and other dependencies are reachable.
          </li>
        </ul>
      </div>
    </section>
  );
}
