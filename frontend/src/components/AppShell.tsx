import { Link, NavLink, Outlet } from 'react-router-dom';

import { ConnectionIndicator } from './ConnectionIndicator';
import { ThemeToggle } from './ThemeToggle';

/** Only pages that exist are listed. */
const navigation = [
  { to: '/', label: 'Overview', end: true },
  { to: '/status', label: 'System status', end: false },
] as const;

export function AppShell() {
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand">
            <img src="/favicon.svg" alt="" width="24" height="24" />
            <span>HubDeck</span>
          </Link>
          <nav className="nav" aria-label="Main">
            {navigation.map((item) => (
              <NavLink
                key={item.to}
                to={item.to}
                end={item.end}
                className={({ isActive }) => (isActive ? 'nav__link nav__link--active' : 'nav__link')}
              >
                {item.label}
              </NavLink>
            ))}
          </nav>
          <div className="topbar__tools">
            <ConnectionIndicator />
            <ThemeToggle />
          </div>
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
