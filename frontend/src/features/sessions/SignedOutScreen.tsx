import { signInHref } from '../auth/signin';

/** Shown instead of the page once another device ended this device's session. */
export function SignedOutScreen() {
  return (
    <section className="page" data-testid="signed-out-screen" aria-labelledby="signed-out-title">
      <div className="card page__section">
        <h1 id="signed-out-title">Signed out from another device</h1>
        <p className="lead">
          This device was signed out from one of your other devices. Nothing more is shown here until you sign in
          again.
        </p>
        <a className="button" href={signInHref('/')}>
          Sign in again
        </a>
      </div>
    </section>
  );
}
