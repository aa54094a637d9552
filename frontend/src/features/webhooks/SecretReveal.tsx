import { useRef, useState } from 'react';

/** A secret shown this once, with a copy button. */
export function SecretReveal({ secret, label }: { readonly secret: string; readonly label: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  return (
    <div className="notice notice--info" data-testid="secret-reveal">
      <p>
        <strong>{label}</strong> Copy it now: it is not shown again.
      </p>
      <div className="invite__row">
        <input
          ref={ref}
          className="input input--mono"
          readOnly
          value={secret}
          aria-label={label}
          data-testid="secret-value"
          onFocus={(event) => {
            event.target.select();
          }}
        />
        <button
          type="button"
          className="button"
          onClick={() => {
            navigator.clipboard.writeText(secret).then(
              () => {
                setCopied(true);
              },
              () => {
                ref.current?.select();
                setCopied(false);
              },
            );
          }}
        >
          Copy
        </button>
        {copied === true && <span className="text-ok small">Copied</span>}
        {copied === false && <span className="muted small">Press Ctrl+C to copy</span>}
      </div>
    </div>
  );
}
